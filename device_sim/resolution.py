"""Entity resolution as Alexa reports it, applied to what the language engine understood.

Alexa's guarantees, which a skill relies on:
- a slot value that is one of its custom type's values or synonyms (said inside any sentence) resolves:
  `ER_SUCCESS_MATCH` with that value's id and name, whatever the engine's fuzzier matching decided;
- authorities are named after the skill: `amzn1.er-authority.echo-sdk.<skill id>.<type>`, and a dynamic
  entity's `amzn1.er-authority.echo-sdk.dynamic.<skill id>.<type>`, listed first, each with its own status;
- a near match the engine found (a fuzzy catalog match) is kept as it is.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Iterator, Mapping

STATIC = "amzn1.er-authority.echo-sdk.{skill}.{type}"
DYNAMIC = "amzn1.er-authority.echo-sdk.dynamic.{skill}.{type}"
MATCH, NO_MATCH = "ER_SUCCESS_MATCH", "ER_SUCCESS_NO_MATCH"


_NOT_WORD = re.compile(r"[^\w']+")


def spoken_key(text: str) -> str:
    """What two spellings of the same words share: case, accents' composition, punctuation, spacing."""
    # ASCII text is its own NFKC form and casefolds as it lowercases: the quick way for nearly every value.
    text = text.lower() if text.isascii() else unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())


class TypeValues:
    """The values and synonyms of a model's custom slot types, by spoken form."""

    def __init__(self, model: dict) -> None:
        language = model.get("interactionModel", model).get("languageModel", {})
        self.slot_types: dict[str, dict[str, str]] = {}  # intent -> slot -> type
        for intent in language.get("intents", []):
            self.slot_types[intent["name"]] = {s["name"]: s.get("type", "") for s in intent.get("slots", [])}
        self.values = _TypeIndex({t["name"]: t.get("values", []) for t in language.get("types", [])})


class _TypeIndex(Mapping[str, dict[str, list[dict]]]):
    """type -> its index_values, each made the first time a slot of that type resolves: a one-shot turn uses
    one or two of a model's types, and indexing all of voicecart's catalog values took ~5 ms per device."""

    def __init__(self, raw: dict[str, list[dict]]) -> None:
        self._raw = raw
        self._made: dict[str, dict[str, list[dict]]] = {}

    def __getitem__(self, name: str) -> dict[str, list[dict]]:
        made = self._made.get(name)
        if made is None:
            made = self._made[name] = index_values(self._raw[name])
        return made

    def __contains__(self, name: object) -> bool:
        return name in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


def index_values(values: list[dict]) -> dict[str, list[dict]]:
    """spoken form -> the values it names ({"id", "name"}), from a type's (or dynamic entity's) values."""
    index: dict[str, list[dict]] = {}
    for entry in values:
        name = entry.get("name") or {}
        canonical = str(name.get("value", ""))
        value = {"name": canonical, "id": entry.get("id") or None}
        for spoken in [canonical, *name.get("synonyms", [])]:
            found = index.setdefault(spoken_key(str(spoken)), [])
            if value not in found:
                found.append(value)
    return index


def resolve_intent(intent: dict, types: TypeValues, skill_id: str, dynamic: list[dict] | None = None) -> dict:
    """The intent with each slot's resolutions as Alexa would send them (a copy; the input is unchanged)."""
    intent = copy.deepcopy(intent)
    slot_types = types.slot_types.get(intent.get("name", ""), {})
    dynamic_values = {d.get("name"): index_values(d.get("values", [])) for d in dynamic or []}
    for name, slot in (intent.get("slots") or {}).items():
        slot_type = slot_types.get(name, "")
        value = slot.get("value")
        if value is None or slot_type.startswith("AMAZON.") or not slot_type:
            continue
        if slot_type not in types.values and slot_type not in dynamic_values:
            continue
        key = spoken_key(str(value))
        engine = {
            _kind(a.get("authority", "")): a for a in (slot.get("resolutions") or {}).get("resolutionsPerAuthority", [])
        }
        authorities = []
        if slot_type in dynamic_values:
            exact = dynamic_values[slot_type].get(key)
            authorities.append(_authority(DYNAMIC, skill_id, slot_type, exact, engine.get("dynamic")))
        if slot_type in types.values:
            exact = types.values[slot_type].get(key)
            authorities.append(_authority(STATIC, skill_id, slot_type, exact, engine.get("static")))
        slot["resolutions"] = {"resolutionsPerAuthority": authorities}
    return intent


def _kind(authority: str) -> str:
    return "dynamic" if ".dynamic." in authority else "static"


def _authority(pattern: str, skill_id: str, slot_type: str, exact: list[dict] | None, engine: dict | None) -> dict:
    name = pattern.format(skill=skill_id, type=slot_type)
    if exact:
        return {
            "authority": name,
            "status": {"code": MATCH},
            "values": [{"value": {"name": v["name"], "id": v["id"] or v["name"]}} for v in exact],
        }
    if engine is not None and engine.get("status", {}).get("code") == MATCH and engine.get("values"):
        return {"authority": name, "status": {"code": MATCH}, "values": copy.deepcopy(engine["values"])}
    return {"authority": name, "status": {"code": NO_MATCH}}
