"""REST endpoints for children, their shared log, daily summaries and routines (the same log voice writes)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask import Blueprint, g, jsonify, request

from reorder.domain.babylog import (
    CM_PER_IN,
    LB_PER_KG,
    MAX_BOTTLE_OZ,
    MAX_FEED_MINUTES,
    MAX_LENGTH_IN,
    MAX_PUMP_OZ,
    MAX_ROUTINE_NAME,
    MAX_ROUTINE_STEPS,
    MAX_TEXT,
    MAX_WEIGHT_LB,
    ML_PER_OZ,
    BabyEvent,
    DiaperType,
    EventKind,
    FeedingKind,
    MilkType,
    Routine,
    Side,
    SleepAction,
    StepKind,
)
from reorder.domain.model import Member
from reorder.errors import InvalidInput
from reorder.services.babycare import MAX_NAME as MAX_CHILD_NAME
from reorder.services.babycare import DaySummary
from reorder.services.routines import MAX_REMINDER_MINUTES, SOUNDS, RoutineRun
from voicecart.web.api import field, json_body
from voicecart.web.auth import backend, require_household
from voicecart.web.openapi import NOT_BLANK, QUANTITY
from voicecart.web.scopes import HOUSEHOLD, allow

babycare_api = Blueprint("babycare_api", __name__, url_prefix="/api")

MAX_RANGE_DAYS = 31
# A routine's name needs a word other than the ones `routine_key` drops ("the", "my", "routine").
ROUTINE_NAME = (
    r"(^|[\s-])(?![Tt][Hh][Ee]([\s-]|$)|[Mm][Yy]([\s-]|$)|[Rr][Oo][Uu][Tt][Ii][Nn][Ee]([\s-]|$))"
    r"[^\s\x1c-\x1f\x85-]"
)
SCHEDULE_TIME = r"^(([01]?[0-9]|2[0-3]):[0-5][0-9])?$"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def child_json(member: Member) -> dict[str, Any]:
    return {
        "id": member.id,
        "name": member.name,
        "birth_date": member.birth_date.isoformat() if member.birth_date else None,
    }


def event_json(event: BabyEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "child_id": event.child_id,
        "kind": event.kind.value,
        "at": _iso(event.at),
        "logged_at": _iso(event.logged_at),
        "logged_by": event.logged_by,
        "channel": event.channel,
        "data": event.data,
        "duplicate_of": event.duplicate_of,
    }


def summary_json(summary: DaySummary) -> dict[str, Any]:
    return {
        "child": child_json(summary.child),
        "date": summary.day.isoformat(),
        "feedings": summary.feedings,
        "bottle_oz": round(summary.bottle_oz, 1),
        "formula_oz": round(summary.formula_oz, 1),
        "breast_milk_oz": round(summary.breast_milk_oz, 1),
        "breast_feeds": summary.breast_feeds,
        "breast_minutes": round(summary.breast_minutes),
        "solids": summary.solids,
        "diapers": dict(summary.diapers),
        "wet_diapers": summary.wet_diapers,
        "dirty_diapers": summary.dirty_diapers,
        "sleep_minutes": round(summary.sleep_minutes),
        "naps": summary.naps,
        "pumped_oz": round(summary.pumped_oz, 1),
        "medicines": [event_json(e) for e in summary.medicines],
        "notes": summary.notes,
        "last_weight_lb": summary.last_weight_lb,
    }


def routine_json(routine: Routine) -> dict[str, Any]:
    return {
        "id": routine.id,
        "name": routine.name,
        "child_id": routine.child_id,
        "schedule_time": routine.schedule_time,
        "steps": [s.to_dict() for s in routine.steps],
        "last_run_at": _iso(routine.last_run_at),
    }


def run_json(run: RoutineRun) -> dict[str, Any]:
    return {
        "routine": routine_json(run.routine),
        "at": _iso(run.at),
        "speech": run.speech,
        "steps": [
            {
                "kind": o.step.kind.value,
                "ok": o.ok,
                "speech": o.speech,
                "event_id": o.event.id if o.event else None,
                "sound": o.sound,
                "reminder": o.reminder,
            }
            for o in run.outcomes
        ],
    }


def _datetime(value: object, name: str) -> datetime:
    if not isinstance(value, str):
        raise InvalidInput(f"The field {name!r} must be an ISO-8601 date-time.")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"The field {name!r} must be an ISO-8601 date-time, not {value!r}.") from None
    if parsed.tzinfo is None:
        raise InvalidInput(f"The field {name!r} needs a time zone offset, like 2026-11-02T15:00:00-05:00.")
    return parsed


def _query_datetime(name: str) -> datetime | None:
    raw = request.args.get(name)
    return None if raw is None else _datetime(raw, name)


@babycare_api.get("/children")
@allow(HOUSEHOLD)
def list_children():
    return jsonify({"children": [child_json(c) for c in backend().babycare.children(require_household())]})


@babycare_api.post("/children")
@allow(HOUSEHOLD)
def add_child():
    data = json_body()
    birth = field(data, "birth_date", str, required=False)
    try:
        birth_date = date.fromisoformat(birth) if birth is not None else None  # "" is not a date
    except ValueError:
        raise InvalidInput("The field 'birth_date' must be a date like 2026-05-01.") from None
    child = backend().babycare.add_child(require_household(), field(data, "name", str), birth_date)
    return jsonify(child_json(child)), 201


@babycare_api.get("/children/<child_id>/events")
@allow(HOUSEHOLD)
def list_events(child_id: str):
    start, end = _query_datetime("since"), _query_datetime("until")
    if start and end and not timedelta(0) <= end - start <= timedelta(days=MAX_RANGE_DAYS):
        raise InvalidInput(f"'until' must be after 'since' and at most {MAX_RANGE_DAYS} days later.")
    kind = request.args.get("kind")
    try:
        kinds = (EventKind(kind),) if kind is not None else ()
    except ValueError:
        raise InvalidInput(f"Unknown entry kind {kind!r}.") from None
    events = backend().babycare.events(require_household(), child_id, start=start, end=end, kinds=kinds)
    return jsonify({"events": [event_json(e) for e in events]})


@babycare_api.post("/children/<child_id>/events")
@allow(HOUSEHOLD)
def add_event(child_id: str):
    data = json_body()
    at = data.get("at")
    details = data.get("data", {})
    if not isinstance(details, dict):
        raise InvalidInput("The field 'data' must be an object.")
    result = backend().babycare.log(
        require_household(),
        field(data, "kind", str),
        details,
        child=child_id,
        at=_datetime(at, "at") if at is not None else None,
        member_id=field(data, "member_id", str, required=False),
        channel="web",
    )
    body = event_json(result.event)
    # A second caregiver's copy of the same diaper is stored, flagged, and not counted twice.
    return jsonify({"event": body, "duplicate_of": result.duplicate_of.id if result.duplicate_of else None}), (
        200 if result.duplicate_of else 201
    )


@babycare_api.delete("/children/<child_id>/events/<event_id>")
@allow(HOUSEHOLD)
def delete_event(child_id: str, event_id: str):
    household_id = require_household()
    child = backend().babycare.child(household_id, child_id)
    event = backend().babycare.delete(household_id, event_id, child_id=child.id)
    return jsonify({"deleted": event_json(event)})


@babycare_api.get("/children/<child_id>/summary")
@allow(HOUSEHOLD)
def summary(child_id: str):
    raw = request.args.get("date")
    try:
        day = date.fromisoformat(raw) if raw is not None else None  # ?date= is not a date
    except ValueError:
        raise InvalidInput("The query parameter 'date' must be a date like 2026-11-02.") from None
    return jsonify(summary_json(backend().babycare.day_summary(require_household(), child_id, day)))


@babycare_api.get("/routines")
@allow(HOUSEHOLD)
def list_routines():
    return jsonify({"routines": [routine_json(r) for r in backend().routines.list(require_household())]})


@babycare_api.post("/routines")
@allow(HOUSEHOLD)
def create_routine():
    data = json_body()
    routine = backend().routines.create(
        require_household(),
        field(data, "name", str),
        data.get("steps"),
        schedule_time=field(data, "schedule_time", str, required=False),
        child=field(data, "child_id", str, required=False),
    )
    return jsonify(routine_json(routine)), 201


@babycare_api.patch("/routines/<routine_id>")
@allow(HOUSEHOLD)
def update_routine(routine_id: str):
    """Change a routine's name, steps, schedule_time (null: by voice only) or child_id; the rest stays."""
    data = json_body()
    unknown = set(data) - {"name", "steps", "schedule_time", "child_id"}
    if unknown:
        raise InvalidInput(f"Unknown routine fields: {', '.join(sorted(unknown))}.")
    routine = backend().routines.update(
        require_household(),
        routine_id,
        name=field(data, "name", str, required=False),
        steps=data.get("steps"),
        schedule_time=data["schedule_time"] if "schedule_time" in data else ...,
        child=data["child_id"] if "child_id" in data else ...,
    )
    return jsonify(routine_json(routine))


@babycare_api.post("/routines/<routine_id>/run")
@allow(HOUSEHOLD)
def run_routine(routine_id: str):
    run = backend().routines.run(
        require_household(), routine_id, channel="web", member_id=getattr(g, "member_id", None)
    )
    return jsonify(run_json(run))


@babycare_api.get("/supplies")
@allow(HOUSEHOLD)
def supplies():
    """How long the diapers and the formula will last, from deliveries and the log."""
    from voicecart.web.serialize import product_json

    estimates = backend().babycare.supplies(require_household())
    return jsonify(
        {
            "supplies": [
                {
                    "kind": e.kind,
                    "product": product_json(e.product),
                    "units_left": round(e.units_left, 1),
                    "unit_word": e.unit_word,
                    "per_day": round(e.per_day, 2),
                    "days_left": round(e.days_left, 1),
                    "runs_out_on": e.runs_out_on.isoformat(),
                }
                for e in sorted(estimates, key=lambda e: e.days_left)
            ]
        }
    )


def _text_schema(largest: int, description: str = "") -> dict[str, Any]:
    """A text that is not blank, at most `largest` characters."""
    schema: dict[str, Any] = {"type": "string", "maxLength": largest, "pattern": NOT_BLANK}
    if description:
        schema["description"] = description
    return schema


def _amount(high_oz: float, low: float = 0) -> dict[str, Any]:
    """The unit-dependent amount limit of `validate_event_data`: more than 0, at most the rounded top."""
    return {"type": "number", "exclusiveMinimum": low, "maximum": round(high_oz)}


def _volume(required: list[str], top_oz: float, extra: dict[str, Any]) -> list[dict[str, Any]]:
    """An amount in oz (the default unit) or in ml, each with its own largest value."""
    return [
        {
            "type": "object",
            "required": [*required, "amount"],
            "properties": {**extra, "amount": _amount(top_oz), "unit": {"type": "string", "enum": ["oz"]}},
        },
        {
            "type": "object",
            "required": [*required, "amount", "unit"],
            "properties": {**extra, "amount": _amount(top_oz * ML_PER_OZ), "unit": {"type": "string", "enum": ["ml"]}},
        },
    ]


def _enum(values: Any) -> dict[str, Any]:
    return {"type": "string", "enum": [v.value if hasattr(v, "value") else v for v in values]}


def event_data_schemas() -> dict[str, dict[str, Any]]:
    """What `data` an entry of each kind needs: the checks of `reorder.domain.babylog.validate_event_data`."""
    side = _enum(Side)
    text = _text_schema(MAX_TEXT)
    # A weight, a length or both; each in its default unit or the other one, with that unit's largest value.
    growth_weight: list[dict[str, Any]] = [
        {
            "required": ["weight"],
            "properties": {"weight": _amount(MAX_WEIGHT_LB), "weight_unit": {"type": "string", "enum": ["lb"]}},
        },
        {
            "required": ["weight", "weight_unit"],
            "properties": {
                "weight": _amount(MAX_WEIGHT_LB / LB_PER_KG),
                "weight_unit": {"type": "string", "enum": ["kg"]},
            },
        },
        {"properties": {"weight": {"type": "null"}}},
    ]
    growth_length: list[dict[str, Any]] = [
        {
            "required": ["length"],
            "properties": {"length": _amount(MAX_LENGTH_IN), "length_unit": {"type": "string", "enum": ["in"]}},
        },
        {
            "required": ["length", "length_unit"],
            "properties": {
                "length": _amount(MAX_LENGTH_IN * CM_PER_IN),
                "length_unit": {"type": "string", "enum": ["cm"]},
            },
        },
        {"properties": {"length": {"type": "null"}}},
    ]
    return {
        EventKind.FEEDING: {
            "anyOf": [
                {
                    "type": "object",
                    "required": ["feeding_kind"],
                    "properties": {
                        "feeding_kind": {"type": "string", "enum": [FeedingKind.BREAST.value]},
                        "side": side,
                        "duration_min": _amount(MAX_FEED_MINUTES),
                    },
                },
                *_volume(
                    ["feeding_kind"],
                    MAX_BOTTLE_OZ,
                    {
                        "feeding_kind": {"type": "string", "enum": [FeedingKind.BOTTLE.value]},
                        "milk_type": _enum(MilkType),
                    },
                ),
                {
                    "type": "object",
                    "required": ["feeding_kind"],
                    "properties": {
                        "feeding_kind": {"type": "string", "enum": [FeedingKind.SOLIDS.value]},
                        "food": {"type": "string", "maxLength": MAX_TEXT},
                    },
                },
            ],
            "description": "breast: side, duration_min; bottle: amount (oz unless unit is ml), milk_type; solids: food",
        },
        EventKind.DIAPER: {
            "type": "object",
            "required": ["diaper_type"],
            "properties": {"diaper_type": _enum(DiaperType)},
        },
        EventKind.SLEEP: {"type": "object", "required": ["action"], "properties": {"action": _enum(SleepAction)}},
        EventKind.MEDICINE: {
            "type": "object",
            "required": ["medicine"],
            "properties": {
                "medicine": text,
                "dose": {"type": "string", "maxLength": MAX_TEXT, "description": "kept as said"},
            },
        },
        EventKind.PUMPING: {"anyOf": _volume([], MAX_PUMP_OZ, {"side": side})},
        EventKind.GROWTH: {
            "type": "object",
            "anyOf": [
                {"allOf": [weight, length]}
                for weight in growth_weight
                for length in growth_length
                if "required" in weight or "required" in length
            ],
        },
        EventKind.NOTE: {"type": "object", "required": ["note"], "properties": {"note": text}},
    }


def openapi_paths() -> dict[str, Any]:
    """This blueprint's routes for the OpenAPI document."""
    obj = {"type": "object"}

    def op(summary: str, status: str = "200", body: dict | None = None, params: list | None = None) -> dict:
        result: dict[str, Any] = {
            "summary": summary,
            "responses": {
                status: {"description": "OK", "content": {"application/json": {"schema": obj}}},
                "401": {"description": "Missing or wrong token"},
                "404": {"description": "Not found"},
                "422": {"description": "Invalid input"},
            },
        }
        if status == "201":  # adding what exists already (a child of that name, an equal entry)
            result["responses"]["409"] = {"description": "Conflict with what the household has"}
        if body:
            result["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
        if params:
            result["parameters"] = params
        return result

    child = {
        "name": "child_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": NOT_BLANK},
        "description": "A child's id or name",
    }
    at = {
        "type": "string",
        "format": "date-time",
        "description": "with a time zone offset; not in the future and at most seven days ago (default: now)",
    }
    data_schemas = event_data_schemas()
    event_body = {
        "anyOf": [
            {
                "type": "object",
                "required": ["kind", "data"],
                "properties": {
                    "kind": {"type": "string", "enum": [kind.value]},
                    "at": at,
                    "member_id": {"type": "string"},
                    "data": data_schemas[kind],
                },
            }
            for kind in EventKind
        ]
    }
    when = {"type": "string", "format": "date-time", "description": "with a time zone offset"}
    name = _text_schema(MAX_ROUTINE_NAME, "a word other than 'the', 'my' or 'routine'")
    name["pattern"] = ROUTINE_NAME
    schedule = {
        "type": "string",
        "pattern": SCHEDULE_TIME,
        "description": "HH:MM, 24-hour, household-local, every day; empty: by voice only",
    }
    routine_child = {"type": "string", "pattern": NOT_BLANK, "description": "A child's id or name"}
    steps = {"type": "array", "minItems": 1, "maxItems": MAX_ROUTINE_STEPS, "items": {"anyOf": step_schemas()}}
    log_entry = op(
        "Log an entry; a caregiver's duplicate is flagged (200) rather than doubled", "201", event_body, [child]
    )
    log_entry["responses"]["200"] = {
        "description": "Another caregiver's copy of an entry made moments before",
        "content": {"application/json": {"schema": obj}},
    }
    return {
        "/api/children": {
            "get": op("The household's children"),
            "post": op(
                "Add a child",
                "201",
                {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": _text_schema(MAX_CHILD_NAME, "spaces inside collapse to one"),
                        "birth_date": {"type": "string", "format": "date", "description": "not in the future"},
                    },
                },
            ),
        },
        "/api/children/{child_id}/events": {
            "get": op(
                "Log entries, oldest first (default: the last day)",
                params=[
                    child,
                    *[
                        {
                            "name": n,
                            "in": "query",
                            "required": False,
                            "schema": when,
                            "description": f"'until' is after 'since' and at most {MAX_RANGE_DAYS} days later",
                        }
                        for n in ("since", "until")
                    ],
                    {"name": "kind", "in": "query", "required": False, "schema": _enum(EventKind)},
                ],
            ),
            "post": log_entry,
        },
        "/api/children/{child_id}/events/{event_id}": {
            "delete": op(
                "Delete an entry",
                params=[child, {"name": "event_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            )
        },
        "/api/children/{child_id}/summary": {
            "get": op(
                "One local day's totals",
                params=[
                    child,
                    {"name": "date", "in": "query", "required": False, "schema": {"type": "string", "format": "date"}},
                ],
            )
        },
        "/api/routines": {
            "get": op("The household's routines"),
            "post": op(
                "Create a routine",
                "201",
                {
                    "type": "object",
                    "required": ["name", "steps"],
                    "properties": {"name": name, "schedule_time": schedule, "child_id": routine_child, "steps": steps},
                },
            ),
        },
        "/api/routines/{routine_id}": {
            "patch": op(
                "Change a routine's name, steps, schedule or child",
                body={
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "name": name,
                        "schedule_time": {**schedule, "type": ["string", "null"]},
                        "child_id": {**routine_child, "type": ["string", "null"]},
                        "steps": steps,
                    },
                },
                params=[{"name": "routine_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            )
        },
        "/api/routines/{routine_id}/run": {
            "post": op(
                "Run a routine now",
                params=[{"name": "routine_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            )
        },
        "/api/supplies": {"get": op("How long the diapers and the formula will last, soonest first")},
    }


def step_schemas() -> list[dict[str, Any]]:
    """A routine's steps, as `reorder.services.routines.validate_steps` checks them."""
    data_schemas = event_data_schemas()

    def step(kind: StepKind, required: tuple[str, ...] = (), **properties: Any) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["kind", *required],
            "properties": {"kind": {"type": "string", "enum": [kind.value]}, **properties},
        }

    text = _text_schema(300)
    return [
        *[
            step(
                StepKind.LOG, ("event", "data"), event={"type": "string", "enum": [kind.value]}, data=data_schemas[kind]
            )
            for kind in EventKind
            if kind is not EventKind.SLEEP
        ],
        step(StepKind.SLEEP_START),
        step(StepKind.SLEEP_STOP),
        step(
            StepKind.REMINDER,
            ("text", "minutes"),
            text=text,
            minutes={"type": "integer", "minimum": 1, "maximum": MAX_REMINDER_MINUTES},
        ),
        step(StepKind.SAY, ("text",), text=text),
        step(StepKind.SOUND, ("sound",), sound={"type": "string", "enum": list(SOUNDS)}),
        step(StepKind.ADD_TO_CART, ("product_id",), product_id={"type": "string", "minLength": 1}, quantity=QUANTITY),
    ]
