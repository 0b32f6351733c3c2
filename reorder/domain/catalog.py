"""Products as the catalog describes them.

Prices are integer cents: money is never a float anywhere in the backend.
"""

from __future__ import annotations

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
