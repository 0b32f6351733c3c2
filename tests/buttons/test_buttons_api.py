"""The buttons and device-replenishment REST API: clear answers, scoped device tokens, idempotent presses."""

from __future__ import annotations

from datetime import timedelta

import pytest

from voicecart.app import create_app

TOWELS = "bounty-select-a-size-12"
TIDE = "tide-pods-original-81"


@pytest.fixture
def store_url(sqlite_url) -> str:
    return sqlite_url  # the HTTP layer is store-agnostic; the service tests cover every store


@pytest.fixture
def client(backend):
    return create_app(backend).test_client()


@pytest.fixture
def auth(backend, household):
    return {"Authorization": f"Bearer {backend.households.issue_token(household.id, 'test')}"}


def _button(client, auth, **extra):
    response = client.post("/api/buttons", json={"name": "paper towels", "product_id": TOWELS, **extra}, headers=auth)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_button_crud(client, auth):
    button = _button(client, auth, quantity=2)
    assert button["quantity"] == 2 and button["allow_multiple"] is False and button["daily_cap"] is None
    listed = client.get("/api/buttons", headers=auth).get_json()["buttons"]
    assert [b["id"] for b in listed] == [button["id"]]
    patched = client.patch(
        f"/api/buttons/{button['id']}", json={"name": "towel", "daily_cap": 2, "allow_multiple": True}, headers=auth
    )
    assert patched.status_code == 200 and patched.get_json()["name"] == "towel"
    assert patched.get_json()["daily_cap"] == 2
    cleared = client.patch(f"/api/buttons/{button['id']}", json={"daily_cap": None}, headers=auth).get_json()
    assert cleared["daily_cap"] is None and cleared["allow_multiple"] is True
    assert client.delete(f"/api/buttons/{button['id']}", headers=auth).get_json()["deleted"] is True
    assert client.get("/api/buttons", headers=auth).get_json()["buttons"] == []
    assert client.get(f"/api/buttons/{button['id']}", headers=auth).status_code == 404


@pytest.mark.parametrize(
    "body, status",
    [
        ({"name": "x"}, 422),
        ({"product_id": TOWELS}, 422),
        ({"name": 3, "product_id": TOWELS}, 422),
        ({"name": "x", "product_id": "nope"}, 404),
        ({"name": "x", "product_id": TOWELS, "quantity": 0}, 422),
        ({"name": "x", "product_id": TOWELS, "daily_cap": "2"}, 422),
        ({"name": "x", "product_id": TOWELS, "allow_multiple": "yes"}, 422),
        ({"name": "\u0000\u0001", "product_id": TOWELS}, 422),
    ],
)
def test_bad_button_bodies_get_clear_errors(client, auth, body, status):
    response = client.post("/api/buttons", json=body, headers=auth)
    assert response.status_code == status and response.get_json()["message"]


def test_hostile_bodies_and_unknown_fields(client, auth):
    assert (
        client.post("/api/buttons", data="{not json", headers={**auth, "Content-Type": "application/json"}).status_code
        == 422
    )
    button = _button(client, auth)
    assert client.patch(f"/api/buttons/{button['id']}", json={"price": 1}, headers=auth).status_code == 422
    assert (
        client.post("/api/buttons", json={"name": "paper towels", "product_id": TOWELS}, headers=auth).status_code
        == 409
    )


def test_press_answers_say_what_happened(client, auth, backend, household, clock):
    button = _button(client, auth)
    first = client.post(f"/api/buttons/{button['id']}/press", headers=auth)
    assert first.status_code == 201
    body = first.get_json()
    assert body["outcome"] == "ordered" and body["ordered"] and body["order"]["button_id"] == button["id"]
    again = client.post(f"/api/buttons/{button['id']}/press", headers=auth)
    assert again.status_code == 200
    assert again.get_json()["outcome"] == "already_in_progress" and again.get_json()["in_progress"]
    assert again.get_json()["order"]["id"] == body["order"]["id"]
    clock.advance(timedelta(days=5))
    assert client.post(f"/api/buttons/{button['id']}/press", headers=auth).status_code == 201
    presses = client.get(f"/api/buttons/{button['id']}/presses", headers=auth).get_json()["presses"]
    assert [p["outcome"] for p in presses] == ["ordered", "already_in_progress", "ordered"]
    assert client.get(f"/api/buttons/{button['id']}", headers=auth).get_json()["presses"] == {
        "ordered": 2,
        "already_in_progress": 1,
    }


def test_press_replay_with_idempotency_key(client, auth):
    button = _button(client, auth)
    headers = {**auth, "Idempotency-Key": "tap-42"}
    first = client.post(f"/api/buttons/{button['id']}/press", headers=headers)
    replay = client.post(f"/api/buttons/{button['id']}/press", headers=headers)
    assert first.status_code == 201 and replay.status_code == 200
    assert replay.get_json()["replayed"] and replay.get_json()["outcome"] == "ordered"
    assert replay.get_json()["press"]["id"] == first.get_json()["press"]["id"]
    other = client.post(f"/api/buttons/{button['id']}/press", headers={**auth, "Idempotency-Key": "tap-43"})
    assert other.get_json()["outcome"] == "already_in_progress"
    assert (
        client.post(f"/api/buttons/{button['id']}/press", headers={**auth, "Idempotency-Key": "x" * 201}).status_code
        == 422
    )


def test_blocked_and_deleted_presses_are_409_with_reasons(client, auth, backend, household):
    button = _button(client, auth, allow_multiple=True, daily_cap=1)
    assert client.post(f"/api/buttons/{button['id']}/press", headers=auth).status_code == 201
    capped = client.post(f"/api/buttons/{button['id']}/press", headers=auth)
    assert capped.status_code == 409 and capped.get_json()["reason"] == "daily_cap"
    client.delete(f"/api/buttons/{button['id']}", headers=auth)
    gone = client.post(f"/api/buttons/{button['id']}/press", headers=auth)
    assert gone.status_code == 409 and gone.get_json()["outcome"] == "error"
    assert gone.get_json()["reason"] == "button_deleted"


def test_other_households_cannot_see_or_press(client, auth, backend):
    button = _button(client, auth)
    other = backend.households.create("next-door")
    theirs = {"Authorization": f"Bearer {backend.households.issue_token(other.id)}"}
    assert client.post(f"/api/buttons/{button['id']}/press", headers=theirs).status_code == 404
    assert client.patch(f"/api/buttons/{button['id']}", json={"name": "mine"}, headers=theirs).status_code == 404
    assert client.get("/api/buttons", headers=theirs).get_json()["buttons"] == []
    assert client.post(f"/api/buttons/{button['id']}/press").status_code == 401


def _device(client, auth, threshold=20):
    response = client.post(
        "/api/devices",
        json={
            "name": "Washer",
            "model": "WX-1",
            "slots": [
                {"slot": "detergent", "product_id": TIDE, "quantity": 1, "capacity": 100, "threshold": threshold}
            ],
        },
        headers=auth,
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    return body["device"], {"Authorization": f"Bearer {body['token']}"}


def test_device_replenishes_at_threshold_once(client, auth):
    device, device_auth = _device(client, auth)
    url = f"/api/devices/{device['id']}/slots/detergent/status"
    high = client.put(url, json={"remaining": 55}, headers=device_auth).get_json()
    assert high["below_threshold"] is False and high["replenishment"] is None
    assert high["slot"]["remaining"] == 55
    low = client.put(url, json={"remaining": 12.5}, headers=device_auth).get_json()
    assert low["replenishment"]["outcome"] == "ordered"
    assert low["replenishment"]["order"]["channel"] == "device"
    lower = client.put(url, json={"remaining": 3}, headers=device_auth).get_json()
    assert lower["replenishment"]["outcome"] == "already_in_progress"
    direct = client.post(f"/api/devices/{device['id']}/slots/detergent/replenish", headers=device_auth)
    assert direct.status_code == 200 and direct.get_json()["in_progress"]
    # Device slots are the device's business, not buttons a person names by voice.
    assert client.get("/api/buttons", headers=auth).get_json()["buttons"] == []
    orders = client.get("/api/orders", headers=auth).get_json()["orders"]
    assert len(orders) == 1


@pytest.mark.parametrize(
    "body", [{}, {"remaining": "low"}, {"remaining": -1}, {"remaining": True}, {"remaining": 101}, {"remaining": 1e300}]
)
def test_bad_status_reports(client, auth, body):
    device, device_auth = _device(client, auth)
    response = client.put(f"/api/devices/{device['id']}/slots/detergent/status", json=body, headers=device_auth)
    assert response.status_code == 422 and response.get_json()["message"]


def test_device_tokens_are_scoped_to_their_device_and_household(client, auth, backend):
    device, device_auth = _device(client, auth)
    second, _ = _device(client, auth)
    assert client.post(f"/api/devices/{second['id']}/slots/detergent/replenish", headers=device_auth).status_code == 404
    assert [d["id"] for d in client.get("/api/devices", headers=device_auth).get_json()["devices"]] == [device["id"]]
    assert client.post("/api/buttons", json={"name": "x", "product_id": TOWELS}, headers=device_auth).status_code == 403
    assert client.post("/api/devices", json={"name": "y", "slots": []}, headers=device_auth).status_code == 403
    assert client.post(f"/api/devices/{device['id']}/slots/nope/replenish", headers=device_auth).status_code == 404
    other = backend.households.create("next-door")
    theirs = {"Authorization": f"Bearer {backend.households.issue_token(other.id)}"}
    assert client.post(f"/api/devices/{device['id']}/slots/detergent/replenish", headers=theirs).status_code == 404
    assert client.get(f"/api/devices/{device['id']}", headers=theirs).status_code == 404


@pytest.mark.parametrize(
    "slots",
    [
        [],
        "x",
        [{"slot": "Bad Slot", "product_id": TIDE}],
        [{"slot": "a", "product_id": TIDE, "threshold": 200}],
        [{"slot": "a", "product_id": TIDE}, {"slot": "a", "product_id": TIDE}],
        [{"slot": "a", "product_id": "nope"}],
    ],
)
def test_bad_device_registrations(client, auth, slots):
    response = client.post("/api/devices", json={"name": "Printer", "slots": slots}, headers=auth)
    assert response.status_code in (404, 422) and response.get_json()["message"]
    assert client.get("/api/devices", headers=auth).get_json()["devices"] == []


def test_openapi_lists_button_and_device_paths(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    for path in ("/api/buttons", "/api/buttons/{button_id}/press", "/api/devices/{device_id}/slots/{slot}/status"):
        assert path in paths
