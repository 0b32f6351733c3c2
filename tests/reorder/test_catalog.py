"""The shipped catalog, catalog files (JSON and CSV) and synthetic catalogs."""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from pathlib import Path

import pytest

from reorder.catalog import (
    CATEGORIES,
    FIELDS,
    CatalogError,
    load_catalog_file,
    load_default_catalog,
    parse_catalog_csv,
    parse_catalog_json,
    product_from_dict,
    product_to_dict,
    synthetic_catalog,
    write_catalog_file,
)
from reorder.data import build_catalog
from reorder.domain.catalog import Product

# What the packs say, written out again here so a slip in the generator's table cannot pass unnoticed.
PRINTED_DIAPER_WEIGHTS = {
    "newborn": (None, 10),
    "size 1": (8, 14),
    "size 2": (12, 18),
    "size 3": (16, 28),
    "size 4": (22, 37),
    "size 5": (27, None),
    "size 6": (35, None),
    "size 7": (41, None),
}


@pytest.fixture(scope="module")
def catalog() -> list[Product]:
    return load_default_catalog()


def by_id(catalog: list[Product]) -> dict[str, Product]:
    return {p.id: p for p in catalog}


# --- the shipped catalog ----------------------------------------------------------------------


def test_shipped_catalog_is_large_with_unique_ids(catalog):
    assert len(catalog) >= 300
    assert len({p.id for p in catalog}) == len(catalog)


def test_shipped_catalog_is_what_the_generator_builds():
    assert build_catalog.main(["--check"]) == 0


def test_load_default_catalog_hands_out_copies(catalog):
    mine = load_default_catalog()
    mine.clear()
    assert len(load_default_catalog()) == len(catalog)


def test_every_product_is_well_formed(catalog):
    for p in catalog:
        assert p.price_cents > 0, p.id
        assert p.pack_count >= 1, p.id
        assert p.category in CATEGORIES, p.id
        assert p.unit in {"pack", "box", "can", "bottle", "bag", "tub", "case", "tube"}, p.id
        assert p.brand and p.kind, p.id
        assert p.synonyms, p.id
        assert all(s == s.lower().strip() and s for s in p.synonyms), p.id
        assert p.id == p.id.lower() and " " not in p.id, p.id


def test_ids_are_readable_slugs(catalog):
    ids = by_id(catalog)
    assert ids["pampers-swaddlers-size-3-84"].variant == "size 3"
    assert ids["pampers-swaddlers-size-3-84"].pack_count == 84


def test_every_diaper_fits_the_weight_printed_for_its_size(catalog):
    diapers = [p for p in catalog if p.kind == "diapers"]
    assert len(diapers) > 100
    for p in diapers:
        assert p.variant in PRINTED_DIAPER_WEIGHTS, p.id
        assert (p.weight_min_lb, p.weight_max_lb) == PRINTED_DIAPER_WEIGHTS[p.variant], p.id


def test_bigger_diaper_sizes_come_in_fewer_per_pack(catalog):
    ids = by_id(catalog)
    assert ids["pampers-swaddlers-size-1-96"].pack_count > ids["pampers-swaddlers-size-6-56"].pack_count


def test_training_pants_have_toddler_sizes_and_weight_ranges(catalog):
    pants = [p for p in catalog if p.kind == "training pants"]
    assert {p.brand for p in pants} >= {"Pull-Ups", "Pampers"}
    for p in pants:
        assert p.variant.endswith("T"), p.id
        assert p.weight_min_lb is not None, p.id
        assert p.weight_max_lb is None or p.weight_max_lb > p.weight_min_lb, p.id


def test_diaper_brands_lines_and_overnights_are_there(catalog):
    lines = {(p.brand, p.line) for p in catalog if p.kind == "diapers"}
    for expected in [
        ("Pampers", "Swaddlers"),
        ("Pampers", "Cruisers"),
        ("Pampers", "Baby-Dry"),
        ("Pampers", "Pure"),
        ("Huggies", "Little Snugglers"),
        ("Huggies", "Little Movers"),
        ("Huggies", "Snug & Dry"),
        ("Huggies", "Special Delivery"),
        ("Huggies", "Overnites"),
    ]:
        assert expected in lines
    assert {"Luvs", "Honest", "Hello Bello", "Kirkland Signature", "Mama Bear"} <= {b for b, _ in lines}


def test_every_powder_formula_says_how_much_water_per_scoop(catalog):
    formula = [p for p in catalog if p.kind == "infant formula"]
    powders = [p for p in formula if p.extra.get("form") == "powder"]
    ready = [p for p in formula if p.extra.get("form") == "ready to feed"]
    assert len(powders) + len(ready) == len(formula)
    assert powders and ready
    for p in powders:
        assert "powder" in p.variant, p.id
        assert p.water_oz_per_scoop in (1.0, 2.0), p.id
    for p in ready:
        assert p.water_oz_per_scoop is None, p.id
    # Kendamil's scoop is made up with 1 fl oz of water, not the usual 2.
    assert all(p.water_oz_per_scoop == 1.0 for p in powders if p.brand == "Kendamil")
    assert all(p.water_oz_per_scoop == 2.0 for p in powders if p.brand == "Similac")


def test_only_diapers_and_training_pants_have_weights_and_only_formula_has_scoops(catalog):
    for p in catalog:
        if p.kind not in ("diapers", "training pants"):
            assert p.weight_min_lb is None and p.weight_max_lb is None, p.id
        if p.kind != "infant formula":
            assert p.water_oz_per_scoop is None, p.id


def test_household_staples_and_categories_are_covered(catalog):
    kinds = {p.kind for p in catalog}
    assert {
        "wipes",
        "paper towels",
        "toilet paper",
        "facial tissues",
        "laundry detergent",
        "laundry pods",
        "dish soap",
        "dishwasher pods",
        "trash bags",
        "coffee",
        "coffee pods",
        "batteries",
        "hand soap",
        "sponges",
        "aluminum foil",
        "storage bags",
        "dog food",
        "water filters",
        "toothpaste",
        "diaper cream",
        "pacifiers",
        "breast milk storage bags",
        "thermometer covers",
    } <= kinds
    assert {p.category for p in catalog} == CATEGORIES


def test_people_can_say_the_common_names(catalog):
    said = {s for p in catalog for s in p.synonyms}
    for phrase in ["pampers", "swaddlers", "diapers size three", "size 3 diapers", "bounty", "paper towels", "tp",
                   "k cups", "double a batteries", "tide pods", "formula"]:  # fmt: skip
        assert phrase in said, phrase


def test_a_few_products_are_discontinued(catalog):
    gone = [p for p in catalog if p.discontinued]
    assert 3 <= len(gone) <= 20
    assert any(p.kind == "diapers" for p in gone)


# --- one product to and from a dict -----------------------------------------------------------


def test_product_dict_round_trip_keeps_every_field(catalog):
    for p in catalog:
        d = product_to_dict(p)
        assert list(d) == list(FIELDS)
        json.dumps(d)  # JSON-ready
        again = product_from_dict(d)
        assert again == p and again.extra == p.extra


def test_minimal_product_gets_defaults():
    p = product_from_dict({"id": "acme-towels-6", "brand": "Acme", "kind": "paper towels", "category": "household"})
    assert (p.line, p.pack_count, p.unit, p.price_cents, p.synonyms) == ("", 1, "pack", 0, ())


# --- files: round trips -----------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".json", ".csv"])
def test_whole_catalog_round_trips_through_files(catalog, tmp_path, suffix):
    path = tmp_path / f"catalog{suffix}"
    write_catalog_file(catalog, path)
    loaded = load_catalog_file(path)
    assert loaded == catalog
    assert [p.extra for p in loaded] == [p.extra for p in catalog]


def test_csv_is_readable_in_a_spreadsheet(catalog, tmp_path):
    path = tmp_path / "catalog.csv"
    write_catalog_file(catalog[:1], path)
    header, row = path.read_text(encoding="utf-8").splitlines()
    assert header.split(",") == list(FIELDS)
    assert "pampers|swaddlers|" in row


def test_csv_with_byte_order_mark_blank_lines_and_few_columns_loads(tmp_path):
    path = tmp_path / "shop.csv"
    path.write_text(
        "\ufeffid,brand,kind,category,price_cents,synonyms,discontinued\n"
        "acme-tp-12,Acme,toilet paper,household,1299,tp | acme tp,no\n"
        "\n",
        encoding="utf-8",
    )
    [p] = load_catalog_file(path)
    assert (p.id, p.price_cents, p.synonyms, p.discontinued, p.line) == (
        "acme-tp-12",
        1299,
        ("tp", "acme tp"),
        False,
        "",
    )


def test_written_file_is_readable_like_any_other_and_keeps_its_mode(catalog, tmp_path):
    path = tmp_path / "catalog.json"
    write_catalog_file(catalog[:2], path)
    assert path.stat().st_mode & 0o777 == 0o644
    path.chmod(0o664)
    write_catalog_file(catalog[:3], path)
    assert path.stat().st_mode & 0o777 == 0o664
    assert len(path.read_text().splitlines()) == 5  # "[", one product per line, "]"


def test_empty_catalog_writes_an_empty_list_that_the_loader_refuses(tmp_path):
    path = tmp_path / "empty.json"
    write_catalog_file([], path)
    assert json.loads(path.read_text()) == []
    with pytest.raises(CatalogError, match="no products"):
        load_catalog_file(path)


def test_failed_write_leaves_the_old_file(tmp_path):
    path = tmp_path / "catalog.csv"
    good = product_from_dict({"id": "a", "brand": "A", "kind": "wipes", "category": "baby"})
    write_catalog_file([good], path)
    before = path.read_text()
    bad = product_from_dict({**product_to_dict(good), "id": "b", "synonyms": ["one|two"]})
    with pytest.raises(CatalogError, match=r"catalog\.csv.*synonyms.*'\|'"):
        write_catalog_file([good, bad], path)
    assert path.read_text() == before
    assert [f.name for f in tmp_path.iterdir()] == ["catalog.csv"]


# --- files: every validation error is clear ---------------------------------------------------

GOOD = {"id": "acme-wipes-72", "brand": "Acme", "line": "", "kind": "wipes", "category": "baby", "price_cents": 399}


def json_error(tmp_path: Path, items: object) -> str:
    path = tmp_path / "shop.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog_file(path)
    return str(caught.value)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"id": None}, r"item 1: field 'id': missing id"),
        ({"id": ""}, r"item 1: field 'id': missing id"),
        ({"id": "has spaces in it"}, r"item 1 \(id 'has spaces in it'\): field 'id': id .* letters, digits"),
        ({"brand": None}, r"field 'brand': missing brand"),
        ({"price_cents": -100}, r"\(id 'acme-wipes-9'\): field 'price_cents': negative price -100"),
        ({"price_cents": 3.99}, r"field 'price_cents': price must be a whole number, got 3.99"),
        ({"price_cents": True}, r"field 'price_cents': price must be a whole number"),
        ({"pack_count": 2.5}, r"field 'pack_count': pack count must be a whole number, got 2.5"),
        ({"pack_count": "12"}, r"field 'pack_count': pack count must be a whole number, got '12'"),
        ({"pack_count": 0}, r"field 'pack_count': pack count must be at least 1, got 0"),
        ({"category": "toys"}, r"field 'category': unknown category 'toys' \(one of: baby, household"),
        ({"colour": "blue"}, r"field 'colour': unknown field \(known fields: id, brand"),
        ({"synonyms": "acme"}, r"field 'synonyms': expected a list of phrases, got text"),
        ({"synonyms": ["ok", 3]}, r"field 'synonyms': phrase 2 is int, not text"),
        ({"water_oz_per_scoop": 0}, r"field 'water_oz_per_scoop': water per scoop must be more than 0"),
        ({"weight_min_lb": 30, "weight_max_lb": 20}, r"field 'weight_min_lb': weight range 30.0-20.0 lb"),
        ({"discontinued": "yes"}, r"field 'discontinued': expected true or false, got 'yes'"),
        ({"extra": {"form": 1}}, r"field 'extra': entry 'form' must map text to text"),
        ({"brand": "Acme\x00"}, r"field 'brand': text contains control characters"),
    ],
)
def test_json_errors_name_file_item_and_field(tmp_path, change, expected):
    item = {**GOOD, "id": "acme-wipes-9", **change}
    message = json_error(tmp_path, [GOOD, item])
    assert message.startswith(str(tmp_path / "shop.json") + ": item 1")
    assert re.search(expected, message), message


def test_duplicate_id_names_both_places(tmp_path):
    message = json_error(tmp_path, [GOOD, {**GOOD, "brand": "Other"}])
    assert "item 1 (id 'acme-wipes-72'): field 'id': duplicate id 'acme-wipes-72' (first used at item 0" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[", "not valid JSON"),
        ('{"products": []}', "expected a list of products at the top level, got an object"),
        ("[]", "no products in the catalog"),
        ('["acme"]', "item 0: expected an object with product fields, got text"),
        ("[" * 100_000 + "]" * 100_000, "not"),
        ('[{"id": "x", "brand": "A", "kind": "k", "category": "baby", "price_cents": NaN}]', "whole number"),
        ('[{"id": "x", "brand": "A", "kind": "k", "category": "baby", "weight_max_lb": Infinity}]', "finite"),
    ],
)
def test_broken_json_files_are_refused_clearly(text, expected):
    with pytest.raises(CatalogError, match=expected) as caught:
        parse_catalog_json(text, source="shop.json")
    assert str(caught.value).startswith("shop.json: ")


def csv_error(text: str) -> str:
    with pytest.raises(CatalogError) as caught:
        parse_catalog_csv(text, source="shop.csv")
    return str(caught.value)


HEADER = "id,brand,line,kind,category,pack_count,price_cents\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("a-1,Acme,,wipes,baby,72,399\nb-1,Acme,,wipes,baby,72.5,399\n",
         "shop.csv: line 3 (id 'b-1'): field 'pack_count': pack count must be a whole number, got '72.5'"),
        ("a-1,Acme,,wipes,baby,72,-399\n", "shop.csv: line 2 (id 'a-1'): field 'price_cents': negative price -399"),
        ("a-1,Acme,,wipes,baby,72,3.99\n", "field 'price_cents': price (in whole cents) must be a whole number"),
        (",Acme,,wipes,baby,72,399\n", "shop.csv: line 2: field 'id': missing id"),
        ("a-1,Acme,,wipes,baby,72,399\na-1,Acme,,wipes,baby,24,199\n",
         "shop.csv: line 3 (id 'a-1'): field 'id': duplicate id 'a-1' (first used at line 2 (id 'a-1'))"),
        ("a-1,Acme,,wipes,baby,72,399,extra\n", "line 2 (id 'a-1'): row has 8 cells but the header names 7"),
        ('a-1,Acme,,wipes,baby,72,"399\nb-1,Acme,,wipes,baby,72,399\n',
         "shop.csv: line 2: not valid CSV: unexpected end of data"),
        ('a-1,Acme,,wipes,baby,72,"39"9\n', "line 2: not valid CSV"),
        ("a-1,Acme,,wipes,baby,72,399\x00\n", "price (in whole cents) must be a whole number, got '399\\x00'"),
    ],
)  # fmt: skip
def test_csv_errors_name_file_line_and_field(body, expected):
    assert expected in csv_error(HEADER + body)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "shop.csv: empty file: expected a header row"),
        ("id,brand,kind,category,colour\n", "shop.csv: header: field 'colour': unknown column"),
        ("id,brand,kind,category,brand\n", "shop.csv: header: field 'brand': column appears twice"),
        ("id,brand,category\n", "shop.csv: header: missing column 'kind'"),
        ("id,brand,kind,category\n", "shop.csv: no products in the catalog"),
        ("id,brand,kind,category,extra\na,A,k,baby,form\n", "field 'extra': expected key=value pairs"),
        ("id,brand,kind,category,discontinued\na,A,k,baby,maybe\n", "field 'discontinued': expected true or false"),
        ("id,brand,kind,category,water_oz_per_scoop\na,A,k,baby,two\n", "'water_oz_per_scoop': expected a number"),
    ],
)  # fmt: skip
def test_broken_csv_headers_and_cells_are_refused_clearly(text, expected):
    assert expected in csv_error(text)


def test_file_level_errors(tmp_path):
    with pytest.raises(CatalogError, match=r"missing\.json: file not found"):
        load_catalog_file(tmp_path / "missing.json")
    with pytest.raises(CatalogError, match=r"catalog\.xlsx: unsupported file type '.xlsx': use .json or .csv"):
        load_catalog_file(tmp_path / "catalog.xlsx")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("id,brand,kind,category\nx,Caf\xe9,coffee,pantry\n".encode("latin-1"))
    with pytest.raises(CatalogError, match=r"latin1\.csv: not UTF-8 text"):
        load_catalog_file(latin1)
    with pytest.raises(CatalogError, match="unsupported file type"):
        write_catalog_file([], tmp_path / "catalog.txt")


def test_hostile_text_in_cells_is_an_error_not_a_crash():
    for cell in ["\x1b[31mred", "a" * 5000, "\u202e", "'; DROP TABLE products; --", "=cmd|' /C calc'!A0"]:
        out = io.StringIO()
        csv.writer(out).writerows([["id", "brand", "kind", "category"], ["x-1", cell, "wipes", "baby"]])
        text = out.getvalue()
        try:
            [p] = parse_catalog_csv(text, source="shop.csv")
        except CatalogError as exc:
            assert "shop.csv: line 2" in str(exc)
        else:
            assert p.brand == cell


# --- synthetic catalogs -----------------------------------------------------------------------


def test_synthetic_catalog_is_a_lazy_deterministic_generator():
    first = synthetic_catalog(1_000_000, seed=7)
    assert iter(first) is first  # nothing is built up front
    assert list(itertools.islice(first, 500)) == list(synthetic_catalog(500, seed=7))
    assert list(synthetic_catalog(200, seed=7)) != list(synthetic_catalog(200, seed=8))
    assert list(synthetic_catalog(0)) == []


def test_synthetic_ids_are_unique_and_never_collide_with_the_real_catalog(catalog):
    real_ids = {p.id for p in catalog}
    real_brands = {p.brand.lower() for p in catalog}
    ids: set[str] = set()
    for p in synthetic_catalog(100_000, seed=3):
        ids.add(p.id)
        assert p.brand.lower() not in real_brands
    assert len(ids) == 100_000
    assert not ids & real_ids


def test_synthetic_products_pass_the_loaders_rules():
    sample = list(synthetic_catalog(3_000, seed=1))
    assert {p.category for p in sample} == CATEGORIES
    for p in sample:
        assert product_from_dict(product_to_dict(p)) == p
        assert p.price_cents > 0
        if p.kind == "diapers":
            assert (p.weight_min_lb, p.weight_max_lb) == PRINTED_DIAPER_WEIGHTS[p.variant]
        if p.kind == "infant formula":
            assert p.water_oz_per_scoop == 2.0


@pytest.mark.parametrize("n", [-1, 10**9, 2.5, True])
def test_synthetic_catalog_refuses_impossible_sizes(n):
    with pytest.raises(ValueError, match="n must|at most"):
        synthetic_catalog(n)


def test_a_households_own_variant_and_the_nearest_sizes_come_first():
    from reorder.domain.catalog import Product, household_order, variant_rank

    def diapers(brand: str, variant: str) -> Product:
        return Product(f"{brand}-{variant}", brand, "", "diapers", "baby", variant=variant)

    assert [variant_rank(v) for v in ("newborn", "size 3", "Stage 2", "lavender")] == [0, 3, 2, None]
    offered = [diapers("huggies", f"size {n}") for n in (6, 5, 4, 3, 2)] + [diapers("huggies", "newborn")]
    wipes = Product("wipes-unscented", "huggies", "", "wipes", "baby", variant="unscented")
    ordered = household_order([wipes, *offered], [diapers("pampers", "size 3")])
    assert [p.variant for p in ordered] == ["size 3", "size 4", "size 2", "size 5", "size 6", "newborn", "unscented"]
    assert household_order(offered, []) == offered  # nothing bought: as the words ranked them
