"""DynamoDB repositories for virtual buttons, their presses and smart devices' supply slots.

Items (single table, see docs/dynamodb.md):

| item | PK | SK |
| --- | --- | --- |
| button | `HH#<household>` | `BUTTON#<id>` |
| button by id | `BUTTON#<id>` | `#` (`household_id`) |
| live button name (unique) | `BTNNAME#<household>#<name key>` | `#` (`button_id`) |
| in-flight claim (unique) | `BTNFLIGHT#<button id>` | `#` (`order_id`) |
| press | `BUTTON#<id>` | `PRESS#<at>#<press id>` |
| press idempotency key (unique) | `PRESSKEY#<button id>#<key>` | `#` (`press_sk`) |
| order placed by the button | `BUTTON#<id>` | `ORDERED#<at>#<order id>` (for the daily cap) |
| order maybe still on its way | `BUTTON#<id>` | `OPEN#<at>#<order id>` (pruned once it arrived) |
| orders today, for a capped button | `BUTTON#<id>` | `DAY#<local midnight>` (`n`, atomic, kept below the cap) |
| device | `HH#<household>` | `DEVICE#<id>#` |
| device supply slot | `HH#<household>` | `DEVICE#<id>#SLOT#<slot>` |
| device by id | `DEVICE#<id>` | `#` (`household_id`) |

Exactly once rests on conditional writes committed in the press's one TransactWriteItems: the claim and
the press key are put with `attribute_not_exists(PK)`, and a stale claim is replaced only at the version
that was read. A press of a capped button that orders also adds one to the button's counter for the day
with the condition `n < cap`, so presses racing past the daily cap cannot all commit, while presses within
it never contend. The losing transaction raises ButtonBusy / DuplicatePressKey, which the button service
answers by reading again: it finds the winner's order, or the cap reached.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from reorder.domain.buttons import Button, ButtonPolicy, Device, DeviceSlot, Press, PressOutcome
from reorder.store.base import ButtonBusy, DuplicateButtonName, DuplicatePressKey
from reorder.store.dynamodb_orders import DynamoOrders
from reorder.store.dynamodb_table import _Txn
from reorder.store.timestamps import parse_ts, ts

PRESS_PAGE = 200


def _button_to_doc(b: Button) -> dict[str, Any]:
    return {
        "id": b.id,
        "household_id": b.household_id,
        "name": b.name,
        "product_id": b.product_id,
        "quantity": b.quantity,
        "allow_multiple": b.policy.allow_multiple,
        "daily_cap": b.policy.daily_cap,
        "device_id": b.device_id,
        "created_at": ts(b.created_at),
        "deleted_at": ts(b.deleted_at),
    }


def _button_from_item(item: dict[str, Any]) -> Button:
    d = json.loads(item["doc"])
    return Button(
        id=d["id"],
        household_id=d["household_id"],
        name=d["name"],
        product_id=d["product_id"],
        quantity=d["quantity"],
        policy=ButtonPolicy(d["allow_multiple"], d["daily_cap"]),
        created_at=parse_ts(d["created_at"]),
        device_id=d["device_id"],
        deleted_at=parse_ts(d["deleted_at"]),
    )


def _press_to_doc(p: Press) -> dict[str, Any]:
    return {
        "id": p.id,
        "button_id": p.button_id,
        "household_id": p.household_id,
        "at": ts(p.at),
        "outcome": p.outcome.value,
        "channel": p.channel,
        "order_id": p.order_id,
        "reason": p.reason,
        "message": p.message,
        "member_id": p.member_id,
        "device_id": p.device_id,
        "idempotency_key": p.idempotency_key,
    }


def _press_from_item(item: dict[str, Any]) -> Press:
    d = json.loads(item["doc"])
    return Press(
        id=d["id"],
        button_id=d["button_id"],
        household_id=d["household_id"],
        at=parse_ts(d["at"]),
        outcome=PressOutcome(d["outcome"]),
        channel=d["channel"],
        order_id=d["order_id"],
        reason=d["reason"],
        message=d["message"],
        member_id=d["member_id"],
        device_id=d["device_id"],
        idempotency_key=d["idempotency_key"],
    )


def _name_pk(household_id: str, name_key: str) -> str:
    return f"BTNNAME#{household_id}#{name_key}"


class DynamoButtons:
    def __init__(self, t: _Txn) -> None:
        self.t = t
        # OPEN# markers whose orders this unit of work saw arrive or cancelled: removed with the next press.
        self._finished: list[tuple[str, str]] = []
        # What count_ordered_since read per button (start of the day, count), for the day's counter.
        self._counted: dict[str, tuple[datetime, int]] = {}

    # -- the button itself ----------------------------------------------------------------------
    def _item(self, button: Button) -> dict[str, Any]:
        return {
            "PK": f"HH#{button.household_id}",
            "SK": f"BUTTON#{button.id}",
            "name_key": button.name_key,
            "doc": json.dumps(_button_to_doc(button)),
        }

    def _claim_name(self, button: Button) -> None:
        self.t.put(
            {"PK": _name_pk(button.household_id, button.name_key), "SK": "#", "button_id": button.id},
            must_not_exist=True,
            error=DuplicateButtonName(f"There is already a button called {button.name!r}.", name=button.name),
        )

    def add(self, button: Button) -> None:
        self.t.put(
            {"PK": f"BUTTON#{button.id}", "SK": "#", "household_id": button.household_id},
            must_not_exist=True,
            tag=("unique", "button id collision"),
        )
        self.t.put(self._item(button), must_not_exist=True, tag=("unique", "button id collision"))
        if not button.deleted:
            self._claim_name(button)

    def update(self, button: Button) -> None:
        current = self.t.get(f"HH#{button.household_id}", f"BUTTON#{button.id}")
        if current is None:
            return  # like an SQL UPDATE of no row
        old = _button_from_item(current)
        old_live, new_live = not old.deleted, not button.deleted
        if old_live and (not new_live or old.name_key != button.name_key):
            # The button item's version check below makes this name item ours to drop.
            self.t.delete(_name_pk(old.household_id, old.name_key), "#")
        if new_live and (not old_live or old.name_key != button.name_key):
            self._claim_name(button)
        self.t.put(self._item(button))

    def get(self, button_id: str) -> Button | None:
        pointer = self.t.get(f"BUTTON#{button_id}", "#")
        if pointer is None:
            return None
        item = self.t.get(f"HH#{pointer['household_id']}", f"BUTTON#{button_id}")
        return _button_from_item(item) if item else None

    def get_by_name_key(self, household_id: str, name_key: str) -> Button | None:
        pointer = self.t.get(_name_pk(household_id, name_key), "#")
        if pointer is None:
            return None
        item = self.t.get(f"HH#{household_id}", f"BUTTON#{pointer['button_id']}")
        button = _button_from_item(item) if item else None
        return button if button is not None and not button.deleted else None

    def list_for_household(self, household_id: str, *, include_device: bool = False) -> list[Button]:
        buttons = [_button_from_item(i) for i in self.t.query(f"HH#{household_id}", "BUTTON#")]
        live = [b for b in buttons if not b.deleted and (include_device or b.device_id is None)]
        return sorted(live, key=lambda b: (b.name_key, b.id))

    # -- the one-order-in-flight claim ----------------------------------------------------------
    def claim_inflight(self, button_id: str, order_id: str, at: datetime) -> None:
        # If this unit of work released a stale claim, the write keeps that delete's "version I read"
        # condition; otherwise the claim must not exist. Either way a racing claim cancels one transaction.
        self.t.put(
            {"PK": f"BTNFLIGHT#{button_id}", "SK": "#", "order_id": order_id, "claimed_at": ts(at)},
            must_not_exist=True,
            error=ButtonBusy("This button already has an order on its way.", button_id=button_id),
        )

    def inflight_claim(self, button_id: str) -> str | None:
        item = self.t.get(f"BTNFLIGHT#{button_id}", "#")
        return item["order_id"] if item else None

    def release_inflight(self, button_id: str) -> None:
        if self.t.get(f"BTNFLIGHT#{button_id}", "#") is not None:
            self.t.delete(f"BTNFLIGHT#{button_id}", "#")

    def open_order_ids(self, button_id: str) -> list[str]:
        out = []
        orders = DynamoOrders(self.t)
        for marker in self.t.query(f"BUTTON#{button_id}", "OPEN#"):
            order = orders.get(marker["order_id"])
            if order is not None and order.status.in_flight:
                out.append(order.id)
            else:
                self._finished.append((marker["PK"], marker["SK"]))
        return out

    # -- presses --------------------------------------------------------------------------------
    def add_press(self, press: Press) -> None:
        sk = f"PRESS#{ts(press.at)}#{press.id}"
        if press.idempotency_key is not None:
            self.t.put(
                {"PK": f"PRESSKEY#{press.button_id}#{press.idempotency_key}", "SK": "#", "press_sk": sk},
                must_not_exist=True,
                error=DuplicatePressKey("This press was recorded already.", key=press.idempotency_key),
            )
        self.t.put(
            {
                "PK": f"BUTTON#{press.button_id}",
                "SK": sk,
                "outcome": press.outcome.value,
                "doc": json.dumps(_press_to_doc(press)),
            },
            must_not_exist=True,
            tag=("unique", "press id collision"),
        )
        for pk, marker_sk in self._finished:
            self.t.delete(pk, marker_sk)
        self._finished.clear()
        if press.outcome is PressOutcome.ORDERED and press.order_id is not None:
            suffix = f"{ts(press.at)}#{press.order_id}"
            self.t.put({"PK": f"BUTTON#{press.button_id}", "SK": f"ORDERED#{suffix}", "order_id": press.order_id})
            self.t.put({"PK": f"BUTTON#{press.button_id}", "SK": f"OPEN#{suffix}", "order_id": press.order_id})
            self._count_against_cap(press.button_id)

    def _count_against_cap(self, button_id: str) -> None:
        if button_id not in self._counted:
            return  # no cap was checked: nothing to hold
        since, counted = self._counted[button_id]
        button = self.get(button_id)
        cap = button.policy.daily_cap if button is not None else None
        if cap is None:
            return
        # Starting from the count read keeps orders placed before the cap was set in the day's total.
        self.t.add_to_counter(
            f"BUTTON#{button_id}",
            f"DAY#{ts(since)}",
            start=counted,
            below=cap,
            error=ButtonBusy("Another press of this button just ordered.", button_id=button_id),
        )

    def press_by_key(self, button_id: str, key: str) -> Press | None:
        pointer = self.t.get(f"PRESSKEY#{button_id}#{key}", "#")
        if pointer is None:
            return None
        item = self.t.get(f"BUTTON#{button_id}", pointer["press_sk"])
        return _press_from_item(item) if item else None

    def presses(self, button_id: str, limit: int = 50) -> list[Press]:
        if limit <= 0:
            return []
        items = self.t.query(
            f"BUTTON#{button_id}", "PRESS#", descending=True, limit=limit, page_size=min(limit, PRESS_PAGE)
        )
        return [_press_from_item(i) for i in items]

    def count_ordered_since(self, button_id: str, since: datetime) -> int:
        count = len(self.t.query(f"BUTTON#{button_id}", f"ORDERED#{ts(since)}", upto="ORDERED#~"))
        self._counted[button_id] = (since, count)
        return count

    def outcome_counts(self, button_id: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self.t.query(f"BUTTON#{button_id}", "PRESS#"):
            counts[item["outcome"]] = counts.get(item["outcome"], 0) + 1
        return counts


class DynamoDevices:
    def __init__(self, t: _Txn) -> None:
        self.t = t

    def add(self, device: Device) -> None:
        hh = f"HH#{device.household_id}"
        self.t.put(
            {"PK": f"DEVICE#{device.id}", "SK": "#", "household_id": device.household_id},
            must_not_exist=True,
            tag=("unique", "device id collision"),
        )
        self.t.put(
            {
                "PK": hh,
                "SK": f"DEVICE#{device.id}#",
                "doc": json.dumps(
                    {
                        "id": device.id,
                        "household_id": device.household_id,
                        "name": device.name,
                        "model": device.model,
                        "created_at": ts(device.created_at),
                    }
                ),
            },
            must_not_exist=True,
            tag=("unique", "device id collision"),
        )
        for s in device.slots:
            self.t.put(
                {
                    "PK": hh,
                    "SK": f"DEVICE#{device.id}#SLOT#{s.slot}",
                    "doc": json.dumps(
                        {
                            "slot": s.slot,
                            "button_id": s.button_id,
                            "capacity": s.capacity,
                            "threshold": s.threshold,
                            "remaining": s.remaining,
                            "status_at": ts(s.status_at),
                        }
                    ),
                },
                must_not_exist=True,
                tag=("unique", f"Each slot of a device needs its own name ({s.slot!r})."),
            )

    def _devices(self, household_id: str, items: list[dict[str, Any]]) -> list[Device]:
        devices: dict[str, Device] = {}
        slot_docs: list[tuple[str, dict[str, Any]]] = []
        for item in items:
            device_id, _, rest = item["SK"][len("DEVICE#") :].partition("#")
            doc = json.loads(item["doc"])
            if rest:
                slot_docs.append((device_id, doc))
            else:
                devices[device_id] = Device(
                    doc["id"], doc["household_id"], doc["name"], doc["model"], parse_ts(doc["created_at"]), []
                )
        # Like the SQL join: what a slot orders is its button's product and quantity as they are now.
        buttons = self.t.batch_get([(f"HH#{household_id}", f"BUTTON#{d['button_id']}") for _, d in slot_docs])
        for device_id, d in sorted(slot_docs, key=lambda pair: pair[1]["slot"]):
            found = buttons.get((f"HH#{household_id}", f"BUTTON#{d['button_id']}"))
            if found is None or device_id not in devices:
                continue
            button = _button_from_item(found)
            devices[device_id].slots.append(
                DeviceSlot(
                    device_id,
                    d["slot"],
                    d["button_id"],
                    button.product_id,
                    button.quantity,
                    d["capacity"],
                    d["threshold"],
                    d["remaining"],
                    parse_ts(d["status_at"]),
                )
            )
        return sorted(devices.values(), key=lambda dev: (ts(dev.created_at), dev.id))

    def get(self, device_id: str) -> Device | None:
        pointer = self.t.get(f"DEVICE#{device_id}", "#")
        if pointer is None:
            return None
        household_id = pointer["household_id"]
        found = self._devices(household_id, self.t.query(f"HH#{household_id}", f"DEVICE#{device_id}#"))
        return found[0] if found else None

    def list_for_household(self, household_id: str) -> list[Device]:
        return self._devices(household_id, self.t.query(f"HH#{household_id}", "DEVICE#"))

    def set_slot_status(self, device_id: str, slot: str, remaining: float, at: datetime) -> None:
        pointer = self.t.get(f"DEVICE#{device_id}", "#")
        if pointer is None:
            return
        item = self.t.get(f"HH#{pointer['household_id']}", f"DEVICE#{device_id}#SLOT#{slot}")
        if item is None:
            return
        doc = json.loads(item["doc"])
        doc["remaining"], doc["status_at"] = remaining, ts(at)
        self.t.put({**item, "doc": json.dumps(doc)})  # at the version read: a racing report asks to retry
