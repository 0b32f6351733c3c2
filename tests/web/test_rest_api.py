"""The REST API over the same backend: auth, JSON errors, idempotent checkout, isolation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from voicecart.app import create_app

DIAPERS = "pampers-swaddlers-size-3-84"
TOWELS = "bounty-select-a-size-12"


@pytest.fixture
def app(backend):
    return create_app(backend)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def token(backend, household):
    return backend.households.issue_token(household.id, "test")


@pytest.fixture
def auth(token):
    return {"Authorization": f"Bearer {token}"}


def test_requests_without_or_with_a_wrong_token_are_refused(client, auth):
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        response = client.get("/api/cart", headers=headers)
        assert response.status_code == 401
        assert response.get_json()["error"] == "unauthorized"


def test_cart_round_trip(client, auth):
    response = client.post("/api/cart/items", json={"product_id": DIAPERS, "quantity": 2}, headers=auth)
    assert response.status_code == 201
    item_id = response.get_json()["item_id"]
    cart = client.patch(f"/api/cart/items/{item_id}", json={"quantity": 3}, headers=auth).get_json()
    assert cart["items"][0]["quantity"] == 3
    assert cart["subtotal_cents"] == 3 * 4799 and cart["savings_cents"] == 3 * 4799 * 5 // 100
    cart = client.delete(f"/api/cart/items/{item_id}", headers=auth).get_json()
    assert cart["items"] == []


@pytest.mark.parametrize(
    "body,status,code",
    [
        ({"product_id": DIAPERS, "quantity": 0}, 422, "invalid_quantity"),
        ({"product_id": DIAPERS, "quantity": -3}, 422, "invalid_quantity"),
        ({"product_id": DIAPERS, "quantity": 100}, 422, "invalid_quantity"),
        ({"product_id": DIAPERS, "quantity": "two"}, 422, "invalid_input"),
        ({"product_id": "nope"}, 404, "unknown_product"),
        ({"quantity": 1}, 422, "invalid_input"),
        (["not", "an", "object"], 422, "invalid_input"),
    ],
)
def test_bad_cart_input_gets_a_clear_error_and_writes_nothing(client, auth, body, status, code):
    response = client.post("/api/cart/items", json=body, headers=auth)
    assert response.status_code == status
    assert response.get_json()["error"] == code
    assert response.get_json()["message"]
    assert client.get("/api/cart", headers=auth).get_json()["items"] == []


def test_malformed_json_is_a_400_style_error(client, auth):
    response = client.post(
        "/api/cart/items", data=b'{"product_id": ', headers={**auth, "Content-Type": "application/json"}
    )
    assert response.status_code in (400, 422)
    assert "JSON" in response.get_json()["message"]


def test_checkout_with_idempotency_key(client, auth):
    client.post("/api/cart/items", json={"product_id": DIAPERS}, headers=auth)
    headers = {**auth, "Idempotency-Key": "checkout-1"}
    first = client.post("/api/orders", headers=headers)
    again = client.post("/api/orders", headers=headers)
    assert first.status_code == 201 and again.status_code == 200
    assert first.get_json()["order"]["id"] == again.get_json()["order"]["id"]
    assert again.get_json()["created"] is False
    assert len(client.get("/api/orders", headers=auth).get_json()["orders"]) == 1


def test_direct_order_status_and_cancel(client, auth, clock):
    order = client.post(
        "/api/orders", json={"items": [{"product_id": TOWELS, "quantity": 2}]}, headers=auth
    ).get_json()["order"]
    assert order["status"] == "placed" and order["cancellable"]
    assert client.get(f"/api/orders/{order['id']}", headers=auth).get_json()["lines"][0]["quantity"] == 2
    cancelled = client.post(f"/api/orders/{order['id']}/cancel", json={"reason": "oops"}, headers=auth)
    assert cancelled.get_json()["status"] == "cancelled"
    second = client.post("/api/orders", json={"items": [{"product_id": TOWELS}]}, headers=auth).get_json()["order"]
    clock.advance(timedelta(days=1))
    refused = client.post(f"/api/orders/{second['id']}/cancel", headers=auth)
    assert refused.status_code == 409 and refused.get_json()["error"] == "not_cancellable"


def test_empty_cart_and_spending_limit(client, auth, backend, household):
    assert client.post("/api/orders", headers=auth).get_json()["error"] == "empty_cart"
    backend.households.update_settings(household.id, spending_limit_cents=1000)
    client.post("/api/cart/items", json={"product_id": DIAPERS}, headers=auth)
    response = client.post("/api/orders", headers=auth)
    assert response.status_code == 409 and response.get_json()["error"] == "spending_limit_exceeded"
    assert len(client.get("/api/cart", headers=auth).get_json()["items"]) == 1


def test_another_households_token_sees_nothing_of_ours(client, auth, backend):
    other = backend.households.create("neighbours", members=[("Pat", "adult")])
    other_auth = {"Authorization": f"Bearer {backend.households.issue_token(other.id)}"}
    order = client.post("/api/orders", json={"items": [{"product_id": TOWELS}]}, headers=auth).get_json()["order"]
    assert client.get(f"/api/orders/{order['id']}", headers=other_auth).status_code == 404
    assert client.post(f"/api/orders/{order['id']}/cancel", headers=other_auth).status_code == 404
    assert client.get("/api/orders", headers=other_auth).get_json()["orders"] == []
    assert client.get(f"/api/orders/{order['id']}", headers=auth).status_code == 200


def test_catalog_search_and_openapi(client, auth):
    results = client.get("/api/catalog/search?q=paper towels", headers=auth).get_json()["results"]
    assert [r["id"] for r in results] == [TOWELS]
    assert client.get("/api/catalog/search?q=", headers=auth).status_code == 422
    assert client.get("/api/catalog/search?q=x&limit=1000", headers=auth).status_code == 422
    doc = client.get("/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    for path in (
        "/api/catalog/search",
        "/api/cart",
        "/api/cart/items",
        "/api/cart/items/{item_id}",
        "/api/orders",
        "/api/orders/{order_id}",
        "/api/orders/{order_id}/cancel",
    ):
        assert path in doc["paths"]


def test_unknown_route_and_method_are_json(client, auth):
    assert client.get("/api/nothing-here", headers=auth).get_json()["error"] == "not_found"
    assert client.put("/api/cart", headers=auth).status_code == 405


def test_buy_again_and_notifications(client, auth):
    client.post("/api/orders", json={"items": [{"product_id": DIAPERS, "quantity": 2}]}, headers=auth)
    items = client.get("/api/buy-again", headers=auth).get_json()["items"]
    assert items[0]["product"]["id"] == DIAPERS and items[0]["last_quantity"] == 2
    pending = client.get("/api/notifications", headers=auth).get_json()["notifications"]
    assert [n["kind"] for n in pending] == ["order_placed"]
    client.post("/api/notifications/ack", json={"ids": [pending[0]["id"]]}, headers=auth)
    assert client.get("/api/notifications", headers=auth).get_json()["notifications"] == []


def test_a_whole_number_written_with_a_decimal_point_is_that_number(client, auth):
    """JSON has one kind of number and the document says `integer`, which 25.0 is; a fraction is not."""
    response = client.post(
        "/api/cart/items",
        data=b'{"product_id": "%s", "quantity": 25.0}' % DIAPERS.encode(),
        headers={**auth, "Content-Type": "application/json"},
    )
    assert response.status_code == 201
    assert response.get_json()["cart"]["items"][0]["quantity"] == 25
    response = client.post(
        "/api/cart/items",
        data=b'{"product_id": "%s", "quantity": 2.5}' % DIAPERS.encode(),
        headers={**auth, "Content-Type": "application/json"},
    )
    assert response.status_code == 422


def test_a_json_body_sent_as_another_content_type_is_refused(client, auth):
    response = client.post(
        "/api/cart/items",
        data=b'{"product_id": "%s"}' % DIAPERS.encode(),
        headers={**auth, "Content-Type": "text/plain"},
    )
    assert response.status_code == 422


def test_the_document_states_each_listing_s_largest_limit(client, auth):
    paths = client.get("/openapi.json").get_json()["paths"]
    largest = {
        p: next(x["schema"]["maximum"] for x in paths[p]["get"]["parameters"] if x["name"] == "limit")
        for p in ("/api/catalog/search", "/api/orders", "/api/buy-again", "/api/buttons/{button_id}/presses")
    }
    for path, top in largest.items():
        url = path.replace("{button_id}", "nope")
        if "search" in path:
            url += "?q=towels&"
        else:
            url += "?"
        assert client.get(f"{url}limit={top + 1}", headers=auth).status_code == 422
        assert client.get(f"{url}limit={top}", headers=auth).status_code in (200, 404)
