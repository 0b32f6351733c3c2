"""Build the Alexa interaction model (languageModel, dialog, prompts) from the YAML source.

The JSON written here is what the Alexa developer console and SMAPI accept; nothing in it is
edited by hand. Catalog-driven slot types are filled from `reorder.catalog` when it is installed.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from intents.build_cache import read_json, sources_key, write_json
from intents.catalog_types import button_name_values, product_name_values
from intents.source import DATA_DIR, SCHEMA_PATH, available_locales, load_source

if TYPE_CHECKING:
    from reorder.domain.catalog import Product

DELEGATION = "SKILL_RESPONSE"  # handlers decide when to delegate a dialog to Alexa


def default_products() -> list[Product]:
    """The shipped catalog, or none when `reorder.catalog` is not available in this install."""
    try:
        from reorder.catalog import load_default_catalog
    except ImportError:
        return []
    return load_default_catalog()


def _prompt(prompt_id: str, texts: list[str]) -> dict[str, Any]:
    return {"id": prompt_id, "variations": [{"type": "PlainText", "value": t} for t in texts]}


def _type_values(name: str, spec: dict[str, Any], products: list[Product]) -> list[dict[str, Any]]:
    base = spec.get("values") or []
    source = spec.get("source", "static")
    if source == "catalog-products":
        return product_name_values(products, base)
    if source == "catalog-buttons":
        return button_name_values(products, base)
    out = []
    for item in base:
        value: dict[str, Any] = {"value": item["value"]}
        if item.get("synonyms"):
            value["synonyms"] = list(item["synonyms"])
        out.append({"id": item.get("id") or item["value"].replace(" ", "_"), "name": value})
    return out


def build_model(
    locale: str = "en-US", *, products: Iterable[Product] | None = None, data_dir: Path = DATA_DIR
) -> dict[str, Any]:
    """The interaction model of one locale: {"interactionModel": {"languageModel", "dialog", "prompts"}}."""
    source = load_source(locale, data_dir)
    catalog = list(default_products() if products is None else products)
    intents: list[dict[str, Any]] = []
    dialog_intents: list[dict[str, Any]] = []
    prompts: list[dict[str, Any]] = []
    for intent_name, intent in source["intents"].items():
        slots = intent.get("slots") or {}
        entry: dict[str, Any] = {"name": intent_name, "samples": list(intent.get("samples") or [])}
        if slots:
            entry["slots"] = []
            for slot_name, slot in slots.items():
                slot_json: dict[str, Any] = {"name": slot_name, "type": slot["type"]}
                slot_json["samples"] = list(slot.get("samples") or [])
                entry["slots"].append(slot_json)
        intents.append(entry)
        dialog = _dialog_intent(intent_name, intent, prompts)
        if dialog:
            dialog_intents.append(dialog)
    types = [{"name": name, "values": _type_values(name, spec, catalog)} for name, spec in source["types"].items()]
    model: dict[str, Any] = {
        "languageModel": {"invocationName": source["invocationName"], "intents": intents, "types": types},
    }
    if dialog_intents:
        model["dialog"] = {"intents": dialog_intents, "delegationStrategy": DELEGATION}
        model["prompts"] = prompts
    return {"interactionModel": model}


def _dialog_intent(intent_name: str, intent: dict[str, Any], prompts: list[dict[str, Any]]) -> dict[str, Any] | None:
    slots = intent.get("slots") or {}
    has_rules = intent.get("confirm") or any(
        s.get("required") or s.get("confirm") or "minimum" in s or "maximum" in s for s in slots.values()
    )
    if not has_rules:
        return None
    out: dict[str, Any] = {"name": intent_name, "confirmationRequired": bool(intent.get("confirm")), "prompts": {}}
    if intent.get("confirm"):
        pid = f"Confirm.Intent.{intent_name}"
        prompts.append(_prompt(pid, intent["confirm"]))
        out["prompts"]["confirmation"] = pid
    out["slots"] = []
    for slot_name, slot in slots.items():
        entry: dict[str, Any] = {
            "name": slot_name,
            "type": slot["type"],
            "confirmationRequired": bool(slot.get("confirm")),
            "elicitationRequired": bool(slot.get("required")),
            "prompts": {},
        }
        if slot.get("required"):
            pid = f"Elicit.Slot.{intent_name}.{slot_name}"
            prompts.append(_prompt(pid, slot["elicit"]))
            entry["prompts"]["elicitation"] = pid
        if slot.get("confirm"):
            pid = f"Confirm.Slot.{intent_name}.{slot_name}"
            prompts.append(_prompt(pid, slot["confirm"]))
            entry["prompts"]["confirmation"] = pid
        validations = []
        for key, rule in (("minimum", "isGreaterThanOrEqualTo"), ("maximum", "isLessThanOrEqualTo")):
            if key in slot:
                pid = f"Slot.Validation.{intent_name}.{slot_name}.{key}"
                prompts.append(_prompt(pid, slot["invalid"]))
                validations.append({"type": rule, "prompt": pid, "value": str(slot[key])})
        if validations:
            entry["validations"] = validations
        out["slots"].append(entry)
    return out


MODEL_CACHE = "models"
# The code a built model depends on besides its data: a change to any of it builds the model again.
_BUILDER_CODE = ("intents/model.py", "intents/source.py", "intents/catalog_types.py", "intents/normalize.py")
_CATALOG_CODE = ("reorder/catalog.py", "reorder/domain/catalog.py", "reorder/synthetic_catalog.py")


def model_sources(locale: str, data_dir: Path = DATA_DIR) -> list[Path]:
    """Every file the shipped model of `locale` is built from: its YAML, the schema, the catalog, the code."""
    root = Path(__file__).resolve().parent.parent
    files = sorted((data_dir / locale).glob("*.yaml")) + [SCHEMA_PATH]
    files += [root / name for name in _BUILDER_CODE]
    # Found, not imported: a warm start does not pay for the catalog's parser.
    spec = importlib.util.find_spec("reorder.catalog")
    if spec is None or spec.origin is None:  # no catalog in this install: the model is built without one
        return files
    return files + [Path(spec.origin).parent / "data" / "catalog.json"] + [root / n for n in _CATALOG_CODE]


def built_model(locale: str = "en-US", data_dir: Path = DATA_DIR) -> dict[str, Any]:
    """The shipped model of `locale`: from the cache folder while its sources are unchanged, else built (which
    validates the sources) and saved. A damaged entry is built again and overwritten."""
    key = sources_key("interaction-model", locale, files=model_sources(locale, data_dir))
    saved = read_json(MODEL_CACHE, key)
    if isinstance(saved, dict) and isinstance(saved.get("interactionModel"), dict):
        return saved
    model = build_model(locale, data_dir=data_dir)
    write_json(MODEL_CACHE, key, model)
    return model


@lru_cache(maxsize=8)
def _cached_model(locale: str) -> str:
    return json.dumps(built_model(locale))


def load_model(locale: str = "en-US") -> dict[str, Any]:
    """The built Alexa interaction model of the voicecart skill for `locale` (a fresh copy each call)."""
    model: dict[str, Any] = json.loads(_cached_model(locale))  # parsed anew: a copy nobody else holds
    return model


def write_models(
    out_dir: str | Path, locales: Iterable[str] | None = None, products: Iterable[Product] | None = None
) -> list[Path]:
    """Write <out_dir>/<locale>.json for each locale (all with a source by default)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    catalog = list(default_products() if products is None else products)
    written = []
    for locale in locales or available_locales():
        path = out / f"{locale}.json"
        model = build_model(locale, products=catalog)
        path.write_text(json.dumps(model, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
