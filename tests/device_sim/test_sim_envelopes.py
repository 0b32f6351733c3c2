"""Requests the device sends are real Alexa envelopes: ask-sdk-model deserialises every one."""

from __future__ import annotations

import json

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from ask_sdk_model.dialog_state import DialogState

SERIALIZER = DefaultSerializer()


def parsed(envelope: dict) -> RequestEnvelope:
    return SERIALIZER.deserialize(json.dumps(envelope), RequestEnvelope)


def test_launch_envelope_carries_full_context(hello_device):
    turn = hello_device.say("alexa, open hello world")
    envelope = parsed(turn.exchanges[0][0])
    system = envelope.context.system
    assert envelope.request.object_type == "LaunchRequest"
    assert envelope.session.new is True
    assert system.user.user_id == "amzn1.ask.account.demo-adult-1"
    assert system.person.person_id == "amzn1.ask.person.demo-adult-1"
    assert system.device.device_id == "amzn1.ask.device.demo-kitchen-echo"
    assert system.device.supported_interfaces is not None
    assert system.api_endpoint.startswith("https://127.0.0.1:")
    assert system.api_access_token
    assert system.user.permissions.consent_token == system.api_access_token
    assert system.application.application_id == envelope.session.application.application_id
    assert envelope.request.locale == "en-US"


def test_intent_envelope_has_slots_resolutions_and_dialog_state(tea_device):
    tea_device.say("alexa, open tea timer")
    turn = tea_device.say("brew sencha")
    first, completed = (parsed(request) for request, _ in turn.exchanges)
    slot = first.request.intent.slots["tea"]
    assert first.request.dialog_state == DialogState.STARTED
    assert slot.value == "sencha" and slot.confirmation_status.value == "NONE"
    authority = slot.resolutions.resolutions_per_authority[-1]
    assert authority.status.code.value == "ER_SUCCESS_MATCH"
    assert authority.values[0].value.id == "GREEN"
    assert completed.request.dialog_state == DialogState.COMPLETED
    assert first.session.new is False


def test_session_attributes_are_carried_between_turns(hello_device, hello):
    hello_device.say("alexa, open hello world")
    hello_device.say("hello")
    turn = hello_device.say("greet maya")
    assert turn.speech == "Hi maya, visit 2."
    assert hello.received[-1].session.attributes == {"visits": 1}
    assert len({r.session.session_id for r in hello.received}) == 1


def test_session_ended_request_has_reason(hello_device, hello):
    hello_device.say("alexa, open hello world")
    hello_device.say("exit")
    ended = hello.received[-1]
    assert ended.request.object_type == "SessionEndedRequest"
    assert ended.request.reason.value == "USER_INITIATED"


def test_withheld_permissions_remove_the_consent_token(hello_device):
    hello_device.revoke("reminders")
    hello_device.revoke("given_name")
    envelope = parsed(hello_device.say("alexa, open hello world").exchanges[0][0])
    assert envelope.context.system.user.permissions is None


def test_profile_is_configurable(hello):
    from sim_skills import HELLO_MODEL

    from device_sim import Device, DeviceProfile, SkillEndpoint
    from device_sim.nlu import sample_nlu

    profile = DeviceProfile(
        user_id="amzn1.ask.account.other", person_id=None, device_id="amzn1.ask.device.nursery", locale="en-GB"
    )
    with Device(SkillEndpoint.of(hello, HELLO_MODEL), profile=profile, nlu_factory=sample_nlu, cloud=False) as device:
        envelope = parsed(device.say("alexa, open hello world").exchanges[0][0])
    assert envelope.context.system.user.user_id == "amzn1.ask.account.other"
    assert envelope.context.system.person is None
    assert envelope.context.system.device.device_id == "amzn1.ask.device.nursery"
    assert envelope.request.locale == "en-GB"
