""" "It", "that" and "those" are slot values, and a doubtful yes is not a yes.

A person who just heard about a product says "add it" or "remove that"; Alexa sends the pronoun as the
slot value and the skill looks up what it refers to. "Scratch that" is not "scratch the {product}" (no one
says "the that"), and since a yes can place an order, a yes the engine is unsure of goes to fallback, where
the skill asks its question again.
"""

import pytest

from intents.nlu import FALLBACK


@pytest.mark.parametrize(
    ("said", "intent", "product"),
    [
        ("add it", "AddToCartIntent", "it"),
        ("add that to my cart", "AddToCartIntent", "that"),
        ("put it in my cart", "AddToCartIntent", "it"),
        ("remove it", "RemoveFromCartIntent", "it"),
        ("take that out of my cart", "RemoveFromCartIntent", "that"),
        ("reorder it", "ReorderIntent", "it"),
    ],
)
def test_a_pronoun_in_the_products_place_is_the_product_slot(engine, said, intent, product):
    result = engine.parse(said)
    assert result.intent == intent
    assert result.slots["product"].value == product


def test_a_pronoun_keeps_its_quantity(engine):
    result = engine.parse("add two of those")
    assert result.intent == "AddToCartIntent"
    assert (result.slots["product"].value, result.slots["quantity"].value) == ("those", "2")


@pytest.mark.parametrize("said", ["scratch that", "forget that", "never mind that"])
def test_an_idiom_with_that_is_not_a_product_after_an_article(engine, said):
    # RemoveFromCartIntent has "scratch the {product}", "forget the {product}", "never mind the {product}".
    assert engine.parse(said).intent != "RemoveFromCartIntent"


@pytest.mark.parametrize("said", ["scratch that", "forget that"])
def test_a_doubtful_yes_is_not_a_yes(engine, said):
    # Never a yes, never a removal; "forget that" may be read as a cancel (as "forget it" is), which
    # spends nothing and ends what was asked.
    assert engine.parse(said).intent in (FALLBACK, "AMAZON.CancelIntent")


@pytest.mark.parametrize(
    "said",
    [
        "yes",
        "yeah sure",
        "yep go ahead",
        "ok do it",
        "uh huh",
        "sure why not",
        "yes please place it",
        "yes go ahead and order it",
        "that sounds good",
    ],
)
def test_clear_yeses_stay_yes(engine, said):
    assert engine.parse(said).intent == "AMAZON.YesIntent"


def test_a_word_that_points_at_an_earlier_sentence_of_the_turn_is_what_that_sentence_names(engine):
    # A thing of the same kind named before stands in for "them"; with none, the sentences before are the request
    # ("Log that." had logged a food called "that", persona round 22).
    said = engine.parse("how much are the wipes? add them")
    assert said.intent == "AddToCartIntent" and said.slots["product"].value == "wipes"
    assert said.slots["product"].resolutions is not None
    said = engine.parse("She's finally out like a light. Log that.")
    assert said.intent == "LogSleepIntent"
    assert engine.parse("add them").slots["product"].value == "them"  # said alone, the skill looks it up


def test_they_in_a_question_after_a_story_is_the_thing_the_story_named(engine):
    # Persona round 22's great-grandmother: the whole had asked the price of nothing, and the skill asked which.
    said = engine.parse(
        "Well hi there, honey. Now my granddaughter set this thing up and I never know if I'm talking to it right, "
        "but I need more of them paper towels, the same ones we always get. How much are they?"
    )
    assert said.intent == "PriceQueryIntent" and said.slots["product"].value == "paper towels"
    # Nothing sold named before: the question stays the question of nothing, for the skill to ask which.
    said = engine.parse("my sister loves her new car. how much is it?")
    assert said.slots["product"].value is None
