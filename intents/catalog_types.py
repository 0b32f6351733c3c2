"""Slot-type values generated from the catalog: what people call products, in Alexa's value format.

ProductName gets one value per kind ("diapers"), brand ("pampers") and product line
("pampers swaddlers"); the catalog's own synonyms attach to the line (or brand) they belong to.
A spoken form is used once in a type, so entity resolution never sees two values claim it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from intents.normalize import fold, stem

if TYPE_CHECKING:
    from reorder.domain.catalog import Product

MAX_VALUES_PER_TYPE = 10_000  # Alexa's published limit for one custom slot type
MAX_SYNONYMS_PER_VALUE = 100
MAX_VALUE_LENGTH = 140


def _spoken(text: str) -> str:
    """Lower case, no punctuation Alexa rejects in slot values ("Tear-A-Square" → "tear a square")."""
    text = fold(text).replace("&", " and ")
    return re.sub(r"\s+", " ", re.sub(r"[^\w' .]+", " ", text)).strip(" .")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", _spoken(text)).strip("_")


class _TypeBuilder:
    def __init__(self) -> None:
        self.values: dict[str, dict[str, Any]] = {}
        self.claimed: set[str] = set()

    def value(self, value_id: str, name: str) -> dict[str, Any] | None:
        name = _spoken(name)
        if not name or len(name) > MAX_VALUE_LENGTH:
            return None
        if value_id in self.values:
            return self.values[value_id]
        if name in self.claimed or len(self.values) >= MAX_VALUES_PER_TYPE:
            return None
        self.claimed.add(name)
        self.values[value_id] = {"id": value_id, "name": {"value": name, "synonyms": []}}
        return self.values[value_id]

    def synonym(self, value: dict[str, Any] | None, text: str) -> None:
        text = _spoken(text)
        syns = value["name"]["synonyms"] if value else None
        if syns is None or not text or text in self.claimed or len(syns) >= MAX_SYNONYMS_PER_VALUE:
            return
        if len(text) <= MAX_VALUE_LENGTH:
            self.claimed.add(text)
            syns.append(text)

    def build(self) -> list[dict[str, Any]]:
        out = []
        for v in self.values.values():
            if not v["name"]["synonyms"]:
                v = {"id": v["id"], "name": {"value": v["name"]["value"]}}
            out.append(v)
        return out


def product_name_values(products: Iterable[Product], base: Iterable[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """ProductName values: `base` (from the YAML) first, then kinds, brands and lines of the catalog."""
    products = [p for p in products if not p.discontinued]
    builder = _TypeBuilder()
    for item in base:
        v = builder.value(item.get("id") or _slug(item["value"]), item["value"])
        for syn in item.get("synonyms", ()):
            builder.synonym(v, syn)
    for p in products:
        kind = _spoken(p.kind)
        v = builder.value(f"kind.{_slug(kind)}", kind)
        singular = " ".join(stem(w) for w in kind.split())
        builder.synonym(v, singular)
    for p in products:
        brand = builder.value(f"brand.{_slug(p.brand)}", p.brand)
        builder.synonym(brand, f"{p.brand} {p.kind}")
    for p in products:
        if not p.line:
            continue
        line = builder.value(f"line.{_slug(p.brand)}.{_slug(p.line)}", f"{p.brand} {p.line}")
        builder.synonym(line, f"{p.brand} {p.line} {p.kind}")
        builder.synonym(line, f"{p.line} {p.kind}")
        builder.synonym(line, p.line)
    for p in products:
        owner_id = f"line.{_slug(p.brand)}.{_slug(p.line)}" if p.line else f"brand.{_slug(p.brand)}"
        owner = builder.values.get(owner_id)
        for syn in p.synonyms:
            builder.synonym(owner, syn)
    return builder.build()


def button_name_values(products: Iterable[Product], base: Iterable[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """ButtonName values: rooms from the YAML, plus the kinds people name buttons after ("diapers")."""
    builder = _TypeBuilder()
    for item in base:
        v = builder.value(item.get("id") or _slug(item["value"]), item["value"])
        for syn in item.get("synonyms", ()):
            builder.synonym(v, syn)
    for p in products:
        if not p.discontinued:
            kind = _spoken(p.kind)
            builder.value(f"kind.{_slug(kind)}", kind)
    return builder.build()
