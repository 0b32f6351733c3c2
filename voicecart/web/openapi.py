"""The OpenAPI 3 document served at /openapi.json, written as data next to the routes it describes."""

from __future__ import annotations

from typing import Any

from voicecart.web.api import MAX_BUY_AGAIN, MAX_ORDERS, MAX_SEARCH_RESULTS

ERROR = {"$ref": "#/components/schemas/Error"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    text = {400: "Malformed request", 401: "Missing or wrong token", 403: "Not allowed",
            404: "Not found", 409: "Conflict with the current state", 422: "Invalid input",
            423: "Locked"}
    return {str(c): _json(ERROR, text[c]) for c in codes}


ref = lambda name: {"$ref": f"#/components/schemas/{name}"}  # noqa: E731

# A text that is not all whitespace (Python's `str.strip()` also strips the separators \x1c-\x1f and \x85).
NOT_BLANK = r"[^\s\x1c-\x1f\x85]"
QUANTITY = {"type": "integer", "minimum": 1, "maximum": 99, "description": "25.0 is the whole number 25"}
IDEMPOTENCY_KEY = {"type": "string", "maxLength": 200, "pattern": NOT_BLANK,
                   "description": "1 to 200 characters once surrounding whitespace is stripped"}

ITEM_ID = {"name": "item_id", "in": "path", "required": True, "schema": {"type": "string"}}
ORDER_ID = {"name": "order_id", "in": "path", "required": True, "schema": {"type": "string"}}


def limit(largest: int) -> dict[str, Any]:
    """A listing's `limit` query parameter, 1 to `largest`."""
    return {"name": "limit", "in": "query", "required": False,
            "schema": {"type": "integer", "minimum": 1, "maximum": largest}}


def _op(summary: str, ok: dict[str, Any], errors: tuple[int, ...], *, body: dict[str, Any] | None = None,
        params: list[dict[str, Any]] | None = None, ok_status: str = "200",
        extra: dict[str, Any] | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "responses": {ok_status: ok, **_errors(401, *errors)}}
    if extra:
        op["responses"].update(extra)
    if body is not None:
        # A body with required fields must be sent; one without may be left out (an empty body is {}).
        op["requestBody"] = {"required": bool(body.get("required")),
                             "content": {"application/json": {"schema": body}}}
    if params:
        op["parameters"] = params
    return op


def openapi_document(extra_paths: dict[str, Any] | None = None) -> dict[str, Any]:
    line = {"type": "object", "properties": {
        "product_id": {"type": "string"}, "name": {"type": "string"}, "quantity": {"type": "integer"},
        "unit_price_cents": {"type": "integer"}, "line_total_cents": {"type": "integer"}}}
    money = {"type": "integer", "description": "US cents"}
    schemas = {
        "Error": {"type": "object", "required": ["error", "message"], "properties": {
            "error": {"type": "string"}, "message": {"type": "string"}, "details": {"type": "object"}}},
        "Product": {"type": "object", "required": ["id", "name", "price_cents"], "properties": {
            "id": {"type": "string"}, "name": {"type": "string"}, "brand": {"type": "string"},
            "line": {"type": "string"}, "kind": {"type": "string"}, "category": {"type": "string"},
            "variant": {"type": "string"}, "pack_count": {"type": "integer"}, "unit": {"type": "string"},
            "price_cents": money, "discontinued": {"type": "boolean"}}},
        "Cart": {"type": "object", "required": ["items", "total_cents"], "properties": {
            "household_id": {"type": "string"},
            "items": {"type": "array", "items": {"type": "object", "properties": {
                **line["properties"], "id": {"type": "string"}, "channel": {"type": "string"},
                "added_at": {"type": ["string", "null"]}}}},
            "item_count": {"type": "integer"}, "subtotal_cents": money, "savings_cents": money,
            "total_cents": money}},
        "Order": {"type": "object", "required": ["id", "status", "lines", "total_cents"], "properties": {
            "id": {"type": "string"},
            "status": {"type": "string", "enum": ["placed", "shipped", "out_for_delivery", "delivered",
                                                  "cancelled"]},
            "channel": {"type": "string"}, "placed_at": {"type": "string", "format": "date-time"},
            "estimated_delivery": {"type": "string", "format": "date"}, "cancellable": {"type": "boolean"},
            "lines": {"type": "array", "items": line}, "subtotal_cents": money, "savings_cents": money,
            "total_cents": money, "button_id": {"type": ["string", "null"]},
            "history": {"type": "array", "items": {"type": "object", "properties": {
                "status": {"type": "string"}, "at": {"type": "string"}, "note": {"type": "string"}}}}}},
        "OrderItems": {"type": "object", "properties": {
            "items": {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["product_id"],
                      "properties": {"product_id": {"type": "string"},
                                     "quantity": QUANTITY}}}}},
    }
    paths: dict[str, Any] = {
        "/api/catalog/search": {"get": _op(
            "Search the catalog by what a person would say", _json({"type": "object", "properties": {
                "query": {"type": "string"}, "results": {"type": "array", "items": ref("Product")}}}, "Matches"),
            (422,), params=[{"name": "q", "in": "query", "required": True, "schema": {
                "type": "string", "maxLength": 200, "pattern": NOT_BLANK}}, limit(MAX_SEARCH_RESULTS)])},
        "/api/household": {"get": _op("The token's household and its settings",
                                      _json({"type": "object"}, "Household"), ())},
        "/api/cart": {
            "get": _op("The household's shared cart", _json(ref("Cart"), "Cart"), ()),
            "delete": _op("Empty the cart", _json(ref("Cart"), "Cart"), ()),
        },
        "/api/cart/items": {"post": _op(
            "Add a product (quantities of one product merge)",
            _json({"type": "object", "properties": {"item_id": {"type": "string"}, "cart": ref("Cart")}}, "Added"),
            (400, 404, 409, 422), ok_status="201",
            body={"type": "object", "required": ["product_id"], "properties": {
                "product_id": {"type": "string"}, "quantity": QUANTITY}})},
        "/api/cart/items/{item_id}": {
            "patch": _op("Change a line's quantity", _json(ref("Cart"), "Cart"), (400, 404, 422), params=[ITEM_ID],
                         body={"type": "object", "required": ["quantity"], "properties": {
                             "quantity": QUANTITY}}),
            "delete": _op("Remove a line", _json(ref("Cart"), "Cart"), (404,), params=[ITEM_ID]),
        },
        "/api/orders": {
            "post": _op(
                "Check out the cart, or order `items` directly. Send an Idempotency-Key header: a retry with "
                "the same key and the same request returns the first order (200) instead of placing another; "
                "the same key with another request is refused (422 idempotency_key_reused).",
                _json({"type": "object", "properties": {"order": ref("Order"), "created": {"type": "boolean"}}},
                      "Placed"),
                (400, 403, 404, 409, 422, 423), ok_status="201", body=ref("OrderItems"),
                params=[{"name": "Idempotency-Key", "in": "header", "required": False,
                         "schema": IDEMPOTENCY_KEY}],
                extra={"200": _json({"type": "object", "properties": {"order": ref("Order"),
                                                                       "created": {"type": "boolean"}}},
                                    "Already placed with this idempotency key")}),
            "get": _op("Recent orders, newest first", _json({"type": "object", "properties": {
                "orders": {"type": "array", "items": ref("Order")}}}, "Orders"), (422,), params=[limit(MAX_ORDERS)]),
        },
        "/api/orders/quote": {"post": _op(
            "Price the cart or `items`, with savings and the delivery day, without ordering",
            _json({"type": "object"}, "Quote"), (400, 404, 409, 422), body=ref("OrderItems"))},
        "/api/orders/{order_id}": {"get": _op("One order with its status history", _json(ref("Order"), "Order"),
                                              (404,), params=[ORDER_ID])},
        "/api/orders/{order_id}/cancel": {"post": _op(
            "Cancel an order that has not shipped", _json(ref("Order"), "Cancelled"), (400, 404, 409, 422),
            params=[ORDER_ID], body={"type": "object", "properties": {"reason": {"type": "string"}}})},
        "/api/buy-again": {"get": _op("Products this household buys, ranked", _json({"type": "object"}, "Items"),
                                      (422,), params=[limit(MAX_BUY_AGAIN)])},
        "/api/notifications": {"get": _op("Undelivered notifications", _json({"type": "object"}, "Pending"), ())},
        "/api/notifications/ack": {"post": _op(
            "Mark notifications delivered", _json({"type": "object"}, "Acknowledged"), (400, 404, 422),
            body={"type": "object", "required": ["ids"], "properties": {
                "ids": {"type": "array", "items": {"type": "string"}}}})},
    }
    from voicecart.web.babycare_api import openapi_paths as babycare_paths  # the routes live there

    paths.update(babycare_paths())
    from voicecart.web.buttons_api import OPENAPI_PATHS as button_paths  # the routes live there

    paths.update(button_paths)
    from voicecart.web.console_api import openapi_paths as console_paths  # the routes live there

    paths.update(console_paths())
    paths.update(extra_paths or {})
    return {
        "openapi": "3.1.0",
        "info": {"title": "voicecart API", "version": "1",
                 "description": "One order backend for every channel: voice, buttons, devices, the web page."},
        "components": {"schemas": schemas, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
        "paths": paths,
    }
