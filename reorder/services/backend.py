"""The backend every channel talks to: one object holding the store, the clock and the use cases."""

from __future__ import annotations

from datetime import datetime

from reorder.clock import Clock, SystemClock
from reorder.services.buttons import ButtonService
from reorder.services.carts import CartService
from reorder.services.catalog import CatalogService
from reorder.services.devices import DeviceService
from reorder.services.households import HouseholdService
from reorder.services.orders import OrderService
from reorder.store.base import Notification, Store


class NotificationService:
    """The outbox: notifications written with each order change, delivered by the channels."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def pending(self, household_id: str | None = None, limit: int = 100) -> list[Notification]:
        with self.store.unit_of_work(write=False) as uow:
            return uow.outbox.pending(household_id, limit)

    def mark_delivered(self, notification_ids: list[str]) -> None:
        with self.store.unit_of_work() as uow:
            uow.outbox.mark_delivered(notification_ids, self.clock.now())


class Backend:
    def __init__(self, store: Store, clock: Clock | None = None) -> None:
        self.store = store
        self.clock: Clock = clock or SystemClock()
        self.catalog = CatalogService(store)
        self.households = HouseholdService(store, self.clock)
        self.carts = CartService(store, self.clock)
        self.orders = OrderService(store, self.clock)
        self.notifications = NotificationService(store, self.clock)
        self.buttons = ButtonService(store, self.clock)
        self.devices = DeviceService(store, self.clock, self.buttons)
        from reorder.services.babycare import BabyCareService
        from reorder.services.routines import RoutineService

        self.babycare = BabyCareService(store, self.clock)
        self.routines = RoutineService(store, self.clock, self.babycare, self.carts)
        subscribe = getattr(self.clock, "subscribe", None)
        if subscribe is not None:
            # A clock that can be fast-forwarded moves fulfilment along with it.
            subscribe(self._on_clock_moved)

    def _on_clock_moved(self, now: datetime) -> None:
        self.orders.advance_fulfilment(now)

    def close(self) -> None:
        unsubscribe = getattr(self.clock, "unsubscribe", None)
        if unsubscribe is not None:
            unsubscribe(self._on_clock_moved)
            unsubscribe(self.routines.run_due)
        self.store.close()
