"""Building an order inside a unit of work someone else holds, so a use case (a button press) can place it
and record why in one transaction. The pricing and trust rules are the order service's own helpers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from reorder.domain.model import (
    Household,
    Order,
    OrderStatus,
    StatusChange,
    advance_order,
    estimated_delivery,
    next_transition_time,
)
from reorder.services.ids import new_order_id
from reorder.services.notifications import order_notification
from reorder.services.orders import _priced_lines, _totals
from reorder.services.purchase_policy import check_spending_limit
from reorder.store.base import UnitOfWork


def place_in_uow(
    uow: UnitOfWork,
    household: Household,
    requested: Sequence[tuple[str, int]],
    *,
    channel: str,
    now: datetime,
    member_id: str | None = None,
    button_id: str | None = None,
) -> Order:
    """Price `requested`, apply the spending limit, insert the order and its "placed" notification (with
    the cancel window) in `uow`. Raises the order service's errors before writing anything."""
    priced = _priced_lines(uow, list(requested))
    totals = _totals(priced, household)
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
        history=[StatusChange(OrderStatus.PLACED, now)],
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
