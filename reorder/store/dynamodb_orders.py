"""Orders in the DynamoDB table: in the household's partition, by id and idempotency key, and the sparse
queue of orders due a fulfilment step."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime
from typing import Any

from reorder.domain.model import Order, OrderStatus, StatusChange
from reorder.store import records
from reorder.store.base import (
    PurchasedItem,
)
from reorder.store.dynamodb_table import GSI2, _doc, _Txn


class DynamoOrders:
    def __init__(self, t: _Txn) -> None:
        self.t = t

    @staticmethod
    def _sk(order: Order) -> str:
        return f"ORDER#{records._ts(order.placed_at)}#{order.id}"

    def _put(self, order: Order) -> None:
        item: dict[str, Any] = {
            "PK": f"HH#{order.household_id}",
            "SK": self._sk(order),
            "doc": json.dumps(records.order_to_doc(order)),
        }
        if order.next_transition_at is not None:
            item["GSI2PK"] = "DUE"
            item["GSI2SK"] = f"{records._ts(order.next_transition_at)}#{order.id}"
        self.t.put(item)

    def add(self, order: Order) -> None:
        if order.idempotency_key is not None:
            self.t.put(
                {"PK": f"IDEMP#{order.household_id}#{order.idempotency_key}", "SK": "#", "order_id": order.id},
                must_not_exist=True,
                tag=("idempotency", order.idempotency_key),
            )
        self.t.put(
            {"PK": f"ORDER#{order.id}", "SK": "#", "household_id": order.household_id, "order_sk": self._sk(order)},
            must_not_exist=True,
            tag=("unique", "order id collision"),
        )
        self._put(order)

    def get(self, order_id: str) -> Order | None:
        pointer = self.t.get(f"ORDER#{order_id}", "#")
        if pointer is None:
            return None
        item = self.t.get(f"HH#{pointer['household_id']}", pointer["order_sk"])
        return records.order_from_doc(_doc(item)) if item else None

    def get_by_idempotency_key(self, household_id: str, key: str) -> Order | None:
        pointer = self.t.get(f"IDEMP#{household_id}#{key}", "#")
        return self.get(pointer["order_id"]) if pointer else None

    def list_for_household(self, household_id: str, limit: int = 20) -> list[Order]:
        items = self.t.query(f"HH#{household_id}", "ORDER#", descending=True, limit=limit)
        return [records.order_from_doc(_doc(i)) for i in items]

    def open_orders(self, household_id: str, limit: int = 20) -> list[Order]:
        # Finished orders stay in the household's partition; one query over it, newest first, filtered here.
        orders = self.list_for_household(household_id, limit=10_000)
        return [o for o in orders if o.status.in_flight][:limit]

    def recent_with_products(
        self, household_id: str, product_ids: Collection[str], since: datetime, limit: int = 50
    ) -> list[Order]:
        # The household's partition, newest first, filtered here (as open_orders does).
        wanted = set(product_ids)
        return [
            o
            for o in self.list_for_household(household_id, limit=50)
            if o.status is not OrderStatus.CANCELLED
            and (o.status.in_flight or o.placed_at >= since)
            and any(ln.product_id in wanted for ln in o.lines)
        ][:limit]

    def purchase_counts(self, household_id: str) -> dict[str, int]:
        return {i.product_id: i.times_ordered for i in self.purchase_history(household_id)}

    def last_quantity(self, household_id: str, product_id: str) -> int | None:
        return next((i.last_quantity for i in self.purchase_history(household_id) if i.product_id == product_id), None)

    def record_change(self, order: Order, change: StatusChange) -> None:
        # The order document carries its whole history, `change` included by the domain already.
        self._put(order)

    def due(self, now: datetime, limit: int = 500, household_id: str | None = None) -> list[Order]:
        if household_id is not None:
            orders = self.list_for_household(household_id, limit=10_000)
            due = [o for o in orders if o.next_transition_at is not None and o.next_transition_at <= now]
            return sorted(due, key=lambda o: o.next_transition_at)[:limit]  # type: ignore[arg-type,return-value]
        # The sparse index lists only orders with a step ahead; it is eventually consistent, so each
        # candidate is read again from the table before it is returned.
        items = self.t.query("DUE", "", index=GSI2, upto=f"{records._ts(now)}#~", limit=limit)
        out = []
        for item in items:
            order = records.order_from_doc(_doc(self.t.get(item["PK"], item["SK"])) or _doc(item))
            if order.next_transition_at is not None and order.next_transition_at <= now:
                out.append(order)
        return out

    def purchase_history(self, household_id: str) -> list[PurchasedItem]:
        orders = [records.order_from_doc(_doc(i)) for i in self.t.query(f"HH#{household_id}", "ORDER#")]
        stats: dict[str, dict[str, Any]] = {}
        for order in sorted(orders, key=lambda o: o.placed_at):
            if order.status.value == "cancelled":
                continue
            for line in order.lines:
                s = stats.setdefault(line.product_id, {"orders": set(), "qty": 0})
                s["orders"].add(order.id)
                s["qty"] += line.quantity
                s["last_qty"] = line.quantity
                s["last_at"] = order.placed_at
        return [PurchasedItem(pid, len(s["orders"]), s["qty"], s["last_qty"], s["last_at"]) for pid, s in stats.items()]
