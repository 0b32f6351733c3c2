"""No one acts on a household that is not theirs. Every REST route of /openapi.json is tried with the demo
household's token against the rival household's ids (and without a token); every voice path is tried by a
speaker of one household naming the other's things, and by a speaker nobody knows. Each is refused or
answered as "not found", nothing of the other household appears in any answer, and its data is unchanged.

The table in docs/security.md is generated from this test: `VOICECART_WRITE_DOCS=1 pytest
tests/hardening/test_isolation.py` rewrites it; the normal run fails when it is out of date."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hardening_support import (
    DEMO_DEVICE,
    DEMO_PERSON,
    DEMO_USER,
    RIVAL_DEVICE,
    RIVAL_PERSON,
    RIVAL_PRODUCT,
    RIVAL_USER,
    body_of,
    envelope,
    rival_secrets,
    speech_of,
)

from voicecart.app import rest_api_document

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
BEGIN, END = "<!-- isolation-table:begin -->", "<!-- isolation-table:end -->"

# For each operation: the body the demo household sends, reaching for the rival's things where it can.
# `{x}` is replaced by the rival's id of kind x. A route missing here fails the test, so none goes unprobed.
BODIES: dict[str, object] = {
    "POST /api/cart/items": {"product_id": RIVAL_PRODUCT, "quantity": 1, "member_id": "{adult}"},
    "PATCH /api/cart/items/{item_id}": {"quantity": 9},
    "POST /api/orders": {"items": [{"product_id": RIVAL_PRODUCT, "quantity": 1}], "member_id": "{adult}"},
    "POST /api/orders/quote": {"items": [{"product_id": RIVAL_PRODUCT, "quantity": 1}]},
    "POST /api/orders/{order_id}/cancel": {"reason": "not mine"},
    "POST /api/notifications/ack": {"ids": ["{notification}"]},
    "POST /api/children": {"name": "Probe"},
    "POST /api/children/{child_id}/events": {"kind": "note", "data": {"note": "probe"}},
    "POST /api/routines": {"name": "probe routine", "child_id": "{child_id}", "steps": [{"kind": "say", "text": "hi"}]},
    "POST /api/routines/{routine_id}/run": {},
    "PATCH /api/routines/{routine_id}": {"name": "stolen routine", "child_id": "{child_id}"},
    "POST /api/buttons": {"name": "probe button", "product_id": RIVAL_PRODUCT, "device_id": "{device_id}"},
    "PATCH /api/buttons/{button_id}": {"name": "stolen button"},
    "POST /api/buttons/{button_id}/press": {},
    "POST /api/devices": {"name": "probe", "slots": [{"slot": "detergent", "product_id": RIVAL_PRODUCT}]},
    "POST /api/devices/{device_id}/slots/{slot}/replenish": {},
    "PUT /api/devices/{device_id}/slots/{slot}/status": {"remaining": 0},
    "POST /api/console/say": {"text": "press the garage tide button", "session": "isolation"},
}
PATH_IDS = {
    "item_id": "item_id",
    "order_id": "order_id",
    "child_id": "child_id",
    "event_id": "event_id",
    "routine_id": "routine_id",
    "button_id": "button_id",
    "device_id": "device_id",
}
REFUSED = (401, 403, 404)


def _operations() -> list[tuple[str, str]]:
    return [
        (method.upper(), path)
        for path, item in rest_api_document()["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]


def _fill(value: object, ids: dict[str, str]) -> object:
    text = json.dumps(value)
    for kind, rival_id in ids.items():
        text = text.replace("{" + kind + "}", rival_id)
    return json.loads(text)


def _rival_ids(served) -> dict[str, str]:
    rival = served.rival
    ids = {k: rival[k] for k in PATH_IDS.values()}
    ids["adult"] = rival["adult"].id
    ids["slot"] = "detergent"
    pending = served.backend.notifications.pending(rival["household"].id)
    ids["notification"] = pending[0].id if pending else "ntf_none"
    return ids


def _snapshot(served) -> str:
    """Everything of the rival household the API could change, as one comparable text."""
    backend, hid = served.backend, served.rival["household"].id
    parts = [
        backend.carts.get(hid),
        backend.orders.recent(hid, 100),
        backend.buttons.list(hid),
        backend.babycare.events(hid, None, start=backend.clock.now().replace(year=2000)),
        backend.routines.list(hid),
        backend.devices.list(hid),
        backend.notifications.pending(hid),
        backend.households.get(hid),
    ]
    return repr(parts)


def _leaks(text: str, secrets: list[str], said: str = "") -> list[str]:
    """Secrets in `text`, except those the caller `said` (echoing a name back tells them nothing)."""

    def found(secret: str, where: str) -> bool:  # whole words: the member "Alex" is not in "Alexa"
        return re.search(r"(?<!\w)" + re.escape(secret) + r"(?!\w)", where, re.IGNORECASE) is not None

    return [s for s in secrets if found(s, text) and not found(s, said)]


def _isolation_rows(served) -> list[tuple[str, str, int, int]]:
    ids = _rival_ids(served)
    secrets = rival_secrets(served.rival)
    auth = {"Authorization": f"Bearer {served.demo_token}"}
    rows = []
    for method, path in _operations():
        label = f"{method} {path}"
        assert label in BODIES or method in ("GET", "DELETE") or path.endswith("/run"), (
            f"{label} has no probe in BODIES: add one that reaches for the rival household's things"
        )
        url = re.sub(
            r"\{(\w+)\}",
            lambda m: ids[PATH_IDS.get(m.group(1), m.group(1))] if m.group(1) != "session" else "isolation",
            path,
        )
        body = _fill(BODIES.get(label), ids) if label in BODIES else None
        anonymous = served.client.open(url, method=method, json=body)
        assert anonymous.status_code == 401, (label, anonymous.status_code)
        before = _snapshot(served)
        response = served.client.open(url, method=method, json=body, headers=auth)
        text = response.get_data(as_text=True)
        assert response.status_code < 500, (label, text)
        # Repeating back an id the caller sent tells them nothing: only what they did not send is a leak.
        said = url + " " + json.dumps(body)
        assert not _leaks(text, secrets, said), (label, _leaks(text, secrets, said), text[:500])
        assert _snapshot(served) == before, f"{label} changed the rival household"
        if "{" in path and "{session}" not in path:
            assert response.status_code in REFUSED, (label, response.status_code, text[:300])
        rows.append((method, path, anonymous.status_code, response.status_code))
    return rows


def _table(rows: list[tuple[str, str, int, int]]) -> str:
    lines = ["| Route | No token | Demo token, rival's ids and references | Rival's data |", "|---|---|---|---|"]
    for method, path, anonymous, status in rows:
        lines.append(f"| `{method} {path}` | {anonymous} | {status} | unchanged, not in the answer |")
    return "\n".join(lines)


def test_every_route_refuses_another_households_things(served):
    table = _table(_isolation_rows(served))
    doc = DOC.read_text() if DOC.exists() else ""
    block = f"{BEGIN}\n{table}\n{END}"
    if os.environ.get("VOICECART_WRITE_DOCS") == "1":
        DOC.write_text(
            re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, doc, flags=re.S)
            if BEGIN in doc
            else doc + "\n" + block + "\n"
        )
    assert block in DOC.read_text(), (
        "docs/security.md's isolation table is out of date: rerun with VOICECART_WRITE_DOCS=1"
    )


def test_the_rival_token_sees_only_the_rival(served):
    """The other direction: the rival's token lists only its own things, never the demo household's."""
    demo = served.backend.households.get(served.demo_id)
    secrets = [demo.id, *[m.name for m in demo.members]]
    auth = {"Authorization": f"Bearer {served.rival['token']}"}
    for method, path in _operations():
        if method == "GET" and "{" not in path:
            text = served.client.get(path, headers=auth).get_data(as_text=True)
            assert not _leaks(text, secrets), (path, _leaks(text, secrets))


# -- voice --------------------------------------------------------------------------------------------------

PROBES = [
    ("PressButtonIntent", {"buttonName": "garage tide button"}),
    ("LastEventQueryIntent", {"child": "Zebulon", "eventKind": "feeding"}),
    ("DailySummaryIntent", {"child": "Zebulon"}),
    ("StartRoutineIntent", {"routine": "Quentin nightcap"}),
    ("OrderStatusIntent", {}),
    ("ReadCartIntent", {}),
    ("BuyItAgainIntent", {}),
    ("CancelOrderIntent", {}),
    ("ListButtonsIntent", {}),
    ("LogFeedingIntent", {"child": "Zebulon", "amount": "4", "volumeUnit": "ounces"}),
]
SPEAKERS = {
    "demo speaker naming the rival's things": (DEMO_USER, DEMO_PERSON, DEMO_DEVICE),
    "unknown user on an unknown device": ("amzn1.ask.account.stranger", None, "amzn1.ask.device.stranger"),
    "unknown user on an unknown device, unknown person": (
        "amzn1.ask.account.stranger",
        "amzn1.ask.person.stranger",
        "amzn1.ask.device.x",
    ),
}


@pytest.mark.parametrize("speaker", list(SPEAKERS))
@pytest.mark.parametrize(("intent", "slots"), PROBES, ids=[p[0] for p in PROBES])
def test_voice_never_reaches_another_household(served, speaker, intent, slots):
    from skills.common.identity import NOT_LINKED_SPEECH

    user, person, device = SPEAKERS[speaker]
    before = _snapshot(served)
    env = envelope(
        served.backend.clock.now(),
        request_type="IntentRequest",
        intent=intent,
        slots=slots,
        user_id=user,
        person_id=person,
        device_id=device,
    )
    response = served.post_signed(body_of(env))
    assert response.status_code == 200
    text = json.dumps(response.get_json())
    assert not _leaks(text, rival_secrets(served.rival), json.dumps(slots)), (intent, text[:400])
    assert _snapshot(served) == before, f"{intent} by {speaker} changed the rival household"
    if user != DEMO_USER:
        assert NOT_LINKED_SPEECH.split(".")[0] in speech_of(response)


@pytest.mark.parametrize(("intent", "slots"), PROBES, ids=[p[0] for p in PROBES])
def test_the_rival_speaker_never_hears_the_demo_household(served, intent, slots):
    demo = served.backend.households.get(served.demo_id)
    names = [m.name for m in demo.members]
    env = envelope(
        served.backend.clock.now(),
        request_type="IntentRequest",
        intent=intent,
        slots=slots,
        user_id=RIVAL_USER,
        person_id=RIVAL_PERSON,
        device_id=RIVAL_DEVICE,
    )
    response = served.post_signed(body_of(env))
    assert response.status_code == 200
    assert not _leaks(json.dumps(response.get_json()), [demo.id, *names], json.dumps(slots)), (
        intent,
        speech_of(response),
    )


def test_the_simulator_speaker_of_one_household_stays_in_it(served):
    """Whole conversations through the simulator: the demo Echo asks for the rival's button, child, routine."""
    from device_sim.device import Device
    from device_sim.skill_loader import SkillEndpoint
    from intents.model import load_model
    from skills.app import SKILL_ID, build_skill

    before = _snapshot(served)
    endpoint = SkillEndpoint.of(
        build_skill(served.backend), load_model("en-US"), application_id=SKILL_ID, name="voicecart"
    )
    with Device(endpoint, clock=served.backend.clock, cloud=False) as device:
        device.say("alexa, open voice cart")
        for text in (
            "press the garage tide button",
            "when did zebulon last eat",
            "start the quentin nightcap",
            "cancel my order",
            "what's in my cart",
            "list my buttons",
            "log a wet diaper for zebulon",
        ):
            turn = device.say(text)
            assert turn.error is None, (text, turn.error)
            assert not _leaks(turn.speech + (turn.ssml or ""), rival_secrets(served.rival), text), (text, turn.speech)
            if turn.session_ended:
                device.say("alexa, open voice cart")
    assert _snapshot(served) == before


def test_a_rival_member_id_in_a_body_is_not_taken(served):
    """Logging for one's own child while naming the other household's adult as the caregiver is refused."""
    demo = served.backend.households.get(served.demo_id)
    child = next(m for m in demo.members if m.role.value == "child")
    auth = {"Authorization": f"Bearer {served.demo_token}"}
    response = served.client.post(
        f"/api/children/{child.id}/events",
        headers=auth,
        json={"kind": "note", "data": {"note": "probe"}, "member_id": served.rival["adult"].id},
    )
    assert response.status_code in (403, 404, 422), response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["stranger", "rival"])
def test_a_simulated_echo_of_another_account_hears_nothing_of_the_demo_household(served, who):
    """A simulated Echo under a stranger's account is asked to link it; one under the rival's hears only the
    rival's things. Neither hears a name, product or order of the demo household, nor changes it."""
    from device_sim.device import Device
    from device_sim.profile import DeviceProfile
    from device_sim.skill_loader import SkillEndpoint
    from intents.model import load_model
    from skills.app import SKILL_ID, build_skill
    from skills.common.identity import NOT_LINKED_SPEECH

    backend = served.backend
    demo = backend.households.get(served.demo_id)
    demo_secrets = [
        demo.id,
        *[m.name for m in demo.members],
        *[o.id for o in backend.orders.recent(demo.id, 50)],
        *[b.name for b in backend.buttons.list(demo.id)],
    ]
    before = repr([backend.carts.get(demo.id), backend.orders.recent(demo.id, 100), backend.buttons.list(demo.id)])
    profile = (
        DeviceProfile(
            user_id="amzn1.ask.account.stranger",
            person_id=None,
            device_id="amzn1.ask.device.stranger",
            household="nobody",
            given_name="Pat",
        )
        if who == "stranger"
        else DeviceProfile(
            user_id=RIVAL_USER,
            person_id=RIVAL_PERSON,
            device_id=RIVAL_DEVICE,
            household="rival-home",
            given_name="Quentin",
        )
    )
    endpoint = SkillEndpoint.of(build_skill(backend), load_model("en-US"), application_id=SKILL_ID, name="voicecart")
    with Device(endpoint, profile=profile, clock=backend.clock, cloud=False) as device:
        for text in (
            "alexa, open voice cart",
            "what's in my cart",
            "where's my order",
            "list my buttons",
            "cancel my order",
            "when did maya last eat",
            "reorder diapers",
        ):
            turn = device.say(text)
            assert turn.error is None, (text, turn.error)
            assert not _leaks(turn.speech + (turn.ssml or ""), demo_secrets, text), (text, turn.speech)
            if who == "stranger" and turn.request_type == "IntentRequest":
                assert NOT_LINKED_SPEECH.split(".")[0] in turn.speech, (text, turn.speech)
            if turn.session_ended:
                device.say("alexa, open voice cart")
    assert (
        repr([backend.carts.get(demo.id), backend.orders.recent(demo.id, 100), backend.buttons.list(demo.id)]) == before
    )
