"""Bean Box's own backend use case: each household's coffee subscription, kept in the shared store.

A subscription is the household's usual coffee (product and quantity), ordered every week on one
weekday; a skipped week is remembered by its date. It lives beside the skills' other documents in the
store's attribute table, so it works on SQLite, PostgreSQL and DynamoDB alike.

The weekly orders are placed by `place_due`: on every Bean Box request, whenever a clock that can be moved
(the simulator's) moves, and from a scheduler in production (`Subscriptions(backend).place_all_due()`).
Each week's order has its own idempotency key, so running it twice, or from two places, orders once.
"""

import logging
from dataclasses import dataclass, replace
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from reorder.errors import BackendError, NotFound

log = logging.getLogger(__name__)
KEY = "bean-box:subscription:"
SUBSCRIBERS = "bean-box:subscribers"
COFFEE_KINDS = ("coffee", "coffee pods")
MAX_QUANTITY = 10


@dataclass(frozen=True)
class Subscription:
    product_id: str
    quantity: int
    weekday: int  # 0 is Monday
    skipped: tuple[str, ...] = ()  # ISO dates of skipped deliveries
    checked_through: str = ""  # the last day whose delivery was placed (or skipped)


class Subscriptions:
    def __init__(self, backend) -> None:
        self.backend = backend
        subscribe = getattr(backend.clock, "subscribe", None)
        if subscribe is not None:
            subscribe(lambda now: self.place_all_due())

    def today(self, household_id: str) -> date:
        tz = ZoneInfo(self.backend.households.get(household_id).timezone)
        return self.backend.clock.now().astimezone(tz).date()

    def coffees(self) -> list:
        return [p for p in self.backend.catalog.all() if p.kind in COFFEE_KINDS and not p.discontinued]

    def get(self, household_id: str) -> Subscription | None:
        with self.backend.store.unit_of_work(write=False) as uow:
            data = uow.attributes.get(KEY + household_id)
        if not data:
            return None
        return Subscription(
            data["product_id"],
            int(data["quantity"]),
            int(data["weekday"]),
            tuple(data.get("skipped") or ()),
            str(data.get("checked_through") or ""),
        )

    def _save(self, household_id: str, sub: Subscription) -> Subscription:
        data = {
            "product_id": sub.product_id,
            "quantity": sub.quantity,
            "weekday": sub.weekday,
            "skipped": list(sub.skipped),
            "checked_through": sub.checked_through,
        }
        now = self.backend.clock.now()
        with self.backend.store.unit_of_work() as uow:
            uow.attributes.put(KEY + household_id, data, now)
            subscribers = (uow.attributes.get(SUBSCRIBERS) or {}).get("households") or []
            if household_id not in subscribers:
                uow.attributes.put(SUBSCRIBERS, {"households": [*subscribers, household_id]}, now)
        return sub

    def subscribe(self, household_id: str, product_id: str, quantity: int, weekday: int = 0) -> Subscription:
        """Make `quantity` of a coffee the household's usual, delivered every `weekday`."""
        product = self.backend.catalog.get(product_id)
        if product.kind not in COFFEE_KINDS:
            raise NotFound(f"{product.spoken_name} is not a coffee Bean Box delivers.")
        if not 1 <= quantity <= MAX_QUANTITY:
            raise ValueError(f"a usual is one to {MAX_QUANTITY} bags or boxes")
        today = self.today(household_id).isoformat()  # deliveries start after today
        return self._save(household_id, Subscription(product_id, quantity, weekday, checked_through=today))

    def usual(self, household_id: str) -> tuple[str, int] | None:
        """The subscription's coffee, or else the coffee this household has bought most often."""
        sub = self.get(household_id)
        if sub is not None:
            return sub.product_id, sub.quantity
        coffee_ids = {p.id for p in self.coffees()}
        counts = {pid: n for pid, n in self.backend.orders.purchase_counts(household_id).items() if pid in coffee_ids}
        if not counts:
            return None
        product_id = max(counts, key=lambda pid: (counts[pid], pid))
        return product_id, self.backend.orders.last_quantity(household_id, product_id) or 1

    def next_delivery(self, household_id: str) -> date | None:
        sub = self.get(household_id)
        if sub is None:
            return None
        day = self.today(household_id) + timedelta(days=1)
        day += timedelta(days=(sub.weekday - day.weekday()) % 7)
        while day.isoformat() in sub.skipped:
            day += timedelta(days=7)
        return day

    def skip_next(self, household_id: str) -> tuple[date, date] | None:
        """Skip the next delivery; returns (skipped, the one after), or None without a subscription."""
        sub = self.get(household_id)
        skipped = self.next_delivery(household_id)
        if sub is None or skipped is None:
            return None
        today = self.today(household_id).isoformat()
        kept = tuple(d for d in sub.skipped if d > today)  # past skips are history, not state
        self._save(household_id, replace(sub, skipped=(*kept, skipped.isoformat())))
        return skipped, self.next_delivery(household_id)

    def place_due(self, household_id: str) -> list[str]:
        """Place the weekly orders due up to today that are not skipped; returns the order ids."""
        sub = self.get(household_id)
        if sub is None:
            return []
        today = self.today(household_id)
        day = date.fromisoformat(sub.checked_through) + timedelta(days=1) if sub.checked_through else today
        placed = []
        while day <= today:
            if day.weekday() == sub.weekday and day.isoformat() not in sub.skipped:
                try:
                    order = self.backend.orders.place(
                        household_id,
                        [(sub.product_id, sub.quantity)],
                        channel="api",
                        idempotency_key=f"bean-box-{household_id}-{day.isoformat()}",
                    )
                    placed.append(order.order.id)
                except BackendError as exc:  # e.g. over the spending limit: that week is not ordered
                    log.warning("Bean Box could not place the %s delivery of %s: %s", day, household_id, exc)
            day += timedelta(days=1)
        if sub.checked_through != today.isoformat():
            self._save(household_id, replace(sub, checked_through=today.isoformat()))
        return placed

    def place_all_due(self) -> None:
        with self.backend.store.unit_of_work(write=False) as uow:
            households = (uow.attributes.get(SUBSCRIBERS) or {}).get("households") or []
        for household_id in households:
            self.place_due(household_id)
