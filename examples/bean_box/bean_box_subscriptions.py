"""Bean Box's own backend use case: each household's coffee subscription, kept in the shared store.

A subscription is the household's usual coffee (product and quantity) delivered every week on one
weekday; a skipped week is remembered by its date. It lives beside the skills' other documents in the
store's attribute table, so it works on SQLite, PostgreSQL and DynamoDB alike.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from reorder.errors import NotFound

KEY = "bean-box:subscription:"
COFFEE_KINDS = ("coffee", "coffee pods")
MAX_QUANTITY = 10


@dataclass(frozen=True)
class Subscription:
    product_id: str
    quantity: int
    weekday: int  # 0 is Monday
    skipped: tuple[str, ...] = ()  # ISO dates of skipped deliveries


class Subscriptions:
    def __init__(self, backend) -> None:
        self.backend = backend

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
        return Subscription(data["product_id"], int(data["quantity"]), int(data["weekday"]),
                            tuple(data.get("skipped") or ()))

    def _save(self, household_id: str, sub: Subscription) -> Subscription:
        data = {"product_id": sub.product_id, "quantity": sub.quantity, "weekday": sub.weekday,
                "skipped": list(sub.skipped)}
        with self.backend.store.unit_of_work() as uow:
            uow.attributes.put(KEY + household_id, data, self.backend.clock.now())
        return sub

    def subscribe(self, household_id: str, product_id: str, quantity: int, weekday: int = 0) -> Subscription:
        """Make `quantity` of a coffee the household's usual, delivered every `weekday`."""
        product = self.backend.catalog.get(product_id)
        if product.kind not in COFFEE_KINDS:
            raise NotFound(f"{product.spoken_name} is not a coffee Bean Box delivers.")
        if not 1 <= quantity <= MAX_QUANTITY:
            raise ValueError(f"a usual is one to {MAX_QUANTITY} bags or boxes")
        return self._save(household_id, Subscription(product_id, quantity, weekday))

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
