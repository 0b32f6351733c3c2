"""What a skill package declares: its handlers, its interaction-model fragment and the shared capabilities it uses.

A package is data plus one factory; the framework (`skills.framework.compose`) turns one or several packages
into a skill. The shipped capabilities (shopping, buttons, baby care) are packages declared the same way in
`skills.framework.shipped`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ask_sdk_core.dispatch_components import AbstractRequestHandler

    from reorder.services.backend import Backend
    from skills.common.context import SkillContext

# The shared capabilities a package may declare, and the backend services each one opens to its handlers.
# The catalog, the households, the clock and the store are open to every package.
CAPABILITIES: Mapping[str, tuple[str, ...]] = {
    "cart": ("carts",),
    "orders": ("orders", "notifications"),
    "purchase": ("orders",),  # the read-back, yes and purchase-code dialog of voice purchases
    "buttons": ("buttons", "devices"),
    "babylog": ("babycare", "routines"),
}
OPEN_TO_ALL = ("catalog", "households", "clock", "store")


class PackageError(ValueError):
    """A package or skill definition that cannot be composed; `problems` lists every finding."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class ModelFragment:
    """Where a package's interaction-model source lives: YAML files (the `intents/data` schema) under
    `<root>/<locale>/`. `files` limits it to some file names and `intents` to some intents of them (a shared
    capability borrowing one intent from a shipped file); by default every `*.yaml` of the folder counts."""

    root: Path
    files: tuple[str, ...] = ()
    intents: tuple[str, ...] = ()

    def paths(self, locale: str) -> list[Path]:
        folder = Path(self.root) / locale
        if self.files:
            return [folder / name for name in self.files if (folder / name).is_file()]
        return sorted(p for p in folder.glob("*.yaml") if p.name != "locale.yaml") if folder.is_dir() else []

    def locales(self) -> list[str]:
        root = Path(self.root)
        if not root.is_dir():
            return []
        return sorted(p.name for p in root.iterdir() if p.is_dir() and self.paths(p.name))


HandlerFactory = Callable[["SkillContext"], list["AbstractRequestHandler"]]
EntityFactory = Callable[["SkillContext", str], list[Any]]
UseCaseFactory = Callable[["Backend"], Any]


@dataclass(frozen=True)
class SkillPackage:
    """One contribution to a skill.

    - `handlers(ctx)` returns ask-sdk-core request handlers, tried in list order; `ctx.backend` only opens the
      services of the capabilities in `uses` (and the catalog, households, clock and store).
    - `model` is the package's interaction-model fragment (None: it adds no intents).
    - `uses` names shared capabilities from CAPABILITIES; "purchase" also brings the shared purchase dialog
      (read-back, yes/no, purchase code) and its intent into every skill the package is part of.
    - `dynamic_entities(ctx, household_id)` optionally returns EntityListItems sent at launch.
    - `use_cases` are the package's own backend use cases, built once per backend and reached from handlers
      as `ctx.use_case(name)`.
    - `example` is a request to try, offered by the fallback when the person was last using this package;
      `slot_examples` an example answer per slot its handlers ask for ("amount": "four ounces").
    """

    name: str
    handlers: HandlerFactory
    model: ModelFragment | None = None
    uses: frozenset[str] = frozenset()
    dynamic_entities: EntityFactory | None = None
    use_cases: Mapping[str, UseCaseFactory] = field(default_factory=dict, hash=False, compare=False)
    description: str = ""
    example: str = ""
    slot_examples: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "uses", frozenset(self.uses))
        unknown = sorted(self.uses - CAPABILITIES.keys())
        if unknown:
            known = ", ".join(sorted(CAPABILITIES))
            raise PackageError(f"package {self.name!r} uses unknown capabilities {unknown}; known: {known}")
        if not self.name or not self.name.replace("-", "").replace("_", "").replace(".", "").isalnum():
            raise PackageError(f"a package name is letters, digits, '-', '_' or '.', not {self.name!r}")

    def intent_names(self, locale: str = "en-US") -> frozenset[str]:
        """The intents of this package's model fragment (none without one)."""
        if self.model is None:
            return frozenset()
        names = _declared_intents(tuple(self.model.paths(locale)))
        return frozenset(n for n in names if not self.model.intents or n in self.model.intents)

    def services(self) -> frozenset[str]:
        """The backend attributes this package's handlers may use."""
        return frozenset(OPEN_TO_ALL).union(*(CAPABILITIES[c] for c in self.uses))


def _declared_intents(paths: tuple[Path, ...]) -> list[str]:
    """The intents the YAML files declare; kept in the cache folder under the files' bytes, so building a skill
    (every `voicecart sim` run) reads no YAML while its model sources are unchanged."""
    from intents.build_cache import read_json, sources_key, write_json

    key = sources_key("declared-intents", 1, files=paths)
    kept = read_json("package-intents", key)
    if isinstance(kept, list) and all(isinstance(n, str) for n in kept):
        return kept
    from intents import yaml_text

    names: set[str] = set()
    for path in paths:
        names.update((yaml_text.load(path.read_text(encoding="utf-8")) or {}).get("intents") or {})
    write_json("package-intents", key, sorted(names))
    return sorted(names)
