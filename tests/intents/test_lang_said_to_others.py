"""Turns where not every sentence is said to the speaker: a parent talks to a child, then says the wake word; a
sentence of hesitation names nothing; a child's aside after a request is no health question. Persona round 23."""

import pytest

from intents.turn_shape import after_the_wake_word


def _values(result):
    return {name: slot.value for name, slot in result.slots.items() if slot.value}


def test_the_request_after_the_wake_word_is_what_was_asked(engine):
    said = "No, no candy, mijo. Alexa, remind me in forty-five minutes to take the beans off the stove."
    result = engine.parse(said)
    assert result.intent == "SetReminderIntent"
    assert _values(result) == {"task": "take the beans off the stove", "duration": "PT45M"}


def test_the_request_after_the_wake_word_is_read_with_what_the_skill_expects(engine):
    said = "Put the cup down. Alexa, add wipes."
    assert engine.parse(said, expected_intents={"AddToCartIntent"}).intent == "AddToCartIntent"


@pytest.mark.parametrize(
    ("said", "addressed"),
    [
        ("Put the cup down. Alexa, add wipes.", "add wipes."),
        ("Alexa, add wipes", None),  # at the start it is only a filler
        ("thanks alexa, bye", None),  # inside a sentence it opens nothing
        ("Wait. Alexa. Stop.", None),  # one word after it: the whole turn is read as it is
    ],
)
def test_where_the_wake_word_opens_a_request(said, addressed):
    assert after_the_wake_word(said) == addressed


def test_a_sentence_of_hesitation_names_nothing_a_pronoun_could_point_at(engine):
    result = engine.parse("Eh, hmm. And when will it reach here?")
    assert result.intent == "OrderStatusIntent"
    assert "child" not in _values(result)


def test_a_childs_aside_after_a_request_is_no_health_question(engine):
    said = "And remind me in twenty minutes to give Maya her bottle. Daddy, can I have a popsicle? Not now, baby."
    result = engine.parse(said)
    assert result.intent == "SetReminderIntent"
    assert _values(result)["duration"] == "PT20M"


@pytest.mark.parametrize(
    "said",
    ["my baby has a fever of 103, what should i do", "he fell and hit his head. he is sleepy now. what do i do"],
)
def test_a_health_question_over_sentences_is_still_one(engine, said):
    assert engine.parse(said).intent == "MedicalQuestionIntent"


def test_the_ones_we_always_get_are_the_product_named_before(engine):
    result = engine.parse("The wipes, man. The ones we always get.")
    assert result.intent == "ReorderIntent" and _values(result) == {"product": "wipes"}


@pytest.mark.parametrize("said", ["I am much obliged. Good day to you.", "good day to you", "much obliged, good day"])
def test_a_formal_sign_off_is_a_closing(engine, said):
    assert engine.parse(said).intent == "AMAZON.StopIntent"


def test_a_formal_greeting_before_a_request_is_no_closing(engine):
    assert engine.parse("good day, can you add wipes").intent == "AddToCartIntent"


def test_obliged_in_a_request_is_no_closing(engine):
    assert engine.parse("I would be much obliged if you added wipes").intent != "AMAZON.StopIntent"


@pytest.mark.parametrize("said", ["day summary for maya", "give me a summary of her day"])
def test_the_day_asked_about_is_no_good_day(engine, said):
    assert engine.parse(said).intent == "DailySummaryIntent"


def test_a_sample_word_that_is_a_value_fills_its_slot_only_where_it_is_all_that_was_said(engine):
    # "maya pooped" fits "{child} pooped": the skill need not ask whether it was wet or dirty.
    assert engine.parse("maya pooped").slots["diaperType"].value == "pooped"
    # The sample's own wording around it fills nothing, as Alexa does.
    assert engine.parse("log breastfeeding right side ten minutes").slots["feedingKind"].value is None


def test_an_interjection_before_a_pause_is_no_misheard_value(engine):
    result = engine.parse("no wait, it was five ounces")
    assert result.intent == "CorrectLastEntryIntent"
    assert _values(result) == {"amount": "5", "volumeUnit": "ounces"}
