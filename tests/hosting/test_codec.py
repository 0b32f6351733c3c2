"""The request codec reads every request exactly as ask-sdk's DefaultSerializer does, only cheaper."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from ask_sdk_model.request import Request

from skills.hosting.codec import CHECKED_RELEASES, RequestCodec, parse_timestamp, sdk_release

SDK = DefaultSerializer()


def _base(request: dict) -> dict:
    return {
        "version": "1.0",
        "session": {
            "new": True,
            "sessionId": "amzn1.echo-api.session.1",
            "application": {"applicationId": "amzn1.ask.skill.x"},
            "user": {"userId": "amzn1.ask.account.1", "accessToken": "Atza|token"},
            "attributes": {"cart": {"items": [1, 2]}, "step": "confirm"},
        },
        "context": {
            "System": {
                "application": {"applicationId": "amzn1.ask.skill.x"},
                "user": {"userId": "amzn1.ask.account.1"},
                "person": {"personId": "amzn1.ask.person.1"},
                "device": {"deviceId": "d1", "supportedInterfaces": {"Display": {}, "AudioPlayer": {}}},
                "apiEndpoint": "https://api.amazonalexa.com",
            },
            "Viewport": {"shape": "RECTANGLE", "dpi": 160, "pixelWidth": 1024, "experiences": []},
        },
        "request": request,
    }


INTENT = {
    "type": "IntentRequest",
    "requestId": "amzn1.echo-api.request.1",
    "timestamp": "2026-12-04T23:48:25Z",
    "locale": "en-US",
    "dialogState": "IN_PROGRESS",
    "intent": {
        "name": "AddToCartIntent",
        "confirmationStatus": "NONE",
        "slots": {
            "product": {
                "name": "product",
                "value": "paper towels",
                "confirmationStatus": "NONE",
                "resolutions": {
                    "resolutionsPerAuthority": [
                        {
                            "authority": "amzn1.er-authority.echo-sdk.x.PRODUCT",
                            "status": {"code": "ER_SUCCESS_MATCH"},
                            "values": [{"value": {"name": "paper towels", "id": "p1"}}],
                        }
                    ]
                },
            },
            "quantity": {"name": "quantity", "value": "2", "confirmationStatus": "NONE"},
        },
    },
    "unknownField": {"kept": True},
}


def _cases() -> list[dict]:
    cases = [_base(INTENT)]
    for request_type in sorted(Request.discriminator_value_class_map):
        cases.append(
            _base({"type": request_type, "requestId": "r", "timestamp": "2026-12-04T23:48:25.123Z", "locale": "de-DE"})
        )
    for timestamp in ("2026-12-04T23:48:25+01:00", "2026-12-04T23:48:25.5-05:30", "2026-12-04 23:48:25", "Dec 4 2026"):
        case = copy.deepcopy(_base(INTENT))
        case["request"]["timestamp"] = timestamp
        cases.append(case)
    no_session = _base({"type": "LaunchRequest", "requestId": "r", "timestamp": "2026-12-04T23:48:25Z"})
    del no_session["session"]
    cases.append(no_session)
    return cases


@pytest.mark.parametrize("payload", _cases(), ids=lambda p: p["request"]["type"] + ":" + p["request"]["timestamp"])
def test_every_request_reads_as_the_sdk_reads_it(payload):
    body = json.dumps(payload)
    ours = RequestCodec(fast=True).deserialize(body, RequestEnvelope)
    assert ours == SDK.deserialize(body, RequestEnvelope)
    assert RequestCodec(fast=True).serialize(ours) == SDK.serialize(SDK.deserialize(body, RequestEnvelope))


def test_the_conversation_the_simulator_sends_reads_as_the_sdk_reads_it(tmp_path):
    from device_sim.device import Device
    from device_sim.skill_loader import SkillEndpoint
    from intents.model import load_model
    from reorder.bootstrap import open_backend
    from reorder.clock import ManualClock
    from skills.app import SKILL_ID, build_skill

    clock = ManualClock(datetime(2026, 11, 2, 14, 0, tzinfo=UTC))
    backend = open_backend(f"sqlite:///{tmp_path}/codec.sqlite3", clock=clock)
    envelopes = []
    try:
        endpoint = SkillEndpoint.of(build_skill(backend), load_model("en-US"), application_id=SKILL_ID)
        with Device(endpoint, clock=clock, cloud=False) as device:
            for line in ("alexa, open voice cart", "add two packs of paper towels to my cart", "yes", "stop"):
                envelopes += [request for request, _ in device.say(line).exchanges]
    finally:
        backend.close()
    assert len(envelopes) >= 4
    codec = RequestCodec(fast=True)
    for envelope in envelopes:
        body = json.dumps(envelope)
        assert codec.deserialize(body, RequestEnvelope) == SDK.deserialize(body, RequestEnvelope)
        assert codec.decode(json.loads(body), RequestEnvelope) == SDK.deserialize(body, RequestEnvelope)


def test_the_skills_answers_are_written_as_the_sdk_writes_them(tmp_path):
    from device_sim.device import Device
    from device_sim.skill_loader import SkillEndpoint
    from intents.model import load_model
    from reorder.bootstrap import open_backend
    from reorder.clock import ManualClock
    from skills.app import SKILL_ID, build_skill

    clock = ManualClock(datetime(2026, 11, 2, 14, 0, tzinfo=UTC))
    backend = open_backend(f"sqlite:///{tmp_path}/codec.sqlite3", clock=clock)
    codec = RequestCodec(fast=True)
    answers = []
    try:
        skill = build_skill(backend)
        endpoint = SkillEndpoint.of(skill, load_model("en-US"), application_id=SKILL_ID)
        envelopes = []
        with Device(endpoint, clock=clock, cloud=False) as device:
            lines = (
                "alexa, open voice cart",
                "add to my cart",  # the product is asked for: a dialog directive with the intent in it
                "paper towels",
                "add two packs of bounty paper towels to my cart",
                "what's in my cart",
                "reorder paper towels",
                "yes",
                "where's my order",
                "cancel my order",
                "yes",
                "stop",
            )
            for line in lines:
                envelopes += [request for request, _ in device.say(line).exchanges]
        for envelope in envelopes:
            answers.append(skill.invoke(request_envelope=codec.decode(envelope, RequestEnvelope), context=None))
    finally:
        backend.close()
    assert len(answers) >= len(lines)
    for answer in answers:
        assert codec.serialize(answer) == SDK.serialize(answer)
        assert json.dumps(codec.serialize(answer)) == json.dumps(SDK.serialize(answer))  # key order too


@pytest.mark.parametrize(
    "payload",
    [
        {"request": {"type": "NoSuchRequest", "requestId": "r", "timestamp": "2026-12-04T23:48:25Z"}},
        {"request": {"type": "LaunchRequest", "requestId": "r", "timestamp": "not a time at all"}},
        {"request": {"type": "IntentRequest", "requestId": "r", "intent": {"confirmationStatus": "MAYBE"}}},
    ],
)
def test_what_the_sdk_refuses_is_refused(payload):
    body = json.dumps(payload)
    with pytest.raises(SerializationException):
        SDK.deserialize(body, RequestEnvelope)
    with pytest.raises(SerializationException):
        RequestCodec(fast=True).deserialize(body, RequestEnvelope)


def test_alexa_timestamps_are_read_without_dateutil_and_others_with_it():
    assert parse_timestamp("2026-12-04T23:48:25Z") == datetime(2026, 12, 4, 23, 48, 25, tzinfo=UTC)
    assert parse_timestamp("2026-12-04T23:48:25.250+02:00") == datetime(
        2026, 12, 4, 23, 48, 25, 250_000, tzinfo=timezone(timedelta(hours=2))
    )
    assert parse_timestamp("4 Dec 2026 23:48") == datetime(2026, 12, 4, 23, 48)


def test_an_unchecked_sdk_release_uses_the_sdks_own_code():
    assert RequestCodec().fast == (sdk_release() in CHECKED_RELEASES)
    slow = RequestCodec(fast=False)
    body = json.dumps(_base(INTENT))
    assert slow.deserialize(body, RequestEnvelope) == SDK.deserialize(body, RequestEnvelope)
    assert slow.decode(json.loads(body), RequestEnvelope) == SDK.deserialize(body, RequestEnvelope)
    assert slow._decoders == {}


def test_the_installed_sdk_is_one_the_codec_was_checked_against():
    # A new ask-sdk-core release falls back safely; this says it is time to compare and add it.
    assert sdk_release() in CHECKED_RELEASES


def test_session_attributes_copy_as_the_sdk_copies_them():
    payload = _base(INTENT)
    payload["session"]["attributes"] = {"answers": [{"speech": "Hi", "pending": None, "n": 1.5}], "ok": True}
    ours = RequestCodec(fast=True).deserialize(json.dumps(payload), RequestEnvelope).session.attributes
    theirs = SDK.deserialize(json.dumps(payload), RequestEnvelope).session.attributes
    copied = copy.deepcopy(ours)
    assert copied == copy.deepcopy(theirs) == payload["session"]["attributes"]
    assert type(copied) is dict
    copied["answers"][0]["speech"] = "changed"
    assert ours["answers"][0]["speech"] == "Hi"  # nothing shared with the request
