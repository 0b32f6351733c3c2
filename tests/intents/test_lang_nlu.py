import time

import pytest

from intents.alignment import Turn
from intents.nlu import NluEngine, NluResult, SlotMatch
from intents.normalize import clean, tokenize


def _values(result: NluResult) -> dict:
    return {name: slot.value for name, slot in result.slots.items() if slot.value is not None}


@pytest.mark.parametrize(
    "said, intent, slots",
    [
        ("add two packs of paper towels to my cart", "AddToCartIntent", {"product": "paper towels", "quantity": "2"}),
        ("add pampers swaddlers size three to my cart", "AddToCartIntent", {"product": "pampers swaddlers size three"}),
        ("add twenty four diapers", "AddToCartIntent", {"product": "diapers", "quantity": "24"}),
        ("reorder diapers", "ReorderIntent", {"product": "diapers"}),
        ("reorder", "ReorderIntent", {}),
        ("where's my order", "OrderStatusIntent", {}),
        ("where are my diapers", "OrderStatusIntent", {"product": "diapers"}),
        ("cancel my order", "CancelOrderIntent", {}),
        ("cancel the paper towels order", "CancelOrderIntent", {"product": "paper towels"}),
        ("my code is one two three four", "PurchaseCodeIntent", {"code": "1234"}),
        ("1234", "PurchaseCodeIntent", {"code": "1234"}),
        ("the first one", "ChooseOptionIntent", {"option": "1"}),
        ("the second", "ChooseOptionIntent", {"option": "2"}),
        ("make it two packs", "UpdateButtonIntent", {"quantity": "2"}),
        ("press the kitchen button", "PressButtonIntent", {"buttonName": "kitchen"}),
        (
            "rename the kitchen button to snack run",
            "RenameButtonIntent",
            {"buttonName": "kitchen", "newName": "snack run"},
        ),
        ("when did Maya last eat", "LastEventQueryIntent", {"child": "Maya", "eventKind": "eat"}),
        ("how many wet diapers today", "CountTodayQueryIntent", {"eventKind": "wet diapers"}),
        ("how much did she drink today", "IntakeTodayQueryIntent", {}),
        ("how do I make 6 ounces of formula", "FormulaMixIntent", {"amount": "6", "volumeUnit": "ounces"}),
        ("she has a fever what should I give her", "MedicalQuestionIntent", {}),
        (
            "remind me to call the doctor in three hours",
            "SetReminderIntent",
            {"task": "call the doctor", "duration": "PT3H"},
        ),
        ("she ate 4 ounces", "LogFeedingIntent", {"amount": "4", "volumeUnit": "ounces"}),
        ("log a wet diaper", "LogDiaperIntent", {"diaperType": "wet"}),
        (
            "Maya fell asleep at 3 p.m.",
            "LogSleepIntent",
            {"child": "Maya", "sleepAction": "fell asleep", "time": "15:00"},
        ),
        ("start the bedtime routine", "StartRoutineIntent", {"routine": "bedtime"}),
        ("yes", "AMAZON.YesIntent", {}),
        ("no", "AMAZON.NoIntent", {}),
        ("stop", "AMAZON.StopIntent", {}),
        ("help", "AMAZON.HelpIntent", {}),
        ("cancel", "AMAZON.CancelIntent", {}),
    ],
)
def test_product_utterances(engine, said, intent, slots):
    result = engine.parse(said)
    assert result.intent == intent, (said, result)
    assert slots.items() <= _values(result).items(), _values(result)
    assert result.confidence >= 0.5


@pytest.mark.parametrize(
    "said",
    [
        "um alexa can you add wipes to my cart please",
        "uh add wipes to the cart thanks",
        "could you add the wipes to my cart",
        "ask voice cart to add wipes to my cart",
        "add wipes to my card",  # an ASR slip
    ],
)
def test_fillers_invocation_and_asr_slips_are_tolerated(engine, said):
    result = engine.parse(said)
    assert result.intent == "AddToCartIntent"
    assert result.slots["product"].value.lower() == "wipes"


@pytest.mark.parametrize(
    "said, intent",
    [
        ("put some wipes in the basket", "AddToCartIntent"),
        ("could you tell me what is in the cart right now", "ReadCartIntent"),
        ("I would like to know where my package is", "OrderStatusIntent"),
        ("please empty out the whole cart", "ClearCartIntent"),
    ],
)
def test_paraphrases_that_are_not_samples(engine, said, intent):
    assert engine.parse(said).intent == intent


@pytest.mark.parametrize(
    "said",
    [
        "what's the weather like tomorrow",
        "play some jazz music",
        "tell me a joke",
        "turn off the lights",
        "who won the game last night",
        "how tall is mount everest",
    ],
)
def test_out_of_domain_is_fallback_not_a_forced_match(engine, said):
    result = engine.parse(said)
    assert result.intent == "AMAZON.FallbackIntent", result


def test_every_slot_of_the_intent_is_present_empty_ones_none(engine):
    result = engine.parse("reorder")
    assert set(result.slots) == {"product", "otherProduct"}
    assert result.slots["product"] == SlotMatch("product", "ProductName", None)
    alexa = result.to_alexa_intent()
    assert alexa == {
        "name": "ReorderIntent",
        "confirmationStatus": "NONE",
        "slots": {
            "product": {"name": "product", "confirmationStatus": "NONE"},
            "otherProduct": {"name": "otherProduct", "confirmationStatus": "NONE"},
        },
    }


def test_custom_slot_resolutions_are_alexa_shaped(engine):
    slot = engine.parse("log a poopy diaper").slots["diaperType"]
    assert slot.value == "poopy"
    auth = slot.resolutions["resolutionsPerAuthority"][0]
    assert auth["authority"] == "amzn1.er-authority.echo-sdk.voicecart.DiaperType"
    assert auth["status"]["code"] == "ER_SUCCESS_MATCH"
    assert auth["values"][0]["value"] == {"name": "dirty", "id": "dirty"}
    assert slot.to_alexa()["source"] == "USER"


def test_dynamic_entities_add_household_values_with_their_own_authority(engine):
    children = [
        {"name": "ChildName", "values": [{"id": "child-1", "name": {"value": "Theodore", "synonyms": ["teddy"]}}]}
    ]
    result = engine.parse("when did teddy last eat", dynamic_entities=children)
    assert result.intent == "LastEventQueryIntent"
    slot = result.slots["child"]
    assert slot.value == "teddy"
    dynamic = slot.resolutions["resolutionsPerAuthority"][0]
    assert dynamic["authority"] == "amzn1.er-authority.echo-sdk.dynamic.voicecart.ChildName"
    assert dynamic["values"][0]["value"] == {"name": "Theodore", "id": "child-1"}
    buttons = [{"name": "ButtonName", "values": [{"id": "b7", "name": {"value": "grandma special"}}]}]
    pressed = engine.parse("press the grandma special button", dynamic_entities=buttons)
    assert pressed.slots["buttonName"].resolutions["resolutionsPerAuthority"][0]["values"][0]["value"]["id"] == "b7"


def test_expected_intents_boost_but_never_force(engine):
    plain = engine.parse("pampers")
    hinted = engine.parse("pampers", expected_intents=["ChooseOptionIntent"])
    assert hinted.intent == "ChooseOptionIntent"
    assert hinted.confidence > plain.confidence
    assert engine.parse("tell me a joke", expected_intents=["AMAZON.YesIntent"]).intent == "AMAZON.FallbackIntent"


@pytest.mark.parametrize(
    "said",
    [
        "",
        "   ",
        "🎉🎉🎉",
        "日本語のテキストです",
        "x" * 10_000,
        "add " + "wipes " * 2000,
        "\x00\x01",
        "{product}",
        "}{",
    ],
)
def test_hostile_input_never_crashes(engine, said):
    result = engine.parse(said)
    assert isinstance(result, NluResult)
    assert 0.0 <= result.confidence <= 1.0


@pytest.mark.parametrize(
    "said, value",
    [
        ("add '; DROP TABLE products; -- to my cart", "DROP TABLE products"),
        ("add <speak>hello</speak> to my cart", "speak>hello</speak"),
    ],
)
def test_sql_or_ssml_in_a_slot_stays_as_said(engine, said, value):
    result = engine.parse(said)
    assert result.intent == "AddToCartIntent"
    assert result.slots["product"].value == value


def test_dates_use_the_injected_today(model):
    generic = {
        "interactionModel": {
            "languageModel": {
                "invocationName": "trip planner",
                "intents": [
                    {
                        "name": "BookIntent",
                        "slots": [{"name": "when", "type": "AMAZON.DATE"}, {"name": "who", "type": "AMAZON.FirstName"}],
                        "samples": ["book a table for {who} on {when}", "book a table {when}", "reserve for {who}"],
                    },
                    {"name": "AMAZON.StopIntent", "samples": []},
                    {"name": "AMAZON.FallbackIntent", "samples": []},
                ],
                "types": [],
            }
        }
    }
    import datetime as dt

    engine = NluEngine(generic, today=dt.date(2026, 11, 23))
    result = engine.parse("book a table for Priya on last tuesday")
    assert result.intent == "BookIntent"
    assert _values(result) == {"when": "2026-11-17", "who": "Priya"}
    assert engine.parse("book a table tomorrow").slots["when"].value == "2026-11-24"
    assert engine.parse("stop").intent == "AMAZON.StopIntent"
    assert engine.parse("what's the weather").intent == "AMAZON.FallbackIntent"


def test_from_file(tmp_path, model):
    import json

    path = tmp_path / "m.json"
    path.write_text(json.dumps(model))
    assert NluEngine.from_file(path).parse("checkout").intent == "CheckoutIntent"


def test_a_turn_takes_a_few_milliseconds(engine):
    sentences = ["add two packs of paper towels to my cart", "when did Maya last eat", "tell me a joke"]
    for s in sentences:
        engine.parse(s)
    start = time.perf_counter()
    for _ in range(5):
        for s in sentences:
            engine.parse(s)
    # Generous bound: this guards against an accidental scan, the benchmark measures speed.
    assert (time.perf_counter() - start) / 15 < 0.25


@pytest.mark.parametrize(
    "said",
    [
        "add two packs of paper towels to my cart",
        "i just changed a wet diaper",
        "maya woke up from her nap",
        "cancel my odor",
        "gave her gas drops twenty minutes ago",
        "remind me to pump in three hours",
        "the pin is five five five one",
        "set the thermostat to seventy",
        "hug ease diapers please",
        "he peed",
        "what's in my cart right now",
        "tell me a joke",
    ],
)
def test_the_confidence_bound_never_drops_a_sample_that_could_win(engine, said):
    # Samples whose bound cannot beat what is already found are never aligned: the bound must hold
    # for every sample, or a better alignment would be lost.
    tokens = engine._fix_compounds(engine._strip_invocation(clean(tokenize(said))))
    turn = Turn(engine, said, tokens, None)
    for sample in engine.samples:
        alignment = turn.align(sample)
        bound = turn.confidence_bound(sample)
        assert alignment is None or alignment.confidence <= bound + 1e-9, sample.text
