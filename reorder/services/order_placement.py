"""Building an order inside a unit of work someone else holds, so a use case (a button press) can place it
and record why in one transaction. The order service (reorder/services/orders.py) places its orders here
too, so every channel prices and builds an order the same way."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from reorder.domain.model import (
    Household,
    Order,
    OrderLine,
    OrderStatus,
    StatusChange,
    Totals,
    advance_order,
    estimated_delivery,
    member_savings,
    next_transition_time,
    validate_quantity,
)
from reorder.errors import EmptyCart, ProductUnavailable, UnknownProduct
from reorder.services.ids import new_order_id
from reorder.services.notifications import order_notification
from reorder.services.purchase_policy import check_spending_limit
from reorder.store.base import UnitOfWork


def priced_lines(uow: UnitOfWork, requested: Sequence[tuple[str, int]]) -> list[OrderLine]:
    """The requested products at today's prices, quantities of one product merged; raises before any write."""
    if not requested:
        raise EmptyCart("There is nothing to order.")
    merged: dict[str, int] = {}
    for product_id, quantity in requested:
        merged[product_id] = merged.get(product_id, 0) + validate_quantity(quantity)
        validate_quantity(merged[product_id])
    products = uow.products.get_many(merged)
    lines = []
    for product_id, quantity in merged.items():
        product = products.get(product_id)
        if product is None:
            raise UnknownProduct(f"There is no product with id {product_id!r}.", product_id=product_id)
        if product.discontinued:
            raise ProductUnavailable(f"{product.name} is no longer sold.", product_id=product_id)
        lines.append(OrderLine(product_id, product.name, quantity, product.price_cents))
    return lines


def order_totals(lines: Iterable[OrderLine], household: Household) -> Totals:
    subtotal = sum(line.line_total_cents for line in lines)
    return Totals(subtotal, member_savings(subtotal, household.discount_pct))


def place_in_uow(
    uow: UnitOfWork,
    household: Household,
    requested: Sequence[tuple[str, int]],
    *,
    channel: str,
    now: datetime,
    member_id: str | None = None,
    button_id: str | None = None,
    idempotency_key: str | None = None,
    request_digest: str | None = None,
) -> Order:
    """Price `requested`, apply the spending limit, insert the order and its "placed" notification (with
    the cancel window) in `uow`. Raises the order service's errors before writing anything."""
    priced = priced_lines(uow, list(requested))
    totals = order_totals(priced, household)
    check_spending_limit(household, totals.total_cents)
    order = Order(
        id=new_order_id(),
        household_id=household.id,
        lines=priced,
        subtotal_cents=totals.subtotal_cents,
        savings_cents=totals.savings_cents,
        status=OrderStatus.PLACED,
        channel=channel,
        placed_at=now,
        estimated_delivery=estimated_delivery(now, household),
        member_id=member_id,
        button_id=button_id,
        idempotency_key=idempotency_key,
        history=[StatusChange(OrderStatus.PLACED, now)],
        request_digest=request_digest,
    )
    order.next_transition_at = next_transition_time(order, household)
    uow.orders.add(order)
    uow.outbox.add(order_notification(order, OrderStatus.PLACED, now, household))
    return order


def bring_up_to_date(uow: UnitOfWork, order: Order, household: Household, now: datetime) -> None:
    """Apply every fulfilment step due by `now` to one order, with its notifications, in `uow` (what the
    order service's advance_fulfilment does for all due orders)."""
    for change in advance_order(order, household, now):
        uow.orders.record_change(order, change)
        uow.outbox.add(order_notification(order, change.status, change.at, household))
