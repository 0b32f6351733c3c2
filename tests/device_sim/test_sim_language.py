"""The simulator's fallback language understanding and spoken-value conversions."""

from __future__ import annotations

import pytest
import sim_skills

from device_sim import spoken
from device_sim.durations import parse_duration
from device_sim.sample_nlu import SampleNlu


@pytest.mark.parametrize(
    ("said", "number"),
    [
        ("two", "2"),
        ("twenty five", "25"),
        ("one hundred and five", "105"),
        ("12", "12"),
        ("the second", "2"),
        ("3rd", "3"),
        ("a dozen", "12"),
    ],
)
def test_numbers(said, number):
    assert spoken.to_number(said) == number


def test_not_numbers():
    assert spoken.to_number("blue") is None and spoken.to_number("") is None


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("ten minutes", "PT10M"),
        ("2 hours", "PT2H"),
        ("a day", "P1D"),
        ("an hour and a half", "PT1H30M"),
        ("1 week", "P1W"),
    ],
)
def test_durations(said, value):
    assert spoken.to_duration(said) == value


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("7 pm", "19:00"),
        ("seven thirty am", "07:30"),
        ("14:05", "14:05"),
        ("noon", "12:00"),
        ("12 am", "00:00"),
        ("eight in the morning", "08:00"),
    ],
)
def test_times(said, value):
    assert spoken.to_time(said) == value


def test_four_digit_codes():
    assert spoken.to_digits("one two three four") == "1234"
    assert spoken.to_digits("1234") == "1234"
    assert spoken.to_digits("12345") is None


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [("2 days", 2880), ("90 minutes", 90), ("1h30m", 90), ("PT2H", 120), ("1 day and 2 hours", 1560)],
)
def test_clock_durations(typed, minutes):
    assert parse_duration(typed).total_seconds() == minutes * 60


@pytest.mark.parametrize("typed", ["soon", "0 days", "2 fortnights", "", "-1 day"])
def test_bad_clock_durations(typed):
    with pytest.raises(ValueError):
        parse_duration(typed)


def test_resolution_and_unknown_values():
    nlu = SampleNlu(sim_skills.PIZZA_MODEL)
    matched = nlu.parse("I want a big pizza!")
    assert matched.intent == "OrderPizzaIntent" and matched.confidence == 1.0
    assert matched.slots["size"].to_alexa()["resolutions"]["resolutionsPerAuthority"][0]["values"][0]["value"] == {
        "name": "large",
        "id": "L",
    }
    assert matched.slots["count"].value is None and "value" not in matched.slots["count"].to_alexa()
    unknown = nlu.parse("i want a purple pizza")
    assert unknown.intent == "OrderPizzaIntent" and unknown.confidence < 1
    assert unknown.slots["size"].resolutions["resolutionsPerAuthority"][0]["status"]["code"] == "ER_SUCCESS_NO_MATCH"
    assert nlu.parse("play some jazz").intent == "AMAZON.FallbackIntent"
    assert nlu.parse("yeah").intent == "AMAZON.YesIntent"


def test_dynamic_entities_come_first():
    nlu = SampleNlu(sim_skills.PIZZA_MODEL)
    dynamic = [{"name": "PizzaSize", "values": [{"id": "XL", "name": {"value": "family", "synonyms": ["huge"]}}]}]
    result = nlu.parse("order a huge pizza", dynamic_entities=dynamic)
    authorities = result.slots["size"].resolutions["resolutionsPerAuthority"]
    assert ".dynamic." in authorities[0]["authority"] and authorities[0]["values"][0]["value"]["id"] == "XL"
    assert authorities[1]["status"]["code"] == "ER_SUCCESS_NO_MATCH"


def test_expected_intents_break_ties():
    def free_text(name: str, slot: str) -> dict:
        return {"name": name, "samples": ["{" + slot + "}"], "slots": [{"name": slot, "type": "AMAZON.SearchQuery"}]}

    model = sim_skills.model("t", [free_text("AIntent", "x"), free_text("BIntent", "y")])
    nlu = SampleNlu(model)
    assert nlu.parse("anything", expected_intents=["BIntent"]).intent == "BIntent"


def test_a_sample_naming_an_unknown_slot_is_refused():
    with pytest.raises(ValueError, match="unknown slot"):
        SampleNlu(sim_skills.model("t", [{"name": "AIntent", "samples": ["say {what}"]}]))
