"""SQLite repositories for virtual buttons, their presses and smart devices' supply slots.

The SQL is kept portable: the PostgreSQL store runs these same repositories and migrations.
The one-order-in-flight rule rests on `button_inflight(button_id PRIMARY KEY)`: a press claims the row in
the same transaction that inserts the order, so a second claim fails in the database itself, whichever
process or host it comes from.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from reorder.domain.buttons import Button, ButtonPolicy, Device, DeviceSlot, Press, PressOutcome
from reorder.store import sql_errors
from reorder.store.base import ButtonBusy, DuplicateButtonName, DuplicatePressKey
from reorder.store.timestamps import parse_ts, ts

IN_FLIGHT = ("placed", "shipped", "out_for_delivery")

BUTTON_COLUMNS = (
    "id, household_id, name, product_id, quantity, allow_multiple, daily_cap, device_id, created_at, deleted_at"
)
PRESS_COLUMNS = (
    "id, button_id, household_id, at, outcome, channel, order_id, reason, message, member_id, "
    "device_id, idempotency_key"
)


def _button(row: sqlite3.Row) -> Button:
    return Button(
        id=row["id"],
        household_id=row["household_id"],
        name=row["name"],
        product_id=row["product_id"],
        quantity=row["quantity"],
        policy=ButtonPolicy(bool(row["allow_multiple"]), row["daily_cap"]),
        created_at=parse_ts(row["created_at"]),
        device_id=row["device_id"],
        deleted_at=parse_ts(row["deleted_at"]),
    )


def _press(row: sqlite3.Row) -> Press:
    return Press(
        id=row["id"],
        button_id=row["button_id"],
        household_id=row["household_id"],
        at=parse_ts(row["at"]),
        outcome=PressOutcome(row["outcome"]),
        channel=row["channel"],
        order_id=row["order_id"],
        reason=row["reason"],
        message=row["message"],
        member_id=row["member_id"],
        device_id=row["device_id"],
        idempotency_key=row["idempotency_key"],
    )


class SqliteButtons:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def add(self, button: Button) -> None:
        try:
            self.conn.execute(
                f"INSERT INTO buttons ({BUTTON_COLUMNS}, name_key) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (
                    button.id,
                    button.household_id,
                    button.name,
                    button.product_id,
                    button.quantity,
                    int(button.policy.allow_multiple),
                    button.policy.daily_cap,
                    button.device_id,
                    ts(button.created_at),
                    ts(button.deleted_at),
                    button.name_key,
                ),
            )
        except sql_errors.INTEGRITY_ERRORS as exc:
            raise self._translate(exc, button) from exc

    def update(self, button: Button) -> None:
        try:
            self.conn.execute(
                "UPDATE buttons SET name = ?, name_key = ?, product_id = ?, quantity = ?, allow_multiple = ?, "
                "daily_cap = ?, deleted_at = ? WHERE id = ?",
                (
                    button.name,
                    button.name_key,
                    button.product_id,
                    button.quantity,
                    int(button.policy.allow_multiple),
                    button.policy.daily_cap,
                    ts(button.deleted_at),
                    button.id,
                ),
            )
        except sql_errors.INTEGRITY_ERRORS as exc:
            raise self._translate(exc, button) from exc

    @staticmethod
    def _translate(exc: Exception, button: Button) -> Exception:
        if "name_key" in str(exc) or "buttons_live_name" in str(exc):
            return DuplicateButtonName(f"There is already a button called {button.name!r}.", name=button.name)
        return exc

    def get(self, button_id: str) -> Button | None:
        row = self.conn.execute(f"SELECT {BUTTON_COLUMNS} FROM buttons WHERE id = ?", (button_id,)).fetchone()
        return _button(row) if row else None

    def get_by_name_key(self, household_id: str, name_key: str) -> Button | None:
        row = self.conn.execute(
            f"SELECT {BUTTON_COLUMNS} FROM buttons WHERE household_id = ? AND name_key = ? AND deleted_at IS NULL",
            (household_id, name_key),
        ).fetchone()
        return _button(row) if row else None

    def list_for_household(self, household_id: str, *, include_device: bool = False) -> list[Button]:
        sql = f"SELECT {BUTTON_COLUMNS} FROM buttons WHERE household_id = ? AND deleted_at IS NULL"
        if not include_device:
            sql += " AND device_id IS NULL"
        return [_button(r) for r in self.conn.execute(sql + " ORDER BY name_key, id", (household_id,))]

    def claim_inflight(self, button_id: str, order_id: str, at: datetime) -> None:
        try:
            self.conn.execute(
                "INSERT INTO button_inflight (button_id, order_id, claimed_at) VALUES (?,?,?)",
                (button_id, order_id, ts(at)),
            )
        except sql_errors.INTEGRITY_ERRORS as exc:
            raise ButtonBusy("This button already has an order on its way.", button_id=button_id) from exc

    def inflight_claim(self, button_id: str) -> str | None:
        row = self.conn.execute("SELECT order_id FROM button_inflight WHERE button_id = ?", (button_id,)).fetchone()
        return row["order_id"] if row else None

    def release_inflight(self, button_id: str) -> None:
        self.conn.execute("DELETE FROM button_inflight WHERE button_id = ?", (button_id,))

    def open_order_ids(self, button_id: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT id FROM orders WHERE button_id = ? AND status IN (?,?,?) ORDER BY placed_at, id",
            (button_id, *IN_FLIGHT),
        )
        return [r["id"] for r in rows]

    def add_press(self, press: Press) -> None:
        try:
            self.conn.execute(
                f"INSERT INTO button_presses ({PRESS_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    press.id,
                    press.button_id,
                    press.household_id,
                    ts(press.at),
                    press.outcome.value,
                    press.channel,
                    press.order_id,
                    press.reason,
                    press.message,
                    press.member_id,
                    press.device_id,
                    press.idempotency_key,
                ),
            )
        except sql_errors.INTEGRITY_ERRORS as exc:
            if "idempotency_key" in str(exc):
                raise DuplicatePressKey("This press was recorded already.", key=press.idempotency_key) from exc
            raise

    def press_by_key(self, button_id: str, key: str) -> Press | None:
        row = self.conn.execute(
            f"SELECT {PRESS_COLUMNS} FROM button_presses WHERE button_id = ? AND idempotency_key = ?",
            (button_id, key),
        ).fetchone()
        return _press(row) if row else None

    def presses(self, button_id: str, limit: int = 50) -> list[Press]:
        rows = self.conn.execute(
            f"SELECT {PRESS_COLUMNS} FROM button_presses WHERE button_id = ? ORDER BY at DESC, id DESC LIMIT ?",
            (button_id, limit),
        )
        return [_press(r) for r in rows]

    def count_ordered_since(self, button_id: str, since: datetime) -> int:
        row = self.conn.execute(
            "SELECT COUNT(*) FROM button_presses WHERE button_id = ? AND outcome = 'ordered' AND at >= ?",
            (button_id, ts(since)),
        ).fetchone()
        return int(row[0])

    def outcome_counts(self, button_id: str) -> dict[str, int]:
        rows = self.conn.execute(
            "SELECT outcome, COUNT(*) AS n FROM button_presses WHERE button_id = ? GROUP BY outcome", (button_id,)
        )
        return {r["outcome"]: r["n"] for r in rows}


class SqliteDevices:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def add(self, device: Device) -> None:
        self.conn.execute(
            "INSERT INTO devices (id, household_id, name, model, created_at) VALUES (?,?,?,?,?)",
            (device.id, device.household_id, device.name, device.model, ts(device.created_at)),
        )
        self.conn.executemany(
            "INSERT INTO device_slots (device_id, slot, button_id, capacity, threshold, remaining, status_at) "
            "VALUES (?,?,?,?,?,?,?)",
            [
                (device.id, s.slot, s.button_id, s.capacity, s.threshold, s.remaining, ts(s.status_at))
                for s in device.slots
            ],
        )

    def _slots(self, device_id: str) -> list[DeviceSlot]:
        rows = self.conn.execute(
            "SELECT s.device_id, s.slot, s.button_id, s.capacity, s.threshold, s.remaining, s.status_at, "
            "b.product_id, b.quantity FROM device_slots s JOIN buttons b ON b.id = s.button_id "
            "WHERE s.device_id = ? ORDER BY s.slot",
            (device_id,),
        )
        return [
            DeviceSlot(
                r["device_id"],
                r["slot"],
                r["button_id"],
                r["product_id"],
                r["quantity"],
                r["capacity"],
                r["threshold"],
                r["remaining"],
                parse_ts(r["status_at"]),
            )
            for r in rows
        ]

    def _device(self, row: sqlite3.Row) -> Device:
        return Device(
            row["id"],
            row["household_id"],
            row["name"],
            row["model"],
            parse_ts(row["created_at"]),
            self._slots(row["id"]),
        )

    def get(self, device_id: str) -> Device | None:
        row = self.conn.execute(
            "SELECT id, household_id, name, model, created_at FROM devices WHERE id = ?", (device_id,)
        ).fetchone()
        return self._device(row) if row else None

    def list_for_household(self, household_id: str) -> list[Device]:
        rows = self.conn.execute(
            "SELECT id, household_id, name, model, created_at FROM devices WHERE household_id = ? "
            "ORDER BY created_at, id",
            (household_id,),
        ).fetchall()
        return [self._device(r) for r in rows]

    def set_slot_status(self, device_id: str, slot: str, remaining: float, at: datetime) -> None:
        self.conn.execute(
            "UPDATE device_slots SET remaining = ?, status_at = ? WHERE device_id = ? AND slot = ?",
            (remaining, ts(at), device_id, slot),
        )
