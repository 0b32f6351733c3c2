"""One interaction model from the fragments of a skill's packages, after checking them for conflicts.

Every fragment is a set of YAML files in the `intents/data` schema. To them the framework adds the
built-in intents every skill needs (`intents/data/<locale>/builtins.yaml`) and, from the shared slot-type
library (`intents/data/<locale>/types.yaml`), only the types the intents use. The JSON is then built by
`intents.model.build_model`, the same code that builds the voicecart model.

Conflicts are reported with the packages named: an intent or slot type two packages define differently
(an identical definition is shared, e.g. the purchase-code intent), and one sample utterance that two
intents claim (with slots compared by type, so "{product}" in two intents is the same utterance).
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml

from intents import yaml_text
from skills.framework.package import PackageError, SkillPackage


class ModelledSkill(Protocol):
    """What building a skill's model reads of its definition (a SkillDefinition is one); the definition
    builds its model through this module, never the other way round."""

    @property
    def name(self) -> str: ...

    def invocation(self, locale: str) -> str | None: ...

    def all_packages(self) -> list[SkillPackage]: ...


SHARED_FILES = ("builtins.yaml",)  # always part of a skill
TYPE_LIBRARY = "types.yaml"  # slot types any package may use by name
_SLOT = re.compile(r"\{([^{}]*)\}")


def _data_dir() -> Path:
    from intents.source import DATA_DIR

    return DATA_DIR


@dataclass
class Source:
    """A locale's merged source with the package each intent and type came from."""

    intents: dict[str, dict]
    types: dict[str, dict]
    intent_owner: dict[str, str]
    type_owner: dict[str, str]


def _read(path: Path, package: str) -> tuple[dict, list[str]]:
    from intents.source import check_file

    data, problems = check_file(path)
    return data, [f"package {package!r}: {p}" for p in problems]


def _fragment_documents(package: SkillPackage, locale: str) -> tuple[list[dict], list[str]]:
    if package.model is None:
        return [], []
    paths = package.model.paths(locale)
    if not paths:
        return [], [f"package {package.name!r} has no interaction model for {locale} under {package.model.root}"]
    documents, problems = [], []
    for path in paths:
        data, found = _read(path, package.name)
        problems.extend(found)
        if package.model.intents:
            data = {"intents": {k: v for k, v in (data.get("intents") or {}).items() if k in package.model.intents}}
        documents.append(data)
    if package.model.intents:
        present = {name for doc in documents for name in doc.get("intents") or {}}
        problems.extend(
            f"package {package.name!r}: intent {name} is not in {', '.join(package.model.files)}"
            for name in package.model.intents
            if name not in present
        )
    return documents, problems


def merged_source(packages: list[SkillPackage], locale: str) -> Source:
    """The packages' fragments plus the built-ins and the library types they use; raises PackageError
    listing every conflict."""
    data_dir = _data_dir()
    problems: list[str] = []
    source = Source({}, {}, {}, {})
    contributions: list[tuple[str, dict]] = []
    for name in SHARED_FILES:
        path = data_dir / locale / name
        if path.is_file():
            data, found = _read(path, "built-ins")
            problems.extend(found)
            contributions.append(("built-ins", data))
    for package in packages:
        documents, found = _fragment_documents(package, locale)
        problems.extend(found)
        contributions.extend((package.name, doc) for doc in documents)
    for owner, data in contributions:
        for section, merged, owners in (
            ("intents", source.intents, source.intent_owner),
            ("types", source.types, source.type_owner),
        ):
            for name, body in (data.get(section) or {}).items():
                body = body or {}
                if name in merged and merged[name] != body:
                    problems.append(
                        f"{section[:-1]} {name} is defined differently by packages {owners[name]!r} and {owner!r}"
                    )
                    continue
                merged.setdefault(name, body)
                owners.setdefault(name, owner)
    library_path = data_dir / locale / TYPE_LIBRARY
    library = _read(library_path, "type library")[0].get("types") or {} if library_path.is_file() else {}
    for name, owner in list(source.type_owner.items()):
        if name in library and library[name] != source.types[name]:
            problems.append(
                f"type {name} of package {owner!r} redefines the shared slot type of that name; "
                "use the shared one or choose another name"
            )
    for used in sorted(_used_types(source.intents)):
        if used.startswith("AMAZON.") or used in source.types:
            continue
        if used in library:
            source.types[used] = library[used]
            source.type_owner[used] = "type library"
        else:
            users = sorted(
                {source.intent_owner[i] for i, body in source.intents.items() if used in _used_types({i: body})}
            )
            problems.append(
                f"slot type {used} (used by package {', '.join(map(repr, users))}) is defined "
                "nowhere: define it in the package's fragment or use a shared type"
            )
    problems.extend(utterance_conflicts(source))
    if problems:
        raise PackageError(problems)
    return source


def _used_types(intents: dict[str, dict]) -> set[str]:
    return {slot["type"] for body in intents.values() for slot in (body.get("slots") or {}).values()}


def _shape(sample: str, slots: dict[str, Any]) -> str:
    def typed(match: re.Match) -> str:
        slot = slots.get(match.group(1)) or {}
        return "{" + str(slot.get("type", match.group(1))) + "}"

    return " ".join(_SLOT.sub(typed, sample.lower()).replace("'", " '").split())


def utterance_conflicts(source: Source) -> list[str]:
    """One sample (slots compared by type) claimed by two intents: Alexa could not tell them apart."""
    seen: dict[str, str] = {}
    problems = []
    for intent, body in source.intents.items():
        for sample in body.get("samples") or []:
            shape = _shape(sample, body.get("slots") or {})
            other = seen.setdefault(shape, intent)
            if other != intent:
                problems.append(
                    f"sample {sample!r} of {intent} (package {source.intent_owner[intent]!r}) is also a sample of "
                    f"{other} (package {source.intent_owner[other]!r})"
                )
    return problems


def invocation_name(definition: ModelledSkill, locale: str) -> str:
    name = definition.invocation(locale)
    if name:
        return name
    path = _data_dir() / locale / "locale.yaml"
    data = yaml_text.load(path.read_text(encoding="utf-8")) if path.is_file() else None
    if not isinstance(data, dict) or not data.get("invocationName"):
        raise PackageError(f"skill {definition.name!r} has no invocation name for {locale}")
    return str(data["invocationName"])


def compose_model(definition: ModelledSkill, locale: str = "en-US") -> dict:
    """The Alexa interaction-model JSON of `definition` for `locale`."""
    from intents.model import build_model
    from intents.source import SourceError

    source = merged_source(definition.all_packages(), locale)
    documents: dict[str, dict[str, Any]] = {
        "locale.yaml": {"locale": locale, "invocationName": invocation_name(definition, locale)},
        "intents.yaml": {"intents": source.intents},
        "types.yaml": {"types": source.types},
    }
    with tempfile.TemporaryDirectory(prefix="voicecart-model-") as tmp:
        folder = Path(tmp) / locale
        folder.mkdir()
        for name, document in documents.items():
            if any(document.values()):
                (folder / name).write_text(
                    yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8"
                )
        try:
            return build_model(locale, data_dir=Path(tmp))
        except SourceError as exc:
            raise PackageError(exc.problems) from exc


def definition_locales(definition: ModelledSkill) -> list[str]:
    """The locales every package of the skill has a fragment for."""

    sets = [set(p.model.locales()) for p in definition.all_packages() if p.model is not None]
    return sorted(set.intersection(*sets)) if sets else ["en-US"]
