"""How long the diapers and the formula will last, from what was delivered and what the log says was used.

The estimate is deliberately simple and explainable: stock is everything delivered since the first
delivery we count, minus what was used since. Usage on days the family logged is the logged count; on
days before logging started it is the logged daily rate. Nothing here reads the store or the clock.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from reorder.domain.babylog import BabyEvent, EventKind, FeedingKind, MilkType
from reorder.domain.catalog import Product

DEFAULT_RUNOUT_DAYS = 3
# How far back the daily rate looks; a week smooths out a bad night without missing a growth spurt.
RATE_WINDOW_DAYS = 7
# Rates from less than a day of logging are too noisy to tell anyone they are running out: no estimate.
MIN_LOGGED_DAYS = 1.0
# One level scoop of powder weighs about 0.3 oz (8.7 g) for the common US formulas; used only to turn a
# can's net weight into the number of prepared ounces it makes.
POWDER_OZ_PER_SCOOP = 0.3
# Size up when the child is within this many pounds of the top of the current size's range.
SIZE_UP_MARGIN_LB = 2.0

_CAN_WEIGHT = re.compile(r"(\d+(?:\.\d+)?)\s*oz")


@dataclass(frozen=True, slots=True)
class Delivery:
    product: Product
    quantity: int  # packs or cans
    delivered_at: datetime


@dataclass(frozen=True, slots=True)
class SupplyEstimate:
    kind: str  # "diapers" | "formula"
    product: Product  # the one most recently delivered, which a reorder would repeat
    units_left: float  # diapers, or prepared ounces of formula
    per_day: float
    days_left: float
    runs_out_on: date
    unit_word: str  # "diapers" | "ounces"

    def runs_out_within(self, days: int) -> bool:
        return self.days_left <= days


def prepared_oz_per_can(product: Product) -> float | None:
    """Ounces of prepared formula one can makes, from its net weight and its mixing ratio."""
    if product.water_oz_per_scoop is None:
        return None
    match = _CAN_WEIGHT.search(product.variant.lower())
    if match is None:
        return None
    scoops = float(match.group(1)) / POWDER_OZ_PER_SCOOP
    return scoops * product.water_oz_per_scoop * product.pack_count


def units_in(delivery: Delivery, kind: str) -> float:
    if kind == "diapers":
        return float(delivery.product.pack_count * delivery.quantity)
    per_can = prepared_oz_per_can(delivery.product)
    return (per_can or 0.0) * delivery.quantity


def used_units(event: BabyEvent, kind: str) -> float:
    if event.duplicate_of is not None:
        return 0.0
    if kind == "diapers":
        return 1.0 if event.kind is EventKind.DIAPER else 0.0
    if (
        event.kind is EventKind.FEEDING
        and event.get("feeding_kind") == FeedingKind.BOTTLE
        and event.get("milk_type") == MilkType.FORMULA
    ):
        return event.amount_oz or 0.0
    return 0.0


def supply_kind(product: Product) -> str | None:
    if product.kind == "diapers":
        return "diapers"
    if product.water_oz_per_scoop is not None:
        return "formula"
    return None


def estimate_supply(
    kind: str, deliveries: list[Delivery], events: list[BabyEvent], now: datetime, tz: tzinfo
) -> SupplyEstimate | None:
    """The supply of one kind, or None when there is nothing delivered or not enough log to tell a rate."""
    mine = sorted((d for d in deliveries if supply_kind(d.product) == kind), key=lambda d: d.delivered_at)
    if not mine:
        return None
    relevant = sorted((e for e in events if used_units(e, kind) > 0), key=lambda e: e.at)
    if not relevant:
        return None
    first_logged = relevant[0].at
    window_start = max(first_logged, now - timedelta(days=RATE_WINDOW_DAYS))
    logged_days = (now - window_start).total_seconds() / 86400
    if logged_days < MIN_LOGGED_DAYS:
        return None
    per_day = sum(used_units(e, kind) for e in relevant if e.at >= window_start) / logged_days
    if per_day <= 0:
        return None

    # Only what was delivered from the first delivery on counts; before that we know nothing.
    start = mine[0].delivered_at
    delivered = sum(units_in(d, kind) for d in mine)
    logged_used = sum(used_units(e, kind) for e in relevant if e.at >= start)
    unlogged_days = max((first_logged - start).total_seconds() / 86400, 0.0)
    left = max(delivered - logged_used - per_day * unlogged_days, 0.0)
    days_left = left / per_day
    runs_out = (now + timedelta(days=days_left)).astimezone(tz).date()
    return SupplyEstimate(
        kind, mine[-1].product, left, per_day, days_left, runs_out, "diapers" if kind == "diapers" else "ounces"
    )


def missing_for_estimate(kind: str, deliveries: list[Delivery], events: list[BabyEvent]) -> str:
    """Why `estimate_supply` has no estimate of `kind`: "delivery" when nothing of it was delivered, else "log"
    (too little logged use to tell a rate)."""
    return "delivery" if not any(supply_kind(d.product) == kind for d in deliveries) else "log"


def whole_days(days_left: float) -> int:
    """Days as a parent would hear them: less than a day is "less than a day" (0), 1.6 is "about 2"."""
    return 0 if days_left < 1 else math.floor(days_left + 0.5)


def next_diaper_size(current: Product, weight_lb: float, catalog: list[Product]) -> Product | None:
    """The next size of the same brand and line when the child nears the top of the current one."""
    if current.weight_max_lb is None or weight_lb < current.weight_max_lb - SIZE_UP_MARGIN_LB:
        return None
    bigger = [
        p
        for p in catalog
        if p.kind == current.kind
        and p.brand == current.brand
        and p.line == current.line
        and not p.discontinued
        and p.weight_max_lb is not None
        and p.weight_max_lb > current.weight_max_lb
    ]
    if not bigger:
        return None
    # The smallest next size; among its packs, the one closest to the count the family buys now.
    top = min(p.weight_max_lb for p in bigger)  # type: ignore[type-var]
    sized = [p for p in bigger if p.weight_max_lb == top]
    return min(sized, key=lambda p: (abs(p.pack_count - current.pack_count), p.id))
