"""POST /api/console/say: one simulated speaker per household and console session, over HTTP.

These run without a browser: the Flask test client against the real skill, and a stand-in device where
only the session bookkeeping is under test.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from reorder.bootstrap import open_backend
from reorder.demo import DEMO_HOUSEHOLD
from voicecart.app import create_app
from voicecart.web.console_api import ConsoleDevices


class FakeTurn:
    def __init__(self, you: str, count: int) -> None:
        self.you, self.skill, self.request_type, self.intent = you, "fake", "IntentRequest", "EchoIntent"
        self.slots, self.dialog_state, self.reprompt, self.card = {}, None, None, None
        self.speech, self.session_ended, self.error, self.events = f"turn {count}: {you}", False, None, []


class FakeDevice:
    def __init__(self, household_id: str) -> None:
        self.household_id = household_id
        self.said: list[str] = []
        self.closed = False

    def say(self, text: str) -> FakeTurn:
        self.said.append(text)
        return FakeTurn(text, len(self.said))

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def served(tmp_path: Path):
    backend = open_backend(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    household = backend.households.by_name(DEMO_HOUSEHOLD)
    app = create_app(backend)
    yield app, backend, household, backend.households.issue_token(household.id, "console test")
    devices = app.extensions.get("voicecart.console")
    if devices is not None:
        devices.close()


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_console_needs_a_token(served):
    app, *_ = served
    response = app.test_client().post("/api/console/say", json={"text": "hello"})
    assert response.status_code == 401
    assert "Bearer" in response.get_json()["message"]


@pytest.mark.parametrize(
    "body, message",
    [
        ({"text": 5}, "text"),
        ({}, "text"),
        ({"text": "x" * 501}, "too long"),
        ({"text": "hi", "session": "../../etc"}, "session"),
        ({"text": "hi", "session": 7}, "session"),
    ],
)
def test_bad_requests_are_explained(served, body, message):
    app, _, _, token = served
    app.extensions["voicecart.console_device_factory"] = FakeDevice
    response = app.test_client().post("/api/console/say", json=body, headers=_auth(token))
    assert response.status_code == 422
    assert message in response.get_json()["message"]


def test_a_session_keeps_its_device_and_sessions_are_apart(served):
    app, _, household, token = served
    made: list[FakeDevice] = []
    app.extensions["voicecart.console_device_factory"] = lambda hh: made.append(FakeDevice(hh)) or made[-1]
    client = app.test_client()
    first = client.post("/api/console/say", json={"text": "one"}, headers=_auth(token)).get_json()
    again = client.post(
        "/api/console/say", json={"text": "two", "session": first["session"]}, headers=_auth(token)
    ).get_json()
    other = client.post("/api/console/say", json={"text": "three", "session": "another"}, headers=_auth(token))
    assert again["speech"] == "turn 2: two"
    assert other.get_json()["speech"] == "turn 1: three"
    assert [d.household_id for d in made] == [household.id, household.id]
    assert set(first) >= {"you", "intent", "slots", "speech", "reprompt", "card", "session_ended", "session"}

    ended = client.delete(f"/api/console/sessions/{first['session']}", headers=_auth(token)).get_json()
    assert ended == {"session": first["session"], "ended": True}
    assert made[0].closed


def test_control_characters_are_refused_and_other_unspeakable_characters_become_spaces(served):
    app, _, _, token = served
    made: list[FakeDevice] = []
    app.extensions["voicecart.console_device_factory"] = lambda hh: made.append(FakeDevice(hh)) or made[-1]
    client = app.test_client()
    # Control characters are refused at the edge of the API, as in every other text (voicecart/web/edge.py).
    refused = client.post("/api/console/say", json={"text": "add\x00wipes\x1b[2J"}, headers=_auth(token))
    assert refused.status_code == 422 and refused.get_json()["error"] == "control_character" and made == []
    client.post("/api/console/say", json={"text": "add\u2028wipes\u00ad"}, headers=_auth(token))
    assert made[0].said == ["add wipes "]


def test_another_household_never_reaches_this_households_session(served):
    app, backend, _, token = served
    made: list[FakeDevice] = []
    app.extensions["voicecart.console_device_factory"] = lambda hh: made.append(FakeDevice(hh)) or made[-1]
    neighbours = backend.households.create("next door", members=[("Kim", "adult")])
    their_token = backend.households.issue_token(neighbours.id, "test")
    client = app.test_client()
    mine = client.post(
        "/api/console/say", json={"text": "secret", "session": "shared-name"}, headers=_auth(token)
    ).get_json()
    theirs = client.post(
        "/api/console/say", json={"text": "hello", "session": "shared-name"}, headers=_auth(their_token)
    ).get_json()
    assert mine["speech"] == "turn 1: secret" and theirs["speech"] == "turn 1: hello"
    assert {d.household_id for d in made} == {neighbours.id, backend.households.by_name(DEMO_HOUSEHOLD).id}


def test_least_recently_used_and_idle_devices_are_closed():
    now = [0.0]
    devices = ConsoleDevices(FakeDevice, max_devices=2, idle_seconds=60, now=lambda: now[0])
    devices.say("h", "a", "hi")
    devices.say("h", "b", "hi")
    devices.say("h", "a", "again")  # a is fresher than b now
    devices.say("h", "c", "hi")  # one too many: b goes
    assert len(devices) == 2
    assert devices.end("h", "b") is False
    now[0] = 1000
    devices.say("h", "d", "hi")  # everything else sat idle too long
    assert len(devices) == 1


def test_one_session_runs_one_turn_at_a_time():
    inside = []
    overlap = []

    class SlowDevice(FakeDevice):
        def say(self, text: str) -> FakeTurn:
            inside.append(text)
            if len(inside) > 1:
                overlap.append(text)
            threading.Event().wait(0.02)
            inside.pop()
            return super().say(text)

    made: list[SlowDevice] = []
    devices = ConsoleDevices(lambda hh: made.append(SlowDevice(hh)) or made[-1])
    threads = [threading.Thread(target=devices.say, args=("h", "s", str(i))) for i in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not overlap
    kept = [d for d in made if not d.closed]
    assert len(kept) == 1 and len(kept[0].said) == 5  # racing first turns share one device


def test_when_the_voice_side_cannot_load_the_console_says_so(served):
    app, _, _, token = served

    def broken(household_id: str):
        from voicecart.web.console_api import ConsoleUnavailable

        raise ConsoleUnavailable("The voice skill could not be loaded: ImportError: no skills.")

    app.extensions["voicecart.console_device_factory"] = broken
    response = app.test_client().post("/api/console/say", json={"text": "hi"}, headers=_auth(token))
    assert response.status_code == 503
    assert response.get_json()["error"] == "console_unavailable"


def test_the_real_skill_fills_the_households_cart_and_keeps_the_conversation(served):
    app, backend, household, token = served
    client = app.test_client()
    turn = client.post("/api/console/say", json={"text": "add wipes to my cart"}, headers=_auth(token)).get_json()
    assert turn["intent"] == "AddToCartIntent"
    assert turn["slots"]["product"]["value"] == "wipes"
    if not turn["session_ended"] and "first" in turn["speech"].lower():
        turn = client.post(
            "/api/console/say", json={"text": "the first one", "session": turn["session"]}, headers=_auth(token)
        ).get_json()
    names = [line.name.lower() for line in backend.carts.get(household.id).lines]
    assert any("wipes" in n for n in names), turn["speech"]
    # The console is a device of the household, speaking as its first adult.
    identity = backend.households.find_identity("alexa_device", f"amzn1.ask.device.console-{household.id}")
    assert identity is not None and identity.household_id == household.id


@pytest.mark.parametrize("text", ["", "   ", "<img src=x onerror=alert(1)>", "🙂" * 100, "\u202eevil", "a" * 500])
def test_hostile_or_odd_text_gets_an_answer(served, text):
    app, _, _, token = served
    response = app.test_client().post("/api/console/say", json={"text": text}, headers=_auth(token))
    assert response.status_code == 200, response.get_json()
    assert isinstance(response.get_json()["speech"], str)
