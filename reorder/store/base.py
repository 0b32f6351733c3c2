"""The one door to storage. Services see only these interfaces; each store is one adapter module.

A unit of work is one transaction: everything a use case writes (an order, its history, the outbox
notification) commits together or not at all.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from reorder.domain.babylog import BabyEvent, EventKind, Routine
from reorder.domain.buttons import Button, Device, Press
from reorder.domain.catalog import Product
from reorder.domain.model import CartLine, Household, Order, StatusChange
from reorder.errors import Conflict


class DuplicateIdempotencyKey(Conflict):
    """An order with this household and idempotency key exists already (the store enforces it)."""

    code = "duplicate_idempotency_key"


@dataclass(frozen=True, slots=True)
class Identity:
    kind: str  # "alexa_user" | "alexa_person" | "alexa_device" | "access_token"
    external_id: str
    household_id: str
    member_id: str | None = None


@dataclass(frozen=True, slots=True)
class TokenRecord:
    token_hash: str
    household_id: str
    label: str
    created_at: datetime
    device_id: str | None = None

    @property
    def id(self) -> str:
        """A short public name for the token (the start of its hash), to list and revoke it by."""
        return self.token_hash[:12]

    @property
    def scope(self) -> str:
        """`household` (a person's token: everything the household may do) or `device` (one device's)."""
        return "device" if self.device_id else "household"


@dataclass(frozen=True, slots=True)
class Notification:
    id: str
    household_id: str
    kind: str  # "order_placed" | "order_shipped" | ... | "order_cancelled"
    message: str
    created_at: datetime
    order_id: str | None = None
    delivered_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class PurchaseSecurity:
    failed_attempts: int = 0
    locked_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class PurchasedItem:
    product_id: str
    times_ordered: int
    total_quantity: int
    last_quantity: int
    last_ordered_at: datetime


class ProductRepository(Protocol):
    def get(self, product_id: str) -> Product | None: ...
    def get_many(self, product_ids: Iterable[str]) -> dict[str, Product]: ...
    def upsert_many(self, products: Iterable[Product]) -> int: ...
    def count(self) -> int: ...
    def iter_all(self) -> Iterator[Product]: ...
    def search(self, text: str, limit: int = 10) -> list[Product]: ...


class HouseholdRepository(Protocol):
    def add(self, household: Household) -> None: ...
    def get(self, household_id: str) -> Household | None: ...
    def get_with_keyed_order(self, household_id: str, key: str) -> tuple[Household | None, str | None]:
        """The household, and the id of its order placed with idempotency key `key` (None when there is none):
        what placing an order reads first, in one request where the store can."""
        ...

    def get_by_name(self, name: str) -> Household | None: ...
    def update(self, household: Household) -> None: ...
    def list(self) -> list[Household]: ...
    def link_identity(self, identity: Identity) -> None: ...
    def find_identity(self, kind: str, external_id: str) -> Identity | None: ...
    def get_security(self, household_id: str) -> PurchaseSecurity: ...
    def set_security(self, household_id: str, security: PurchaseSecurity) -> None: ...


class TokenRepository(Protocol):
    def add(self, record: TokenRecord) -> None: ...
    def find(self, token_hash: str) -> TokenRecord | None: ...
    def list(self, household_id: str) -> list[TokenRecord]:
        """The household's tokens, oldest first."""
        ...

    def delete(self, record: TokenRecord) -> None: ...


class CartRepository(Protocol):
    def lines(self, household_id: str) -> list[CartLine]: ...
    def add_line(self, household_id: str, line: CartLine) -> None: ...
    def set_quantity(self, household_id: str, line_id: str, quantity: int) -> None: ...
    def remove_line(self, household_id: str, line_id: str) -> None: ...
    def clear(self, household_id: str) -> None: ...


class OrderRepository(Protocol):
    def add(self, order: Order) -> None:
        """Insert an order; raises DuplicateIdempotencyKey when (household, key) exists already."""
        ...

    def get(self, order_id: str) -> Order | None: ...
    def get_by_idempotency_key(self, household_id: str, key: str) -> Order | None: ...
    def list_for_household(self, household_id: str, limit: int = 20) -> list[Order]: ...
    def open_orders(self, household_id: str, limit: int = 20) -> list[Order]:
        """Orders still on their way (placed, shipped, out for delivery), newest first: what "where's my
        order" and "cancel my order" are about, without reading a long history."""
        ...

    def purchase_counts(self, household_id: str) -> dict[str, int]:
        """product id → how many orders (not cancelled) had it: the resolver's prior, read on most turns."""
        ...

    def recent_with_products(
        self, household_id: str, product_ids: Collection[str], since: datetime, limit: int = 50
    ) -> list[Order]:
        """Orders holding any of `product_ids`, not cancelled, still on their way or placed at or after `since`,
        newest first: what a second order of the same thing would repeat (read on every reorder)."""
        ...

    def record_change(self, order: Order, change: StatusChange) -> None:
        """Persist the order's new status, next transition time, and append `change` to its history."""
        ...

    def due(self, now: datetime, limit: int = 500, household_id: str | None = None) -> list[Order]: ...
    def purchase_history(self, household_id: str) -> list[PurchasedItem]: ...
    def last_quantity(self, household_id: str, product_id: str) -> int | None:
        """How many of the product the household's latest order that still counts had (None: never bought):
        what "reorder X" orders when no number is said."""
        ...


class OutboxRepository(Protocol):
    def add(self, notification: Notification) -> None: ...
    def pending(self, household_id: str | None = None, limit: int = 100) -> list[Notification]: ...
    def mark_delivered(self, notification_ids: Iterable[str], at: datetime) -> None: ...


class AttributeRepository(Protocol):
    """Opaque JSON documents by id: the skills' persistent attributes."""

    def get(self, key: str) -> dict[str, Any] | None: ...
    def put(self, key: str, data: dict[str, Any], at: datetime) -> None: ...
    def delete(self, key: str) -> None: ...


class DuplicateButtonName(Conflict):
    """A live button of this household has this name already (the store enforces it)."""

    code = "duplicate_button_name"


class ButtonBusy(Conflict):
    """The button has an order in flight already: its claim row exists (the store enforces it)."""

    code = "button_busy"


class DuplicatePressKey(Conflict):
    """A press of this button with this idempotency key is recorded already."""

    code = "duplicate_press_key"


class ButtonRepository(Protocol):
    def add(self, button: Button) -> None:
        """Insert; raises DuplicateButtonName when a live button of the household has the same name key."""
        ...

    def update(self, button: Button) -> None: ...
    def get(self, button_id: str) -> Button | None:
        """Deleted buttons too: a press of one is answered, not lost."""
        ...

    def get_by_name_key(self, household_id: str, name_key: str) -> Button | None: ...
    def list_for_household(self, household_id: str, *, include_device: bool = False) -> list[Button]: ...
    def claim_inflight(self, button_id: str, order_id: str, at: datetime) -> None:
        """Conditional write: raises ButtonBusy when the button holds a claim already."""
        ...

    def inflight_claim(self, button_id: str) -> str | None: ...
    def release_inflight(self, button_id: str) -> None: ...
    def open_order_ids(self, button_id: str) -> list[str]:
        """Orders this button placed that are not yet delivered or cancelled, oldest first."""
        ...

    def add_press(self, press: Press) -> None:
        """Insert; raises DuplicatePressKey when (button, idempotency key) is recorded already."""
        ...

    def press_by_key(self, button_id: str, key: str) -> Press | None: ...
    def presses(self, button_id: str, limit: int = 50) -> list[Press]: ...
    def count_ordered_since(self, button_id: str, since: datetime) -> int: ...
    def outcome_counts(self, button_id: str) -> dict[str, int]: ...


class DeviceRepository(Protocol):
    def add(self, device: Device) -> None: ...
    def get(self, device_id: str) -> Device | None: ...
    def list_for_household(self, household_id: str) -> list[Device]: ...
    def set_slot_status(self, device_id: str, slot: str, remaining: float, at: datetime) -> None: ...


class BabyEventRepository(Protocol):
    def add(self, event: BabyEvent) -> None: ...
    def get(self, household_id: str, event_id: str) -> BabyEvent | None: ...
    def delete(self, household_id: str, event_id: str, at: datetime) -> bool:
        """Soft-delete; entries that duplicated it stand on their own again. False when nothing was live."""
        ...

    def between(
        self,
        household_id: str,
        start: datetime,
        end: datetime,
        *,
        child_id: str | None = None,
        kinds: tuple[EventKind, ...] = (),
    ) -> list[BabyEvent]: ...
    def latest(
        self,
        household_id: str,
        *,
        child_id: str | None = None,
        kinds: tuple[EventKind, ...] = (),
        before: datetime | None = None,
        limit: int = 1,
        order_by: str = "at",
    ) -> list[BabyEvent]: ...
    def last_logged_by(self, household_id: str, member_id: str | None) -> BabyEvent | None: ...


class RoutineRepository(Protocol):
    def add(self, routine: Routine, name_key: str) -> None: ...
    def get(self, household_id: str, routine_id: str) -> Routine | None: ...
    def get_by_key(self, household_id: str, name_key: str) -> Routine | None: ...
    def list_for_household(self, household_id: str) -> list[Routine]: ...
    def scheduled(self) -> list[Routine]: ...
    def mark_run(self, routine_id: str, at: datetime) -> None: ...
    def update(self, routine: Routine, name_key: str) -> None:
        """Save a routine's name, steps, child and schedule; Conflict when another routine has the name."""
        ...


class SeenRequestRepository(Protocol):
    def claim(self, request_id: str, expires_at: datetime, now: datetime) -> bool:
        """Record a request id; False when it was recorded before and has not expired (a replay)."""
        ...


class UnitOfWork(Protocol):
    """The repositories of one transaction (read-only members, so a store may build them lazily)."""

    @property
    def products(self) -> ProductRepository: ...

    @property
    def households(self) -> HouseholdRepository: ...

    @property
    def tokens(self) -> TokenRepository: ...

    @property
    def carts(self) -> CartRepository: ...

    @property
    def orders(self) -> OrderRepository: ...

    @property
    def outbox(self) -> OutboxRepository: ...

    @property
    def attributes(self) -> AttributeRepository: ...

    @property
    def seen_requests(self) -> SeenRequestRepository: ...

    @property
    def buttons(self) -> ButtonRepository: ...

    @property
    def devices(self) -> DeviceRepository: ...

    @property
    def baby_events(self) -> BabyEventRepository: ...

    @property
    def routines(self) -> RoutineRepository: ...


class Store(Protocol):
    url: str

    def unit_of_work(self, *, write: bool = True, household: str | None = None) -> AbstractContextManager[UnitOfWork]:
        """A transaction; commits when the block ends normally, rolls back on any exception.

        `household` says a writer changes that one household's data only (its cart, its orders): a store
        that can lets writers of different households run at once, while writers of one household, and a
        writer that names none, still go one at a time."""
        ...

    def migrate(self) -> int:
        """Bring the schema up to date; returns the schema version."""
        ...

    def close(self) -> None: ...
