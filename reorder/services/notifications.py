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


def _message(status: OrderStatus, items: str, day: str) -> str:
    if status is OrderStatus.PLACED:
        return f"Your order of {items} is placed and should arrive {day}. You can cancel it until it ships."
    if status is OrderStatus.SHIPPED:
        return f"Your order of {items} has shipped and should arrive {day}."
    if status is OrderStatus.OUT_FOR_DELIVERY:
        return f"Your order of {items} is out for delivery today."
    if status is OrderStatus.DELIVERED:
        return f"Your order of {items} was delivered."
    if status is OrderStatus.CANCELLED:
        return f"Your order of {items} is cancelled. Nothing will be charged."
    raise KeyError(status)


def order_notification(order: Order, status: OrderStatus, at: datetime, household: Household) -> Notification:
    # Only the message for `status` is written (all five were, each time).
    return Notification(
        id=new_id("ntf"),
        household_id=household.id,
        kind=f"order_{status.value}",
        message=_message(status, describe_items(order), order.estimated_delivery.strftime("%A, %B %-d")),
        created_at=at,
        order_id=order.id,
    )
