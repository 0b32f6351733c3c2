"""Alexa's half of dialog management: delegation, elicitation, confirmations, dynamic entities."""

from __future__ import annotations

import copy

import pytest
import sim_skills

from device_sim import Device, SkillEndpoint
from device_sim.nlu import sample_nlu


def pizza_device(mode: str, model: dict | None = None) -> tuple[Device, object]:
    skill = sim_skills.pizza_skill(mode)
    device = Device(SkillEndpoint.of(skill, model or sim_skills.PIZZA_MODEL), nlu_factory=sample_nlu, cloud=False)
    return device, skill


def test_delegate_elicits_confirms_and_completes():
    device, skill = pizza_device("delegate")
    with device:
        device.say("alexa, open pizza place")
        assert device.say("order a pizza").speech == "What size?"
        assert device.say("make it big").speech == "A big pizza, right?"
        assert device.say("yes").speech == "How many?"
        assert device.say("zero").speech == "At least one. How many?"  # validation rule
        assert device.say("two pizzas").speech == "2 big pizzas. Order?"
        done = device.say("yes")
    assert done.speech == "Ordered big pizza." and done.session_ended
    assert done.dialog_state == "COMPLETED"
    final = skill.received[-1]
    assert final.dialog_state.value == "COMPLETED"
    assert final.intent.confirmation_status.value == "CONFIRMED"
    assert final.intent.slots["size"].confirmation_status.value == "CONFIRMED"
    assert final.intent.slots["size"].resolutions.resolutions_per_authority[0].values[0].value.id == "L"
    assert [r.dialog_state.value for r in skill.received[1:]] == [
        "STARTED",
        "IN_PROGRESS",
        "IN_PROGRESS",
        "IN_PROGRESS",
        "IN_PROGRESS",
        "IN_PROGRESS",
        "COMPLETED",
    ]


def test_denied_slot_is_asked_again_and_denied_intent_reaches_the_skill():
    device, skill = pizza_device("delegate")
    with device:
        device.say("alexa, ask pizza place to order a small pizza")
        assert device.say("no").speech == "What size?"
        device.say("large")
        device.say("yes")
        device.say("1")
        denied = device.say("no")
    assert denied.speech == "Okay, no pizza."
    assert skill.received[-1].intent.confirmation_status.value == "DENIED"


def test_skill_driven_elicit_and_confirm_directives():
    device, skill = pizza_device("manual")
    with device:
        device.say("alexa, open pizza place")
        assert device.say("order a pizza").speech == "Which size?"
        assert device.say("small").speech == "small, correct?"
        assert skill.received[-1].intent.slots["size"].value == "small"
        assert device.say("yes").speech == "Shall I order?"
        assert skill.received[-1].intent.slots["size"].confirmation_status.value == "CONFIRMED"
        done = device.say("yes")
    assert done.speech == "Ordered small pizza."
    assert skill.received[-1].intent.confirmation_status.value == "CONFIRMED"


def test_stop_breaks_out_of_a_question():
    device, skill = pizza_device("delegate")
    with device:
        device.say("alexa, ask pizza place to order a pizza")
        turn = device.say("stop")
    assert turn.intent == "AMAZON.StopIntent"


def test_auto_delegation_only_sends_the_completed_intent():
    model = copy.deepcopy(sim_skills.PIZZA_MODEL)
    model["interactionModel"]["dialog"]["delegationStrategy"] = "ALWAYS"
    device, skill = pizza_device("delegate", model)
    with device:
        device.say("alexa, ask pizza place to order a large pizza")
        device.say("yes")
        device.say("3")
        done = device.say("yes")
    assert done.speech == "Ordered large pizza."
    assert [r.dialog_state.value for r in skill.received] == ["COMPLETED"]


def test_dynamic_entities_resolve_on_later_turns(tea_device):
    tea_device.say("alexa, open tea timer")
    turn = tea_device.say("brew house blend")
    authorities = turn.exchanges[0][0]["request"]["intent"]["slots"]["tea"]["resolutions"]["resolutionsPerAuthority"]
    assert authorities[0]["authority"].startswith("amzn1.er-authority.echo-sdk.dynamic.")
    assert authorities[0]["status"]["code"] == "ER_SUCCESS_MATCH"
    assert turn.slot_id("tea") == "HOUSE"
    # A new session starts without the dynamic entities of the last one.
    tea_device.say("exit")
    fresh = tea_device.say("alexa, ask tea timer to brew house blend")
    assert "I only know" in fresh.speech


@pytest.mark.parametrize("answer", ["green", "green tea", "i'm brewing green"])
def test_slot_elicitation_understands_the_slot_samples(tea_device, answer):
    tea_device.say("alexa, ask tea timer to brew tea")
    turn = tea_device.say(answer)
    assert turn.slot_id("tea") == "GREEN" and "3 minutes" in turn.speech
