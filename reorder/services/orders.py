"""Placing, tracking and cancelling orders, exactly once, with the trust rules applied on every channel."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from reorder import observe
from reorder.clock import Clock
from reorder.domain.catalog import Product
from reorder.domain.model import (
    Cart,
    Household,
    Order,
    OrderLine,
    OrderStatus,
    Totals,
    advance_order,
    cancel_order,
    estimated_delivery,
    validate_channel,
)
from reorder.errors import (
    BackendError,
    EmptyCart,
    InvalidInput,
    NotCancellable,
    NotFound,
    PurchaseNotAllowed,
    PurchasingLocked,
    StoreUnavailable,
)
from reorder.services.carts import found as _found
from reorder.services.carts import load_household
from reorder.services.notifications import order_notification
from reorder.services.order_placement import order_totals, place_in_uow, priced_lines
from reorder.services.purchase_policy import (
    check_lock,
    check_member,
    code_required,
    verify_code,
)
from reorder.store.base import DuplicateIdempotencyKey, Store, UnitOfWork

T = TypeVar("T")

MAX_IDEMPOTENCY_KEY = 200
# An order placed this recently (or still on its way) is pointed out before the same thing is ordered again.
RECENT_ORDER_DAYS = 2


@dataclass(frozen=True, slots=True)
class Quote:
    """What an order would be, read back before anyone says yes."""

    lines: tuple[OrderLine, ...]
    totals: Totals
    estimated_delivery: date
    code_required: bool


@dataclass(frozen=True, slots=True)
class PlacedOrder:
    order: Order
    created: bool  # False when an earlier request with the same idempotency key placed it


@dataclass(frozen=True, slots=True)
class BuyAgainItem:
    product: Product
    last_quantity: int
    times_ordered: int
    last_ordered_at: datetime
    score: float


@dataclass(frozen=True, slots=True)
class CartReview:
    """The cart, and whether this speaker may check it out now: None, or why not ("child", "locked")."""

    cart: Cart
    checkout_blocked: str | None


@dataclass(frozen=True, slots=True)
class Tracking:
    on_the_way: tuple[Order, ...]
    last_finished: Order | None  # only looked up when nothing is on its way
    household: Household


def _has(order: Order, product_id: str | None) -> bool:
    return product_id is None or any(ln.product_id == product_id for ln in order.lines)


def _check_key(key: str | None) -> str | None:
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_IDEMPOTENCY_KEY:
        raise InvalidInput(f"An idempotency key is 1 to {MAX_IDEMPOTENCY_KEY} characters.")
    return key


class IdempotencyKeyReused(InvalidInput):
    """The key was used before for another request: answering with that order would hide the mistake."""

    code = "idempotency_key_reused"


def request_digest(lines: Sequence[tuple[str, int]] | None, button_id: str | None = None) -> str:
    """What an order request asks for, independent of how it is written: the cart, or each product with its
    total quantity (order and repetition of lines do not matter), and the button that asked."""
    if lines is None:
        wanted = "cart"
    else:
        totals: dict[str, int] = {}
        for product_id, quantity in lines:
            totals[product_id] = totals.get(product_id, 0) + quantity
        wanted = ";".join(f"{p}={q}" for p, q in sorted(totals.items()))
    text = f"{wanted}|{button_id or ''}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _same_request(existing: Order, digest: str) -> PlacedOrder:
    if existing.request_digest is not None and existing.request_digest != digest:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was used for a different order request; send a new key for a new request "
            "(the same key with the same request returns the first order).",
            order_id=existing.id,
        )
    return PlacedOrder(existing, created=False)


class OrderService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    # -- reading back before a yes -------------------------------------------------------------
    def quote(
        self, household_id: str, lines: Sequence[tuple[str, int]] | None = None, *, channel: str = "api"
    ) -> Quote:
        """Price `lines`, or the cart when none are given, with savings and the delivery day."""
        with self.store.unit_of_work(write=False) as uow:
            household = load_household(uow, household_id)
            if lines is None:
                lines = [(ln.product_id, ln.quantity) for ln in uow.carts.lines(household_id)]
            priced = priced_lines(uow, lines)
        return Quote(
            tuple(priced),
            order_totals(priced, household),
            estimated_delivery(self.clock.now(), household),
            code_required(household, channel),
        )

    # -- placing ---------------------------------------------------------------------------------
    def checkout(
        self,
        household_id: str,
        *,
        channel: str,
        member_id: str | None = None,
        idempotency_key: str | None = None,
        purchase_code: str | None = None,
    ) -> PlacedOrder:
        """Turn the shared cart into an order and empty the cart, in one transaction."""
        return self._place(
            household_id,
            None,
            channel=channel,
            member_id=member_id,
            idempotency_key=idempotency_key,
            purchase_code=purchase_code,
        )

    def place(
        self,
        household_id: str,
        lines: Sequence[tuple[str, int]],
        *,
        channel: str,
        member_id: str | None = None,
        idempotency_key: str | None = None,
        purchase_code: str | None = None,
        button_id: str | None = None,
    ) -> PlacedOrder:
        """Order `lines` directly (a reorder, a button press), leaving the cart as it is."""
        return self._place(
            household_id,
            list(lines),
            channel=channel,
            member_id=member_id,
            idempotency_key=idempotency_key,
            purchase_code=purchase_code,
            button_id=button_id,
        )

    def _place(
        self,
        household_id: str,
        lines: list[tuple[str, int]] | None,
        *,
        channel: str,
        member_id: str | None,
        idempotency_key: str | None,
        purchase_code: str | None,
        button_id: str | None = None,
    ) -> PlacedOrder:
        validate_channel(channel)
        key = _check_key(idempotency_key)
        digest = request_digest(lines, button_id) if key is not None else None
        now = self.clock.now()
        refused: BackendError | None = None
        try:
            # One transaction: the retry check, the trust rules, the order and the emptied cart. The write
            # lock taken at its start means no other writer of this household can slip in between a check
            # and its write; other households' orders go on meanwhile.
            with self.store.unit_of_work(household=household_id) as uow:
                if key is not None:
                    found, keyed_order_id = uow.households.get_with_keyed_order(household_id, key)
                    existing = uow.orders.get(keyed_order_id) if keyed_order_id is not None else None
                    if existing is not None:
                        # A retry: answer with the first outcome, before any rule or code is checked again.
                        return _same_request(existing, digest or "")
                    household = _found(found, household_id)
                else:
                    household = load_household(uow, household_id)
                check_member(household, member_id)
                if code_required(household, channel):
                    try:
                        verify_code(uow, household, purchase_code, now)
                    except BackendError as exc:
                        refused = exc  # the counted attempt commits with this transaction; then refuse
                if refused is None:
                    order = self._add_order(uow, household, lines, channel, member_id, key, button_id, digest, now)
        except DuplicateIdempotencyKey as exc:
            return self._placed_by_key(household_id, key, digest, exc)
        except EmptyCart as exc:
            # A store without snapshot reads (DynamoDB) can see the cart a concurrent checkout with the same
            # key just emptied, after finding no order under the key: that order is the answer.
            if key is None or lines is not None:
                raise
            return self._placed_by_key(household_id, key, digest, exc)
        if refused is not None:
            raise refused
        observe.emit("order_placed", channel=channel)
        return PlacedOrder(order, created=True)

    def _placed_by_key(self, household_id: str, key: str | None, digest: str | None, error: Exception) -> PlacedOrder:
        """The order another request placed with `key` (it won a race this request lost), else `error`."""
        with self.store.unit_of_work(write=False) as uow:
            existing = uow.orders.get_by_idempotency_key(household_id, key or "")
        if existing is None:
            raise error
        return _same_request(existing, digest or "")

    def _add_order(
        self,
        uow: UnitOfWork,
        household: Household,
        lines: list[tuple[str, int]] | None,
        channel: str,
        member_id: str | None,
        key: str | None,
        button_id: str | None,
        digest: str | None,
        now: datetime,
    ) -> Order:
        from_cart = lines is None
        requested = (
            lines if lines is not None else [(ln.product_id, ln.quantity) for ln in uow.carts.lines(household.id)]
        )
        if from_cart and not requested:
            raise EmptyCart("Your cart is empty.")
        order = place_in_uow(
            uow,
            household,
            requested,
            channel=channel,
            now=now,
            member_id=member_id,
            button_id=button_id,
            idempotency_key=key,
            request_digest=digest,
        )
        if from_cart:
            uow.carts.clear(household.id)
        return order

    def review_cart(self, household_id: str, member_id: str | None, channel: str) -> CartReview:
        """The cart to read out and whether to offer checking it out, in one read: the offer is only made
        to someone the checkout would not refuse for who they are (a child) or a purchase lock."""
        with self.store.unit_of_work(write=False) as uow:
            household = load_household(uow, household_id)
            cart = Cart(household_id, tuple(uow.carts.lines(household_id)), household.discount_pct)
            try:
                check_member(household, member_id)
                if code_required(household, channel):
                    check_lock(uow, household, self.clock.now())
            except PurchaseNotAllowed:
                return CartReview(cart, "child")
            except PurchasingLocked:
                return CartReview(cart, "locked")
        return CartReview(cart, None)

    def check_purchase_allowed(self, household_id: str, member_id: str | None, channel: str) -> bool:
        """Before a voice purchase dialog starts: raises if this member may not buy or purchasing is
        locked; returns whether a purchase code will be asked for."""
        with self.store.unit_of_work(write=False) as uow:
            household = load_household(uow, household_id)
            check_member(household, member_id)
            if code_required(household, channel):
                check_lock(uow, household, self.clock.now())
                return True
        return False

    # -- tracking --------------------------------------------------------------------------------
    def advance_fulfilment(self, now: datetime | None = None, household_id: str | None = None) -> int:
        """Move every due order along (shipped, out for delivery, delivered), each change with its
        notification in one transaction. Returns how many status changes were made."""
        now = now or self.clock.now()
        # Most reads find nothing due: look first without taking the write lock every caller would wait on.
        with self.store.unit_of_work(write=False) as uow:
            if not uow.orders.due(now, limit=1, household_id=household_id):
                return 0
        changed = 0
        while True:
            with self.store.unit_of_work() as uow:
                due = uow.orders.due(now, limit=200, household_id=household_id)
                households: dict[str, Household] = {}
                for order in due:
                    household = households.get(order.household_id) or load_household(uow, order.household_id)
                    households[order.household_id] = household
                    for change in advance_order(order, household, now):
                        uow.orders.record_change(order, change)
                        uow.outbox.add(order_notification(order, change.status, change.at, household))
                        changed += 1
            if len(due) < 200:
                return changed

    def _read_current(self, household_id: str, read: Callable[[UnitOfWork], T]) -> T:
        """`read(uow)` with every status change that is due applied first. The usual case, nothing due,
        costs one transaction: the due check and the read share it."""
        now = self.clock.now()
        with self.store.unit_of_work(write=False) as uow:
            if not uow.orders.due(now, limit=1, household_id=household_id):
                return read(uow)
        self.advance_fulfilment(now, household_id=household_id)
        with self.store.unit_of_work(write=False) as uow:
            return read(uow)

    def get(self, household_id: str, order_id: str) -> Order:
        order = self._read_current(household_id, lambda uow: uow.orders.get(order_id))
        if order is None or order.household_id != household_id:
            # Another household's order is reported exactly like a missing one: nothing leaks.
            raise NotFound(f"There is no order {order_id!r}.")
        return order

    def recent(self, household_id: str, limit: int = 10) -> list[Order]:
        def read(uow: UnitOfWork) -> list[Order]:
            load_household(uow, household_id)
            return uow.orders.list_for_household(household_id, limit)

        return self._read_current(household_id, read)

    def in_flight(self, household_id: str, limit: int = 10) -> list[Order]:
        """Orders on their way, newest first."""

        def read(uow: UnitOfWork) -> list[Order]:
            load_household(uow, household_id)
            return uow.orders.open_orders(household_id, limit)

        return self._read_current(household_id, read)

    def recent_orders_of(
        self, household_id: str, product_ids: Iterable[str], within_days: int = RECENT_ORDER_DAYS, limit: int = 50
    ) -> list[Order]:
        """Orders with any of `product_ids` that are on their way, or were placed within `within_days`
        (cancelled ones do not count), newest first: what a second order of the same thing would repeat.
        `limit=1` when only the newest is wanted (each order is read whole, with its lines)."""
        wanted = set(product_ids)
        since = self.clock.now() - timedelta(days=within_days)

        def read(uow: UnitOfWork) -> list[Order]:
            load_household(uow, household_id)
            return uow.orders.recent_with_products(household_id, wanted, since, limit)

        return self._read_current(household_id, read)

    def tracking(self, household_id: str, product_id: str | None = None, limit: int = 3) -> Tracking:
        """What "where's my order" answers: up to `limit` orders on their way (with `product_id`, when
        given), or else the latest finished one, so there is always something to say when there is history."""

        def read(uow: UnitOfWork) -> Tracking:
            household = load_household(uow, household_id)
            on_the_way = [o for o in uow.orders.open_orders(household_id, 50) if _has(o, product_id)][:limit]
            last = None
            if not on_the_way:
                last = next(
                    (
                        o
                        for o in uow.orders.list_for_household(household_id, 1 if product_id is None else 50)
                        if _has(o, product_id)
                    ),
                    None,
                )
            return Tracking(tuple(on_the_way), last, household)

        return self._read_current(household_id, read)

    # -- cancelling ------------------------------------------------------------------------------
    def cancel(self, household_id: str, order_id: str, *, reason: str = "") -> Order:
        for _ in range(3):
            now = self.clock.now()
            with self.store.unit_of_work(household=household_id) as uow:
                # An order that has shipped by now can no longer be cancelled: statuses are brought up to
                # date first (rarely needed, so checked under the same lock rather than done every time).
                if not uow.orders.due(now, limit=1, household_id=household_id):
                    order = uow.orders.get(order_id)
                    if order is None or order.household_id != household_id:
                        raise NotFound(f"There is no order {order_id!r}.")
                    household = load_household(uow, household_id)
                    change = cancel_order(order, now, reason)
                    uow.orders.record_change(order, change)
                    uow.outbox.add(order_notification(order, OrderStatus.CANCELLED, change.at, household))
                    return order
            self.advance_fulfilment(now, household_id=household_id)
        raise StoreUnavailable("Order statuses kept changing while cancelling; please try again.")

    def cancellable_products(self, household_id: str) -> list[str]:
        """The products of the orders that can still be cancelled, newest order first, each once."""
        lines = (ln.product_id for o in self.in_flight(household_id, limit=50) if o.cancellable for ln in o.lines)
        return list(dict.fromkeys(lines))

    def latest_cancellable(self, household_id: str, product_ids: Iterable[str] | None = None) -> Order:
        wanted = set(product_ids) if product_ids is not None else None
        for order in self.in_flight(household_id, limit=50):
            if not order.cancellable:
                continue
            if wanted is None or wanted & {ln.product_id for ln in order.lines}:
                return order
        raise NotCancellable("There is no order that can still be cancelled.")

    # -- buying again ----------------------------------------------------------------------------
    def buy_it_again(self, household_id: str, limit: int = 5) -> list[BuyAgainItem]:
        """Products this household buys, ranked by how often and how recently (a 30-day half-life)."""
        now = self.clock.now()
        with self.store.unit_of_work(write=False) as uow:
            load_household(uow, household_id)
            history = uow.orders.purchase_history(household_id)
            products = uow.products.get_many(item.product_id for item in history)
        ranked = []
        for item in history:
            product = products.get(item.product_id)
            if product is None or product.discontinued:
                continue
            age_days = max(0.0, (now - item.last_ordered_at).total_seconds() / 86400)
            score = item.times_ordered * math.pow(0.5, age_days / 30)
            ranked.append(BuyAgainItem(product, item.last_quantity, item.times_ordered, item.last_ordered_at, score))
        ranked.sort(key=lambda i: (-i.score, i.product.id))
        return ranked[:limit]

    def purchase_counts(self, household_id: str) -> dict[str, int]:
        """product id → times ordered: the prior that makes "diapers" mean the diapers they buy."""
        with self.store.unit_of_work(write=False) as uow:
            return uow.orders.purchase_counts(household_id)

    def last_quantity(self, household_id: str, product_id: str) -> int | None:
        with self.store.unit_of_work(write=False) as uow:
            return uow.orders.last_quantity(household_id, product_id)


def order_summary(order: Order) -> str:
    """A short text listing of an order's lines, e.g. for cards."""
    return "; ".join(f"{ln.quantity} x {ln.name}" for ln in order.lines)


__all__ = ["OrderService", "PlacedOrder", "Quote", "Tracking", "BuyAgainItem", "order_summary", "NotFound"]
