"""A request whose own word is negated asks for nothing: "please don't add wipes" must not add wipes. Negations
that are requests of their own ("we don't need eggs", "don't forget the milk") keep their reading."""

from __future__ import annotations

import pytest

from intents.nlu import NluEngine

FALLBACK = "AMAZON.FallbackIntent"


@pytest.mark.parametrize(
    "text, not_this",
    [
        ("please don't add wipes", "AddToCartIntent"),
        ("don't reorder diapers", "ReorderIntent"),
        ("do not add paper towels to my cart", "AddToCartIntent"),
    ],
)
def test_a_negated_request_to_voicecart_is_a_refusal_not_the_request(engine, text, not_this):
    heard = engine.parse(text)
    assert heard.intent == "AMAZON.NoIntent", (text, heard.intent)
    assert engine.parse(text.replace("don't ", "").replace("do not ", "")).intent == not_this


@pytest.mark.parametrize(
    "text, intent",
    [
        ("don't add wipes, add paper towels", "AddToCartIntent"),  # asked for again: the second one stands
        ("don't let me forget to buy wipes tomorrow", "SetReminderIntent"),
        ("i don't want the dish soap anymore take it off", "RemoveFromCartIntent"),
        ("never mind", "AMAZON.CancelIntent"),
    ],
)
def test_negations_that_are_requests_keep_their_reading(engine, text, intent):
    assert engine.parse(text).intent == intent


def test_on_another_skills_model_without_a_no_intent_nothing_is_done(lists):
    assert lists.parse("add eggs to my list").intent == "AddItemIntent"
    assert lists.parse("please don't add eggs to my list").intent == FALLBACK
    # Its samples say "we need {item}": "we don't need eggs" negates that very request.
    assert lists.parse("we need eggs").intent == "AddItemIntent"
    assert lists.parse("we don't need eggs").intent == FALLBACK


def test_a_refusal_on_a_model_with_yes_and_no():
    model = {
        "interactionModel": {
            "languageModel": {
                "invocationName": "shift helper",
                "intents": [
                    {"name": "SignUpIntent", "samples": ["sign me up", "sign me up for the morning shift"]},
                    {"name": "MyShiftsIntent", "samples": ["what are my shifts", "when do i work next"]},
                    {"name": "AMAZON.YesIntent", "samples": []},
                    {"name": "AMAZON.NoIntent", "samples": []},
                    {"name": "AMAZON.FallbackIntent", "samples": []},
                ],
                "types": [],
            }
        }
    }
    engine = NluEngine(model, semantic=False)
    assert engine.parse("sign me up").intent == "SignUpIntent"
    assert engine.parse("no, don't sign me up").intent == "AMAZON.NoIntent"


@pytest.mark.parametrize(
    "text, intent, product",
    [
        # The request in one written sentence, what not to do in another: the refusal only bounds the request.
        ("I want to know the price of one pack of the wipes. Do not add them to my cart.", "PriceQueryIntent", "wipes"),
        ("how much are the wipes? don't add them", "PriceQueryIntent", "wipes"),
    ],
)
def test_a_request_beside_a_sentence_that_refuses_is_what_was_asked(engine, text, intent, product):
    heard = engine.parse(text)
    assert (heard.intent, heard.slots["product"].value) == (intent, product)
    # The refusing sentence alone still refuses, and a refusal beside no request stays one.
    assert engine.parse("Do not add them to my cart.").intent == "AMAZON.NoIntent"
    assert engine.parse("no. don't add them.").intent == "AMAZON.NoIntent"
