"""A skill from its definition: the same identity, persistence, purchase rules and common handlers for all.

Order of handlers: the not-linked guard, launch and session end, each package's handlers in the order the
definition lists them, the shared capabilities' handlers (the purchase dialog), then help, stop, navigate
home, a stray yes/no and the fallback. Interceptors: request logging and the identity interceptor (the
household and member of the speaker); a BackendError is spoken, anything else is an apology.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skills.common import handlers as common
from skills.common.context import SkillContext
from skills.common.persistence import StoreAttributesAdapter
from skills.common.respond import ask
from skills.framework.package import SkillPackage
from skills.framework.scoped import PackageContext, ScopedBackend

if TYPE_CHECKING:
    from ask_sdk_core.skill import CustomSkill
    from ask_sdk_model.services import ApiClient

    from reorder.services.backend import Backend
    from skills.framework.definition import SkillDefinition


class WelcomeHandler(common.LaunchHandler):
    """Launch with the skill's own welcome (dynamic entities are sent exactly as for voicecart)."""

    def __init__(self, entity_sources: list, welcome: str) -> None:
        super().__init__(entity_sources)
        self.welcome = welcome

    def handle(self, handler_input: HandlerInput) -> Response:
        super().handle(handler_input)  # adds the household's dynamic entities
        return ask(handler_input, self.welcome, common.REPROMPT)


class SkillHelpHandler(common.HelpHandler):
    def __init__(self, text: str) -> None:
        self.text = text


class SkillAttributesAdapter(StoreAttributesAdapter):
    """Persistent attributes per skill: two skills of one developer never read each other's."""

    def __init__(self, store: Any, clock: Any, skill_name: str) -> None:
        super().__init__(store, clock)
        self.prefix = f"skill:{skill_name}:"

    def get_attributes(self, request_envelope: Any) -> dict:
        from skills.common.persistence import attributes_key

        with self.store.unit_of_work(write=False) as uow:
            return uow.attributes.get(self.prefix + attributes_key(request_envelope)) or {}

    def save_attributes(self, request_envelope: Any, attributes: dict) -> None:
        from skills.common.persistence import attributes_key

        with self.store.unit_of_work() as uow:
            uow.attributes.put(self.prefix + attributes_key(request_envelope), dict(attributes), self.clock.now())

    def delete_attributes(self, request_envelope: Any) -> None:
        from skills.common.persistence import attributes_key

        with self.store.unit_of_work() as uow:
            uow.attributes.delete(self.prefix + attributes_key(request_envelope))


def package_contexts(definition: SkillDefinition, ctx: SkillContext) -> list[tuple[SkillPackage, PackageContext]]:
    out = []
    for package in definition.all_packages():
        backend = ScopedBackend(ctx.backend, package)  # a use case keeps to the package's capabilities too
        # A ScopedBackend stands in for the Backend a use case is built on.
        use_cases = {name: factory(cast("Backend", backend)) for name, factory in package.use_cases.items()}
        out.append((package, PackageContext(ctx, package, use_cases)))
    return out


def build_skill(
    definition: SkillDefinition,
    backend: Backend,
    *,
    skill_id: str | None | object = ...,
    api_client: ApiClient | None = None,
    ctx: SkillContext | None = None,
) -> CustomSkill:
    """The ask-sdk-core skill of `definition` on `backend`. `skill_id=None` accepts any skill id (tests,
    simulators); by default the definition's own id is required."""
    from skills.common.identity import IdentityInterceptor, NotLinkedHandler
    from skills.common.interceptors import (
        OpenQuestionKept,
        PendingLapse,
        RequestLogger,
        ResponseLogger,
        TurnEnd,
        TurnScope,
    )
    from skills.common.safety import SafetyReferralHandler
    from skills.framework.dispatch import IndexedSkillBuilder
    from skills.framework.shipped import VOICECART_SKILL_NAME

    ctx = ctx or SkillContext(backend)
    contexts = package_contexts(definition, ctx)
    entity_sources = [
        (lambda hh, provide=package.dynamic_entities, pctx=pctx: provide(pctx, hh))
        for package, pctx in contexts
        if package.dynamic_entities is not None
    ]
    adapter = (
        StoreAttributesAdapter(backend.store, backend.clock)
        if definition.name == VOICECART_SKILL_NAME
        else SkillAttributesAdapter(backend.store, backend.clock, definition.name)
    )
    # ask-sdk accepts None for "no API client" and declares skill_id by its None default; its types say neither.
    builder = IndexedSkillBuilder(persistence_adapter=adapter, api_client=api_client)  # type: ignore[arg-type]
    builder.skill_id = definition.skill_id if skill_id is ... else skill_id  # type: ignore[assignment]
    launch = (
        WelcomeHandler(entity_sources, definition.welcome)
        if definition.welcome
        else common.LaunchHandler(entity_sources)
    )
    places = [
        common.Place(package.intent_names(), package.example, package.slot_examples)
        for package, _ in contexts
        if package.example
    ]
    trailing = common.trailing_handlers(places)
    if definition.help:
        trailing = [SkillHelpHandler(definition.help) if isinstance(h, common.HelpHandler) else h for h in trailing]
    # Safety before any capability: an emergency or a dose question is referred whatever it was heard as.
    handlers = [NotLinkedHandler(), launch, common.SessionEndedHandler(), SafetyReferralHandler()]
    for package, pctx in contexts:
        handlers.extend(package.handlers(pctx))
    for handler in [*handlers, *trailing]:
        builder.add_request_handler(handler)
    for exception_handler in common.exception_handlers():
        builder.add_exception_handler(exception_handler)
    builder.add_global_request_interceptor(TurnScope())
    builder.add_global_request_interceptor(RequestLogger())
    builder.add_global_request_interceptor(IdentityInterceptor(backend))
    builder.add_global_response_interceptor(OpenQuestionKept())  # before PendingLapse: it keeps the question
    builder.add_global_response_interceptor(PendingLapse())
    builder.add_global_response_interceptor(ResponseLogger())
    builder.add_global_response_interceptor(TurnEnd())
    return builder.create()
