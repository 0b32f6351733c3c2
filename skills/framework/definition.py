"""A skill as Alexa knows it: a name, an invocation name, a skill id, an endpoint path and its packages."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skills.framework.package import PackageError, SkillPackage

_PATH = re.compile(r"^/[a-z0-9][a-z0-9/_-]*$")


@dataclass(frozen=True)
class SkillDefinition:
    """One skill composed from packages.

    - `invocation_name`: what people say ("bean box"), or one per locale; None reads the shipped
      `intents/data/<locale>/locale.yaml` (the voicecart skill).
    - `endpoint_path`: where `voicecart serve` mounts it ("/alexa" for voicecart, "/alexa/bean-box" ...).
    - `manifest`: the skill.json this skill is published with (for `voicecart skill package`).
    - `welcome` / `help`: what launch and help say (None: the voicecart words).
    """

    name: str
    packages: tuple[SkillPackage, ...]
    skill_id: str
    invocation_name: str | Mapping[str, str] | None = None
    endpoint_path: str = "/alexa"
    manifest: Path | None = None
    welcome: str | None = None
    help: str | None = None
    _models: dict[str, dict] = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "packages", tuple(self.packages))
        problems = []
        if not re.fullmatch(r"[a-z][a-z0-9-]*", self.name or ""):
            problems.append(f"a skill name is lower-case letters, digits and '-', not {self.name!r}")
        if not _PATH.match(self.endpoint_path or ""):
            problems.append(f"skill {self.name!r}: endpoint path {self.endpoint_path!r} must look like /alexa/name")
        if not str(self.skill_id).startswith("amzn1.ask.skill."):
            problems.append(f"skill {self.name!r}: skill id {self.skill_id!r} must start with amzn1.ask.skill.")
        names = [p.name for p in self.packages]
        doubles = sorted({n for n in names if names.count(n) > 1})
        if doubles:
            problems.append(f"skill {self.name!r} lists packages {doubles} more than once")
        if problems:
            raise PackageError(problems)

    def all_packages(self) -> list[SkillPackage]:
        """The definition's packages, then the shared capability packages they need (each once)."""
        from skills.framework.purchase import PACKAGE_NAME, purchase_package

        packages = list(self.packages)
        names = {p.name for p in packages}
        if any("purchase" in p.uses for p in packages) and PACKAGE_NAME not in names:
            packages.append(purchase_package())
        return packages

    def invocation(self, locale: str) -> str | None:
        if isinstance(self.invocation_name, Mapping):
            return self.invocation_name.get(locale)
        return self.invocation_name

    def model(self, locale: str = "en-US") -> dict:
        """The composed interaction model for `locale` (built once, then copied)."""
        import copy

        if locale not in self._models:
            from skills.framework.model import compose_model

            self._models[locale] = compose_model(self, locale)
        return copy.deepcopy(self._models[locale])

    def locales(self) -> list[str]:
        from skills.framework.model import definition_locales

        return definition_locales(self)

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "skill_id": self.skill_id,
            "endpoint": self.endpoint_path,
            "packages": [p.name for p in self.packages],
        }
