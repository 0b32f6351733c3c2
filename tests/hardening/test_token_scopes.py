"""Token scopes: every operation of the served /openapi.json, called with every kind of token.

Generated from the document, so a new route is walked without anyone adding it here: without a token and
with a revoked one it answers 401; a household token is never refused for its scope; a device token gets
403 `insufficient_scope` on every route not declared for devices, and nothing of the household changes.
"""

from __future__ import annotations

import re

import pytest

from reorder.services.devices import SlotSpec

KINDS = ("none", "revoked", "household", "device")


@pytest.fixture(scope="module")
def tokens(served):
    backend, hid = served.backend, served.demo_id
    device = backend.devices.register(hid, "Scope washer", [SlotSpec("detergent", "tide-pods-original-81")])
    button = backend.buttons.create(hid, "scope button", "tide-pods-original-81")
    revoked = backend.households.issue_token(hid, "to revoke")
    record = backend.households.authenticate(revoked)
    backend.households.revoke_token(hid, record.id)
    return {
        "none": None,
        "revoked": revoked,
        "household": served.demo_token,
        "device": backend.households.issue_token(hid, "scope washer", device_id=device.id),
        "ids": {"device_id": device.id, "button_id": button.id, "slot": "detergent"},
    }


def _document(served) -> dict:
    return served.client.get("/openapi.json").get_json()


def _operations(served) -> list[tuple[str, str, list[str]]]:
    return [
        (method.upper(), path, op["x-token-scopes"])
        for path, item in _document(served)["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


def _snapshot(served) -> str:
    backend, hid = served.backend, served.demo_id
    return repr(
        [
            backend.carts.get(hid),
            backend.orders.recent(hid, 200),
            backend.buttons.list(hid),
            backend.babycare.children(hid),
            backend.routines.list(hid),
            backend.devices.list(hid),
            backend.households.get(hid),
            backend.households.tokens(hid),
        ]
    )


def test_every_operation_states_its_token_scopes_and_the_403(served):
    for method, path, scopes in _operations(served):
        assert scopes and set(scopes) <= {"household", "device"}, (method, path, scopes)
        operation = _document(served)["paths"][path][method.lower()]
        if "device" not in scopes:
            assert "403" in operation["responses"], (method, path)


def test_device_tokens_reach_only_the_device_routes(served):
    device_routes = {f"{m} {p}" for m, p, scopes in _operations(served) if "device" in scopes}
    assert device_routes == {
        "GET /api/buttons",
        "GET /api/buttons/{button_id}",
        "POST /api/buttons/{button_id}/press",
        "GET /api/devices",
        "GET /api/devices/{device_id}",
        "POST /api/devices/{device_id}/slots/{slot}/replenish",
        "PUT /api/devices/{device_id}/slots/{slot}/status",
    }


@pytest.mark.parametrize("kind", KINDS)
def test_every_route_with_every_kind_of_token(served, tokens, kind):
    ids = tokens["ids"]
    headers = {"Authorization": f"Bearer {tokens[kind]}"} if tokens[kind] else {}
    walked = 0
    for method, path, scopes in _operations(served):
        url = re.sub(r"\{(\w+)\}", lambda m: ids.get(m.group(1), "scope-probe"), path)
        # A body that is valid where it matters least: the scope is decided before the body is read.
        body = {"remaining": 99} if path.endswith("/status") else {}
        before = _snapshot(served)
        response = served.client.open(url, method=method, json=body, headers=headers)
        label = (kind, method, path, response.status_code, response.get_data(as_text=True)[:200])
        error = (response.get_json(silent=True) or {}).get("error") if response.status_code >= 400 else None
        assert response.status_code < 500, label
        if kind in ("none", "revoked"):
            assert response.status_code == 401 and error == "unauthorized", label
        elif kind in scopes:
            assert response.status_code != 401 and error != "insufficient_scope", label
        else:
            assert response.status_code == 403 and error == "insufficient_scope", label
        if kind != "household" and not (kind in scopes and method != "GET"):
            assert _snapshot(served) == before, f"{label} changed the household"
        walked += 1
    assert walked >= 40


def test_a_device_token_acts_only_for_its_own_device(served, tokens):
    backend, hid = served.backend, served.demo_id
    other = backend.devices.register(hid, "Other washer", [SlotSpec("detergent", "tide-pods-original-81")])
    auth = {"Authorization": f"Bearer {tokens['device']}"}
    assert served.client.get(f"/api/devices/{other.id}", headers=auth).status_code == 404
    listed = served.client.get("/api/devices", headers=auth).get_json()["devices"]
    assert [d["id"] for d in listed] == [tokens["ids"]["device_id"]]
    refused = served.client.put(f"/api/devices/{other.id}/slots/detergent/status", json={"remaining": 1}, headers=auth)
    assert refused.status_code == 404


def test_a_revoked_token_stops_working_at_once(served):
    backend, hid = served.backend, served.demo_id
    token = backend.households.issue_token(hid, "short-lived")
    auth = {"Authorization": f"Bearer {token}"}
    assert served.client.get("/api/cart", headers=auth).status_code == 200
    backend.households.revoke_token(hid, backend.households.authenticate(token).id)
    assert served.client.get("/api/cart", headers=auth).status_code == 401
