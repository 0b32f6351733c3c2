"""Input limits at the edge: the same 4xx on every store for NUL and control characters, numbers out of
range (subnormal floats included) and deeply nested JSON, and the document says so."""

from __future__ import annotations

import re

import pytest
from store_fixtures import dynamo_server, postgres_database, url_for  # noqa: F401

from reorder.services.devices import SlotSpec
from voicecart.app import create_app
from voicecart.web.edge import MAX_JSON_DEPTH, TEXT_PATTERN

TIDE = "tide-pods-original-81"


@pytest.fixture(params=("sqlite", "postgresql", "dynamodb"))
def store_url(request, tmp_path) -> str:
    return url_for(request.param, request, tmp_path)


@pytest.fixture
def client(backend):
    return create_app(backend).test_client()


@pytest.fixture
def auth(backend, household):
    return {"Authorization": f"Bearer {backend.households.issue_token(household.id, 'limits')}"}


@pytest.fixture
def device(backend, household):
    return backend.devices.register(household.id, "Washer", [SlotSpec("detergent", TIDE)])


def _refused(response, code: str) -> None:
    assert response.status_code == 422, (response.status_code, response.get_data(as_text=True)[:300])
    assert response.get_json()["error"] == code


@pytest.mark.parametrize("name", ["Kid\u0000y", "Kid\u0001", "Kid\u007f", "Kid\u001b[31m", "Kid\ud800"])
def test_control_characters_in_a_body_are_refused(client, auth, backend, household, name):
    _refused(client.post("/api/children", json={"name": name}, headers=auth), "control_character")
    _refused(
        client.post("/api/buttons", json={"name": "tide", "product_id": TIDE + name}, headers=auth), "control_character"
    )
    _refused(client.post("/api/cart/items", json={"product_id": TIDE, name: 1}, headers=auth), "control_character")
    assert [c.name for c in backend.babycare.children(household.id)] == ["Maya"]


def test_tabs_and_line_breaks_are_text(client, auth):
    response = client.post("/api/buttons", json={"name": "tide\tpods\nbutton", "product_id": TIDE}, headers=auth)
    assert response.status_code == 201, response.get_json()


@pytest.mark.parametrize(
    "url",
    [
        "/api/orders/x%00y",
        "/api/buttons/b%01",
        "/api/catalog/search?q=tide%00",
        "/api/orders?limit=1%00",
        "/api/children/c%00/events",
    ],
)
def test_control_characters_in_a_path_or_query_are_refused(client, auth, url):
    _refused(client.get(url, headers=auth), "control_character")


def test_control_characters_in_an_idempotency_key_are_refused(client, auth, backend, household):
    response = client.post(
        "/api/orders", json={"items": [{"product_id": TIDE}]}, headers={**auth, "Idempotency-Key": "key\x01"}
    )
    _refused(response, "control_character")
    assert backend.orders.recent(household.id, 5) == []


def test_a_subnormal_number_is_zero_and_a_zero_capacity_is_refused(client, auth, device):
    slot = {"slot": "ink", "product_id": TIDE}
    refused = client.post(
        "/api/devices", json={"name": "Printer", "slots": [{**slot, "capacity": 5e-324}]}, headers=auth
    )
    _refused(refused, "invalid_input")
    made = client.post("/api/devices", json={"name": "Printer", "slots": [{**slot, "threshold": 5e-324}]}, headers=auth)
    assert made.status_code == 201 and made.get_json()["device"]["slots"][0]["threshold"] == 0
    status = client.put(f"/api/devices/{device.id}/slots/detergent/status", json={"remaining": 5e-324}, headers=auth)
    assert status.status_code == 200 and status.get_json()["slot"]["remaining"] == 0


@pytest.mark.parametrize(
    "raw", ['{"quantity": NaN}', '{"quantity": Infinity}', '{"quantity": -Infinity}', '{"quantity": 1e400}']
)
def test_numbers_out_of_range_are_refused(client, auth, raw):
    response = client.post(
        "/api/cart/items",
        data=raw.replace("{", f'{{"product_id": "{TIDE}", ', 1),
        headers={**auth, "Content-Type": "application/json"},
    )
    _refused(response, "number_out_of_range")


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 1000, 100_000])
def test_deeply_nested_json_is_refused_on_every_json_route(client, auth, device, depth):
    nested = '{"a": ' * depth + "1" + "}" * depth
    listed = '{"items": ' + "[" * depth + "]" * depth + "}"
    for method, url in [
        ("POST", "/api/cart/items"),
        ("POST", "/api/orders"),
        ("POST", "/api/children"),
        ("POST", "/api/buttons"),
        ("POST", "/api/devices"),
        ("POST", "/api/routines"),
        ("PUT", f"/api/devices/{device.id}/slots/detergent/status"),
        ("POST", "/api/console/say"),
        ("POST", "/api/notifications/ack"),
        ("POST", "/api/orders/quote"),
    ]:
        for raw in (nested, listed):
            response = client.open(url, method=method, data=raw, headers={**auth, "Content-Type": "application/json"})
            _refused(response, "nested_too_deep")


def test_nesting_within_the_limit_and_brackets_in_text_are_fine(client, auth):
    name = "[" * 28 + "tide" + "{" * 28
    response = client.post("/api/buttons", json={"name": name, "product_id": TIDE}, headers=auth)
    assert response.status_code == 201, response.get_json()
    within = (
        f'{{"name": "deep", "product_id": "{TIDE}", "x": '
        + "[" * (MAX_JSON_DEPTH - 1)
        + "]" * (MAX_JSON_DEPTH - 1)
        + "}"
    )
    response = client.post("/api/buttons", data=within, headers={**auth, "Content-Type": "application/json"})
    assert response.status_code == 201, response.get_json()


def test_the_document_states_the_limits(client):
    document = client.get("/openapi.json").get_json()
    assert "control character" in document["info"]["description"]
    name = document["paths"]["/api/children"]["post"]["requestBody"]["content"]["application/json"]["schema"][
        "properties"
    ]["name"]
    assert not re.search(name["pattern"], "Kid\x00y") and re.search(name["pattern"], "Kid\ty")
    extra = document["components"]["schemas"]["ExtraValue"]["anyOf"][0]
    assert extra["pattern"] == TEXT_PATTERN
    capacity = document["paths"]["/api/devices"]["post"]["requestBody"]["content"]["application/json"]["schema"][
        "properties"
    ]["slots"]["items"]["properties"]["capacity"]
    assert capacity["minimum"] == 2.2250738585072014e-308 and "exclusiveMinimum" not in capacity
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in operation["responses"], (method, path)
