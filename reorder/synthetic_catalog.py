"""Large made-up catalogs for benchmarks: realistic shapes, pronounceable invented brands, stable ids.

Product number i is decoded in mixed radix (brand, line, variant, pack), so every id is distinct by
construction and product i is the same for a given seed however many products are asked for. Brand
names are three consonant-vowel syllables ("Kalome", "Tivoru"): no real brand in the shipped catalog
has that shape, so synthetic ids never collide with real ones (the tests check it).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from reorder.domain.catalog import Product

_ONSETS = "bdfghjklmnprstvz"
_VOWELS = "aeiou"
_SYLLABLES = tuple(c + v for c in _ONSETS for v in _VOWELS)  # 80 two-letter syllables
BRAND_COUNT = len(_SYLLABLES) ** 3  # 512,000 distinct brand names
_BRAND_STRIDE = 7919  # a prime coprime to BRAND_COUNT: neighbouring brands get unlike names

# Single words, so "<line>-<variant>" cannot read the same for two different pairs.
_LINE_WORDS = (
    "classic", "ultra", "pure", "gentle", "fresh", "everyday", "premium", "select", "essentials", "plus",
    "max", "simply", "active", "naturals", "signature", "comfort", "original", "pro", "eco", "bright",
    "care", "home", "daily", "prime",
)  # fmt: skip
LINES_PER_BRAND = 6


@dataclass(frozen=True, slots=True)
class _Family:
    kind: str
    category: str
    unit: str
    cents_per_unit: int  # price of one unit of pack_count before the brand's premium
    variants: tuple[str, str, str, str]
    packs: tuple[int, int, int]
    weights: tuple[tuple[float | None, float | None], ...] = ()  # per variant, diapers only
    water_oz_per_scoop: float | None = None


_FAMILIES = (
    _Family("diapers", "baby", "pack", 30, ("size 2", "size 3", "size 4", "size 5"), (32, 84, 150),
            weights=((12.0, 18.0), (16.0, 28.0), (22.0, 37.0), (27.0, None))),
    _Family("wipes", "baby", "pack", 4, ("unscented", "sensitive", "fresh scent", "aloe"), (64, 384, 720)),
    _Family("infant formula", "baby", "can", 3400, ("12 oz powder", "20 oz powder", "30 oz powder",
            "gentle 20 oz powder"), (1, 2, 4), water_oz_per_scoop=2.0),
    _Family("paper towels", "household", "pack", 250, ("regular rolls", "double rolls", "triple rolls",
            "big rolls"), (6, 12, 24)),
    _Family("toilet paper", "household", "pack", 110, ("double rolls", "mega rolls", "family rolls",
            "jumbo rolls"), (6, 12, 24)),
    _Family("laundry detergent", "household", "bottle", 1300, ("original", "free and clear", "spring meadow",
            "lavender"), (1, 2, 4)),
    _Family("dish soap", "household", "bottle", 400, ("original", "lemon", "free and clear", "green apple"),
            (1, 2, 3)),
    _Family("dishwasher pods", "household", "tub", 25, ("original", "lemon", "free and clear", "fresh"),
            (32, 62, 90)),
    _Family("trash bags", "household", "box", 15, ("4 gallon", "13 gallon", "30 gallon", "33 gallon"),
            (40, 80, 120)),
    _Family("coffee", "pantry", "bag", 1000, ("light roast", "medium roast", "dark roast", "decaf"), (1, 2, 4)),
    _Family("coffee pods", "pantry", "box", 55, ("light roast", "medium roast", "dark roast", "decaf"),
            (12, 24, 48)),
    _Family("batteries", "household", "pack", 90, ("AA", "AAA", "C", "D"), (4, 8, 24)),
    _Family("hand soap", "personal care", "bottle", 350, ("lavender", "aloe", "citrus", "unscented"), (1, 3, 6)),
    _Family("toothpaste", "personal care", "pack", 450, ("mint", "whitening", "sensitive", "cavity protection"),
            (1, 2, 4)),
    _Family("sponges", "household", "pack", 90, ("non scratch", "heavy duty", "scrub", "cellulose"), (3, 6, 9)),
    _Family("dog food", "pet", "bag", 4500, ("chicken and rice", "lamb and rice", "salmon", "beef"), (1, 2, 3)),
    _Family("cat litter", "pet", "bag", 1800, ("unscented", "fresh scent", "lightweight", "multi cat"),
            (1, 2, 3)),
)  # fmt: skip
PER_BRAND = LINES_PER_BRAND * 4 * 3
MAX_PRODUCTS = BRAND_COUNT * PER_BRAND


def synthetic_catalog(n: int, seed: int = 0) -> Iterator[Product]:
    """Yields n made-up products (at most MAX_PRODUCTS), the same ones for the same seed, one at a time."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be a whole number of products ≥ 0, got {n!r}")
    if n > MAX_PRODUCTS:
        raise ValueError(f"at most {MAX_PRODUCTS:,} synthetic products, asked for {n:,}")
    rng = random.Random(seed)
    syllables = list(_SYLLABLES)
    rng.shuffle(syllables)
    lines = list(_LINE_WORDS)
    rng.shuffle(lines)
    families = list(_FAMILIES)
    rng.shuffle(families)
    brand_offset = rng.randrange(BRAND_COUNT)
    # Prices come from their own stream so they do not depend on how the tables above were shuffled.
    prices = random.Random(f"prices-{seed}")
    return _generate(n, syllables, lines, families, brand_offset, prices)


def _brand_name(number: int, syllables: list[str]) -> str:
    high, rest = divmod(number, len(syllables) ** 2)
    mid, low = divmod(rest, len(syllables))
    return (syllables[high] + syllables[mid] + syllables[low]).capitalize()


def _generate(
    n: int,
    syllables: list[str],
    lines: list[str],
    families: list[_Family],
    brand_offset: int,
    prices: random.Random,
) -> Iterator[Product]:
    brands = -(-n // PER_BRAND)
    made = 0
    for b in range(brands):
        brand = _brand_name((b * _BRAND_STRIDE + brand_offset) % BRAND_COUNT, syllables)
        brand_slug = brand.lower()
        family = families[b % len(families)]
        premium = 0.8 + 0.4 * prices.random()  # some brands are store brands, some are premium
        for j in range(LINES_PER_BRAND):
            line_word = lines[(b + j) % len(lines)]
            line = line_word.capitalize()
            brand_line = f"{brand_slug} {line_word}"
            line_kind = f"{line_word} {family.kind}"
            for v, variant in enumerate(family.variants):
                low, high = family.weights[v] if family.weights else (None, None)
                variant_slug = variant.lower().replace(" ", "-")
                # dict.fromkeys: a line word can equal a variant ("fresh"), and phrases must not repeat.
                synonyms = tuple(dict.fromkeys((brand_slug, brand_line, f"{brand_slug} {family.kind}", line_kind,
                                                f"{variant.lower()} {family.kind}")))  # fmt: skip
                for pack in family.packs:
                    if made == n:
                        return
                    cents = family.cents_per_unit * pack * premium * (0.92 + 0.16 * prices.random())
                    yield Product(
                        id=f"{brand_slug}-{line_word}-{variant_slug}-{pack}",
                        brand=brand,
                        line=line,
                        kind=family.kind,
                        category=family.category,
                        variant=variant,
                        pack_count=pack,
                        unit=family.unit,
                        price_cents=max(99, round(cents / 100) * 100 - 1),
                        synonyms=synonyms,
                        water_oz_per_scoop=family.water_oz_per_scoop,
                        weight_min_lb=low,
                        weight_max_lb=high,
                    )
                    made += 1
