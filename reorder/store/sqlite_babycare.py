"""SQLite repositories for the baby log and routines (tables from the baby-care migration)."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from reorder.domain.babylog import BabyEvent, EventKind, Routine, RoutineStep, StepKind
from reorder.errors import Conflict
from reorder.store import sql_errors
from reorder.store.timestamps import parse_ts, ts


def _event(row: sqlite3.Row) -> BabyEvent:
    return BabyEvent(
        id=row["id"],
        household_id=row["household_id"],
        child_id=row["child_id"],
        kind=EventKind(row["kind"]),
        at=parse_ts(row["at"]),
        logged_at=parse_ts(row["logged_at"]),
        logged_by=row["logged_by"],
        channel=row["channel"],
        data=json.loads(row["data"]),
        duplicate_of=row["duplicate_of"],
    )


class SqliteBabyEvents:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def add(self, event: BabyEvent) -> None:
        self.conn.execute(
            "INSERT INTO baby_events (id, household_id, child_id, kind, at, logged_at, logged_by, channel, data, "
            "duplicate_of, seq) VALUES (?,?,?,?,?,?,?,?,?,?, "
            "(SELECT coalesce(max(seq), 0) + 1 FROM baby_events WHERE household_id = ?))",
            (
                event.id,
                event.household_id,
                event.child_id,
                event.kind.value,
                ts(event.at),
                ts(event.logged_at),
                event.logged_by,
                event.channel,
                json.dumps(event.data),
                event.duplicate_of,
                event.household_id,
            ),
        )

    def get(self, household_id: str, event_id: str) -> BabyEvent | None:
        row = self.conn.execute(
            "SELECT * FROM baby_events WHERE household_id = ? AND id = ? AND deleted_at IS NULL",
            (household_id, event_id),
        ).fetchone()
        return _event(row) if row else None

    def delete(self, household_id: str, event_id: str, at: datetime) -> bool:
        # Soft delete: "undo that" must not lose who logged what, and a mistaken undo can be traced.
        cursor = self.conn.execute(
            "UPDATE baby_events SET deleted_at = ? WHERE household_id = ? AND id = ? AND deleted_at IS NULL",
            (ts(at), household_id, event_id),
        )
        # A duplicate that pointed at the deleted entry stands on its own again.
        self.conn.execute(
            "UPDATE baby_events SET duplicate_of = NULL WHERE household_id = ? AND duplicate_of = ?",
            (household_id, event_id),
        )
        return cursor.rowcount > 0

    def between(
        self,
        household_id: str,
        start: datetime,
        end: datetime,
        *,
        child_id: str | None = None,
        kinds: tuple[EventKind, ...] = (),
    ) -> list[BabyEvent]:
        sql = "SELECT * FROM baby_events WHERE household_id = ? AND deleted_at IS NULL AND at >= ? AND at < ?"
        args: list[object] = [household_id, ts(start), ts(end)]
        if child_id is not None:
            sql += " AND child_id = ?"
            args.append(child_id)
        if kinds:
            sql += f" AND kind IN ({','.join('?' * len(kinds))})"
            args.extend(k.value for k in kinds)
        sql += " ORDER BY at, logged_at"
        return [_event(r) for r in self.conn.execute(sql, args)]

    def latest(
        self,
        household_id: str,
        *,
        child_id: str | None = None,
        kinds: tuple[EventKind, ...] = (),
        before: datetime | None = None,
        limit: int = 1,
        order_by: str = "at",
    ) -> list[BabyEvent]:
        column = "logged_at" if order_by == "logged_at" else "at"
        sql = "SELECT * FROM baby_events WHERE household_id = ? AND deleted_at IS NULL AND duplicate_of IS NULL"
        args: list[object] = [household_id]
        if child_id is not None:
            sql += " AND child_id = ?"
            args.append(child_id)
        if kinds:
            sql += f" AND kind IN ({','.join('?' * len(kinds))})"
            args.extend(k.value for k in kinds)
        if before is not None:
            sql += f" AND {column} <= ?"
            args.append(ts(before))
        sql += f" ORDER BY {column} DESC, logged_at DESC LIMIT ?"
        args.append(limit)
        return [_event(r) for r in self.conn.execute(sql, args)]

    def last_logged_by(self, household_id: str, member_id: str | None) -> BabyEvent | None:
        """The newest live entry this caregiver made (any caregiver's when member_id is None)."""
        sql = "SELECT * FROM baby_events WHERE household_id = ? AND deleted_at IS NULL"
        args: list[object] = [household_id]
        if member_id is not None:
            sql += " AND logged_by = ?"
            args.append(member_id)
        row = self.conn.execute(sql + " ORDER BY logged_at DESC, seq DESC LIMIT 1", args).fetchone()
        return _event(row) if row else None


def _routine(row: sqlite3.Row) -> Routine:
    steps = tuple(RoutineStep(StepKind(s.pop("kind")), s) for s in json.loads(row["steps"]))
    return Routine(
        id=row["id"],
        household_id=row["household_id"],
        name=row["name"],
        steps=steps,
        child_id=row["child_id"],
        schedule_time=row["schedule_time"],
        created_at=parse_ts(row["created_at"]),
        last_run_at=parse_ts(row["last_run_at"]),
    )


class SqliteRoutines:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def add(self, routine: Routine, name_key: str) -> None:
        try:
            self.conn.execute(
                "INSERT INTO routines (id, household_id, name, name_key, steps, child_id, schedule_time, "
                "created_at, last_run_at) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    routine.id,
                    routine.household_id,
                    routine.name,
                    name_key,
                    json.dumps([s.to_dict() for s in routine.steps]),
                    routine.child_id,
                    routine.schedule_time,
                    ts(routine.created_at),
                    ts(routine.last_run_at),
                ),
            )
        except sql_errors.INTEGRITY_ERRORS as exc:  # a routine of that name was created at the same moment
            raise Conflict(f"There is already a routine called {routine.name!r}.") from exc

    def update(self, routine: Routine, name_key: str) -> None:
        try:
            self.conn.execute(
                "UPDATE routines SET name = ?, name_key = ?, steps = ?, child_id = ?, schedule_time = ? "
                "WHERE household_id = ? AND id = ?",
                (
                    routine.name,
                    name_key,
                    json.dumps([s.to_dict() for s in routine.steps]),
                    routine.child_id,
                    routine.schedule_time,
                    routine.household_id,
                    routine.id,
                ),
            )
        except sql_errors.INTEGRITY_ERRORS as exc:
            raise Conflict(f"There is already a routine called {routine.name!r}.") from exc

    def get(self, household_id: str, routine_id: str) -> Routine | None:
        row = self.conn.execute(
            "SELECT * FROM routines WHERE household_id = ? AND id = ?", (household_id, routine_id)
        ).fetchone()
        return _routine(row) if row else None

    def get_by_key(self, household_id: str, name_key: str) -> Routine | None:
        row = self.conn.execute(
            "SELECT * FROM routines WHERE household_id = ? AND name_key = ?", (household_id, name_key)
        ).fetchone()
        return _routine(row) if row else None

    def list_for_household(self, household_id: str) -> list[Routine]:
        rows = self.conn.execute("SELECT * FROM routines WHERE household_id = ? ORDER BY name_key", (household_id,))
        return [_routine(r) for r in rows]

    def scheduled(self) -> list[Routine]:
        rows = self.conn.execute("SELECT * FROM routines WHERE schedule_time IS NOT NULL ORDER BY id")
        return [_routine(r) for r in rows]

    def mark_run(self, routine_id: str, at: datetime) -> None:
        self.conn.execute("UPDATE routines SET last_run_at = ? WHERE id = ?", (ts(at), routine_id))
