"""Households, carts and orders, and the rules that hold whatever channel a request comes from."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from reorder.errors import InvalidInput, InvalidQuantity, NotCancellable

MAX_QUANTITY_PER_LINE = 99
CHANNELS = ("voice", "button", "device", "web", "api")


class Role(StrEnum):
    ADULT = "adult"
    CHILD = "child"


class OrderStatus(StrEnum):
    PLACED = "placed"
    SHIPPED = "shipped"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"

    @property
    def spoken(self) -> str:
        return self.value.replace("_", " ")

    @property
    def in_flight(self) -> bool:
        return self in (OrderStatus.PLACED, OrderStatus.SHIPPED, OrderStatus.OUT_FOR_DELIVERY)


# The only moves an order can make; fulfilment walks the first three, a person may cancel before shipping.
NEXT_STATUS = {
    OrderStatus.PLACED: OrderStatus.SHIPPED,
    OrderStatus.SHIPPED: OrderStatus.OUT_FOR_DELIVERY,
    OrderStatus.OUT_FOR_DELIVERY: OrderStatus.DELIVERED,
}


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    name: str
    role: Role = Role.ADULT
    birth_date: date | None = None

    @property
    def is_child(self) -> bool:
        return self.role is Role.CHILD


@dataclass(slots=True)
class Household:
    id: str
    name: str
    timezone: str = "America/New_York"
    address_label: str = ""
    member_pricing: bool = False
    member_discount_pct: int = 5
    purchase_code_hash: str | None = None
    spending_limit_cents: int | None = None
    preferred_delivery_day: int | None = None  # 0 = Monday … 6 = Sunday; groups deliveries into one day
    is_demo: bool = False
    members: list[Member] = field(default_factory=list)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def member(self, member_id: str | None) -> Member | None:
        return next((m for m in self.members if m.id == member_id), None)

    @property
    def children(self) -> list[Member]:
        return [m for m in self.members if m.is_child]

    @property
    def discount_pct(self) -> int:
        return self.member_discount_pct if self.member_pricing else 0


def validate_household_settings(household: Household) -> None:
    try:
        ZoneInfo(household.timezone)
    except Exception as exc:  # ZoneInfo raises several kinds for a bad key
        raise InvalidInput(f"Unknown time zone {household.timezone!r}.") from exc
    if not household.name.strip():
        raise InvalidInput("A household needs a name.")
    if not 0 <= household.member_discount_pct <= 50:
        raise InvalidInput("The member discount must be between 0 and 50 percent.")
    if household.spending_limit_cents is not None and household.spending_limit_cents <= 0:
        raise InvalidInput("A spending limit must be a positive amount.")
    if household.preferred_delivery_day is not None and household.preferred_delivery_day not in range(7):
        raise InvalidInput("The preferred delivery day must be 0 (Monday) to 6 (Sunday).")


def validate_quantity(quantity: object) -> int:
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise InvalidQuantity(f"The quantity must be a whole number, not {quantity!r}.")
    if quantity <= 0:
        raise InvalidQuantity("The quantity must be at least 1.")
    if quantity > MAX_QUANTITY_PER_LINE:
        raise InvalidQuantity(
            f"{quantity} is more than the {MAX_QUANTITY_PER_LINE} allowed on one line.",
            max=MAX_QUANTITY_PER_LINE,
        )
    return quantity


def validate_channel(channel: str) -> str:
    if channel not in CHANNELS:
        raise InvalidInput(f"Unknown channel {channel!r}; use one of {', '.join(CHANNELS)}.")
    return channel


@dataclass(frozen=True, slots=True)
class Totals:
    subtotal_cents: int
    savings_cents: int

    @property
    def total_cents(self) -> int:
        return self.subtotal_cents - self.savings_cents


def member_savings(subtotal_cents: int, discount_pct: int) -> int:
    # Round half down so the spoken saving never exceeds what is actually taken off.
    return (subtotal_cents * discount_pct) // 100


@dataclass(frozen=True, slots=True)
class CartLine:
    id: str
    product_id: str
    quantity: int
    unit_price_cents: int
    name: str
    added_by: str | None = None
    channel: str = "api"
    added_at: datetime | None = None

    @property
    def line_total_cents(self) -> int:
        return self.unit_price_cents * self.quantity


@dataclass(frozen=True, slots=True)
class Cart:
    household_id: str
    lines: tuple[CartLine, ...]
    discount_pct: int = 0

    @property
    def totals(self) -> Totals:
        subtotal = sum(line.line_total_cents for line in self.lines)
        return Totals(subtotal, member_savings(subtotal, self.discount_pct))

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    def line(self, line_id: str) -> CartLine | None:
        return next((line for line in self.lines if line.id == line_id), None)


@dataclass(frozen=True, slots=True)
class OrderLine:
    product_id: str
    name: str
    quantity: int
    unit_price_cents: int

    @property
    def line_total_cents(self) -> int:
        return self.unit_price_cents * self.quantity


@dataclass(frozen=True, slots=True)
class StatusChange:
    status: OrderStatus
    at: datetime
    note: str = ""


@dataclass(slots=True)
class Order:
    id: str
    household_id: str
    lines: list[OrderLine]
    subtotal_cents: int
    savings_cents: int
    status: OrderStatus
    channel: str
    placed_at: datetime
    estimated_delivery: date
    member_id: str | None = None
    idempotency_key: str | None = None
    button_id: str | None = None
    history: list[StatusChange] = field(default_factory=list)
    next_transition_at: datetime | None = None
    # A digest of what was asked for with the idempotency key (`request_digest` in services/orders.py).
    request_digest: str | None = None

    @property
    def total_cents(self) -> int:
        return self.subtotal_cents - self.savings_cents

    @property
    def cancellable(self) -> bool:
        return self.status is OrderStatus.PLACED

    def status_changed_at(self, status: OrderStatus) -> datetime | None:
        return next((c.at for c in self.history if c.status is status), None)


# Fulfilment is simulated: an order ships, goes out and arrives on a schedule fixed when it is placed.
EARLIEST_DELIVERY_DAYS = 2
SHIP_NOT_BEFORE = timedelta(hours=12)  # the cancel window: an order can be cancelled until it ships
OUT_FOR_DELIVERY_AT = time(8, 0)
DELIVERED_AT = time(14, 0)


def estimated_delivery(placed_at: datetime, household: Household) -> date:
    local = placed_at.astimezone(household.tz).date()
    eta = local + timedelta(days=EARLIEST_DELIVERY_DAYS)
    if household.preferred_delivery_day is not None:
        # Group deliveries: wait for the household's day rather than arrive sooner on another one.
        eta += timedelta(days=(household.preferred_delivery_day - eta.weekday()) % 7)
    return eta


def fulfilment_schedule(placed_at: datetime, eta: date, household: Household) -> dict[OrderStatus, datetime]:
    tz = household.tz
    day_before = datetime.combine(eta - timedelta(days=1), time(9, 0), tz)
    shipped = max(placed_at + SHIP_NOT_BEFORE, day_before)
    out = max(datetime.combine(eta, OUT_FOR_DELIVERY_AT, tz), shipped + timedelta(hours=1))
    delivered = max(datetime.combine(eta, DELIVERED_AT, tz), out + timedelta(hours=1))
    return {
        OrderStatus.SHIPPED: shipped,
        OrderStatus.OUT_FOR_DELIVERY: out,
        OrderStatus.DELIVERED: delivered,
    }


def next_transition_time(order: Order, household: Household) -> datetime | None:
    following = NEXT_STATUS.get(order.status)
    if following is None:
        return None
    return fulfilment_schedule(order.placed_at, order.estimated_delivery, household)[following]


def advance_order(order: Order, household: Household, now: datetime) -> list[StatusChange]:
    """Move an order through every fulfilment step that is due by `now`; returns the changes made."""
    changes: list[StatusChange] = []
    while order.next_transition_at is not None and order.next_transition_at <= now:
        status = NEXT_STATUS[order.status]
        change = StatusChange(status, order.next_transition_at)
        order.status = status
        order.history.append(change)
        changes.append(change)
        order.next_transition_at = next_transition_time(order, household)
    return changes


def cancel_order(order: Order, now: datetime, reason: str = "") -> StatusChange:
    if order.status is OrderStatus.CANCELLED:
        raise NotCancellable(f"Order {order.id} is already cancelled.", order_id=order.id)
    if not order.cancellable:
        raise NotCancellable(
            f"Order {order.id} has already {order.status.spoken} and can no longer be cancelled.",
            order_id=order.id,
            status=order.status.value,
        )
    change = StatusChange(OrderStatus.CANCELLED, now, reason)
    order.status = OrderStatus.CANCELLED
    order.history.append(change)
    order.next_transition_at = None
    return change


def with_quantity(line: CartLine, quantity: int) -> CartLine:
    return replace(line, quantity=validate_quantity(quantity))


def scaled_quantity(quantity: int, factor: float) -> int:
    """A line's count said as a multiple of itself ("double that", "halve it"): rounded half up, never below one
    (halving a single pack leaves the pack; taking it out is said otherwise)."""
    if factor <= 0:
        raise InvalidInput(f"A factor must be above zero, not {factor}.")
    return max(1, int(quantity * factor + 0.5))
