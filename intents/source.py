"""The interaction model's source: YAML files per locale under intents/data/<locale>/, schema-checked.

Every file of a locale folder is validated against data/schema.json on its own, then merged; an
intent or slot type defined in two files is an error, so each lives in exactly one place.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"
SCHEMA_PATH = DATA_DIR / "schema.json"


class SourceError(ValueError):
    """The YAML source of a locale is broken; `problems` lists every finding as "file: where: what"."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@cache
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(_schema())


def available_locales(data_dir: Path = DATA_DIR) -> list[str]:
    return sorted(p.name for p in data_dir.iterdir() if p.is_dir() and (p / "locale.yaml").exists())


def _json_path(parts: Iterable[str | int]) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def check_file(path: Path) -> tuple[dict[str, Any], list[str]]:
    """Parse and schema-check one YAML file; returns its data and its problems."""
    import yaml  # only a model built from its sources reads them: a cached one does not load the parser

    from intents import yaml_text

    try:
        # libyaml's loader where it is built in: ten times faster than the pure-Python one on these files.
        data = yaml_text.load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        return {}, [f"{path.name}: cannot read: {exc}"]
    validator = _validator()
    problems = [
        f"{path.name}: {_json_path(err.absolute_path)}: {err.message}"
        for err in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    ]
    return (data if isinstance(data, dict) else {}), problems


def load_source(locale: str = "en-US", data_dir: Path = DATA_DIR) -> dict[str, Any]:
    """The merged source of one locale: {"locale", "invocationName", "intents", "types"}."""
    folder = data_dir / locale
    if not folder.is_dir():
        known = ", ".join(available_locales(data_dir)) or "none"
        raise SourceError([f"no interaction model source for locale {locale!r} (available: {known})"])
    merged: dict[str, Any] = {"locale": locale, "invocationName": None, "intents": {}, "types": {}}
    owner: dict[tuple[str, str], str] = {}
    problems: list[str] = []
    for path in sorted(folder.glob("*.yaml")):
        data, found = check_file(path)
        problems.extend(found)
        if found:
            continue
        if data.get("locale") not in (None, locale):
            problems.append(f"{path.name}: $.locale: says {data['locale']!r} but lives in the {locale} folder")
        if data.get("invocationName"):
            if merged["invocationName"]:
                problems.append(f"{path.name}: $.invocationName: defined twice")
            merged["invocationName"] = data["invocationName"]
        for section in ("intents", "types"):
            for name, body in (data.get(section) or {}).items():
                if (section, name) in owner:
                    problems.append(f"{path.name}: $.{section}.{name}: already defined in {owner[section, name]}")
                    continue
                owner[section, name] = path.name
                merged[section][name] = body or {}
    if not merged["invocationName"]:
        problems.append(f"{locale}/locale.yaml: $.invocationName: missing")
    if problems:
        raise SourceError(problems)
    return merged
