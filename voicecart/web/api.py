"""The REST API: the same cart, orders and catalog as the voice side, for the web page, apps and devices."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, jsonify, request

from reorder.errors import InvalidInput, NotFound
from voicecart.web.auth import backend, require_household
from voicecart.web.edge import parse_json
from voicecart.web.openapi import IDEMPOTENCY_KEY, ITEM_ID, NOT_BLANK, ORDER_ID, QUANTITY, limit, ref
from voicecart.web.openapi import json_response as _json
from voicecart.web.openapi import operation as _op
from voicecart.web.scopes import HOUSEHOLD, allow
from voicecart.web.serialize import (
    buy_again_json,
    cart_json,
    household_json,
    notification_json,
    order_json,
    product_json,
    quote_json,
)

api = Blueprint("api", __name__, url_prefix="/api")

MAX_SEARCH_RESULTS = 50
MAX_ORDERS = 200
MAX_BUY_AGAIN = 50


def json_body() -> dict[str, Any]:
    """The request's JSON object, parsed once at the edge within its limits (`voicecart.web.edge`)."""
    raw = request.get_data(cache=True)
    if not raw:
        return {}
    if not request.is_json:
        raise InvalidInput("The request body is not valid JSON.")
    data = g.json_body if "json_body" in g else parse_json(raw)
    if not isinstance(data, dict):
        raise InvalidInput("The request body must be a JSON object.")
    return data


def field(data: dict[str, Any], name: str, kind: type, *, required: bool = True, default: Any = None) -> Any:
    if name not in data:
        if required:
            raise InvalidInput(f"The field {name!r} is required.")
        return default
    value = data[name]
    if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise InvalidInput(f"The field {name!r} must be a whole number.")
    if kind is str and not isinstance(value, str):
        raise InvalidInput(f"The field {name!r} must be a string.")
    return value


def int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInput(f"The query parameter {name!r} must be a whole number.") from None
    if not low <= value <= high:
        raise InvalidInput(f"The query parameter {name!r} must be between {low} and {high}.")
    return value


@api.get("/catalog/search")
@allow(HOUSEHOLD)
def catalog_search():
    query = request.args.get("q", "").strip()
    if not query:
        raise InvalidInput("Give a search text: /api/catalog/search?q=paper+towels")
    if len(query) > 200:
        raise InvalidInput("The search text is too long (200 characters at most).")
    limit = int_arg("limit", 10, 1, MAX_SEARCH_RESULTS)
    matcher = current_app.extensions.get("voicecart.product_matcher")
    if matcher is not None:
        # The same understanding of product names as the voice side.
        ids = matcher(query, limit)
        found = backend().catalog.get_many(ids)
        products = [found[i] for i in ids if i in found and not found[i].discontinued]
    else:
        products = backend().catalog.search(query, limit)
    return jsonify({"query": query, "results": [product_json(p) for p in products]})


@api.get("/household")
@allow(HOUSEHOLD)
def get_household():
    return jsonify(household_json(backend().households.get(require_household())))


@api.get("/cart")
@allow(HOUSEHOLD)
def get_cart():
    return jsonify(cart_json(backend().carts.get(require_household())))


@api.post("/cart/items")
@allow(HOUSEHOLD)
def add_cart_item():
    data = json_body()
    cart, line = backend().carts.add(
        require_household(),
        field(data, "product_id", str),
        field(data, "quantity", int, required=False, default=1),
        channel="web",
    )
    return jsonify({"item_id": line.id, "cart": cart_json(cart)}), 201


@api.patch("/cart/items/<item_id>")
@allow(HOUSEHOLD)
def update_cart_item(item_id: str):
    data = json_body()
    return jsonify(cart_json(backend().carts.set_quantity(require_household(), item_id, field(data, "quantity", int))))


@api.delete("/cart/items/<item_id>")
@allow(HOUSEHOLD)
def delete_cart_item(item_id: str):
    return jsonify(cart_json(backend().carts.remove(require_household(), item_id)))


@api.delete("/cart")
@allow(HOUSEHOLD)
def clear_cart():
    return jsonify(cart_json(backend().carts.clear(require_household())))


def _requested_items(data: dict[str, Any]) -> list[tuple[str, int]] | None:
    if "items" not in data:
        return None  # the cart
    items = data["items"]
    if not isinstance(items, list) or not items:
        raise InvalidInput("'items' must be a non-empty list of {product_id, quantity}.")
    out = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise InvalidInput(f"items[{index}] must be an object.")
        out.append((field(item, "product_id", str), field(item, "quantity", int, required=False, default=1)))
    return out


@api.post("/orders/quote")
@allow(HOUSEHOLD)
def quote_order():
    data = json_body()
    return jsonify(quote_json(backend().orders.quote(require_household(), _requested_items(data), channel="web")))


@api.post("/orders")
@allow(HOUSEHOLD)
def place_order():
    """Check out the cart, or order `items` directly; an Idempotency-Key header makes retries safe."""
    data = json_body()
    household_id = require_household()
    key = request.headers.get("Idempotency-Key")
    items = _requested_items(data)
    if items is None:
        placed = backend().orders.checkout(household_id, channel="web", idempotency_key=key)
    else:
        placed = backend().orders.place(household_id, items, channel="web", idempotency_key=key)
    return jsonify({"order": order_json(placed.order), "created": placed.created}), 201 if placed.created else 200


@api.get("/orders")
@allow(HOUSEHOLD)
def list_orders():
    limit = int_arg("limit", 20, 1, MAX_ORDERS)
    return jsonify({"orders": [order_json(o) for o in backend().orders.recent(require_household(), limit)]})


@api.get("/orders/<order_id>")
@allow(HOUSEHOLD)
def get_order(order_id: str):
    return jsonify(order_json(backend().orders.get(require_household(), order_id)))


@api.post("/orders/<order_id>/cancel")
@allow(HOUSEHOLD)
def cancel_order(order_id: str):
    data = json_body()
    reason = field(data, "reason", str, required=False, default="")
    return jsonify(order_json(backend().orders.cancel(require_household(), order_id, reason=reason[:200])))


@api.get("/buy-again")
@allow(HOUSEHOLD)
def buy_again():
    limit = int_arg("limit", 5, 1, MAX_BUY_AGAIN)
    return jsonify({"items": [buy_again_json(i) for i in backend().orders.buy_it_again(require_household(), limit)]})


@api.get("/notifications")
@allow(HOUSEHOLD)
def notifications():
    return jsonify(
        {"notifications": [notification_json(n) for n in backend().notifications.pending(require_household())]}
    )


@api.post("/notifications/ack")
@allow(HOUSEHOLD)
def ack_notifications():
    data = json_body()
    ids = data.get("ids")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise InvalidInput("'ids' must be a list of notification ids.")
    household_id = require_household()
    own = {n.id for n in backend().notifications.pending(household_id, limit=1000)}
    unknown = [i for i in ids if i not in own]
    if unknown:
        raise NotFound(f"Unknown notification ids: {', '.join(unknown[:5])}.")
    backend().notifications.mark_delivered(ids)
    return jsonify({"acknowledged": len(ids)})


def openapi_paths() -> dict[str, Any]:
    """This blueprint's routes for the OpenAPI document."""
    return {
        "/api/catalog/search": {
            "get": _op(
                "Search the catalog by what a person would say",
                _json(
                    {
                        "type": "object",
                        "properties": {
                            "query": {"type": "string"},
                            "results": {"type": "array", "items": ref("Product")},
                        },
                    },
                    "Matches",
                ),
                (422,),
                params=[
                    {
                        "name": "q",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "maxLength": 200, "pattern": NOT_BLANK},
                    },
                    limit(MAX_SEARCH_RESULTS),
                ],
            )
        },
        "/api/household": {
            "get": _op("The token's household and its settings", _json({"type": "object"}, "Household"), ())
        },
        "/api/cart": {
            "get": _op("The household's shared cart", _json(ref("Cart"), "Cart"), ()),
            "delete": _op("Empty the cart", _json(ref("Cart"), "Cart"), ()),
        },
        "/api/cart/items": {
            "post": _op(
                "Add a product (quantities of one product merge)",
                _json({"type": "object", "properties": {"item_id": {"type": "string"}, "cart": ref("Cart")}}, "Added"),
                (400, 404, 409, 422),
                ok_status="201",
                body={
                    "type": "object",
                    "required": ["product_id"],
                    "properties": {"product_id": {"type": "string"}, "quantity": QUANTITY},
                },
            )
        },
        "/api/cart/items/{item_id}": {
            "patch": _op(
                "Change a line's quantity",
                _json(ref("Cart"), "Cart"),
                (400, 404, 422),
                params=[ITEM_ID],
                body={"type": "object", "required": ["quantity"], "properties": {"quantity": QUANTITY}},
            ),
            "delete": _op("Remove a line", _json(ref("Cart"), "Cart"), (404,), params=[ITEM_ID]),
        },
        "/api/orders": {
            "post": _op(
                "Check out the cart, or order `items` directly. Send an Idempotency-Key header: a retry with "
                "the same key and the same request returns the first order (200) instead of placing another; "
                "the same key with another request is refused (422 idempotency_key_reused).",
                _json(
                    {"type": "object", "properties": {"order": ref("Order"), "created": {"type": "boolean"}}}, "Placed"
                ),
                (400, 403, 404, 409, 422, 423),
                ok_status="201",
                body=ref("OrderItems"),
                params=[{"name": "Idempotency-Key", "in": "header", "required": False, "schema": IDEMPOTENCY_KEY}],
                extra={
                    "200": _json(
                        {"type": "object", "properties": {"order": ref("Order"), "created": {"type": "boolean"}}},
                        "Already placed with this idempotency key",
                    )
                },
            ),
            "get": _op(
                "Recent orders, newest first",
                _json({"type": "object", "properties": {"orders": {"type": "array", "items": ref("Order")}}}, "Orders"),
                (422,),
                params=[limit(MAX_ORDERS)],
            ),
        },
        "/api/orders/quote": {
            "post": _op(
                "Price the cart or `items`, with savings and the delivery day, without ordering",
                _json({"type": "object"}, "Quote"),
                (400, 404, 409, 422),
                body=ref("OrderItems"),
            )
        },
        "/api/orders/{order_id}": {
            "get": _op("One order with its status history", _json(ref("Order"), "Order"), (404,), params=[ORDER_ID])
        },
        "/api/orders/{order_id}/cancel": {
            "post": _op(
                "Cancel an order that has not shipped",
                _json(ref("Order"), "Cancelled"),
                (400, 404, 409, 422),
                params=[ORDER_ID],
                body={"type": "object", "properties": {"reason": {"type": "string"}}},
            )
        },
        "/api/buy-again": {
            "get": _op(
                "Products this household buys, ranked",
                _json({"type": "object"}, "Items"),
                (422,),
                params=[limit(MAX_BUY_AGAIN)],
            )
        },
        "/api/notifications": {"get": _op("Undelivered notifications", _json({"type": "object"}, "Pending"), ())},
        "/api/notifications/ack": {
            "post": _op(
                "Mark notifications delivered",
                _json({"type": "object"}, "Acknowledged"),
                (400, 404, 422),
                body={
                    "type": "object",
                    "required": ["ids"],
                    "properties": {"ids": {"type": "array", "items": {"type": "string"}}},
                },
            )
        },
    }
