"""REST API for virtual buttons and for smart devices that replenish their own supplies.

Every press answer says plainly what happened: `outcome` is `ordered` (201), `already_in_progress` (200,
with the order on its way), `blocked` or `error` (409, with `reason` and a readable `message`). Which
routes a device's token may call is declared on each route (`voicecart.web.scopes`); among devices, it acts
only for its own.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, g, jsonify, request

from reorder.domain.buttons import (
    MAX_BUTTON_NAME,
    MAX_DAILY_CAP,
    MAX_SLOT_NAME,
    Button,
    Device,
    DeviceSlot,
    PressOutcome,
)
from reorder.errors import InvalidInput, NotFound
from reorder.services.buttons import KEEP, PressResult
from reorder.services.devices import MAX_DEVICE_NAME, MAX_SLOTS, SlotSpec
from voicecart.web.api import field, int_arg, json_body
from voicecart.web.auth import backend, require_household
from voicecart.web.openapi import IDEMPOTENCY_KEY, NOT_BLANK, QUANTITY
from voicecart.web.scopes import DEVICE, HOUSEHOLD, allow
from voicecart.web.serialize import order_json

# The largest supply level a device may report (`reorder.domain.buttons.validate_level`).
MAX_LEVEL = 1_000_000
buttons_api = Blueprint("buttons_api", __name__, url_prefix="/api")

MAX_PRESSES = 500
PRESS_STATUS = {
    PressOutcome.ORDERED: 201,
    PressOutcome.ALREADY_IN_PROGRESS: 200,
    PressOutcome.BLOCKED: 409,
    PressOutcome.ERROR: 409,
}


def _this_device(device_id: str) -> None:
    scoped = g.get("token_device_id")
    if scoped and scoped != device_id:
        # Told apart from a missing device by nothing: a device learns nothing about its neighbours.
        raise NotFound(f"There is no device {device_id!r}.")


def button_json(button: Button) -> dict[str, Any]:
    return {
        "id": button.id,
        "name": button.name,
        "product_id": button.product_id,
        "quantity": button.quantity,
        "allow_multiple": button.policy.allow_multiple,
        "daily_cap": button.policy.daily_cap,
        "created_at": button.created_at.isoformat(),
        "deleted": button.deleted,
    }


def press_json(result: PressResult) -> dict[str, Any]:
    press = result.press
    return {
        "outcome": press.outcome.value,
        "ordered": press.outcome is PressOutcome.ORDERED,
        "in_progress": press.outcome is PressOutcome.ALREADY_IN_PROGRESS,
        "message": press.message,
        "reason": press.reason,
        "order": order_json(result.order) if result.order else None,
        "press": {
            "id": press.id,
            "button_id": press.button_id,
            "at": press.at.isoformat(),
            "channel": press.channel,
            "device_id": press.device_id,
        },
        "replayed": result.replayed,
    }


def _press_response(result: PressResult):
    status = PRESS_STATUS[result.outcome]
    if result.replayed and status == 201:
        status = 200  # the order exists already; this answer only repeats it
    return jsonify(press_json(result)), status


def slot_json(slot: DeviceSlot) -> dict[str, Any]:
    return {
        "slot": slot.slot,
        "product_id": slot.product_id,
        "quantity": slot.quantity,
        "capacity": slot.capacity,
        "threshold": slot.threshold,
        "remaining": slot.remaining,
        "status_at": slot.status_at.isoformat() if slot.status_at else None,
    }


def device_json(device: Device) -> dict[str, Any]:
    return {
        "id": device.id,
        "name": device.name,
        "model": device.model,
        "created_at": device.created_at.isoformat(),
        "slots": [slot_json(s) for s in device.slots],
    }


def _optional_policy(data: dict[str, Any]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if "allow_multiple" in data:
        if not isinstance(data["allow_multiple"], bool):
            raise InvalidInput("The field 'allow_multiple' must be true or false.")
        changes["allow_multiple"] = data["allow_multiple"]
    if "daily_cap" in data:
        cap = data["daily_cap"]
        if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int)):
            raise InvalidInput("The field 'daily_cap' must be a whole number or null.")
        changes["daily_cap"] = cap
    return changes


# -- buttons ---------------------------------------------------------------------------------------
@buttons_api.get("/buttons")
@allow(HOUSEHOLD, DEVICE)
def list_buttons():
    return jsonify({"buttons": [button_json(b) for b in backend().buttons.list(require_household())]})


@buttons_api.post("/buttons")
@allow(HOUSEHOLD)
def create_button():
    data = json_body()
    policy = _optional_policy(data)
    button = backend().buttons.create(
        require_household(),
        field(data, "name", str),
        field(data, "product_id", str),
        field(data, "quantity", int, required=False, default=1),
        allow_multiple=policy.get("allow_multiple", False),
        daily_cap=policy.get("daily_cap"),
    )
    return jsonify(button_json(button)), 201


@buttons_api.get("/buttons/<button_id>")
@allow(HOUSEHOLD, DEVICE)
def get_button(button_id: str):
    household_id = require_household()
    button = backend().buttons.get(household_id, button_id)
    return jsonify({**button_json(button), "presses": backend().buttons.outcome_counts(household_id, button_id)})


@buttons_api.patch("/buttons/<button_id>")
@allow(HOUSEHOLD)
def update_button(button_id: str):
    data = json_body()
    unknown = set(data) - {"name", "product_id", "quantity", "allow_multiple", "daily_cap"}
    if unknown:
        raise InvalidInput(f"Unknown button fields: {', '.join(sorted(unknown))}.")
    policy = _optional_policy(data)
    button = backend().buttons.update(
        require_household(),
        button_id,
        name=field(data, "name", str, required=False),
        product_id=field(data, "product_id", str, required=False),
        quantity=field(data, "quantity", int, required=False),
        allow_multiple=policy.get("allow_multiple"),
        daily_cap=policy.get("daily_cap", KEEP),
    )
    return jsonify(button_json(button))


@buttons_api.delete("/buttons/<button_id>")
@allow(HOUSEHOLD)
def delete_button(button_id: str):
    return jsonify(button_json(backend().buttons.delete(require_household(), button_id)))


@buttons_api.post("/buttons/<button_id>/press")
@allow(HOUSEHOLD, DEVICE)
def press_button(button_id: str):
    """Press once; an Idempotency-Key header makes a retried press answer as the first one did."""
    result = backend().buttons.press(
        require_household(),
        button_id,
        channel="device" if g.get("token_device_id") else "button",
        device_id=g.get("token_device_id"),
        idempotency_key=request.headers.get("Idempotency-Key"),
    )
    return _press_response(result)


@buttons_api.get("/buttons/<button_id>/presses")
@allow(HOUSEHOLD)
def list_presses(button_id: str):
    presses = backend().buttons.presses(require_household(), button_id, int_arg("limit", 50, 1, MAX_PRESSES))
    return jsonify(
        {
            "presses": [
                {
                    "id": p.id,
                    "at": p.at.isoformat(),
                    "outcome": p.outcome.value,
                    "reason": p.reason,
                    "message": p.message,
                    "order_id": p.order_id,
                    "channel": p.channel,
                    "device_id": p.device_id,
                }
                for p in presses
            ]
        }
    )


# -- devices (after Dash Replenishment) ------------------------------------------------------------
def _slot_specs(data: dict[str, Any]) -> list[SlotSpec]:
    slots = data.get("slots")
    if not isinstance(slots, list) or not slots:
        raise InvalidInput("'slots' must be a non-empty list of {slot, product_id, quantity, capacity, threshold}.")
    specs = []
    for index, item in enumerate(slots):
        if not isinstance(item, dict):
            raise InvalidInput(f"slots[{index}] must be an object.")
        specs.append(
            SlotSpec(
                slot=field(item, "slot", str),
                product_id=field(item, "product_id", str),
                quantity=field(item, "quantity", int, required=False, default=1),
                capacity=item.get("capacity", 100.0),
                threshold=item.get("threshold", 20.0),
            )
        )
    return specs


@buttons_api.post("/devices")
@allow(HOUSEHOLD)
def register_device():
    """Register a device and issue its token, scoped to this household and this device only."""
    data = json_body()
    household_id = require_household()
    device = backend().devices.register(
        household_id,
        field(data, "name", str),
        _slot_specs(data),
        model=field(data, "model", str, required=False, default="generic"),
    )
    token = backend().households.issue_token(household_id, label=f"device {device.name}", device_id=device.id)
    return jsonify({"device": device_json(device), "token": token}), 201


@buttons_api.get("/devices")
@allow(HOUSEHOLD, DEVICE)
def list_devices():
    household_id = require_household()
    scoped = g.get("token_device_id")
    devices = [d for d in backend().devices.list(household_id) if not scoped or d.id == scoped]
    return jsonify({"devices": [device_json(d) for d in devices]})


@buttons_api.get("/devices/<device_id>")
@allow(HOUSEHOLD, DEVICE)
def get_device(device_id: str):
    _this_device(device_id)
    return jsonify(device_json(backend().devices.get(require_household(), device_id)))


@buttons_api.post("/devices/<device_id>/slots/<slot>/replenish")
@allow(HOUSEHOLD, DEVICE)
def replenish(device_id: str, slot: str):
    _this_device(device_id)
    return _press_response(
        backend().devices.replenish(
            require_household(), device_id, slot, idempotency_key=request.headers.get("Idempotency-Key")
        )
    )


@buttons_api.put("/devices/<device_id>/slots/<slot>/status")
@allow(HOUSEHOLD, DEVICE)
def slot_status(device_id: str, slot: str):
    """Report the remaining supply; at or below the slot's threshold this replenishes (once)."""
    _this_device(device_id)
    data = json_body()
    if "remaining" not in data:
        raise InvalidInput("The field 'remaining' is required.")
    result = backend().devices.report_status(
        require_household(), device_id, slot, data["remaining"], idempotency_key=request.headers.get("Idempotency-Key")
    )
    body = {
        "slot": slot_json(result.slot),
        "below_threshold": result.below_threshold,
        "replenishment": press_json(result.replenishment) if result.replenishment else None,
    }
    return jsonify(body)


# -- OpenAPI -----------------------------------------------------------------------------------------
def _op(summary: str, ok: str, *errors: int, body: dict | None = None) -> dict[str, Any]:
    error_text = {
        401: "Missing or wrong token",
        403: "Not allowed for this token",
        404: "Not found",
        409: "Blocked or failed press, or a conflicting name",
        422: "Invalid input",
    }
    responses: dict[str, Any] = {ok: {"description": "OK"}}
    responses.update(
        {
            str(c): {
                "description": error_text[c],
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }
            for c in (401, *errors)
        }
    )
    op: dict[str, Any] = {"summary": summary, "responses": responses}
    if body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return op


# A button's name: at most 60 characters, a letter or digit somewhere, no control or format characters
# (`validate_button_name`); whitespace of any kind collapses to one space. Of the combining marks the
# pattern names only U+0300-U+036F: `\p{M}` is approximated by generators with unassigned code points.
_NAME_CHARS = r"\p{L}\u0300-\u036f\p{N}\p{P}\p{S}\p{Z}\t\n\r"
BUTTON_NAME = {
    "type": "string",
    "maxLength": MAX_BUTTON_NAME,
    "pattern": rf"^[{_NAME_CHARS}]*[\p{{L}}\p{{N}}][{_NAME_CHARS}]*$",
}
_BUTTON_FIELDS = {
    "name": BUTTON_NAME,
    "product_id": {"type": "string", "minLength": 1},
    "quantity": QUANTITY,
    "allow_multiple": {"type": "boolean"},
    "daily_cap": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_DAILY_CAP},
}
_BUTTON_BODY = {"type": "object", "required": ["name", "product_id"], "properties": _BUTTON_FIELDS}
# A change names only what changes; an unknown field is refused (422) rather than ignored.
_BUTTON_CHANGE = {"type": "object", "additionalProperties": False, "properties": _BUTTON_FIELDS}
_IDEMPOTENCY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": IDEMPOTENCY_KEY,
    "description": "A replay with the same key returns the first press's outcome.",
}
_PRESS = _op("Press a button: ordered (201), already_in_progress (200), blocked or error (409)", "201", 404, 409, 422)
_PRESS["parameters"] = [_IDEMPOTENCY]
_REPLENISH = _op("Ask for more of one consumable: an order, or the one already on its way", "201", 404, 409, 422)
_REPLENISH["parameters"] = [_IDEMPOTENCY]
_PRESSES = _op("Recorded presses, newest first", "200", 404, 422)
_PRESSES["parameters"] = [
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PRESSES},
    }
]
_LEVEL = {"type": "number", "minimum": 0, "maximum": MAX_LEVEL}
_SLOT_NAME = {"type": "string", "pattern": rf"^[a-z0-9][a-z0-9_-]{{0,{MAX_SLOT_NAME - 1}}}$"}
_SLOT = {
    "type": "object",
    "required": ["slot", "product_id"],
    "properties": {
        "slot": _SLOT_NAME,
        "product_id": {"type": "string", "minLength": 1},
        "quantity": QUANTITY,
        "capacity": {**_LEVEL, "exclusiveMinimum": 0, "description": "default 100"},
        "threshold": {**_LEVEL, "description": "below the capacity; default 20"},
    },
}
_DEVICE = {
    "type": "object",
    "required": ["name", "slots"],
    "properties": {
        "name": {"type": "string", "maxLength": MAX_DEVICE_NAME, "pattern": NOT_BLANK},
        "model": {"type": "string", "maxLength": MAX_DEVICE_NAME},
        "slots": {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_SLOTS,
            "items": _SLOT,
            "description": "each with its own slot name",
        },
    },
}

_OPENAPI_PATHS: dict[str, Any] = {
    "/api/buttons": {
        "get": _op("List the household's buttons", "200"),
        "post": _op("Create a button", "201", 403, 404, 409, 422, body=_BUTTON_BODY),
    },
    "/api/buttons/{button_id}": {
        "get": _op("A button and its press counts", "200", 404),
        "patch": _op("Rename, rebind or change a button's policy", "200", 403, 404, 409, 422, body=_BUTTON_CHANGE),
        "delete": _op("Delete a button (its presses stay on record)", "200", 403, 404),
    },
    "/api/buttons/{button_id}/press": {"post": _PRESS},
    "/api/buttons/{button_id}/presses": {"get": _PRESSES},
    "/api/devices": {
        "get": _op("List devices", "200"),
        "post": _op(
            "Register a device with supply slots; returns its scoped token", "201", 403, 404, 422, body=_DEVICE
        ),
    },
    "/api/devices/{device_id}": {"get": _op("A device and its slots", "200", 404)},
    "/api/devices/{device_id}/slots/{slot}/replenish": {"post": _REPLENISH},
    "/api/devices/{device_id}/slots/{slot}/status": {
        "put": _op(
            "Report remaining supply; at the threshold this replenishes once",
            "200",
            404,
            409,
            422,
            body={
                "type": "object",
                "required": ["remaining"],
                "properties": {"remaining": {**_LEVEL, "description": "at most the slot's capacity"}},
            },
        )
    },
}
_PATH_PARAMETERS = {
    "button_id": {"type": "string", "minLength": 1},
    "device_id": {"type": "string", "minLength": 1},
    "slot": _SLOT_NAME,
}
for _path, _item in _OPENAPI_PATHS.items():  # every operation declares the ids in its path
    for _operation in _item.values():
        _operation["parameters"] = [
            *(
                {"name": name, "in": "path", "required": True, "schema": _PATH_PARAMETERS[name]}
                for name in re.findall(r"\{(\w+)\}", _path)
            ),
            *_operation.get("parameters", []),
        ]


def openapi_paths() -> dict[str, Any]:
    """This blueprint's routes for the OpenAPI document."""
    return _OPENAPI_PATHS
