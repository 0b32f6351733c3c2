"""JSON shapes of the REST API. Money is integer cents, times are ISO-8601 in UTC."""

from __future__ import annotations

from typing import Any

from reorder.domain.catalog import Product
from reorder.domain.model import Cart, Household, Order
from reorder.services.orders import BuyAgainItem, Quote
from reorder.store.base import Notification


def product_json(p: Product) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": p.id,
        "name": p.name,
        "brand": p.brand,
        "line": p.line,
        "kind": p.kind,
        "category": p.category,
        "variant": p.variant,
        "pack_count": p.pack_count,
        "unit": p.unit,
        "price_cents": p.price_cents,
        "discontinued": p.discontinued,
    }
    if p.water_oz_per_scoop is not None:
        data["water_oz_per_scoop"] = p.water_oz_per_scoop
    if p.weight_min_lb is not None or p.weight_max_lb is not None:
        data["weight_range_lb"] = [p.weight_min_lb, p.weight_max_lb]
    return data


def cart_json(cart: Cart) -> dict[str, Any]:
    totals = cart.totals
    return {
        "household_id": cart.household_id,
        "items": [
            {
                "id": ln.id,
                "product_id": ln.product_id,
                "name": ln.name,
                "quantity": ln.quantity,
                "unit_price_cents": ln.unit_price_cents,
                "line_total_cents": ln.line_total_cents,
                "channel": ln.channel,
                "added_at": ln.added_at.isoformat() if ln.added_at else None,
            }
            for ln in cart.lines
        ],
        "item_count": cart.item_count,
        "subtotal_cents": totals.subtotal_cents,
        "savings_cents": totals.savings_cents,
        "total_cents": totals.total_cents,
    }


def order_json(order: Order) -> dict[str, Any]:
    return {
        "id": order.id,
        "status": order.status.value,
        "channel": order.channel,
        "placed_at": order.placed_at.isoformat(),
        "estimated_delivery": order.estimated_delivery.isoformat(),
        "cancellable": order.cancellable,
        "lines": [
            {
                "product_id": ln.product_id,
                "name": ln.name,
                "quantity": ln.quantity,
                "unit_price_cents": ln.unit_price_cents,
                "line_total_cents": ln.line_total_cents,
            }
            for ln in order.lines
        ],
        "subtotal_cents": order.subtotal_cents,
        "savings_cents": order.savings_cents,
        "total_cents": order.total_cents,
        "button_id": order.button_id,
        "history": [{"status": c.status.value, "at": c.at.isoformat(), "note": c.note} for c in order.history],
    }


def quote_json(quote: Quote) -> dict[str, Any]:
    return {
        "lines": [
            {
                "product_id": ln.product_id,
                "name": ln.name,
                "quantity": ln.quantity,
                "unit_price_cents": ln.unit_price_cents,
            }
            for ln in quote.lines
        ],
        "subtotal_cents": quote.totals.subtotal_cents,
        "savings_cents": quote.totals.savings_cents,
        "total_cents": quote.totals.total_cents,
        "estimated_delivery": quote.estimated_delivery.isoformat(),
    }


def household_json(h: Household) -> dict[str, Any]:
    return {
        "id": h.id,
        "name": h.name,
        "timezone": h.timezone,
        "address_label": h.address_label,
        "member_pricing": h.member_pricing,
        "member_discount_pct": h.member_discount_pct,
        "purchase_code_set": h.purchase_code_hash is not None,
        "spending_limit_cents": h.spending_limit_cents,
        "preferred_delivery_day": h.preferred_delivery_day,
        "is_demo": h.is_demo,
        "members": [{"id": m.id, "name": m.name, "role": m.role.value} for m in h.members],
    }


def buy_again_json(item: BuyAgainItem) -> dict[str, Any]:
    return {
        "product": product_json(item.product),
        "last_quantity": item.last_quantity,
        "times_ordered": item.times_ordered,
        "last_ordered_at": item.last_ordered_at.isoformat(),
    }


def notification_json(n: Notification) -> dict[str, Any]:
    return {
        "id": n.id,
        "kind": n.kind,
        "message": n.message,
        "order_id": n.order_id,
        "created_at": n.created_at.isoformat(),
    }
