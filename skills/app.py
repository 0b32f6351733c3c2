"""The voicecart skill, composed once: common handlers, each capability's handlers, interceptors, storage.

A capability module (`skills.shopping`, `skills.buttons`, `skills.babycare`) exposes
`handlers(ctx: SkillContext) -> list[AbstractRequestHandler]`, and optionally
`dynamic_entities(ctx, household_id) -> list[EntityListItem]`; a module that is not installed is skipped.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Sequence

from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder

from reorder.services.backend import Backend
from skills.common.context import SkillContext
from skills.common.handlers import exception_handlers, leading_handlers, trailing_handlers
from skills.common.identity import IdentityInterceptor, NotLinkedHandler
from skills.common.interceptors import RequestLogger, ResponseLogger
from skills.common.persistence import StoreAttributesAdapter

log = logging.getLogger(__name__)

SKILL_ID = "amzn1.ask.skill.voicecart"  # also in skill.json: keep them in sync
CAPABILITY_MODULES = ("skills.shopping", "skills.buttons", "skills.babycare")


def capability_modules(modules: Sequence[str] | None = None) -> list:
    found = []
    for name in CAPABILITY_MODULES if modules is None else modules:
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name is not None and (name == exc.name or name.startswith(exc.name + ".")):
                log.info("capability %s is not installed; skipping it", name)
                continue
            raise  # the module exists but something it imports is missing: that is a real error
    return found


def capability_handlers(ctx: SkillContext, modules: Sequence[str] | None = None) -> list:
    return [handler for module in capability_modules(modules) for handler in module.handlers(ctx)]


def entity_sources(ctx: SkillContext, modules: Sequence[str] | None = None) -> list:
    """Capabilities may also offer `dynamic_entities(ctx, household_id) -> list[EntityListItem]`: the
    household's own names, sent to language understanding at launch."""
    sources = []
    for module in capability_modules(modules):
        provide = getattr(module, "dynamic_entities", None)
        if provide is not None:
            sources.append(lambda hh, provide=provide: provide(ctx, hh))
    return sources


def build_skill(
    backend: Backend,
    *,
    skill_id: str | None = SKILL_ID,
    api_client: object | None = None,
    modules: Sequence[str] | None = None,
    ctx: SkillContext | None = None,
) -> CustomSkill:
    """The skill for `backend`. `skill_id=None` accepts requests for any skill id (tests, simulators);
    `modules` overrides CAPABILITY_MODULES (e.g. one capability's tests)."""
    ctx = ctx or SkillContext(backend)
    builder = CustomSkillBuilder(
        persistence_adapter=StoreAttributesAdapter(backend.store, backend.clock), api_client=api_client
    )
    builder.skill_id = skill_id
    for handler in [NotLinkedHandler(), *leading_handlers(entity_sources(ctx, modules)),
                    *capability_handlers(ctx, modules),
                    *trailing_handlers()]:
        builder.add_request_handler(handler)
    for handler in exception_handlers():
        builder.add_exception_handler(handler)
    builder.add_global_request_interceptor(RequestLogger())
    builder.add_global_request_interceptor(IdentityInterceptor(backend))
    builder.add_global_response_interceptor(ResponseLogger())
    return builder.create()
