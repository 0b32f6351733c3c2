"""/metrics counts what operators watch: requests and latency by route, orders, presses, refusals."""

from __future__ import annotations

import re

from prometheus_client.parser import text_string_to_metric_families

from reorder.catalog import load_default_catalog
from reorder.clock import ManualClock
from reorder.services.backend import Backend
from reorder.store import open_store
from voicecart.app import create_app


def _samples(client) -> dict[tuple, float]:  # noqa: ANN001
    text = client.get("/metrics").get_data(as_text=True)
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def _value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_follow_orders_presses_and_requests(tmp_path):
    backend = Backend(open_store(f"sqlite:///{tmp_path / 's.sqlite3'}"), ManualClock())
    product = load_default_catalog()[0]
    backend.catalog.load([product])
    home = backend.households.create("counted", members=[("Alex", "adult")])
    client = create_app(backend).test_client()
    before = _samples(client)

    backend.orders.place(home.id, [(product.id, 1)], channel="api")
    button = backend.buttons.create(home.id, "the usual", product.id)
    backend.buttons.press(home.id, button.id)
    backend.buttons.press(home.id, button.id)  # the first order is still on its way
    client.get("/healthz")
    client.post("/alexa", data=b"{}", headers={"Content-Type": "application/json"})  # not mounted here: a 404
    after = _samples(client)

    def grew(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert grew("voicecart_orders_placed_total", channel="api") == 1
    assert grew("voicecart_orders_placed_total", channel="button") == 1
    assert grew("voicecart_button_presses_total", outcome="ordered") == 1
    assert grew("voicecart_button_presses_total", outcome="already_in_progress") == 1
    assert grew("voicecart_http_requests_total", method="GET", endpoint="/healthz", status="200") == 1
    assert grew("voicecart_http_requests_total", method="POST", endpoint="unmatched", status="404") == 1
    assert grew("voicecart_http_request_seconds_count", method="GET", endpoint="/healthz") == 1
    text = client.get("/metrics").get_data(as_text=True)
    assert re.search(r'voicecart_http_request_seconds_bucket\{endpoint="/healthz",le="0\.005",method="GET"\}', text)
    backend.close()


def test_refused_alexa_requests_are_counted_by_reason(tmp_path):
    import json

    from skills.app import SKILL_ID
    from voicecart.server import build_server_app

    backend = Backend(open_store(f"sqlite:///{tmp_path / 's.sqlite3'}"))
    client = build_server_app(backend, verify=True).test_client()
    system = {
        "application": {"applicationId": SKILL_ID},
        "user": {"userId": "amzn1.ask.account.x"},
        "device": {"deviceId": "d", "supportedInterfaces": {}},
        "apiEndpoint": "https://api.amazonalexa.com",
    }
    envelope = {
        "version": "1.0",
        "context": {"System": system},
        "session": {"new": True, "sessionId": "s", "application": system["application"], "user": system["user"]},
        "request": {"type": "LaunchRequest", "requestId": "r", "timestamp": "2026-12-04T20:00:00Z", "locale": "en-US"},
    }
    before = _samples(client)
    answer = client.post("/alexa", data=json.dumps(envelope), headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    reason = answer.get_json()["reason"]
    after = _samples(client)
    counted = "voicecart_alexa_verification_refusals_total"
    assert _value(after, counted, reason=reason) - _value(before, counted, reason=reason) == 1
    backend.close()
