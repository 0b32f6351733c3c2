"""Serving skills made with the framework: finding a definition, several skills on one server, AWS Lambda.

A definition is named by a spec: `package.module:ATTRIBUTE`, `path/to/skill.py[:ATTRIBUTE]` or the folder
holding `skill.py` (the attribute defaults to SKILL). `voicecart serve` mounts the definitions listed in the
VOICECART_SKILLS environment variable (comma-separated specs) beside the voicecart skill.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from skills.framework.definition import SkillDefinition
from skills.framework.package import PackageError

SKILLS_ENV = "VOICECART_SKILLS"


def _import_file(path: Path) -> Any:
    from intents.pyfiles import FileImportError, import_file

    try:
        return import_file(path, "_voicecart_skill")
    except FileImportError as exc:
        raise PackageError(str(exc)) from exc


def load_definition(spec: str) -> SkillDefinition:
    """The SkillDefinition a spec names; PackageError with the reason when there is none."""
    target, _, attribute = spec.strip().partition(":")
    attribute = attribute or "SKILL"
    path = Path(target)
    if path.is_dir():
        path = path / "skill.py"
    if target.endswith(".py") or path.name == "skill.py" or os.sep in target or "/" in target:
        if not path.is_file():
            raise PackageError(f"no skill file at {path}")
        module = _import_file(path)
    else:
        try:
            module = importlib.import_module(target)
        except ImportError as exc:
            raise PackageError(f"cannot import skill module {target!r}: {exc}") from exc
    definition = getattr(module, attribute, None)
    if not isinstance(definition, SkillDefinition):
        raise PackageError(f"{target} has no SkillDefinition named {attribute}")
    return definition


def definitions_from_env(environ: dict[str, str] | None = None) -> list[SkillDefinition]:
    value = (os.environ if environ is None else environ).get(SKILLS_ENV, "")
    return [load_definition(spec) for spec in value.split(",") if spec.strip()]


def skill_set_problems(definitions: Sequence[SkillDefinition], locale: str = "en-US") -> list[str]:
    """Skills served together need their own name, skill id, endpoint path and invocation name."""
    from skills.framework.model import invocation_name

    problems = []
    for label, key in (
        ("name", lambda d: d.name),
        ("skill id", lambda d: d.skill_id),
        ("endpoint path", lambda d: d.endpoint_path),
        ("invocation name", lambda d: invocation_name(d, locale).lower()),
    ):
        seen: dict[str, str] = {}
        for definition in definitions:
            value = key(definition)
            if value in seen:
                problems.append(f"skills {seen[value]!r} and {definition.name!r} have the same {label} {value!r}")
            seen.setdefault(value, definition.name)
    return problems


def skill_blueprints(
    definitions: Iterable[SkillDefinition], backend: Any, *, ctx: Any = None, verifiers_for: Callable[[list[str]], list]
) -> list:
    """One verified endpoint per skill, at its endpoint path, all on the same backend (one cart)."""
    from skills.framework.compose import build_skill
    from skills.hosting.endpoint import skill_blueprint

    blueprints = []
    for definition in definitions:
        skill = build_skill(definition, backend, ctx=ctx)
        blueprints.append(
            skill_blueprint(
                skill,
                verifiers=verifiers_for([definition.skill_id]),
                name=f"alexa_{definition.name.replace('-', '_')}",
                url=definition.endpoint_path,
            )
        )
    return blueprints


def lambda_handler_for(
    definition: SkillDefinition | Callable[[], SkillDefinition], *, any_skill_id: bool = False
) -> Callable[[dict, Any], dict]:
    """An AWS Lambda handler for a skill: the store from VOICECART_STORE, the skill id from the definition
    (VOICECART_SKILL_ID overrides it); backend and skill are built on the first event and kept.
    `any_skill_id=True` is for the simulator, which sends a test skill id of its own; never deploy it."""
    from skills.hosting.lambda_entry import built_on_first_event

    def build(clock: Any) -> Callable[[dict, Any], dict]:
        from reorder.bootstrap import open_backend
        from skills.framework.compose import build_skill
        from skills.hosting.lambda_entry import lambda_handler

        resolved = definition if isinstance(definition, SkillDefinition) else definition()
        backend = open_backend(os.environ.get("VOICECART_STORE"), clock=clock)
        skill_id = None if any_skill_id else os.environ.get("VOICECART_SKILL_ID") or resolved.skill_id
        return lambda_handler(build_skill(resolved, backend, skill_id=skill_id))

    return built_on_first_event(build)
