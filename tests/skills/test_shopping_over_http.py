"""The skill behind `voicecart serve`: signed requests from the simulator over real HTTP, verification on."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import requests
from shop_support import cart_of, orders_of
from werkzeug.serving import make_server

from device_sim.device import Device
from device_sim.signing import LocalAlexaCA
from device_sim.skill_loader import SkillEndpoint
from device_sim.transports import HttpTransport
from reorder.bootstrap import open_backend
from reorder.clock import ManualClock
from skills.app import SKILL_ID


@pytest.fixture(scope="module")
def ca_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("alexa") / "local-ca"  # generated once: RSA keys take a moment


@pytest.fixture
def live(tmp_path, monkeypatch, ca_dir) -> Iterator[tuple[str, object, object]]:
    """A verifying server on 127.0.0.1 (a real socket), its backend and the local CA the simulator signs with."""

    # The shopping capability alone: the others are tested by their own suites.
    monkeypatch.setattr("skills.app.CAPABILITY_MODULES", ("skills.shopping",))
    # Certificates are checked against the clock, so it starts at the real time.
    clock = ManualClock(datetime.now(UTC).replace(microsecond=0))
    backend = open_backend(f"sqlite:///{tmp_path / 'served.sqlite3'}", clock=clock)
    from voicecart.server import build_server_app

    ca = LocalAlexaCA.create(ca_dir)  # the simulator's signing CA; the server is told where it is
    app = build_server_app(backend, trust_ca=ca_dir)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", backend, ca
    finally:
        server.shutdown()
        thread.join(5)
        backend.close()


def test_signed_conversation_places_one_order(live, model):
    url, backend, ca = live
    transport = HttpTransport(url + "/alexa", signer=ca.sign)
    endpoint = SkillEndpoint.over(transport, model, application_id=SKILL_ID, name="voicecart")
    demo = backend.households.by_name("demo")
    with Device(endpoint, clock=backend.clock, cloud=False) as device:
        assert "Welcome" in device.say("alexa, open voice cart").speech
        turn = device.say("add two packs of bounty paper towels to my cart")
        assert "Added two packs of Bounty" in turn.speech, turn.error
        turn = device.say("check out")
        assert "Should I place the order?" in turn.speech
        turn = device.say("yes")
        assert turn.speech.startswith("Done.")
    placed = [o for o in orders_of(backend, demo.id) if o.placed_at == backend.clock.now()]
    assert len(placed) == 1 and placed[0].lines[0].quantity == 2
    assert cart_of(backend, demo.id) == {}


def test_unsigned_requests_are_refused(live):
    url, backend, _ = live
    response = requests.post(url + "/alexa", json={"version": "1.0"}, timeout=5)
    assert response.status_code == 400


def test_rest_search_understands_spoken_names(live):
    url, backend, _ = live
    demo = backend.households.by_name("demo")
    token = backend.households.issue_token(demo.id)
    response = requests.get(
        url + "/api/catalog/search",
        params={"q": "pamper swadlers size three"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert response.status_code == 200
    first = response.json()["results"][0]
    assert "swaddlers" in first["id"] and "3" in first["id"]


def test_no_verify_serves_unsigned_requests_with_a_warning(shop, monkeypatch, caplog):
    from shop_support import intent_request

    from voicecart.server import build_server_app

    monkeypatch.setattr("skills.app.CAPABILITY_MODULES", ("skills.shopping",))
    with caplog.at_level("WARNING"):
        app = build_server_app(shop, verify=False)
    assert any("verification is OFF" in r.getMessage() for r in caplog.records)
    response = app.test_client().post("/alexa", json=intent_request("ReadCartIntent"))
    assert response.status_code == 200
    assert "Your cart is empty" in response.json["response"]["outputSpeech"]["ssml"]
