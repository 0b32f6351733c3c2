"""A broken skill is reported like the developer console reports it, and the device keeps running."""

from __future__ import annotations

import pytest
import sim_skills

from device_sim import Device, SkillEndpoint
from device_sim.device import PROBLEM
from device_sim.nlu import sample_nlu
from device_sim.responses import read_response, ssml_to_text
from device_sim.transports import SkillError


@pytest.mark.parametrize(
    ("said", "kind"),
    [
        ("crash", "exception"),
        ("be slow", "timeout"),
        ("bad markup", "invalid_response"),
    ],
)
def test_failures_are_reported_and_the_device_recovers(hello_device, hello, said, kind):
    hello_device.say("alexa, open hello world")
    turn = hello_device.say(said)
    assert turn.speech == PROBLEM
    assert turn.error.startswith(kind)
    assert turn.session_ended and not hello_device.in_session
    if kind != "timeout":
        ended = hello.received[-1].request
        assert ended.object_type == "SessionEndedRequest" and ended.reason.value == "ERROR"
        assert ended.error.object_type.value == "INVALID_RESPONSE"
    assert hello_device.say("alexa, open hello world").speech == "Hello! Say hello."


def test_lambda_handler_returning_garbage(hello):
    import json

    def real(event, context):
        from ask_sdk_model import RequestEnvelope

        envelope = hello.serializer.deserialize(json.dumps(event), RequestEnvelope)
        return hello.serializer.serialize(hello.invoke(envelope, context))

    handler = sim_skills.garbage_handler(real)
    with Device(SkillEndpoint.of(handler, sim_skills.HELLO_MODEL), nlu_factory=sample_nlu, cloud=False) as device:
        assert device.say("alexa, ask hello world to say hello").speech == "Hi there, visit 1."
        turn = device.say("alexa, ask hello world to talk nonsense")
        assert turn.speech == PROBLEM and "invalid_response" in turn.error
        assert device.say("alexa, ask hello world to say hello").error is None


@pytest.mark.parametrize(
    ("payload", "why"),
    [
        ({"response": {}}, "version"),
        ({"version": "1.0"}, "'response'"),
        ({"version": "1.0", "response": {"outputSpeech": {"type": "Text", "text": "hi"}}}, "PlainText or SSML"),
        ({"version": "1.0", "response": {"outputSpeech": {"type": "SSML", "ssml": "hi"}}}, "well-formed"),
        ({"version": "1.0", "response": {"outputSpeech": {"type": "SSML", "ssml": "<p>hi</p>"}}}, "<speak>"),
        ({"version": "1.0", "response": {"shouldEndSession": "yes"}}, "shouldEndSession"),
        ({"version": "1.0", "response": {"card": {"type": "Poster"}}}, "card type"),
        ({"version": "1.0", "response": {"directives": [{"no": "type"}]}}, "directives"),
        ({"version": "1.0", "response": {"outputSpeech": {"type": "PlainText", "text": "x" * 9000}}}, "longer"),
        ({"version": "1.0", "sessionAttributes": [], "response": {}}, "sessionAttributes"),
    ],
)
def test_invalid_response_shapes(payload, why):
    with pytest.raises(SkillError, match=why):
        read_response(payload)


def test_ssml_becomes_the_words_a_listener_hears():
    ssml = (
        '<speak>Hello <break time="1s"/>there. <say-as interpret-as="digits">42</say-as>'
        '<audio src="https://x/y.mp3"/><sub alias="aluminum">Al</sub><p>Bye</p></speak>'
    )
    assert ssml_to_text(ssml) == "Hello there. 42 [audio] aluminum Bye"


def test_a_skill_that_delegates_forever_is_stopped(hello):
    from ask_sdk_core.skill_builder import SkillBuilder
    from ask_sdk_model.dialog import DelegateDirective

    sb = SkillBuilder()

    @sb.request_handler(can_handle_func=lambda handler_input: True)
    def always_delegate(handler_input):
        return handler_input.response_builder.add_directive(DelegateDirective()).response

    model = sim_skills.model(
        "loop",
        [{"name": "GoIntent", "samples": ["go"]}],
        dialog={"intents": [{"name": "GoIntent", "slots": [], "prompts": {}}]},
    )
    with Device(SkillEndpoint.of(sb.create(), model), nlu_factory=sample_nlu, cloud=False) as device:
        turn = device.say("alexa, ask loop to go")
    assert turn.speech == PROBLEM and "completed dialog" in turn.error
