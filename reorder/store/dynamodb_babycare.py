"""DynamoDB repositories for the baby log and routines.

Items (single table, see docs/dynamodb.md), all in the household's partition `HH#<household>` unless noted:

| item | SK | why |
| --- | --- | --- |
| log entry | `BABY#<at>#<logged at>#<seq>#<id>` | "today", "the last feeding": one range query |
| entry by id | `BABYID#<id>` (`event_sk`) | undo and delete by id |
| live entry, by logging time | `BABYLOG#<logged at>#<seq>#<id>` (`event_sk`, `logged_by`) | "undo that" |
| duplicate back-reference | `BABYDUP#<original id>#<duplicate id>` (`event_sk`) | a delete frees duplicates |
| routine | `ROUTINE#<id>` | GSI2 `ROUTINES` / `<id>` while it has a schedule |
| routine name (unique) | `ROUTINENAME#<name key>` (`routine_id`) | |
| routine by id | PK `ROUTINE#<id>`, SK `#` (`household_id`) | the scheduler marks a run by id |

A soft-deleted entry keeps its `BABY#` item (with `deleted_at`) and loses its `BABYLOG#` pointer, so only
live entries are candidates for "undo that".
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from time import time_ns
from typing import Any

from reorder.domain.babylog import BabyEvent, EventKind, Routine, RoutineStep, StepKind
from reorder.errors import Conflict
from reorder.store.dynamodb_table import GSI2, _Txn
from reorder.store.timestamps import parse_ts, ts

SCHEDULED = "ROUTINES"  # GSI2 partition of routines that run on a schedule
LATEST_PAGE = 50


def _event_to_doc(e: BabyEvent, deleted_at: datetime | None = None) -> dict[str, Any]:
    return {
        "id": e.id,
        "household_id": e.household_id,
        "child_id": e.child_id,
        "kind": e.kind.value,
        "at": ts(e.at),
        "logged_at": ts(e.logged_at),
        "logged_by": e.logged_by,
        "channel": e.channel,
        "data": e.data,
        "duplicate_of": e.duplicate_of,
        "deleted_at": ts(deleted_at),
    }


def _event(doc: dict[str, Any]) -> BabyEvent:
    return BabyEvent(
        id=doc["id"],
        household_id=doc["household_id"],
        child_id=doc["child_id"],
        kind=EventKind(doc["kind"]),
        at=parse_ts(doc["at"]),
        logged_at=parse_ts(doc["logged_at"]),
        logged_by=doc["logged_by"],
        channel=doc["channel"],
        data=doc["data"],
        duplicate_of=doc["duplicate_of"],
    )


def _doc(item: dict[str, Any] | None) -> dict[str, Any] | None:
    return json.loads(item["doc"]) if item else None


def _matches(
    doc: dict[str, Any] | None, child_id: str | None, kinds: tuple[EventKind, ...], *, originals_only: bool
) -> bool:
    if doc is None or doc["deleted_at"] is not None:
        return False
    if originals_only and doc["duplicate_of"] is not None:
        return False
    if child_id is not None and doc["child_id"] != child_id:
        return False
    return not kinds or doc["kind"] in {k.value for k in kinds}


class DynamoBabyEvents:
    def __init__(self, t: _Txn) -> None:
        self.t = t

    def add(self, event: BabyEvent) -> None:
        hh = f"HH#{event.household_id}"
        # The write sequence keeps entries with the same times in the order they were written (SQL's rowid).
        seq = f"{time_ns():020d}"
        sk = f"BABY#{ts(event.at)}#{ts(event.logged_at)}#{seq}#{event.id}"
        log_sk = f"BABYLOG#{ts(event.logged_at)}#{seq}#{event.id}"
        self.t.put(
            {"PK": hh, "SK": f"BABYID#{event.id}", "event_sk": sk},
            must_not_exist=True,
            tag=("unique", "log entry id collision"),
        )
        self.t.put({"PK": hh, "SK": sk, "log_sk": log_sk, "doc": json.dumps(_event_to_doc(event))})
        self.t.put({"PK": hh, "SK": log_sk, "event_sk": sk, "logged_by": event.logged_by})
        if event.duplicate_of is not None:
            self.t.put({"PK": hh, "SK": f"BABYDUP#{event.duplicate_of}#{event.id}", "event_sk": sk})

    def _item(self, household_id: str, event_id: str) -> dict[str, Any] | None:
        pointer = self.t.get(f"HH#{household_id}", f"BABYID#{event_id}")
        return self.t.get(f"HH#{household_id}", pointer["event_sk"]) if pointer else None

    def get(self, household_id: str, event_id: str) -> BabyEvent | None:
        doc = _doc(self._item(household_id, event_id))
        return _event(doc) if doc is not None and doc["deleted_at"] is None else None

    def delete(self, household_id: str, event_id: str, at: datetime) -> bool:
        # Soft delete: "undo that" must not lose who logged what, and a mistaken undo can be traced.
        hh = f"HH#{household_id}"
        item = self._item(household_id, event_id)
        doc = _doc(item)
        deleted = False
        if item is not None and doc is not None and doc["deleted_at"] is None:
            doc["deleted_at"] = ts(at)
            self.t.put({**item, "doc": json.dumps(doc)})  # at the version read
            self.t.delete(hh, item["log_sk"])
            if doc["duplicate_of"] is not None:
                self.t.delete(hh, f"BABYDUP#{doc['duplicate_of']}#{event_id}")
            deleted = True
        # An entry that duplicated the deleted one stands on its own again.
        for ref in self.t.query(hh, f"BABYDUP#{event_id}#"):
            duplicate = self.t.get(hh, ref["event_sk"])
            dup_doc = _doc(duplicate)
            if duplicate is not None and dup_doc is not None:
                dup_doc["duplicate_of"] = None
                self.t.put({**duplicate, "doc": json.dumps(dup_doc)})
            self.t.delete(hh, ref["SK"])
        return deleted

    def between(
        self,
        household_id: str,
        start: datetime,
        end: datetime,
        *,
        child_id: str | None = None,
        kinds: tuple[EventKind, ...] = (),
    ) -> list[BabyEvent]:
        # [start, end): an entry at `end` has a sort key past `BABY#<end>`, so BETWEEN leaves it out.
        items = self.t.query(
            f"HH#{household_id}",
            f"BABY#{ts(start)}",
            upto=f"BABY#{ts(end)}",
            keep=lambda i: _matches(_doc(i), child_id, kinds, originals_only=False),
        )
        return [_event(_doc(i)) for i in items]  # type: ignore[arg-type]

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
        if limit <= 0:
            return []
        hh = f"HH#{household_id}"
        page = max(LATEST_PAGE, limit)
        if order_by != "logged_at":
            upto = f"BABY#{ts(before)}#~" if before is not None else "BABY#~"
            items = self.t.query(
                hh,
                "BABY#",
                upto=upto,
                descending=True,
                limit=limit,
                page_size=page,
                keep=lambda i: _matches(_doc(i), child_id, kinds, originals_only=True),
            )
            return [_event(_doc(i)) for i in items]  # type: ignore[arg-type]
        # By when entries were logged: walk the live-entry pointers newest first, reading each entry once.
        docs: dict[str, dict[str, Any] | None] = {}

        def entry(pointer: dict[str, Any]) -> dict[str, Any] | None:
            if pointer["event_sk"] not in docs:
                docs[pointer["event_sk"]] = _doc(self.t.get(hh, pointer["event_sk"]))
            return docs[pointer["event_sk"]]

        upto = f"BABYLOG#{ts(before)}#~" if before is not None else "BABYLOG#~"
        pointers = self.t.query(
            hh,
            "BABYLOG#",
            upto=upto,
            descending=True,
            limit=limit,
            page_size=page,
            keep=lambda p: _matches(entry(p), child_id, kinds, originals_only=True),
        )
        return [_event(entry(p)) for p in pointers]  # type: ignore[arg-type]

    def last_logged_by(self, household_id: str, member_id: str | None) -> BabyEvent | None:
        """The newest live entry this caregiver made (any caregiver's when member_id is None)."""
        hh = f"HH#{household_id}"
        keep: Callable[[dict[str, Any]], bool] | None = (
            None if member_id is None else (lambda p: p.get("logged_by") == member_id)
        )
        pointers = self.t.query(hh, "BABYLOG#", descending=True, limit=1, page_size=LATEST_PAGE, keep=keep)
        if not pointers:
            return None
        doc = _doc(self.t.get(hh, pointers[0]["event_sk"]))
        return _event(doc) if doc is not None else None


def _routine_to_doc(r: Routine) -> dict[str, Any]:
    return {
        "id": r.id,
        "household_id": r.household_id,
        "name": r.name,
        "steps": [s.to_dict() for s in r.steps],
        "child_id": r.child_id,
        "schedule_time": r.schedule_time,
        "created_at": ts(r.created_at),
        "last_run_at": ts(r.last_run_at),
    }


def _routine(item: dict[str, Any]) -> Routine:
    d = json.loads(item["doc"])
    steps = tuple(RoutineStep(StepKind(s.pop("kind")), s) for s in d["steps"])
    return Routine(
        id=d["id"],
        household_id=d["household_id"],
        name=d["name"],
        steps=steps,
        child_id=d["child_id"],
        schedule_time=d["schedule_time"],
        created_at=parse_ts(d["created_at"]),
        last_run_at=parse_ts(d["last_run_at"]),
    )


class DynamoRoutines:
    def __init__(self, t: _Txn) -> None:
        self.t = t

    def _put(self, routine: Routine, name_key: str, **conditions: Any) -> None:
        item: dict[str, Any] = {
            "PK": f"HH#{routine.household_id}",
            "SK": f"ROUTINE#{routine.id}",
            "name_key": name_key,
            "doc": json.dumps(_routine_to_doc(routine)),
        }
        if routine.schedule_time is not None:
            item["GSI2PK"], item["GSI2SK"] = SCHEDULED, routine.id
        self.t.put(item, **conditions)

    def add(self, routine: Routine, name_key: str) -> None:
        hh = f"HH#{routine.household_id}"
        self.t.put(
            {"PK": hh, "SK": f"ROUTINENAME#{name_key}", "routine_id": routine.id},
            must_not_exist=True,
            error=Conflict(f"There's a {name_key} routine already."),
        )
        self.t.put(
            {"PK": f"ROUTINE#{routine.id}", "SK": "#", "household_id": routine.household_id},
            must_not_exist=True,
            tag=("unique", "routine id collision"),
        )
        self._put(routine, name_key, must_not_exist=True, tag=("unique", "routine id collision"))

    def update(self, routine: Routine, name_key: str) -> None:
        hh = f"HH#{routine.household_id}"
        current = self.t.get(hh, f"ROUTINE#{routine.id}")
        if current is None:
            return
        if current["name_key"] != name_key:
            # The name is unique per household: claim the new one, release the old, in one transaction.
            self.t.put(
                {"PK": hh, "SK": f"ROUTINENAME#{name_key}", "routine_id": routine.id},
                must_not_exist=True,
                error=Conflict(f"There's a {name_key} routine already."),
            )
            self.t.delete(hh, f"ROUTINENAME#{current['name_key']}")
        self._put(replace(routine, last_run_at=_routine(current).last_run_at), name_key)  # at the version read

    def get(self, household_id: str, routine_id: str) -> Routine | None:
        item = self.t.get(f"HH#{household_id}", f"ROUTINE#{routine_id}")
        return _routine(item) if item else None

    def get_by_key(self, household_id: str, name_key: str) -> Routine | None:
        pointer = self.t.get(f"HH#{household_id}", f"ROUTINENAME#{name_key}")
        return self.get(household_id, pointer["routine_id"]) if pointer else None

    def list_for_household(self, household_id: str) -> list[Routine]:
        items = self.t.query(f"HH#{household_id}", "ROUTINE#")
        return [_routine(i) for i in sorted(items, key=lambda i: i["name_key"])]

    def scheduled(self) -> list[Routine]:
        # The sparse index lists only routines with a schedule; it is eventually consistent, so each one is
        # read again from the table: a run just marked elsewhere is not run twice because of a stale copy.
        listed = self.t.query(SCHEDULED, "", index=GSI2)
        fresh = self.t.batch_get([(i["PK"], i["SK"]) for i in listed])
        current = [fresh[(i["PK"], i["SK"])] for i in listed if (i["PK"], i["SK"]) in fresh]
        routines = [_routine(i) for i in current]
        return sorted((r for r in routines if r.schedule_time is not None), key=lambda r: r.id)

    def mark_run(self, routine_id: str, at: datetime) -> None:
        pointer = self.t.get(f"ROUTINE#{routine_id}", "#")
        if pointer is None:
            return
        item = self.t.get(f"HH#{pointer['household_id']}", f"ROUTINE#{routine_id}")
        if item is None:
            return
        self._put(replace(_routine(item), last_run_at=at), item["name_key"])  # at the version read
