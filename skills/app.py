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
from ask_sdk_model.services import ApiClient

from reorder.services.backend import Backend
from skills.common.context import SkillContext

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


def help_text(modules: Sequence[str] | None = None) -> str | None:
    """What "help" says: one clause per installed capability (its module's HELP), so it never offers
    what this composition cannot do. None when no capability says anything (the framework's words)."""
    clauses = [str(m.HELP) for m in capability_modules(modules) if getattr(m, "HELP", None)]
    if not clauses:
        return None
    joined = clauses[0] if len(clauses) == 1 else "; ".join(clauses[:-1]) + "; or " + clauses[-1]
    return f"You can {joined}. What would you like to do?"


def voicecart_definition(modules: Sequence[str] | None = None, *, skill_id: str = SKILL_ID):
    """The voicecart skill as a framework definition: the capability modules' packages (see
    skills.framework.shipped), the invocation name of intents/data, served at /alexa."""
    from skills.framework.definition import SkillDefinition
    from skills.framework.shipped import VOICECART_SKILL_NAME, package_of

    return SkillDefinition(
        VOICECART_SKILL_NAME,
        tuple(package_of(m) for m in capability_modules(modules)),
        skill_id=skill_id,
        help=help_text(modules),
    )


def build_skill(
    backend: Backend,
    *,
    skill_id: str | None = SKILL_ID,
    api_client: ApiClient | None = None,
    modules: Sequence[str] | None = None,
    ctx: SkillContext | None = None,
) -> CustomSkill:
    """The skill for `backend`. `skill_id=None` accepts requests for any skill id (tests, simulators);
    `modules` overrides CAPABILITY_MODULES (e.g. one capability's tests). Composed by skills.framework,
    exactly like a skill another developer declares."""
    from skills.framework.compose import build_skill as compose

    return compose(voicecart_definition(modules), backend, skill_id=skill_id, api_client=api_client, ctx=ctx)
