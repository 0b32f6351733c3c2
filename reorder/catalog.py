"""The product catalog as data: the shipped catalog, custom catalog files, and synthetic catalogs.

A catalog file is JSON (a list of objects whose keys are `Product`'s fields) or CSV (a header row of
`Product` field names; `synonyms` joined by "|", `extra` as "key=value" pairs joined by "|").
Loading is strict: the first problem stops the load with a `CatalogError` naming the file, the
item (JSON index or CSV line, plus the product id when known) and the field, so a retailer fixing a
spreadsheet knows exactly where to look. Nothing is half-loaded.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import math
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import fields
from importlib import resources
from pathlib import Path
from typing import IO, Any

from reorder.domain.catalog import Product
from reorder.synthetic_catalog import synthetic_catalog

__all__ = [
    "CATEGORIES",
    "FIELDS",
    "CatalogError",
    "load_catalog_file",
    "load_default_catalog",
    "parse_catalog_csv",
    "parse_catalog_json",
    "product_from_dict",
    "product_to_dict",
    "synthetic_catalog",
    "write_catalog_file",
]

FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Product))
CATEGORIES: frozenset[str] = frozenset({"baby", "household", "pantry", "pet", "personal care"})
# `line` may be left out: many brands sell one line. Everything else without a default is required.
REQUIRED_FIELDS: tuple[str, ...] = ("id", "brand", "kind", "category")

# Ids end up in URLs, button bindings and logs, so they stay short and free of spaces and punctuation.
_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
_LIST_SEPARATOR = "|"
_TEXT_FIELDS = ("id", "brand", "line", "kind", "category", "variant", "unit")
_WEIGHT_FIELDS = ("weight_min_lb", "weight_max_lb")
_MAX_TEXT = 200


class CatalogError(ValueError):
    """A catalog that cannot be loaded, with where the problem is: file, item and field."""

    def __init__(
        self, problem: str, *, field: str | None = None, path: str | None = None, where: str | None = None
    ) -> None:
        self.problem = problem
        self.field = field
        self.path = path
        self.where = where
        super().__init__(self._message())

    def _message(self) -> str:
        parts = [p for p in (self.path, self.where) if p]
        if self.field:
            parts.append(f"field {self.field!r}")
        parts.append(self.problem)
        return ": ".join(parts)

    def located(self, *, path: str | None = None, where: str | None = None) -> CatalogError:
        return CatalogError(self.problem, field=self.field, path=path or self.path, where=where or self.where)


# ---------------------------------------------------------------------------------------------
# One product <-> one plain dict


def product_to_dict(p: Product) -> dict[str, Any]:
    """All of `Product`'s fields, in declaration order, as JSON-ready values."""
    d: dict[str, Any] = {}
    for name in FIELDS:
        value = getattr(p, name)
        if name == "synonyms":
            value = list(value)
        elif name == "extra":
            value = dict(value)
        d[name] = value
    return d


def product_from_dict(d: Mapping[str, Any]) -> Product:
    """A validated `Product` from a mapping of its fields; raises `CatalogError` naming the bad field."""
    if not isinstance(d, Mapping):
        raise CatalogError(f"expected an object with product fields, got {_type_name(d)}")
    unknown = [k for k in d if k not in FIELDS]
    if unknown:
        raise CatalogError(f"unknown field (known fields: {', '.join(FIELDS)})", field=_shorten(str(unknown[0])))
    for name in REQUIRED_FIELDS:
        if d.get(name) in (None, ""):
            raise CatalogError(f"missing {name}", field=name)

    values: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        if name in d and d[name] is not None:
            values[name] = _text(d[name], name)
    _check_id(values["id"])
    if values["category"] not in CATEGORIES:
        raise CatalogError(
            f"unknown category {values['category']!r} (one of: {', '.join(sorted(CATEGORIES))})",
            field="category",
        )
    values.setdefault("line", "")
    if "unit" in values and not values["unit"]:
        raise CatalogError("unit must not be empty", field="unit")

    if d.get("pack_count") is not None:
        values["pack_count"] = _whole_number(d["pack_count"], "pack_count", "pack count", minimum=1)
    if d.get("price_cents") is not None:
        values["price_cents"] = _whole_number(d["price_cents"], "price_cents", "price", minimum=0)
    if d.get("synonyms") is not None:
        values["synonyms"] = _synonyms(d["synonyms"])
    if d.get("water_oz_per_scoop") is not None:
        water = _number(d["water_oz_per_scoop"], "water_oz_per_scoop")
        if water <= 0:
            raise CatalogError(f"water per scoop must be more than 0 fl oz, got {water}", field="water_oz_per_scoop")
        values["water_oz_per_scoop"] = water
    for name in _WEIGHT_FIELDS:
        if d.get(name) is not None:
            weight = _number(d[name], name)
            if weight < 0:
                raise CatalogError(f"negative weight {weight} lb", field=name)
            values[name] = weight
    low, high = values.get("weight_min_lb"), values.get("weight_max_lb")
    if low is not None and high is not None and low > high:
        raise CatalogError(f"weight range {low}-{high} lb has its minimum above its maximum", field="weight_min_lb")
    if d.get("discontinued") is not None:
        if not isinstance(d["discontinued"], bool):
            raise CatalogError(f"expected true or false, got {_shorten(repr(d['discontinued']))}", field="discontinued")
        values["discontinued"] = d["discontinued"]
    if d.get("extra") is not None:
        values["extra"] = _extra(d["extra"])
    return Product(**values)


def _type_name(value: object) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(value), type(value).__name__
    )


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise CatalogError(f"expected text, got {_type_name(value)}", field=name)
    text = value.strip()
    if len(text) > _MAX_TEXT:
        raise CatalogError(f"text longer than {_MAX_TEXT} characters", field=name)
    if _CONTROL_CHARS.search(text):
        raise CatalogError("text contains control characters", field=name)
    return text


def _check_id(product_id: str) -> None:
    if not _ID_PATTERN.fullmatch(product_id):
        raise CatalogError(
            f"id {_shorten(product_id)!r} must be 1-128 letters, digits, '.', '_' or '-' and start with "
            "a letter or digit",
            field="id",
        )


def _whole_number(value: Any, name: str, what: str, *, minimum: int) -> int:
    # bool is an int in Python; a "true" price is a spreadsheet accident, not one cent.
    if isinstance(value, bool) or not isinstance(value, int):
        raise CatalogError(f"{what} must be a whole number, got {_shorten(repr(value))}", field=name)
    if value < minimum:
        problem = f"negative {what} {value}" if value < 0 else f"{what} must be at least {minimum}, got {value}"
        raise CatalogError(problem, field=name)
    if name == "price_cents" and value > 100_000_00:
        raise CatalogError(f"price {value} cents is over $100,000; prices are in cents", field=name)
    return value


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CatalogError(f"expected a number, got {_shorten(repr(value))}", field=name)
    number = float(value)
    if not math.isfinite(number):
        raise CatalogError(f"expected a finite number, got {value}", field=name)
    return number


def _synonyms(value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise CatalogError(f"expected a list of phrases, got {_type_name(value)}", field="synonyms")
    phrases: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise CatalogError(f"phrase {i + 1} is {_type_name(item)}, not text", field="synonyms")
        phrase = item.strip()
        if not phrase:
            raise CatalogError(f"phrase {i + 1} is empty", field="synonyms")
        if len(phrase) > _MAX_TEXT or _CONTROL_CHARS.search(phrase):
            raise CatalogError(f"phrase {i + 1} is too long or contains control characters", field="synonyms")
        if phrase not in phrases:
            phrases.append(phrase)
    return tuple(phrases)


def _extra(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise CatalogError(f"expected an object of text values, got {_type_name(value)}", field="extra")
    extra: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(key, str) or not key.strip() or not isinstance(item, str):
            raise CatalogError(f"entry {_shorten(repr(key))} must map text to text", field="extra")
        extra[key.strip()] = item
    return extra


# ---------------------------------------------------------------------------------------------
# Whole catalogs: text and files


def parse_catalog_json(text: str, *, source: str = "<json>") -> list[Product]:
    """Products from JSON text holding a list of product objects."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogError(
            f"not valid JSON: {exc.msg}", path=source, where=f"line {exc.lineno} column {exc.colno}"
        ) from None
    except RecursionError:
        raise CatalogError("not a catalog: JSON nested too deeply", path=source) from None
    if not isinstance(data, list):
        raise CatalogError(f"expected a list of products at the top level, got {_type_name(data)}", path=source)
    items = (
        (_label(f"item {i}", item.get("id") if isinstance(item, dict) else None), item) for i, item in enumerate(data)
    )
    return _collect(items, source)


def parse_catalog_csv(text: str, *, source: str = "<csv>") -> list[Product]:
    """Products from CSV text whose header row names `Product` fields."""
    # strict: an unclosed quote must be an error, not a cell that silently swallows the rest of the file.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise CatalogError(f"not valid CSV: {exc}", path=source, where="line 1") from None
    if header is None or not any(cell.strip() for cell in header):
        raise CatalogError("empty file: expected a header row of product field names", path=source)
    columns = [cell.strip() for cell in header]
    for name in columns:
        if name not in FIELDS:
            raise CatalogError(
                f"unknown column (known columns: {', '.join(FIELDS)})",
                field=_shorten(name),
                path=source,
                where="header",
            )
        if columns.count(name) > 1:
            raise CatalogError("column appears twice", field=name, path=source, where="header")
    for name in REQUIRED_FIELDS:
        if name not in columns:
            raise CatalogError(f"missing column {name!r}", path=source, where="header")
    return _collect(_csv_rows(reader, columns, source), source)


def _csv_rows(reader: Any, columns: list[str], source: str) -> Iterable[tuple[str, Any]]:
    id_column = columns.index("id")
    while True:
        where = f"line {reader.line_num + 1}"
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise CatalogError(f"not valid CSV: {exc}", path=source, where=where) from None
        id_cell = cells[id_column] if len(cells) > id_column else None
        where = _label(f"line {reader.line_num}", id_cell)
        if not any(cell.strip() for cell in cells):
            continue  # blank lines are common at the end of exported spreadsheets
        if len(cells) > len(columns):
            yield where, CatalogError(f"row has {len(cells)} cells but the header names {len(columns)} columns")
            continue
        try:
            yield where, _csv_cells_to_dict(dict(zip(columns, cells, strict=False)))
        except CatalogError as exc:
            yield where, exc


def _csv_cells_to_dict(cells: dict[str, str]) -> dict[str, Any]:
    """Turns CSV text cells into the typed values `product_from_dict` expects; empty cells are defaults."""
    d: dict[str, Any] = {}
    for name, raw in cells.items():
        cell = raw.strip()
        if name == "line":
            d[name] = cell
            continue
        if cell == "":
            continue
        if name in ("pack_count", "price_cents"):
            if not re.fullmatch(r"-?\d+", cell):
                what = "pack count" if name == "pack_count" else "price (in whole cents)"
                raise CatalogError(f"{what} must be a whole number, got {_shorten(cell)!r}", field=name)
            d[name] = int(cell)
        elif name in ("water_oz_per_scoop", *_WEIGHT_FIELDS):
            try:
                d[name] = float(cell)
            except ValueError:
                raise CatalogError(f"expected a number, got {_shorten(cell)!r}", field=name) from None
        elif name == "discontinued":
            flag = cell.lower()
            if flag not in ("true", "false", "yes", "no", "1", "0"):
                raise CatalogError(f"expected true or false, got {_shorten(cell)!r}", field=name)
            d[name] = flag in ("true", "yes", "1")
        elif name == "synonyms":
            d[name] = [s for s in (part.strip() for part in cell.split(_LIST_SEPARATOR)) if s]
        elif name == "extra":
            extra: dict[str, str] = {}
            for pair in cell.split(_LIST_SEPARATOR):
                key, sep, value = pair.partition("=")
                if not sep or not key.strip():
                    raise CatalogError(f"expected key=value pairs separated by '|', got {_shorten(pair)!r}", field=name)
                extra[key.strip()] = value.strip()
            d[name] = extra
        else:
            d[name] = cell
    return d


def _label(where: str, product_id: Any) -> str:
    """ "line 4 (id 'pampers-swaddlers-size-3-84')": the id helps find the row in a sorted spreadsheet."""
    if isinstance(product_id, str) and product_id.strip():
        return f"{where} (id {_shorten(product_id.strip())!r})"
    return where


def _collect(items: Iterable[tuple[str, Any]], source: str) -> list[Product]:
    products: list[Product] = []
    first_seen: dict[str, str] = {}
    for where, item in items:
        if isinstance(item, CatalogError):
            raise item.located(path=source, where=where)
        try:
            product = product_from_dict(item)
        except CatalogError as exc:
            raise exc.located(path=source, where=where) from None
        if product.id in first_seen:
            raise CatalogError(
                f"duplicate id {product.id!r} (first used at {first_seen[product.id]})",
                field="id",
                path=source,
                where=where,
            )
        first_seen[product.id] = where
        products.append(product)
    if not products:
        raise CatalogError("no products in the catalog", path=source)
    return products


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".json", ".csv"):
        raise CatalogError(f"unsupported file type {suffix or '(none)'!r}: use .json or .csv", path=str(path))
    return suffix[1:]


def load_catalog_file(path: str | Path) -> list[Product]:
    """Products from a .json or .csv catalog file, validated; raises `CatalogError` on the first problem."""
    path = Path(path)
    fmt = _format_of(path)
    try:
        # utf-8-sig: spreadsheet programs put a byte-order mark in front of exported CSV.
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CatalogError("file not found", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise CatalogError(f"not UTF-8 text (byte {exc.start})", path=str(path)) from None
    except OSError as exc:
        raise CatalogError(f"cannot read file: {exc.strerror}", path=str(path)) from None
    parse = parse_catalog_json if fmt == "json" else parse_catalog_csv
    return parse(text, source=str(path))


def catalog_to_json(products: Iterable[Product]) -> str:
    out = io.StringIO()
    _write_json(products, out)
    return out.getvalue()


def catalog_to_csv(products: Iterable[Product]) -> str:
    out = io.StringIO(newline="")
    _write_csv(products, out)
    return out.getvalue()


def _write_json(products: Iterable[Product], out: IO[str]) -> None:
    """A JSON list with one product per line: a diff of the catalog shows whole products, `grep ID` finds one,
    and a million are written one at a time instead of sitting in memory."""
    first = True
    for p in products:
        out.write(("[\n" if first else ",\n") + json.dumps(product_to_dict(p), ensure_ascii=False))
        first = False
    out.write("[]\n" if first else "\n]\n")


def _write_csv(products: Iterable[Product], out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for p in products:
        writer.writerow([_csv_cell(p, name) for name in FIELDS])


def _csv_cell(p: Product, name: str) -> str:
    value = getattr(p, name)
    if value is None:
        return ""
    if name == "synonyms":
        for phrase in value:
            if _LIST_SEPARATOR in phrase:
                raise CatalogError(f"phrase {phrase!r} contains '|', which CSV uses to separate phrases", field=name)
        return _LIST_SEPARATOR.join(value)
    if name == "extra":
        for key, item in value.items():
            if _LIST_SEPARATOR in key + item or "=" in key:
                raise CatalogError(f"entry {key!r} cannot be written to CSV ('|' or '=' inside)", field=name)
        return _LIST_SEPARATOR.join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_catalog_file(products: Iterable[Product], path: str | Path) -> None:
    """Writes products as JSON or CSV, chosen by the file suffix; the file is replaced only when complete."""
    path = Path(path)
    fmt = _format_of(path)
    write = _write_json if fmt == "json" else _write_csv
    # Write beside the target and rename, so a failure never leaves a half-written catalog behind.
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise CatalogError(f"cannot write here: {exc.strerror}", path=str(path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            write(products, f)
        # mkstemp makes owner-only files; a catalog keeps the mode of the file it replaces, else rw-r--r--.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except CatalogError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise exc.located(path=str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------------------------------------
# The shipped catalog


@functools.cache
def _default_catalog() -> tuple[Product, ...]:
    text = resources.files("reorder.data").joinpath("catalog.json").read_text(encoding="utf-8")
    return tuple(parse_catalog_json(text, source="reorder/data/catalog.json"))


def load_default_catalog() -> list[Product]:
    """The catalog shipped with voicecart (reorder/data/catalog.json), parsed once per process."""
    return list(_default_catalog())
