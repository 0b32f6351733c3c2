"""Products as the catalog describes them.

Prices are integer cents: money is never a float anywhere in the backend.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Product:
    id: str  # stable catalog id, e.g. "pampers-swaddlers-s3-84"
    brand: str  # "Pampers"
    line: str  # "Swaddlers"; "" when a brand sells one line
    kind: str  # what a person calls the thing: "diapers", "paper towels", "infant formula"
    category: str  # "baby" | "household" | "pantry" | ...
    variant: str = ""  # size, scent, flavour: "size 3", "lavender", "dark roast"
    pack_count: int = 1  # units in one pack: 84 diapers, 6 rolls
    unit: str = "pack"  # what one ordered quantity is: "pack", "box", "bottle", "can", "bag"
    price_cents: int = 0
    synonyms: tuple[str, ...] = ()  # other ways people say it: "pampers", "swaddlers", "diapers size three"
    # Infant formula only: how much water one scoop is mixed with, in fluid ounces.
    water_oz_per_scoop: float | None = None
    # Diapers only: the weight range the size fits, in pounds.
    weight_min_lb: float | None = None
    weight_max_lb: float | None = None
    discontinued: bool = False
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def name(self) -> str:
        """The full display name, e.g. "Pampers Swaddlers Diapers, size 3, 84 count"."""
        head = " ".join(p for p in (self.brand, self.line, self.kind.title()) if p)
        parts = [head]
        if self.variant:
            parts.append(self.variant)
        if self.pack_count > 1:
            parts.append(f"{self.pack_count} count")
        return ", ".join(parts)

    @property
    def spoken_name(self) -> str:
        """How the assistant says it back: "Pampers Swaddlers diapers, size 3"."""
        head = " ".join(p for p in (self.brand, self.line, self.kind) if p)
        return f"{head}, {self.variant}" if self.variant else head


_LADDER = re.compile(r"^(?:size|stage|step)\s+(\d+)$")


def variant_rank(variant: str) -> int | None:
    """A variant's place on a ladder of sizes: "newborn" 0, "size 3" 3; None for a variant with no order (a scent)."""
    said = variant.strip().lower()
    if said == "newborn":
        return 0
    found = _LADDER.match(said)
    return int(found.group(1)) if found else None


def household_order(options: Sequence[Product], bought: Iterable[Product]) -> list[Product]:
    """`options` in the order this household would pick among them: of a kind it buys, the variant it buys first
    (another brand's "size 3" diapers), then the sizes nearest it; the rest as given, after those."""
    ranks: dict[str, set[int]] = {}
    variants: dict[str, set[str]] = {}
    for product in bought:
        variants.setdefault(product.kind, set()).add(product.variant)
        rank = variant_rank(product.variant)
        if rank is not None:
            ranks.setdefault(product.kind, set()).add(rank)

    def key(indexed: tuple[int, Product]) -> tuple[int, int, int]:
        i, product = indexed
        if product.variant and product.variant in variants.get(product.kind, ()):
            return (0, 0, i)
        rank = variant_rank(product.variant)
        if rank is not None and ranks.get(product.kind):
            return (1, min(abs(rank - r) for r in ranks[product.kind]), i)
        return (2, 0, i)

    return [product for _, product in sorted(enumerate(options), key=key)]
