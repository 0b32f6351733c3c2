"""Domain records as plain JSON-ready dicts and back, for stores that keep documents (DynamoDB)."""

from __future__ import annotations

from datetime import date
from typing import Any

from reorder.domain.model import (
    CartLine,
    Household,
    Member,
    Order,
    OrderLine,
    OrderStatus,
    Role,
    StatusChange,
)
from reorder.store.base import Notification, TokenRecord
from reorder.store.timestamps import parse_ts, ts

# Documents keep timestamps exactly as the SQL stores do.
_ts = ts
_dt = parse_ts


def household_to_doc(h: Household) -> dict[str, Any]:
    return {
        "id": h.id,
        "name": h.name,
        "timezone": h.timezone,
        "address_label": h.address_label,
        "member_pricing": h.member_pricing,
        "member_discount_pct": h.member_discount_pct,
        "purchase_code_hash": h.purchase_code_hash,
        "spending_limit_cents": h.spending_limit_cents,
        "preferred_delivery_day": h.preferred_delivery_day,
        "is_demo": h.is_demo,
        "members": [
            {
                "id": m.id,
                "name": m.name,
                "role": m.role.value,
                "birth_date": m.birth_date.isoformat() if m.birth_date else None,
            }
            for m in h.members
        ],
    }


def household_from_doc(d: dict[str, Any]) -> Household:
    return Household(
        id=d["id"],
        name=d["name"],
        timezone=d["timezone"],
        address_label=d["address_label"],
        member_pricing=d["member_pricing"],
        member_discount_pct=d["member_discount_pct"],
        purchase_code_hash=d["purchase_code_hash"],
        spending_limit_cents=d["spending_limit_cents"],
        preferred_delivery_day=d["preferred_delivery_day"],
        is_demo=d["is_demo"],
        members=[
            Member(
                m["id"], m["name"], Role(m["role"]), date.fromisoformat(m["birth_date"]) if m["birth_date"] else None
            )
            for m in d["members"]
        ],
    )


def cart_line_to_doc(line: CartLine) -> dict[str, Any]:
    return {
        "id": line.id,
        "product_id": line.product_id,
        "quantity": line.quantity,
        "added_by": line.added_by,
        "channel": line.channel,
        "added_at": _ts(line.added_at),
    }


def order_to_doc(o: Order) -> dict[str, Any]:
    return {
        "id": o.id,
        "household_id": o.household_id,
        "status": o.status.value,
        "channel": o.channel,
        "member_id": o.member_id,
        "subtotal_cents": o.subtotal_cents,
        "savings_cents": o.savings_cents,
        "placed_at": _ts(o.placed_at),
        "estimated_delivery": o.estimated_delivery.isoformat(),
        "idempotency_key": o.idempotency_key,
        "button_id": o.button_id,
        "next_transition_at": _ts(o.next_transition_at),
        "request_digest": o.request_digest,
        "lines": [[ln.product_id, ln.name, ln.quantity, ln.unit_price_cents] for ln in o.lines],
        "history": [[c.status.value, _ts(c.at), c.note] for c in o.history],
    }


def order_from_doc(d: dict[str, Any]) -> Order:
    return Order(
        id=d["id"],
        household_id=d["household_id"],
        lines=[OrderLine(p, n, q, u) for p, n, q, u in d["lines"]],
        subtotal_cents=d["subtotal_cents"],
        savings_cents=d["savings_cents"],
        status=OrderStatus(d["status"]),
        channel=d["channel"],
        placed_at=_dt(d["placed_at"]),
        estimated_delivery=date.fromisoformat(d["estimated_delivery"]),
        member_id=d["member_id"],
        idempotency_key=d["idempotency_key"],
        button_id=d["button_id"],
        history=[StatusChange(OrderStatus(s), _dt(at), note) for s, at, note in d["history"]],
        next_transition_at=_dt(d["next_transition_at"]),
        request_digest=d.get("request_digest"),
    )


def notification_to_doc(n: Notification) -> dict[str, Any]:
    return {
        "id": n.id,
        "household_id": n.household_id,
        "kind": n.kind,
        "message": n.message,
        "created_at": _ts(n.created_at),
        "order_id": n.order_id,
        "delivered_at": _ts(n.delivered_at),
    }


def notification_from_doc(d: dict[str, Any]) -> Notification:
    return Notification(
        d["id"], d["household_id"], d["kind"], d["message"], _dt(d["created_at"]), d["order_id"], _dt(d["delivered_at"])
    )


def token_to_doc(t: TokenRecord) -> dict[str, Any]:
    return {
        "token_hash": t.token_hash,
        "household_id": t.household_id,
        "label": t.label,
        "created_at": _ts(t.created_at),
        "device_id": t.device_id,
    }


def token_from_doc(d: dict[str, Any]) -> TokenRecord:
    return TokenRecord(d["token_hash"], d["household_id"], d["label"], _dt(d["created_at"]), d["device_id"])
