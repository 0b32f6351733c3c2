"""What `voicecart serve` runs: the REST API and the Alexa skill endpoint as one Flask app.

Verification is on unless the caller turns it off; `trust_ca` names the directory of a local test CA (the
simulator's signing CA, for one) whose root is trusted beside Amazon's, so a developer can point the device
simulator at a real, verifying server. Which directory is configuration (`voicecart serve --trust-ca DIR`,
`--trust-local-ca`, VOICECART_TRUST_CA); the server reads only the certificates in it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask

from reorder.services.backend import Backend

if TYPE_CHECKING:
    from skills.framework.definition import SkillDefinition
    from skills.hosting.replay import ReplayStore

log = logging.getLogger("voicecart.server")

NO_VERIFY_WARNING = (
    "Alexa request verification is OFF (--no-verify): anyone who can reach POST /alexa can "
    "act for any customer. Use this only on your own machine with the simulator."
)


def product_matcher(ctx) -> Callable[[str, int], list[str]]:  # noqa: ANN001 - a SkillContext
    """The REST API's product search, understanding names exactly as the voice side does."""

    def match(text: str, limit: int) -> list[str]:
        return [c.id for c in ctx.resolver.resolve(text, limit=limit).candidates]

    return match


def build_server_app(
    backend: Backend,
    *,
    verify: bool = True,
    trust_ca: Path | str | None = None,
    skill_ids: Iterable[str] = (),
    skills: Sequence[SkillDefinition] | None = None,
    replay_store: ReplayStore | None = None,
) -> Flask:
    """The REST API, the voicecart skill at POST /alexa, and each skill of `skills` (default: the specs in
    VOICECART_SKILLS) at its own endpoint path with its own skill id, all on one backend and one cart.

    `replay_store` keeps the answered request ids (voicecart.replay_guard builds it from the settings); by
    default the order store, which every worker and host shares."""
    from reorder.services.seen_requests import StoreReplayGuard
    from skills.app import SKILL_ID, build_skill
    from skills.common.context import SkillContext
    from skills.framework.hosting import definitions_from_env, skill_blueprints, skill_set_problems
    from skills.framework.package import PackageError
    from skills.hosting.config import verifiers_from_config
    from skills.hosting.endpoint import skill_blueprint
    from skills.hosting.local_trust import trust_with_local_ca
    from voicecart.app import create_app

    skill_ids = [s for s in skill_ids if s] or [SKILL_ID]
    ctx = SkillContext(backend)
    # One skill serves every id this endpoint accepts; the verifiers refuse all others.
    skill = build_skill(backend, skill_id=None if len(skill_ids) > 1 else skill_ids[0], ctx=ctx)
    extra = list(definitions_from_env() if skills is None else skills)
    problems = skill_set_problems([_served_voicecart(skill_ids[0]), *extra]) if extra else []
    if problems:
        raise PackageError(problems)
    trust = trust_with_local_ca(trust_ca) if verify and trust_ca is not None else None
    if replay_store is None:
        replay_store = StoreReplayGuard(backend.store, backend.clock)

    def verifiers_for(ids: list[str]) -> list:
        if not verify:
            return []
        return verifiers_from_config(ids, trust=trust, clock=backend.clock, replay_store=replay_store)

    if not verify:
        log.warning(NO_VERIFY_WARNING)
    blueprints = [
        skill_blueprint(skill, verifiers=verifiers_for(skill_ids)),
        *skill_blueprints(extra, backend, ctx=ctx, verifiers_for=verifiers_for),
    ]
    return create_app(backend, blueprints=blueprints, product_matcher=product_matcher(ctx))


def _served_voicecart(skill_id: str) -> SkillDefinition:
    from skills.app import voicecart_definition

    return voicecart_definition(skill_id=skill_id)
