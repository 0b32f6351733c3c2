"""Builds the shipped catalog, reorder/data/catalog.json, from the small tables in this file.

    python -m reorder.data.build_catalog            # rewrite catalog.json
    python -m reorder.data.build_catalog --check    # exit 1 if catalog.json is not what the tables give

The tables are the thing to review: brands, lines, sizes, pack counts and typical shelf prices in
dollars (turned into whole cents ending in .99 or .49). The output is deterministic, so a change to a
table shows up as a readable diff of catalog.json.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from reorder.catalog import catalog_to_json, parse_catalog_json
from reorder.domain.catalog import Product

CATALOG_PATH = Path(__file__).with_name("catalog.json")

# ---------------------------------------------------------------------------------------------
# Spoken forms

_NUMBER_WORDS = {
    "1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six", "7": "seven", "8": "eight",
    "9": "nine", "10": "ten", "12": "twelve",
}  # fmt: skip


def spoken(text: str) -> str:
    """How a phrase comes out of speech recognition: lower case, "and" for "&", no punctuation."""
    text = text.lower().replace("&", " and ").replace("+", " plus ")
    text = re.sub(r"['’]", "", text)  # Dunkin' -> dunkin, Peet's -> peets
    text = re.sub(r"[^a-z0-9.]+", " ", text)
    text = re.sub(r"(?<![0-9])\.|\.(?![0-9])", " ", text)  # A.R. -> a r, but keep 20.6
    return " ".join(text.split())


def slug(*parts: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", spoken(" ".join(p for p in parts if p))).strip("-")


def price(dollars: float) -> int:
    """A shelf price in cents: $x.99 above ten dollars, $x.49 or $x.99 below."""
    if dollars >= 10:
        return round(dollars) * 100 - 1
    return max(99, round(dollars * 2) * 50 - 1)


def about(qualifier: str, kind: str) -> str:
    """ "swaddlers diapers", but not "storage storage bags" or "20.6 oz powder infant formula"."""
    words = spoken(qualifier).split()
    if not words or set(words) & set(kind.split()) or any(ch.isdigit() for ch in qualifier) and len(words) > 2:
        return ""
    return f"{qualifier} {kind}"


def unique(phrases: Iterable[str]) -> tuple[str, ...]:
    seen: list[str] = []
    for phrase in phrases:
        phrase = spoken(phrase)
        if phrase and phrase not in seen:
            seen.append(phrase)
    return tuple(seen)


# ---------------------------------------------------------------------------------------------
# Diapers and training pants

# Size -> (min lb, max lb); None means "up to" (newborn) or "and up" (5 and above), as printed on packs.
DIAPER_WEIGHTS: dict[str, tuple[float | None, float | None]] = {
    "newborn": (None, 10.0),
    "1": (8.0, 14.0),
    "2": (12.0, 18.0),
    "3": (16.0, 28.0),
    "4": (22.0, 37.0),
    "5": (27.0, None),
    "6": (35.0, None),
    "7": (41.0, None),
}
DIAPER_SIZES = tuple(DIAPER_WEIGHTS)

# Typical counts per size for a small (jumbo), medium (super) and large (one-month supply) pack.
DIAPER_PACKS: dict[str, dict[str, int]] = {
    "small": {"newborn": 32, "1": 35, "2": 32, "3": 28, "4": 23, "5": 21, "6": 19, "7": 17},
    "medium": {"newborn": 84, "1": 96, "2": 84, "3": 84, "4": 74, "5": 66, "6": 56, "7": 44},
    "large": {"newborn": 140, "1": 198, "2": 186, "3": 168, "4": 150, "5": 132, "6": 114, "7": 88},
}
# Bigger diapers cost more each; bigger packs cost less each.
SIZE_PRICE_FACTOR = {"newborn": 0.85, "1": 0.85, "2": 0.9, "3": 1.0, "4": 1.1, "5": 1.25, "6": 1.4, "7": 1.6}
PACK_PRICE_FACTOR = {"small": 1.12, "medium": 1.0, "large": 0.88}

# (brand, line, first size, last size, pack tiers, dollars per size-3 diaper in a medium pack, discontinued)
DIAPER_LINES: tuple[tuple[str, str, str, str, tuple[str, ...], float, bool], ...] = (
    ("Pampers", "Swaddlers", "newborn", "7", ("small", "medium", "large"), 0.31, False),
    ("Pampers", "Cruisers", "3", "7", ("medium", "large"), 0.33, False),
    ("Pampers", "Baby-Dry", "newborn", "7", ("medium", "large"), 0.22, False),
    ("Pampers", "Pure", "newborn", "6", ("small", "medium"), 0.40, False),
    ("Huggies", "Little Snugglers", "newborn", "6", ("small", "medium", "large"), 0.31, False),
    ("Huggies", "Little Movers", "3", "7", ("small", "medium", "large"), 0.32, False),
    ("Huggies", "Snug & Dry", "newborn", "6", ("medium", "large"), 0.20, False),
    ("Huggies", "Special Delivery", "newborn", "6", ("small", "medium"), 0.45, False),
    ("Luvs", "", "newborn", "6", ("medium", "large"), 0.16, False),
    ("Honest", "Clean Conscious", "newborn", "7", ("small", "medium"), 0.38, False),
    ("Hello Bello", "", "newborn", "6", ("medium",), 0.28, False),
    ("Kirkland Signature", "", "1", "6", ("large",), 0.21, False),
    ("Mama Bear", "Gentle Touch", "newborn", "6", ("medium", "large"), 0.18, False),
    # Renamed lines a parent may still have a button bound to.
    ("Luvs", "Ultra Leakguards", "3", "4", ("large",), 0.15, True),
)
OVERNIGHT_LINES = (
    ("Pampers", "Swaddlers Overnights", 0.40),
    ("Huggies", "Overnites", 0.38),
)
# Brands people say differently from how they are printed.
BRAND_SPOKEN = {
    "Kirkland Signature": ("kirkland", "kirkland signature"),
    "A+D": ("a and d",),
    "Dr. Brown's": ("dr browns", "doctor browns"),
    "Dr. Talbot's": ("dr talbots", "doctor talbots"),
    "Dr. Elsey's": ("dr elseys", "doctor elseys"),
}


def _size_words(size: str) -> tuple[str, str]:
    """("size 3", "size three"), or ("newborn", "newborn") for newborn diapers."""
    if size == "newborn":
        return "newborn", "newborn"
    return f"size {size}", f"size {_NUMBER_WORDS[size]}"


def _brand_names(brand: str) -> tuple[str, ...]:
    return BRAND_SPOKEN.get(brand, (brand,))


def _diaper_synonyms(brand: str, line: str, size: str, extra: Iterable[str] = ()) -> tuple[str, ...]:
    digits, words = _size_words(size)
    phrases = [*_brand_names(brand)]
    if line:
        phrases += [line, f"{brand} {line}", f"{line} diapers"]
    for name in _brand_names(brand):
        phrases.append(f"{name} diapers")
    for say in (digits, words):
        phrases += [f"{say} diapers", f"diapers {say}"]
        phrases += [f"{name} {say}" for name in _brand_names(brand)]
        if line:
            phrases += [f"{line} {say}", f"{brand} {line} {say}"]
    phrases += extra
    return unique(phrases)


def _diaper(brand: str, line: str, size: str, count: int, dollars: float, *, discontinued: bool = False,
            kind: str = "diapers", synonyms: Iterable[str] = ()) -> Product:  # fmt: skip
    low, high = DIAPER_WEIGHTS[size]
    variant = _size_words(size)[0]
    return Product(
        id=slug(brand, line, variant, str(count)),
        brand=brand,
        line=line,
        kind=kind,
        category="baby",
        variant=variant,
        pack_count=count,
        unit="pack",
        price_cents=price(dollars),
        synonyms=_diaper_synonyms(brand, line, size, synonyms),
        weight_min_lb=low,
        weight_max_lb=high,
        discontinued=discontinued,
        extra={"size": size},
    )


def diapers() -> Iterator[Product]:
    for brand, line, first, last, tiers, each, discontinued in DIAPER_LINES:
        sizes = DIAPER_SIZES[DIAPER_SIZES.index(first) : DIAPER_SIZES.index(last) + 1]
        for size in sizes:
            for tier in tiers:
                count = DIAPER_PACKS[tier][size]
                dollars = count * each * SIZE_PRICE_FACTOR[size] * PACK_PRICE_FACTOR[tier]
                yield _diaper(brand, line, size, count, dollars, discontinued=discontinued)
    for brand, line, each in OVERNIGHT_LINES:
        for size in ("3", "4", "5", "6", "7"):
            count = DIAPER_PACKS["small"][size] + 4
            dollars = count * each * SIZE_PRICE_FACTOR[size]
            extra = ("overnight diapers", "overnights", "night time diapers", f"{brand} overnight diapers",
                     f"overnight diapers {_size_words(size)[1]}")  # fmt: skip
            yield _diaper(brand, line, size, count, dollars, synonyms=extra)


# Training pants fit by weight too, but are sold in toddler sizes: (size, min lb, max lb, small, large).
TRAINING_PANTS: tuple[tuple[str, str, float, tuple[tuple[str, float, float | None, int, int], ...]], ...] = (
    ("Pull-Ups", "Learning Designs", 0.38, (
        ("2T-3T", 18.0, 34.0, 25, 74), ("3T-4T", 32.0, 40.0, 22, 66), ("4T-5T", 38.0, 50.0, 20, 60))),
    ("Pull-Ups", "Night-Time", 0.42, (
        ("2T-3T", 18.0, 34.0, 23, 60), ("3T-4T", 32.0, 40.0, 20, 54), ("4T-5T", 38.0, 50.0, 17, 48))),
    ("Pampers", "Easy Ups", 0.36, (
        ("2T-3T", 16.0, 34.0, 25, 74), ("3T-4T", 30.0, 40.0, 22, 66), ("4T-5T", 37.0, None, 20, 60),
        ("5T-6T", 41.0, None, 18, 56))),
)  # fmt: skip
_TODDLER_WORDS = {"2T-3T": "two t three t", "3T-4T": "three t four t", "4T-5T": "four t five t",
                  "5T-6T": "five t six t"}  # fmt: skip


def training_pants() -> Iterator[Product]:
    for brand, line, each, sizes in TRAINING_PANTS:
        for size, low, high, small, large in sizes:
            for count, factor in ((small, 1.12), (large, 0.9)):
                words = _TODDLER_WORDS[size]
                yield Product(
                    id=slug(brand, line, size, str(count)),
                    brand=brand,
                    line=line,
                    kind="training pants",
                    category="baby",
                    variant=size,
                    pack_count=count,
                    unit="pack",
                    price_cents=price(count * each * factor),
                    synonyms=unique(
                        [
                            brand,
                            f"{brand} {line}",
                            "pull ups",
                            "pullups",
                            "potty training pants",
                            f"{brand} {size}",
                            f"{brand} {words}",
                            f"training pants {words}",
                            f"{line} {brand}",
                            *(["easy ups", "pampers pull ups"] if line == "Easy Ups" else []),
                            *(["night time pull ups", "overnight pull ups"] if line == "Night-Time" else []),
                        ]
                    ),  # fmt: skip
                    weight_min_lb=low,
                    weight_max_lb=high,
                    extra={"size": size},
                )


# ---------------------------------------------------------------------------------------------
# Wipes

# (brand, line, wipes per pack, [packs in one order], dollars per wipe, spoken extras)
WIPES: tuple[tuple[str, str, int, tuple[int, ...], float, tuple[str, ...]], ...] = (
    ("Pampers", "Sensitive", 56, (1, 6, 12), 0.036, ("pampers sensitive wipes",)),
    ("Pampers", "Aqua Pure", 56, (2, 6), 0.045, ()),
    ("Pampers", "Complete Clean", 72, (3, 8), 0.028, ("scented wipes",)),
    ("Huggies", "Natural Care Sensitive", 56, (3, 12), 0.033, ("huggies natural care", "natural care wipes")),
    ("Huggies", "Simply Clean", 64, (3, 11), 0.025, ()),
    ("WaterWipes", "", 60, (1, 4, 9, 12), 0.07, ("water wipes",)),
    ("Honest", "", 72, (1, 4, 10), 0.055, ("honest wipes",)),
    ("Hello Bello", "", 80, (3,), 0.04, ()),
    ("Kirkland Signature", "", 100, (9,), 0.025, ("kirkland wipes", "costco wipes")),
    ("Mama Bear", "Sensitive", 72, (4, 10), 0.026, ()),
)


def wipes() -> Iterator[Product]:
    for brand, line, per_pack, packs, each, extras in WIPES:
        for packs_in_order in packs:
            count = per_pack * packs_in_order
            variant = "1 pack" if packs_in_order == 1 else f"{packs_in_order} packs of {per_pack}"
            yield Product(
                id=slug(brand, line, "wipes", str(count)),
                brand=brand,
                line=line,
                kind="wipes",
                category="baby",
                variant=variant,
                pack_count=count,
                unit="pack",
                price_cents=price(count * each * (0.92 if packs_in_order >= 6 else 1.0)),
                synonyms=unique(
                    [
                        *_brand_names(brand),
                        "wipes",
                        "baby wipes",
                        *(f"{name} wipes" for name in _brand_names(brand)),
                        *([line, f"{line} wipes", f"{brand} {line}"] if line else []),
                        *extras,
                    ]
                ),  # fmt: skip
            )


# ---------------------------------------------------------------------------------------------
# Infant formula

# (brand, line, fl oz of water per unpacked level scoop, [(oz, container)], dollars per oz, spoken extras,
#  discontinued). Almost every US powder is 1 scoop to 2 fl oz; Kendamil's smaller scoop is 1 to 1 fl oz.
FORMULA_POWDERS: tuple[tuple[str, str, float, tuple[tuple[float, str], ...], float, tuple[str, ...], bool], ...] = (
    ("Similac", "Pro-Advance", 2.0, ((12.4, "can"), (20.6, "can"), (30.8, "tub")), 1.78, ("pro advance",), False),
    ("Similac", "360 Total Care", 2.0, ((20.6, "can"), (30.8, "tub")), 1.95,
     ("similac three sixty", "three sixty total care", "similac 360"), False),
    ("Similac", "Sensitive", 2.0, ((12.5, "can"), (20.1, "can"), (29.8, "tub")), 1.75,
     ("similac sensitive",), False),
    ("Similac", "Advance", 2.0, ((23.2, "can"),), 1.5, ("similac advance",), True),
    ("Enfamil", "NeuroPro", 2.0, ((20.7, "tub"), (31.4, "tub")), 2.0, ("neuro pro", "enfamil neuro pro"), False),
    ("Enfamil", "Gentlease", 2.0, ((12.4, "can"), (19.9, "tub"), (27.7, "tub")), 1.85,
     ("gentlease", "gentle ease"), False),
    ("Enfamil", "A.R.", 2.0, ((12.9, "can"), (19.5, "tub")), 2.05,
     ("enfamil ar", "enfamil a r", "anti reflux formula", "spit up formula"), False),
    ("Enfamil", "Premium Infant", 2.0, ((23.4, "can"),), 1.55, ("enfamil premium",), True),
    ("Gerber", "Good Start GentlePro", 2.0, ((12.7, "can"), (20.0, "tub"), (32.0, "tub")), 1.6,
     ("good start", "gerber good start", "gentle pro"), False),
    ("Gerber", "Good Start SoothePro", 2.0, ((12.4, "can"), (19.4, "tub"), (30.6, "tub")), 1.7,
     ("soothe pro", "gerber soothe pro"), False),
    ("Kendamil", "Classic", 1.0, ((28.2, "can"),), 1.6, ("kendamil classic", "kendamil formula"), False),
    ("Kendamil", "Organic", 1.0, ((28.2, "can"),), 1.8, ("kendamil organic",), False),
    ("Bobbie", "Organic", 2.0, ((14.0, "can"),), 2.1, ("bobbie formula", "bobbie organic"), False),
    ("Bobbie", "Organic Gentle", 2.0, ((14.0, "can"),), 2.2, ("bobbie gentle",), False),
    ("Kirkland Signature", "ProCare", 2.0, ((42.0, "tub"),), 0.73, ("kirkland formula", "costco formula"), False),
    ("Parent's Choice", "Advantage", 2.0, ((35.0, "tub"),), 0.8,
     ("parents choice formula", "store brand formula", "walmart formula"), False),
    ("Mama Bear", "Infant Formula", 2.0, ((35.0, "tub"),), 0.83, ("mama bear formula", "store brand formula"), False),
)  # fmt: skip
# Ready-to-feed comes mixed: (brand, line, variant, pack count, unit, dollars, spoken extras).
FORMULA_READY_TO_FEED = (
    ("Similac", "Pro-Advance", "ready to feed 2 fl oz bottles", 48, "case", 64.0, ("nipple ready bottles",)),
    ("Similac", "Pro-Advance", "ready to feed 32 fl oz bottles", 6, "case", 62.0, ()),
    ("Similac", "360 Total Care", "ready to feed 32 fl oz bottles", 6, "case", 68.0, ()),
    ("Similac", "Sensitive", "ready to feed 32 fl oz bottle", 1, "bottle", 11.0, ()),
    ("Enfamil", "NeuroPro", "ready to feed 2 fl oz bottles", 6, "pack", 9.5, ("nipple ready bottles",)),
    ("Enfamil", "NeuroPro", "ready to feed 32 fl oz bottles", 6, "case", 70.0, ()),
    ("Gerber", "Good Start GentlePro", "ready to feed 32 fl oz bottles", 6, "case", 60.0, ()),
)


def _formula_synonyms(brand: str, line: str, extras: Iterable[str]) -> list[str]:
    return [
        *_brand_names(brand), f"{brand} formula", f"{brand} {line}", about(line, "formula"), "formula",
        "baby formula", "infant formula", *extras,
    ]  # fmt: skip


def formula() -> Iterator[Product]:
    for brand, line, water, sizes, per_oz, extras, discontinued in FORMULA_POWDERS:
        for ounces, container in sizes:
            variant = f"{ounces:g} oz powder"
            yield Product(
                id=slug(brand, line, variant),
                brand=brand,
                line=line,
                kind="infant formula",
                category="baby",
                variant=variant,
                pack_count=1,
                unit=container,
                price_cents=price(ounces * per_oz * (0.93 if ounces >= 28 else 1.0)),
                synonyms=unique([*_formula_synonyms(brand, line, extras), f"{brand} powder", "powdered formula"]),
                water_oz_per_scoop=water,
                discontinued=discontinued,
                extra={"form": "powder"},
            )
        if brand == "Bobbie" and line == "Organic":
            # Bobbie is mostly bought as a subscription box of four cans.
            yield Product(
                id=slug(brand, line, "14 oz powder", "4"),
                brand=brand,
                line=line,
                kind="infant formula",
                category="baby",
                variant="14 oz powder",
                pack_count=4,
                unit="case",
                price_cents=price(4 * 14.0 * per_oz * 0.95),
                synonyms=unique([*_formula_synonyms(brand, line, extras), "bobbie four pack"]),
                water_oz_per_scoop=water,
                extra={"form": "powder"},
            )
    for brand, line, variant, count, unit, dollars, extras in FORMULA_READY_TO_FEED:
        yield Product(
            id=slug(brand, line, variant, str(count)),
            brand=brand,
            line=line,
            kind="infant formula",
            category="baby",
            variant=variant,
            pack_count=count,
            unit=unit,
            price_cents=price(dollars),
            synonyms=unique(
                [
                    *_formula_synonyms(brand, line, extras),
                    "ready to feed formula",
                    f"{brand} ready to feed",
                    "liquid formula",
                ]
            ),  # fmt: skip
            water_oz_per_scoop=None,  # ready to feed: nothing to mix
            extra={"form": "ready to feed"},
        )


# ---------------------------------------------------------------------------------------------
# Everything else: one row per product

# kind -> (category, what people call it besides the kind)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "diaper cream": ("baby", ("diaper rash cream", "butt paste", "rash cream")),
    "baby wash": ("baby", ("baby shampoo", "baby soap", "baby bath")),
    "baby lotion": ("baby", ("lotion",)),
    "baby bottles": ("baby", ("bottles", "feeding bottles")),
    "bottle nipples": ("baby", ("nipples", "bottle teats")),
    "pacifiers": ("baby", ("binkies", "binky", "dummies", "soothers")),
    "breast milk storage bags": ("baby", ("milk storage bags", "breast milk bags", "milk bags")),
    "baby food pouches": ("baby", ("baby food", "food pouches", "pouches")),
    "teething relief": ("baby", ("teether", "teething toy", "teething gel")),
    "thermometer covers": ("baby", ("thermometer lens filters", "lens filters", "probe covers")),
    "paper towels": ("household", ("towels", "kitchen roll", "kitchen towels")),
    "toilet paper": ("household", ("tp", "bath tissue", "toilet tissue", "toilet rolls")),
    "facial tissues": ("household", ("tissues", "kleenex", "tissue boxes")),
    "laundry detergent": ("household", ("detergent", "laundry soap", "washing liquid")),
    "laundry pods": ("household", ("detergent pods", "laundry pacs", "washing pods")),
    "dish soap": ("household", ("dishwashing liquid", "washing up liquid", "dish liquid")),
    "dishwasher pods": ("household", ("dishwasher tabs", "dishwasher tablets", "dishwasher detergent")),
    "trash bags": ("household", ("garbage bags", "bin bags", "trash can liners", "bin liners")),
    "batteries": ("household", ()),
    "sponges": ("household", ("kitchen sponges", "scrub sponges")),
    "aluminum foil": ("household", ("tin foil", "foil", "kitchen foil")),
    "storage bags": ("household", ("zip bags", "ziploc bags", "zipper bags", "zip lock bags")),
    "water filters": ("household", ("filters", "pitcher filters", "water filter cartridges")),
    "coffee": ("pantry", ()),
    "coffee pods": ("pantry", ("k cups", "kcups", "coffee k cups", "pods")),
    "hand soap": ("personal care", ("soap", "liquid hand soap", "hand wash")),
    "toothpaste": ("personal care", ("tooth paste",)),
    "dog food": ("pet", ("dry dog food", "dog kibble", "kibble")),
    "cat food": ("pet", ("wet cat food", "cat food cans")),
    "cat litter": ("pet", ("litter", "kitty litter")),
    "dog treats": ("pet", ("treats", "dog biscuits")),
}

# (brand, line, kind, variant, pack count, unit, dollars, spoken extras, discontinued)
Row = tuple[str, str, str, str, int, str, float, tuple[str, ...], bool]


def _rows(kind: str, unit: str, rows: Iterable[tuple[Any, ...]]) -> list[Row]:
    """Rows written as (brand, line, variant, count, dollars[, extras[, discontinued]]) for one kind."""
    out: list[Row] = []
    for row in rows:
        brand, line, variant, count, dollars, *rest = row
        extras = rest[0] if rest else ()
        discontinued = rest[1] if len(rest) > 1 else False
        out.append((brand, line, kind, variant, count, unit, dollars, extras, discontinued))
    return out


BABY_CARE: list[Row] = [
    *_rows(
        "diaper cream",
        "tube",
        (
            ("Desitin", "Maximum Strength", "4.8 oz paste", 1, 9.49, ("desitin", "desitin max")),
            ("Desitin", "Daily Defense", "4 oz cream", 1, 6.99, ("desitin daily",)),
            ("Boudreaux's", "Butt Paste", "4 oz", 1, 8.49, ("boudreauxs", "boudreaux")),
            ("A+D", "Original", "4 oz ointment", 1, 6.49, ("a and d", "a and d ointment")),
            ("Triple Paste", "", "2 oz", 1, 9.99, ()),
        ),
    ),
    *_rows(
        "diaper cream",
        "tub",
        (
            ("Aquaphor", "Baby Healing Ointment", "14 oz", 1, 16.99, ("aquaphor", "aquaphor baby")),
            ("Triple Paste", "", "16 oz", 1, 36.99, ()),
        ),
    ),
    *_rows(
        "baby wash",
        "bottle",
        (
            ("Johnson's", "Head-to-Toe", "27.1 fl oz", 1, 10.99, ("johnsons baby wash", "head to toe wash")),
            ("Aveeno Baby", "Daily Moisture Wash & Shampoo", "18 fl oz", 1, 9.99, ("aveeno baby wash",)),
            ("Cetaphil Baby", "Wash & Shampoo", "13.5 fl oz", 1, 9.49, ("cetaphil baby wash",)),
            ("Dove Baby", "Rich Moisture Wash", "20 fl oz", 1, 8.49, ("dove baby wash",)),
        ),
    ),
    *_rows(
        "baby lotion",
        "bottle",
        (
            ("Aveeno Baby", "Daily Moisture Lotion", "18 fl oz", 1, 10.99, ("aveeno baby lotion",)),
            ("Johnson's", "Baby Lotion", "27.1 fl oz", 1, 9.99, ("johnsons lotion",)),
            ("Cetaphil Baby", "Daily Lotion", "13.5 fl oz", 1, 9.99, ("cetaphil baby lotion",)),
        ),
    ),
    *_rows(
        "baby bottles",
        "pack",
        (
            ("Dr. Brown's", "Options+ Anti-Colic", "8 oz", 4, 27.99, ("dr browns bottles", "anti colic bottles")),
            ("Dr. Brown's", "Options+ Anti-Colic", "4 oz", 3, 19.99, ("dr browns bottles",)),
            ("Philips Avent", "Natural", "9 oz", 3, 21.99, ("avent bottles",)),
            ("Comotomo", "", "8 oz", 2, 25.99, ("comotomo bottles",)),
            ("Tommee Tippee", "Closer to Nature", "9 oz", 4, 19.99, ("tommee tippee bottles",)),
        ),
    ),
    *_rows(
        "bottle nipples",
        "pack",
        (
            ("Dr. Brown's", "Options+", "level 1", 6, 11.99, ("dr browns nipples", "level one nipples")),
            ("Dr. Brown's", "Options+", "level 2", 6, 11.99, ("dr browns nipples", "level two nipples")),
            ("Dr. Brown's", "Options+", "level 3", 6, 11.99, ("dr browns nipples", "level three nipples")),
            ("Philips Avent", "Natural", "flow 2", 2, 7.99, ("avent nipples",)),
            ("Philips Avent", "Natural", "flow 3", 2, 7.99, ("avent nipples",)),
        ),
    ),
    *_rows(
        "pacifiers",
        "pack",
        (
            ("Philips Avent", "Soothie", "0-3 months", 2, 5.99, ("soothie", "hospital pacifier")),
            ("Philips Avent", "Soothie", "3+ months", 2, 5.99, ("soothie",)),
            ("MAM", "Air", "0-6 months", 2, 8.99, ("mam pacifiers", "mam binky")),
            ("MAM", "Air", "6-16 months", 2, 8.99, ("mam pacifiers",)),
            ("Nuk", "Comfy Orthodontic", "0-6 months", 5, 9.99, ("nuk pacifiers",)),
        ),
    ),
    *_rows(
        "breast milk storage bags",
        "box",
        (
            ("Lansinoh", "", "6 oz", 100, 13.99, ("lansinoh bags",)),
            ("Lansinoh", "", "6 oz", 50, 8.49, ("lansinoh bags",)),
            ("Medela", "", "6 oz", 50, 11.99, ("medela bags",)),
            ("Kiinde", "Twist", "6 oz", 80, 17.99, ()),
        ),
    ),
    *_rows(
        "baby food pouches",
        "pack",
        (
            ("Happy Baby", "Organics", "stage 2 pears kale and spinach", 16, 27.99, ("happy baby pouches",)),
            ("Plum Organics", "", "stage 2 apple and carrot", 6, 10.49, ("plum pouches",)),
            ("Gerber", "Natural for Baby", "2nd foods banana mango", 12, 16.99, ("gerber pouches",)),
            ("Once Upon a Farm", "", "strawberry beet berry", 8, 22.99, ("once upon a farm pouches",)),
            ("Ella's Kitchen", "", "stage 1 sweet potatoes", 7, 13.99, ("ellas kitchen",)),
        ),
    ),
    *_rows(
        "teething relief",
        "pack",
        (
            ("Sophie la girafe", "", "teether", 1, 25.99, ("sophie the giraffe", "sophie giraffe")),
            ("Nuby", "Ice Gel", "teether keys", 1, 4.99, ("nuby teether",)),
            ("Dr. Talbot's", "", "teething wand", 2, 7.99, ()),
            # Benzocaine teething gels for infants were withdrawn after the FDA's 2018 warning.
            ("Baby Orajel", "", "teething gel 0.33 oz", 1, 6.99, ("orajel", "baby orajel"), True),
            ("Hyland's", "Baby", "teething tablets", 135, 9.49, ("hylands teething tablets",), True),
        ),
    ),
    *_rows(
        "thermometer covers",
        "box",
        (
            ("Braun", "ThermoScan", "lens filters", 21, 8.49, ("braun lens filters", "thermoscan covers")),
            ("Braun", "ThermoScan", "lens filters", 40, 13.99, ("braun lens filters", "thermoscan covers")),
            ("Vicks", "SpeedRead", "probe covers", 100, 7.99, ("vicks thermometer covers",)),
        ),
    ),
]

HOUSEHOLD: list[Row] = [
    *_rows(
        "paper towels",
        "pack",
        (
            ("Bounty", "Select-A-Size", "double plus rolls", 6, 16.99, ("bounty", "bounty paper towels")),
            ("Bounty", "Select-A-Size", "double plus rolls", 12, 31.99, ("bounty", "bounty paper towels")),
            ("Bounty", "Select-A-Size", "triple rolls", 8, 28.99, ("bounty",)),
            ("Bounty", "Full Sheet", "double rolls", 6, 13.99, ("bounty",)),
            ("Viva", "Multi-Surface Cloth", "big rolls", 6, 13.49, ("viva", "viva paper towels")),
            ("Viva", "Multi-Surface Cloth", "big rolls", 12, 24.99, ("viva",)),
            ("Brawny", "Tear-A-Square", "XL rolls", 6, 14.99, ("brawny", "brawny paper towels")),
            ("Brawny", "Tear-A-Square", "XL rolls", 12, 27.49, ("brawny",)),
            ("Kirkland Signature", "Create-A-Size", "rolls", 12, 23.99, ("kirkland paper towels",)),
        ),
    ),
    *_rows(
        "toilet paper",
        "pack",
        (
            ("Charmin", "Ultra Soft", "mega rolls", 6, 11.99, ("charmin", "charmin soft")),
            ("Charmin", "Ultra Soft", "mega rolls", 12, 21.99, ("charmin", "charmin soft")),
            ("Charmin", "Ultra Soft", "mega rolls", 18, 31.99, ("charmin", "charmin soft")),
            ("Charmin", "Ultra Strong", "mega rolls", 12, 21.99, ("charmin", "charmin strong")),
            ("Charmin", "Ultra Strong", "mega rolls", 18, 31.99, ("charmin", "charmin strong")),
            ("Charmin", "Essentials Soft", "mega rolls", 12, 15.99, ("charmin essentials",)),
            ("Cottonelle", "Ultra Comfort", "mega rolls", 12, 19.99, ("cottonelle",)),
            ("Cottonelle", "Ultra Clean", "family mega rolls", 24, 35.99, ("cottonelle",)),
            ("Scott", "1000", "rolls", 12, 11.99, ("scott", "scott tissue", "scott one thousand")),
            ("Scott", "1000", "rolls", 36, 32.99, ("scott", "scott one thousand")),
            ("Scott", "ComfortPlus", "double rolls", 12, 10.99, ("scott comfort plus",)),
            ("Quilted Northern", "Ultra Plush", "mega rolls", 12, 19.49, ("quilted northern",)),
            ("Quilted Northern", "Ultra Soft & Strong", "mega rolls", 18, 26.99, ("quilted northern",)),
            ("Angel Soft", "", "mega rolls", 12, 12.99, ("angel soft",)),
            ("Kirkland Signature", "Bath Tissue", "rolls", 30, 26.99, ("kirkland toilet paper", "costco tp")),
        ),
    ),
    *_rows(
        "facial tissues",
        "pack",
        (
            ("Kleenex", "Ultra Soft", "4 cube boxes of 60", 4, 8.49, ()),
            ("Kleenex", "Trusted Care", "8 flat boxes of 144", 8, 15.99, ()),
            ("Puffs", "Plus Lotion", "4 cube boxes of 52", 4, 7.99, ("puffs", "puffs plus", "lotion tissues")),
            ("Puffs", "Ultra Soft", "6 family boxes of 124", 6, 12.99, ("puffs",)),
        ),
    ),
    *_rows(
        "laundry detergent",
        "bottle",
        (
            ("Tide", "Original", "92 fl oz, 64 loads", 1, 15.99, ("tide", "tide liquid", "tide original")),
            ("Tide", "Original", "146 fl oz, 107 loads", 1, 24.99, ("tide", "tide liquid")),
            ("Tide", "Free & Gentle", "92 fl oz, 64 loads", 1, 15.99, ("tide free", "tide free and gentle")),
            ("Gain", "Original", "88 fl oz, 64 loads", 1, 13.99, ("gain", "gain liquid")),
            ("Persil", "ProClean Original", "82.5 fl oz, 55 loads", 1, 14.99, ("persil", "persil liquid")),
            ("All", "Free Clear", "88 fl oz, 58 loads", 1, 11.99, ("all free clear", "all free and clear")),
            ("Seventh Generation", "Free & Clear", "100 fl oz, 66 loads", 1, 16.99, ("seventh generation",)),
        ),
    ),
    *_rows(
        "laundry pods",
        "tub",
        (
            ("Tide", "Pods", "original", 42, 13.99, ("tide pods",)),
            ("Tide", "Pods", "original", 81, 24.99, ("tide pods",)),
            ("Tide", "Pods", "original", 72, 19.99, ("tide pods",), True),  # the old 72 count tub
            ("Tide", "Pods", "free & gentle", 81, 24.99, ("tide pods free", "free and gentle pods")),
            ("Gain", "Flings", "original", 42, 13.99, ("gain flings", "flings")),
            ("Persil", "Discs", "original", 62, 19.99, ("persil discs",)),
            ("All", "Mighty Pacs", "free clear", 56, 16.99, ("all mighty pacs", "all pods")),
        ),
    ),
    *_rows(
        "dish soap",
        "bottle",
        (
            ("Dawn", "Ultra Original", "19.4 fl oz", 1, 3.99, ("dawn", "dawn dish soap")),
            ("Dawn", "Ultra Original", "56 fl oz refill", 1, 8.99, ("dawn", "dawn refill")),
            ("Dawn", "Platinum Powerwash", "16 fl oz spray", 1, 4.99, ("dawn powerwash", "dawn spray")),
            ("Palmolive", "Ultra Original", "20 fl oz", 1, 2.99, ("palmolive",)),
            ("Seventh Generation", "Free & Clear", "19 fl oz", 1, 3.99, ("seventh generation dish soap",)),
            ("Mrs. Meyer's", "Lemon Verbena", "16 fl oz", 1, 4.49, ("mrs meyers dish soap",)),
        ),
    ),
    *_rows(
        "dishwasher pods",
        "tub",
        (
            ("Cascade", "Platinum Plus ActionPacs", "fresh", 62, 22.99, ("cascade", "cascade platinum")),
            ("Cascade", "Complete ActionPacs", "fresh", 78, 19.99, ("cascade", "cascade complete")),
            ("Finish", "Quantum", "regular", 64, 19.99, ("finish", "finish quantum")),
            ("Finish", "Powerball All in 1", "fresh", 94, 19.99, ("finish", "finish powerball")),
            ("Seventh Generation", "Free & Clear", "packs", 45, 12.99, ("seventh generation dishwasher",)),
        ),
    ),
    *_rows(
        "trash bags",
        "box",
        (
            ("Glad", "ForceFlex Tall Kitchen", "13 gallon", 80, 15.99, ("glad", "kitchen bags", "13 gallon bags")),
            ("Glad", "ForceFlex Tall Kitchen", "13 gallon", 110, 19.99, ("glad", "kitchen bags", "13 gallon bags")),
            ("Glad", "Large Drawstring", "30 gallon", 28, 10.99, ("glad", "large trash bags", "30 gallon bags")),
            ("Glad", "Small Kitchen", "4 gallon", 26, 4.99, ("glad", "small trash bags", "bathroom bags")),
            ("Hefty", "Ultra Strong Tall Kitchen", "13 gallon", 80, 15.49, ("hefty", "kitchen bags")),
            ("Hefty", "Strong Large", "30 gallon", 40, 12.99, ("hefty", "large trash bags")),
            ("Hefty", "Strong Large", "33 gallon", 40, 14.49, ("hefty", "33 gallon bags")),
        ),
    ),
    *_rows(
        "batteries",
        "pack",
        (
            (
                "Duracell",
                "Coppertop",
                "AA",
                20,
                19.99,
                ("duracell", "double a batteries", "aa batteries", "duracell double a"),
            ),
            ("Duracell", "Coppertop", "AA", 8, 9.99, ("duracell", "double a batteries", "aa batteries")),
            (
                "Duracell",
                "Coppertop",
                "AAA",
                20,
                19.99,
                ("duracell", "triple a batteries", "aaa batteries", "duracell triple a"),
            ),
            ("Duracell", "Coppertop", "9V", 2, 9.99, ("duracell", "nine volt batteries", "9 volt batteries")),
            ("Duracell", "Coppertop", "C", 4, 8.99, ("duracell", "c batteries")),
            ("Duracell", "Coppertop", "D", 4, 8.99, ("duracell", "d batteries")),
            (
                "Energizer",
                "MAX",
                "AA",
                24,
                19.99,
                ("energizer", "double a batteries", "aa batteries", "energizer double a"),
            ),
            (
                "Energizer",
                "MAX",
                "AAA",
                24,
                19.99,
                ("energizer", "triple a batteries", "aaa batteries", "energizer triple a"),
            ),
            ("Energizer", "MAX", "9V", 4, 16.99, ("energizer", "nine volt batteries")),
            ("Energizer", "MAX", "C", 8, 15.99, ("energizer", "c batteries")),
            ("Energizer", "MAX", "D", 8, 15.99, ("energizer", "d batteries")),
        ),
    ),
    *_rows(
        "sponges",
        "pack",
        (
            ("Scotch-Brite", "Heavy Duty Scrub", "sponges", 6, 6.99, ("scotch brite", "scrub sponges")),
            ("Scotch-Brite", "Non-Scratch Scrub", "sponges", 9, 9.49, ("scotch brite", "non scratch sponges")),
            ("O-Cedar", "Scrunge", "scrub sponges", 6, 5.99, ("o cedar sponges",)),
        ),
    ),
    *_rows(
        "aluminum foil",
        "box",
        (
            ("Reynolds Wrap", "Standard", "75 sq ft", 1, 5.49, ("reynolds", "reynolds wrap")),
            ("Reynolds Wrap", "Standard", "200 sq ft", 1, 12.99, ("reynolds", "reynolds wrap")),
            ("Reynolds Wrap", "Heavy Duty", "50 sq ft", 1, 5.99, ("heavy duty foil",)),
        ),
    ),
    *_rows(
        "storage bags",
        "box",
        (
            ("Ziploc", "", "gallon", 38, 7.49, ("gallon bags", "gallon ziploc bags")),
            ("Ziploc", "", "quart", 48, 6.99, ("quart bags", "quart ziploc bags")),
            ("Ziploc", "Freezer", "gallon", 28, 6.99, ("freezer bags", "gallon freezer bags")),
            ("Ziploc", "", "sandwich", 90, 5.49, ("sandwich bags", "ziploc sandwich bags")),
            ("Glad", "Zipper", "gallon", 40, 5.99, ("glad zipper bags",)),
        ),
    ),
    *_rows(
        "water filters",
        "pack",
        (
            ("Brita", "Standard", "pitcher filters", 3, 16.99, ("brita", "brita filters")),
            ("Brita", "Standard", "pitcher filters", 6, 29.99, ("brita", "brita filters")),
            ("Brita", "Elite", "pitcher filters", 2, 24.99, ("brita elite", "brita longlast")),
            ("PUR", "Pitcher", "filters", 3, 19.99, ("pur", "pur filters")),
            ("PUR", "Plus", "pitcher filters", 2, 17.99, ("pur plus",)),
        ),
    ),
]

PANTRY: list[Row] = [
    *_rows(
        "coffee",
        "bag",
        (
            ("Starbucks", "Pike Place Roast", "medium roast ground 12 oz", 1, 9.99, ("starbucks", "pike place")),
            ("Starbucks", "Pike Place Roast", "medium roast whole bean 18 oz", 1, 14.99, ("starbucks", "pike place")),
            ("Starbucks", "French Roast", "dark roast whole bean 18 oz", 1, 14.99, ("starbucks", "french roast")),
            ("Starbucks", "Veranda Blend", "blonde roast ground 12 oz", 1, 9.99, ("starbucks", "veranda")),
            ("Dunkin'", "Original Blend", "medium roast ground 12 oz", 1, 8.99, ("dunkin", "dunkin donuts coffee")),
            ("Peet's", "Major Dickason's Blend", "dark roast whole bean 18 oz", 1, 15.99, ("peets", "major dickasons")),
            ("Peet's", "Big Bang", "medium roast ground 10.5 oz", 1, 9.99, ("peets", "big bang")),
            (
                "Lavazza",
                "Super Crema",
                "medium espresso whole bean 2.2 lb",
                1,
                21.99,
                ("lavazza", "super crema", "espresso beans"),
            ),
            ("Lavazza", "Classico", "medium roast ground 20 oz", 1, 12.99, ("lavazza", "lavazza classico")),
        ),
    ),
    *_rows(
        "coffee",
        "can",
        (
            ("Folgers", "Classic Roast", "medium roast ground 30.5 oz", 1, 13.99, ("folgers", "folgers classic")),
            ("Folgers", "Black Silk", "dark roast ground 24.2 oz", 1, 12.99, ("folgers", "black silk")),
            ("Dunkin'", "Original Blend", "medium roast ground 30 oz", 1, 17.99, ("dunkin", "dunkin canister")),
        ),
    ),
    *_rows(
        "coffee pods",
        "box",
        (
            ("Starbucks", "Pike Place Roast", "K-Cup pods", 22, 17.99, ("starbucks k cups", "pike place k cups")),
            ("Starbucks", "Veranda Blend", "K-Cup pods", 22, 17.99, ("starbucks k cups", "veranda k cups")),
            ("Folgers", "Classic Roast", "K-Cup pods", 48, 27.99, ("folgers k cups",)),
            ("Dunkin'", "Original Blend", "K-Cup pods", 22, 16.99, ("dunkin k cups",)),
            ("Peet's", "Major Dickason's Blend", "K-Cup pods", 22, 17.99, ("peets k cups",)),
            ("Green Mountain", "Breakfast Blend", "K-Cup pods", 24, 16.99, ("green mountain k cups",)),
        ),
    ),
]

PERSONAL_CARE: list[Row] = [
    *_rows(
        "hand soap",
        "bottle",
        (
            ("Softsoap", "Soothing Aloe Vera", "7.5 fl oz pump", 1, 2.49, ("softsoap",)),
            ("Softsoap", "Soothing Aloe Vera", "50 fl oz refill", 1, 7.99, ("softsoap refill",)),
            ("Method", "Sea Minerals", "12 fl oz pump", 1, 4.49, ("method soap",)),
            ("Dial", "Gold Antibacterial", "7.5 fl oz pump", 1, 2.49, ("dial", "dial soap")),
            ("Mrs. Meyer's", "Lavender", "12.5 fl oz pump", 1, 4.99, ("mrs meyers", "mrs meyers soap")),
        ),
    ),
    *_rows(
        "toothpaste",
        "tube",
        (
            ("Crest", "Pro-Health", "clean mint 4.6 oz", 1, 5.49, ("crest",)),
            ("Crest", "3D White", "arctic fresh 3.8 oz", 1, 5.99, ("crest whitening",)),
            ("Colgate", "Total", "whitening 5.1 oz", 1, 5.99, ("colgate", "colgate total")),
            ("Colgate", "Optic White", "stain fighter 4.2 oz", 1, 4.99, ("colgate whitening",)),
            ("Sensodyne", "Pronamel", "fresh wave 4 oz", 1, 7.49, ("sensodyne", "sensitive toothpaste")),
            ("Tom's of Maine", "Whole Care", "spearmint 4 oz", 1, 5.99, ("toms toothpaste",)),
        ),
    ),
    *_rows(
        "toothpaste",
        "pack",
        (
            ("Crest", "Pro-Health", "clean mint 4.6 oz", 3, 13.99, ("crest",)),
            ("Colgate", "Total", "whitening 5.1 oz", 4, 17.99, ("colgate",)),
        ),
    ),
]

PET: list[Row] = [
    *_rows(
        "dog food",
        "bag",
        (
            ("Purina Pro Plan", "Adult", "chicken and rice 35 lb", 1, 72.99, ("pro plan", "purina dog food")),
            ("Purina Pro Plan", "Adult", "chicken and rice 18 lb", 1, 44.99, ("pro plan", "purina dog food")),
            ("Purina ONE", "+Plus Adult", "lamb and rice 31.1 lb", 1, 52.99, ("purina one",)),
            (
                "Blue Buffalo",
                "Life Protection Formula",
                "chicken and brown rice 30 lb",
                1,
                64.99,
                ("blue buffalo", "blue dog food"),
            ),
            ("Pedigree", "Complete Nutrition", "roasted chicken 30 lb", 1, 29.99, ("pedigree",)),
        ),
    ),
    *_rows(
        "cat food",
        "case",
        (
            ("Fancy Feast", "Classic Pate", "variety pack 3 oz cans", 24, 21.99, ("fancy feast",)),
            ("Friskies", "Pate", "variety pack 5.5 oz cans", 32, 27.99, ("friskies",)),
        ),
    ),
    *_rows("cat food", "bag", (("Purina Cat Chow", "Complete", "chicken 15 lb", 1, 22.99, ("cat chow",)),)),
    *_rows(
        "cat litter",
        "bag",
        (
            ("Tidy Cats", "Lightweight Clumping", "24/7 performance 17 lb", 1, 17.99, ("tidy cats",)),
            ("Fresh Step", "Clumping", "unscented 25 lb", 1, 18.99, ("fresh step",)),
            ("Dr. Elsey's", "Ultra", "unscented 40 lb", 1, 23.99, ("dr elseys",)),
        ),
    ),
    *_rows(
        "dog treats",
        "box",
        (
            ("Milk-Bone", "Original", "medium biscuits 24 oz", 1, 6.99, ("milk bone", "milk bones")),
            ("Greenies", "Original", "regular dental treats 27 oz", 1, 36.99, ("greenies",)),
        ),
    ),
]


def other_products() -> Iterator[Product]:
    for brand, line, kind, variant, count, unit, dollars, extras, discontinued in (
        *BABY_CARE,
        *HOUSEHOLD,
        *PANTRY,
        *PERSONAL_CARE,
        *PET,
    ):
        category, kind_names = KINDS[kind]
        yield Product(
            id=slug(brand, line, variant, str(count) if count > 1 else ""),
            brand=brand,
            line=line,
            kind=kind,
            category=category,
            variant=variant,
            pack_count=count,
            unit=unit,
            price_cents=price(dollars),
            synonyms=unique(
                [
                    *_brand_names(brand),
                    *(f"{name} {kind}" for name in _brand_names(brand)),
                    *([about(line, kind), f"{brand} {line}"] if line else []),
                    about(variant, kind),
                    kind,
                    *kind_names,
                    *extras,
                ]
            ),  # fmt: skip
            discontinued=discontinued,
        )


# ---------------------------------------------------------------------------------------------


def build() -> list[Product]:
    products = [*diapers(), *training_pants(), *wipes(), *formula(), *other_products()]
    seen: set[str] = set()
    for p in products:
        if p.id in seen:
            raise ValueError(f"two products would share the id {p.id!r}: make a table row more specific")
        seen.add(p.id)
    return products


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build reorder/data/catalog.json from the tables in this script.")
    parser.add_argument("--check", action="store_true", help="only check that catalog.json is up to date")
    parser.add_argument("--output", type=Path, default=CATALOG_PATH, help="where to write (default: %(default)s)")
    args = parser.parse_args(argv)
    text = catalog_to_json(build())
    parse_catalog_json(text, source="generated catalog")  # the loader's rules apply to our own data too
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date: run python -m reorder.data.build_catalog", file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {len(build())} products to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
