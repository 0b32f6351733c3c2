"""What an "if" clause says is supposed, never asked for."""

from __future__ import annotations

import pytest

from intents.nlu import FALLBACK
from intents.turn_shape import question_after_a_condition


@pytest.mark.parametrize(
    "said",
    [
        "wait, if I clear it, does that cancel what he bought too?",
        "If I press it again now, will it order another one",  # speech: no question mark
    ],
)
def test_a_question_about_what_would_happen_does_nothing(engine, said):
    assert engine.parse(said).intent == FALLBACK


@pytest.mark.parametrize(
    "said",
    [
        # A time clause supposes as an "if" clause does: asked before any button was pressed, it had pressed one.
        "before I press anything, what exactly is that button gonna send me?",
        "once i press it, how many packs will come",
    ],
)
def test_a_question_after_a_time_clause_presses_nothing(engine, said):
    assert engine.parse(said).intent != "PressButtonIntent"


def test_a_question_about_what_would_happen_does_nothing_in_any_model(lists):
    assert lists.parse("if i add milk, does it go at the top").intent != "AddItemIntent"


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        # The question after the condition is answered where the model has it.
        ("and if i order now, when does it show up", "OrderStatusIntent"),
        ("if i reorder the wipes, when would they get here", "OrderStatusIntent"),
        ("so if i take the wipes out, is the rest still coming on friday", "OrderStatusIntent"),
        # A question the whole turn already reads as, with the condition part of it: three scoops is asked about.
        ("and if i do three scoops, how much water is that", "FormulaMixIntent"),
        # A health question stays one, whatever the condition says.
        ("if she has a fever, can i give her tylenol", "MedicalQuestionIntent"),
        # A request put to the listener after a condition is a request.
        ("if it's no trouble, could you add wipes", "AddToCartIntent"),
        ("if you could add wipes, that would be lovely", "AddToCartIntent"),
    ],
)
def test_what_is_asked_after_a_condition_is_understood(engine, said, intent):
    assert engine.parse(said).intent == intent


@pytest.mark.parametrize(
    ("said", "asked"),
    [
        ("if i clear it, does that cancel my order", "does that cancel my order"),
        ("if i press it again then will it order another", "will it order another"),
        ("could you add wipes, if it's no trouble", None),  # opens with the request
        ("if you could add wipes, that would be lovely", None),  # asks nothing
        ("remind me if it rains, will you", None),  # "if" is not where the turn opens
        ("before i press anything, what will it send", "what will it send"),
        ("before he wakes up, add wipes to the cart", None),  # a request after the time clause
    ],
)
def test_where_the_question_after_a_condition_begins(said, asked):
    at = question_after_a_condition(said)
    assert (said[at:] if at is not None else None) == asked


@pytest.mark.parametrize(
    ("said", "never"),
    [
        # A turn that ends with a question writes nothing, whichever clause reads as a request alone.
        ("she's been down a while, how long is it now", "LogSleepIntent"),
        ("oi, who put lollies in the cart, get them out", "AddToCartIntent"),
    ],
)
def test_a_question_after_a_clause_writes_nothing(engine, said, never):
    assert engine.parse(said).intent != never
