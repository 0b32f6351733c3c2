"""Sessions, wake words, silence and exits behave as on a real Echo."""

from __future__ import annotations

import pytest

from device_sim import Device, SkillEndpoint
from device_sim.device import NOT_UNDERSTOOD
from device_sim.nlu import sample_nlu
from device_sim.wake import LAUNCH, NAME_FREE, ONE_SHOT, hear


@pytest.mark.parametrize(
    ("said", "kind", "rest"),
    [
        ("alexa, open tea timer", LAUNCH, ""),
        ("Alexa launch the tea timer skill", LAUNCH, ""),
        ("alexa, ask tea timer to brew green", ONE_SHOT, "brew green"),
        ("alexa tell tea timer brew green.", ONE_SHOT, "brew green"),
        ("alexa, brew green using tea timer", ONE_SHOT, "brew green"),
        ("alexa, open tea timer and brew green", ONE_SHOT, "brew green"),
        ("alexa, reorder diapers", NAME_FREE, "reorder diapers"),
        ("brew green", NAME_FREE, "brew green"),
        # Greetings and politeness around a launch, as people talk to a speaker.
        ("good morning alexa, would you kindly open tea timer", LAUNCH, ""),
        ("hello alexa open tea timer please", LAUNCH, ""),
        ("alexa, hi, open tea timer", LAUNCH, ""),
        ("hey there alexa ask tea timer to brew green", ONE_SHOT, "brew green"),
        # A greeting with no skill named is what was said, for the default skill or Alexa to answer.
        ("alexa, good morning", NAME_FREE, "good morning"),
        ("hi alexa what time is it", NAME_FREE, "what time is it"),
    ],
)
def test_wake_word_phrases(said, kind, rest):
    heard = hear(said, ["tea timer", "hello world"])
    assert (heard.kind, heard.text) == (kind, rest)


def test_one_shot_opens_a_session_with_the_intent(tea_device):
    turn = tea_device.say("alexa, ask tea timer to brew black")
    assert turn.intent == "BrewTeaIntent" and turn.slot_id("tea") == "BLACK"
    assert "5 minutes" in turn.speech and not turn.session_ended


def test_session_continues_and_ends_when_the_skill_says_so(hello_device):
    assert not hello_device.say("alexa, open hello world").session_ended
    assert not hello_device.say("count to twenty five").session_ended
    assert hello_device.turns[-1].slot_value("number") == "25"
    end = hello_device.say("goodbye")
    assert end.session_ended and not hello_device.in_session


def test_silence_replays_the_reprompt_then_ends_the_session(hello_device, hello):
    hello_device.say("alexa, open hello world")
    first = hello_device.say("")
    assert first.speech == "Say hello." and not first.session_ended
    second = hello_device.say("")
    assert second.session_ended and second.request_type == "SessionEndedRequest"
    assert hello.received[-1].request.reason.value == "EXCEEDED_MAX_REPROMPTS"
    assert hello_device.say("").speech == ""  # silence with nobody listening does nothing


def test_name_free_phrases_go_to_the_default_skill(hello_device):
    turn = hello_device.say("alexa, count to three")
    assert turn.intent == "CountIntent" and turn.slot_value("number") == "3"
    hello_device.say("goodbye")
    assert hello_device.say("alexa, what is the meaning of life").speech == NOT_UNDERSTOOD


def test_several_skills_on_one_device(hello, tea_device):
    from sim_skills import HELLO_MODEL

    with Device([tea_device.default_skill, SkillEndpoint.of(hello, HELLO_MODEL)], nlu_factory=sample_nlu) as device:
        assert "Tea Timer" in device.say("alexa, open tea timer").speech
        switched = device.say("alexa, open hello world")
        assert switched.skill == "hello world" and switched.speech == "Hello! Say hello."
        assert hello.received[-1].request.object_type == "LaunchRequest"


def test_hostile_text_never_crashes(hello_device):
    for text in ["\x00\x01", "{name}", "((((", "alexa, ask", "😀" * 300, "alexa, open", "a" * 5000, "   "]:
        turn = hello_device.say(text)
        assert turn.error is None


def test_wake_word_alone_and_stop_outside_a_session_stay_quiet(hello_device, hello):
    assert hello_device.say("alexa").speech == ""
    assert hello_device.say("alexa, stop").speech == ""
    assert hello.received == [] and not hello_device.in_session


def test_stop_inside_a_session_reaches_the_skill(hello_device):
    hello_device.say("alexa, open hello world")
    turn = hello_device.say("alexa stop")
    assert turn.intent == "AMAZON.StopIntent" and turn.session_ended


def test_time_and_clock_advance(hello_device):
    start = hello_device.clock.now()
    seen = []
    hello_device.clock.subscribe(seen.append)
    hello_device.advance("2 days")
    assert hello_device.clock.now() - start == __import__("datetime").timedelta(days=2)
    assert seen == [hello_device.clock.now()]
    assert hello_device.say("alexa, what time is it").speech.startswith("It's ")
    with pytest.raises(ValueError, match="duration"):
        hello_device.advance("soon")
