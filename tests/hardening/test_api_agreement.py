"""The API does what its document says, on every store: idempotency keys (Stripe's rule), requests the
document calls invalid are refused, and every operation declares the parameters in its path."""

from __future__ import annotations

import re

import pytest
from store_fixtures import dynamo_server, postgres_database, url_for  # noqa: F401

from voicecart.app import create_app

DIAPERS = "pampers-swaddlers-size-3-84"
TOWELS = "bounty-select-a-size-12"


@pytest.fixture(params=("sqlite", "postgresql", "dynamodb"))
def store_url(request, tmp_path) -> str:
    return url_for(request.param, request, tmp_path)


@pytest.fixture
def client(backend):
    return create_app(backend).test_client()


@pytest.fixture
def auth(backend, household):
    return {"Authorization": f"Bearer {backend.households.issue_token(household.id, 'agreement')}"}


def _order(client, auth, key: str, body: dict):
    return client.post("/api/orders", json=body, headers={**auth, "Idempotency-Key": key})


def test_a_key_with_the_same_request_answers_the_first_order(client, auth, backend, household):
    first = _order(client, auth, "k-1", {"items": [{"product_id": DIAPERS, "quantity": 2}, {"product_id": TOWELS}]})
    assert first.status_code == 201
    # The same request written another way: lines in another order, one line split in two.
    again = _order(
        client,
        auth,
        "k-1",
        {"items": [{"product_id": TOWELS}, {"product_id": DIAPERS}, {"product_id": DIAPERS, "quantity": 1}]},
    )
    assert again.status_code == 200 and again.get_json()["order"]["id"] == first.get_json()["order"]["id"]
    assert len(backend.orders.recent(household.id, 10)) == 1


@pytest.mark.parametrize(
    "other",
    [{"items": [{"product_id": DIAPERS, "quantity": 3}]}, {"items": [{"product_id": TOWELS, "quantity": 2}]}, {}],
)
def test_a_key_reused_with_another_request_is_refused(client, auth, backend, household, other):
    first = _order(client, auth, "k-2", {"items": [{"product_id": DIAPERS, "quantity": 2}]})
    assert first.status_code == 201
    backend.carts.add(household.id, TOWELS, 1)
    refused = _order(client, auth, "k-2", other)
    assert refused.status_code == 422, refused.get_json()
    assert refused.get_json()["error"] == "idempotency_key_reused"
    assert len(backend.orders.recent(household.id, 10)) == 1
    assert len(backend.carts.get(household.id).lines) == 1  # the cart was not checked out


def test_a_checkout_key_retried_after_the_cart_emptied_answers_the_first_order(client, auth, backend, household):
    backend.carts.add(household.id, TOWELS, 2)
    first = _order(client, auth, "k-3", {})
    again = _order(client, auth, "k-3", {})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["order"]["id"] == first.get_json()["order"]["id"]


def test_requests_the_document_calls_invalid_are_refused(client, auth, backend, household):
    backend.carts.add(household.id, TOWELS, 1)
    for body in ({"items": None}, {"items": []}):
        assert client.post("/api/orders", json=body, headers=auth).status_code == 422
        assert client.post("/api/orders/quote", json=body, headers=auth).status_code == 422
    assert backend.orders.recent(household.id, 5) == []
    assert client.post("/api/children", json={"name": "Kit", "birth_date": ""}, headers=auth).status_code == 422
    child = client.get("/api/children", headers=auth).get_json()["children"][0]["id"]
    for query in ("date=", "date=tomorrow"):
        response = client.get(f"/api/children/{child}/summary?{query}", headers=auth)
        assert response.status_code == 422, (query, response.get_json())
    assert client.get(f"/api/children/{child}/events?kind=", headers=auth).status_code == 422
    assert client.get(f"/api/children/{child}/events?since=", headers=auth).status_code == 422


def test_every_operation_declares_the_parameters_in_its_path(client):
    document = client.get("/openapi.json").get_json()
    for path, item in document["paths"].items():
        wanted = set(re.findall(r"\{(\w+)\}", path))
        for method, operation in item.items():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == wanted, (method, path, declared, wanted)
