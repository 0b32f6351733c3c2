"""The OpenAPI 3 document served at /openapi.json: its shared parts and the assembler.

Each REST blueprint declares its own routes (`openapi_paths()` next to them, built from the parts here);
the app (voicecart/app.py) hands what the blueprints it registers declare to `openapi_document`. This module
imports no blueprint, so the arrows point one way: blueprints → parts, app → blueprints and assembler."""

from __future__ import annotations

from typing import Any

ERROR = {"$ref": "#/components/schemas/Error"}


def json_response(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error_responses(*codes: int) -> dict[str, Any]:
    text = {
        400: "Malformed request",
        401: "Missing or wrong token",
        403: "Not allowed",
        404: "Not found",
        409: "Conflict with the current state",
        422: "Invalid input",
        423: "Locked",
    }
    return {str(c): json_response(ERROR, text[c]) for c in codes}


ref = lambda name: {"$ref": f"#/components/schemas/{name}"}  # noqa: E731

# A text that is not all whitespace (Python's `str.strip()` also strips the separators \x1c-\x1f and \x85).
NOT_BLANK = r"[^\s\x1c-\x1f\x85]"
QUANTITY = {"type": "integer", "minimum": 1, "maximum": 99, "description": "25.0 is the whole number 25"}
IDEMPOTENCY_KEY = {
    "type": "string",
    "maxLength": 200,
    "pattern": NOT_BLANK,
    "description": "1 to 200 characters once surrounding whitespace is stripped",
}

ITEM_ID = {"name": "item_id", "in": "path", "required": True, "schema": {"type": "string"}}
ORDER_ID = {"name": "order_id", "in": "path", "required": True, "schema": {"type": "string"}}


def limit(largest: int) -> dict[str, Any]:
    """A listing's `limit` query parameter, 1 to `largest`."""
    return {
        "name": "limit",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": largest},
    }


def operation(
    summary: str,
    ok: dict[str, Any],
    errors: tuple[int, ...],
    *,
    body: dict[str, Any] | None = None,
    params: list[dict[str, Any]] | None = None,
    ok_status: str = "200",
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "responses": {ok_status: ok, **error_responses(401, *errors)}}
    if extra:
        op["responses"].update(extra)
    if body is not None:
        # A body with required fields must be sent; one without may be left out (an empty body is {}).
        op["requestBody"] = {"required": bool(body.get("required")), "content": {"application/json": {"schema": body}}}
    if params:
        op["parameters"] = params
    return op


def openapi_document(*declared: dict[str, Any], extra_paths: dict[str, Any] | None = None) -> dict[str, Any]:
    """The whole document: the shared schemas and the paths each blueprint declares, in that order."""
    line: dict[str, Any] = {
        "type": "object",
        "properties": {
            "product_id": {"type": "string"},
            "name": {"type": "string"},
            "quantity": {"type": "integer"},
            "unit_price_cents": {"type": "integer"},
            "line_total_cents": {"type": "integer"},
        },
    }
    money = {"type": "integer", "description": "US cents"}
    schemas = {
        "Error": {
            "type": "object",
            "required": ["error", "message"],
            "properties": {"error": {"type": "string"}, "message": {"type": "string"}, "details": {"type": "object"}},
        },
        "Product": {
            "type": "object",
            "required": ["id", "name", "price_cents"],
            "properties": {
                "id": {"type": "string"},
                "name": {"type": "string"},
                "brand": {"type": "string"},
                "line": {"type": "string"},
                "kind": {"type": "string"},
                "category": {"type": "string"},
                "variant": {"type": "string"},
                "pack_count": {"type": "integer"},
                "unit": {"type": "string"},
                "price_cents": money,
                "discontinued": {"type": "boolean"},
            },
        },
        "Cart": {
            "type": "object",
            "required": ["items", "total_cents"],
            "properties": {
                "household_id": {"type": "string"},
                "items": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            **line["properties"],
                            "id": {"type": "string"},
                            "channel": {"type": "string"},
                            "added_at": {"type": ["string", "null"]},
                        },
                    },
                },
                "item_count": {"type": "integer"},
                "subtotal_cents": money,
                "savings_cents": money,
                "total_cents": money,
            },
        },
        "Order": {
            "type": "object",
            "required": ["id", "status", "lines", "total_cents"],
            "properties": {
                "id": {"type": "string"},
                "status": {
                    "type": "string",
                    "enum": ["placed", "shipped", "out_for_delivery", "delivered", "cancelled"],
                },
                "channel": {"type": "string"},
                "placed_at": {"type": "string", "format": "date-time"},
                "estimated_delivery": {"type": "string", "format": "date"},
                "cancellable": {"type": "boolean"},
                "lines": {"type": "array", "items": line},
                "subtotal_cents": money,
                "savings_cents": money,
                "total_cents": money,
                "button_id": {"type": ["string", "null"]},
                "history": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "status": {"type": "string"},
                            "at": {"type": "string"},
                            "note": {"type": "string"},
                        },
                    },
                },
            },
        },
        "OrderItems": {
            "type": "object",
            "properties": {
                "items": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["product_id"],
                        "properties": {"product_id": {"type": "string"}, "quantity": QUANTITY},
                    },
                }
            },
        },
    }
    paths: dict[str, Any] = {}
    for declared_paths in declared:
        paths.update(declared_paths)
    paths.update(extra_paths or {})
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "voicecart API",
            "version": "1",
            "description": "One order backend for every channel: voice, buttons, devices, the web page.",
        },
        "components": {"schemas": schemas, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
        "paths": paths,
    }
