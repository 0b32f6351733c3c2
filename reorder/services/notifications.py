"""The words of order notifications, written to the outbox in the same transaction as the change."""

from __future__ import annotations

from datetime import datetime

from reorder.domain.model import Household, Order, OrderStatus
from reorder.services.ids import new_id
from reorder.store.base import Notification


def describe_items(order: Order) -> str:
    names = [line.name.split(",")[0] for line in order.lines]
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} and {len(names) - 1} other items"


def order_notification(order: Order, status: OrderStatus, at: datetime, household: Household) -> Notification:
    items = describe_items(order)
    day = order.estimated_delivery.strftime("%A, %B %-d")
    messages = {
        OrderStatus.PLACED: f"Your order of {items} is placed and should arrive {day}. "
        f"You can cancel it until it ships.",
        OrderStatus.SHIPPED: f"Your order of {items} has shipped and should arrive {day}.",
        OrderStatus.OUT_FOR_DELIVERY: f"Your order of {items} is out for delivery today.",
        OrderStatus.DELIVERED: f"Your order of {items} was delivered.",
        OrderStatus.CANCELLED: f"Your order of {items} is cancelled. Nothing will be charged.",
    }
    return Notification(
        id=new_id("ntf"),
        household_id=household.id,
        kind=f"order_{status.value}",
        message=messages[status],
        created_at=at,
        order_id=order.id,
    )
