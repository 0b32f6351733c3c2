"""A number said as part of a clock time ("nine o'clock", "half past ten") is the time, never a count or an amount;
"like" before a number hedges it. Persona round 23: "it was nine o'clock, not half past" had changed a bottle to nine
ounces, then to half an ounce."""

import pytest


def _values(result):
    return {name: slot.value for name, slot in result.slots.items() if slot.value}


@pytest.mark.parametrize(
    ("said", "time"),
    [
        ("it was nine o'clock", "09:00"),
        ("it was nine o'clock, not half past", "09:00"),
        ("the time was wrong, it was nine o'clock", "09:00"),
        (
            "no, the amount is correct, it's the time that is wrong. it was around ten o'clock, not half past ten",
            "10:00",
        ),
    ],
)
def test_a_corrected_clock_time_changes_no_amount(engine, said, time):
    result = engine.parse(said)
    assert result.intent == "CorrectLastEntryIntent"
    values = _values(result)
    assert values.get("time") == time
    assert "amount" not in values


@pytest.mark.parametrize(
    ("said", "amount", "time"),
    [
        ("she had four ounces at half past nine", "4", "09:30"),
        ("at quarter to ten she drank two ounces", "2", "09:45"),
        ("she had four ounces at twenty past nine", "4", "09:20"),
    ],
)
def test_an_amount_beside_a_clock_time_keeps_its_own_number(engine, said, amount, time):
    values = _values(engine.parse(said))
    assert values.get("amount") == amount and values.get("time") == time


@pytest.mark.parametrize(("said", "count"), [("change it to four", "4"), ("add two to the cart", "2")])
def test_a_number_after_to_is_still_a_count(engine, said, count):
    assert engine.parse(said).slots["quantity"].value == count


def test_like_before_a_number_hedges_it(engine):
    result = engine.parse("remind me in like thirty minutes to check on her")
    assert result.intent == "SetReminderIntent"
    assert _values(result) == {"task": "check on her", "duration": "PT30M"}


def test_like_after_would_is_the_verb(engine):
    result = engine.parse("i would like two packs of wipes")
    assert result.intent == "AddToCartIntent" and _values(result).get("quantity") == "2"
