"""Where a value ends: a listed value does not take the words said beside it, and a word of grammar or of what
someone is doing is nobody's name.

People finish a request with more than its values ("three ounces of her formula as well, bless her", "she just
woke up crying", "log a wet diaper while i'm at it"); the value is the listed thing, the rest is said around it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from intents.model import load_model
from intents.nlu import NluEngine

TODAY = dt.date(2026, 11, 23)

# A pet-sitting log of another kind than voicecart: a short closed list of foods and the pets' names.
PET_LOG = {
    "interactionModel": {
        "languageModel": {
            "invocationName": "pet sitter",
            "intents": [
                {
                    "name": "LogMealIntent",
                    "slots": [
                        {"name": "pet", "type": "PetName"},
                        {"name": "food", "type": "PetFood"},
                        {"name": "cups", "type": "AMAZON.NUMBER"},
                    ],
                    "samples": [
                        "{pet} had {cups} cups of {food}",
                        "i gave {pet} {food}",
                        "log {food} for {pet}",
                        "{pet} ate {food}",
                    ],
                },
                {
                    "name": "LogWalkIntent",
                    "slots": [{"name": "pet", "type": "PetName"}],
                    "samples": ["i walked {pet}", "log a walk for {pet}", "{pet} went for a walk"],
                },
                {"name": "AMAZON.StopIntent", "samples": []},
                {"name": "AMAZON.HelpIntent", "samples": []},
                {"name": "AMAZON.FallbackIntent", "samples": []},
            ],
            "types": [
                {
                    "name": "PetFood",
                    "values": [
                        {"name": {"value": "dry food", "synonyms": ["kibble"]}},
                        {"name": {"value": "wet food", "synonyms": ["canned food"]}},
                        {"name": {"value": "treats"}},
                    ],
                },
                {"name": "PetName", "values": [{"name": {"value": "rex"}}, {"name": {"value": "luna"}}]},
            ],
        }
    }
}


@pytest.fixture(scope="module")
def pets() -> NluEngine:
    return NluEngine(PET_LOG, today=TODAY)


@pytest.fixture(scope="module")
def voicecart() -> NluEngine:
    return NluEngine(load_model("en-US"), today=TODAY)


def _values(engine: NluEngine, text: str) -> tuple[str, dict[str, str]]:
    result = engine.parse(text)
    return result.intent, {name: slot.value for name, slot in result.slots.items() if slot.value is not None}


@pytest.mark.parametrize(
    ("text", "intent", "slot", "value"),
    [
        ("she's had about three ounces of her formula as well, bless her", "LogFeedingIntent", "milkType", "formula"),
        ("he drank four ounces of formula earlier today i think", "LogFeedingIntent", "milkType", "formula"),
    ],
)
def test_a_listed_value_does_not_take_the_words_after_it(
    voicecart: NluEngine, text: str, intent: str, slot: str, value: str
) -> None:
    heard, values = _values(voicecart, text)
    assert heard == intent
    assert values.get(slot) == value


def test_a_listed_value_of_another_model_keeps_to_its_words(pets: NluEngine) -> None:
    heard, values = _values(pets, "rex had two cups of kibble as usual tonight")
    assert heard == "LogMealIntent"
    assert values.get("food") == "kibble"
    assert values.get("pet") == "rex"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("she's awake, she just woke up crying", "LogSleepIntent"),
        ("log a wet diaper while i'm at it", "LogDiaperIntent"),
    ],
)
def test_what_a_child_is_doing_and_words_of_grammar_are_no_child(voicecart: NluEngine, text: str, intent: str) -> None:
    heard, values = _values(voicecart, text)
    assert heard == intent
    assert "child" not in values


def test_a_name_is_still_a_name(pets: NluEngine, voicecart: NluEngine) -> None:
    assert _values(pets, "i walked luna")[1].get("pet") == "luna"
    assert _values(pets, "log a walk for biscuit")[1].get("pet") == "biscuit"  # a pet nobody listed
    assert _values(voicecart, "log a wet diaper for maya")[1].get("child") == "maya"


def test_a_walk_said_while_doing_something_names_no_pet(pets: NluEngine) -> None:
    heard, values = _values(pets, "log a walk for rex while we're out")
    assert heard == "LogWalkIntent"
    assert values.get("pet") == "rex"
    heard, values = _values(pets, "i walked him this morning while it was raining")
    assert values.get("pet") not in ("while", "raining")


def test_a_sample_of_slots_alone_needs_a_value_the_model_lists() -> None:
    # "and {pet} {note}" has no word of its own to say a note is meant: a listed pet is that evidence; a word
    # nobody listed, read as a new pet's name, with free text after it, is none.
    language = PET_LOG["interactionModel"]["languageModel"]
    note = {
        "name": "AddNoteIntent",
        "slots": [{"name": "pet", "type": "PetName"}, {"name": "note", "type": "AMAZON.SearchQuery"}],
        "samples": ["note for {pet} {note}", "and {pet} {note}"],
    }
    engine = NluEngine({"interactionModel": {"languageModel": {**language, "intents": [note, *language["intents"]]}}})
    heard, values = _values(engine, "and rex chewed a shoe")
    assert heard == "AddNoteIntent" and values.get("pet") == "rex"
    assert _values(engine, "note for biscuit she chewed a shoe")[1].get("pet") == "biscuit"  # carrier words said
    assert engine.parse("and purple monkey dish washer").intent != "AddNoteIntent"


@pytest.mark.parametrize(
    ("text", "product"),
    [
        ("hey there, throw a couple packs of them baby wipes in the buggy for me", "baby wipes"),
        ("add those paper towels", "paper towels"),
        ("add them", "them"),  # alone, the word still names what was spoken of
    ],
)
def test_a_pointing_word_before_a_product_stays_outside_its_name(voicecart: NluEngine, text: str, product: str) -> None:
    assert _values(voicecart, text)[1].get("product") == product


def test_free_text_alone_in_a_sample_of_slots_is_no_reading(voicecart: NluEngine) -> None:
    # "and {medicine} {dose}" with no medicine said would read any single word as a dose of nothing.
    for said in ("alexa", "google", "siri"):
        assert voicecart.parse(said).intent != "LogMedicineIntent"


@pytest.mark.parametrize(
    ("text", "intent", "slot", "value"),
    [
        ("the baby's down for a nap", "LogSleepIntent", "sleepAction", "down for a nap"),
        ("log noah's height twenty inches", "LogGrowthIntent", "length", "20"),
    ],
)
def test_no_value_starts_with_the_rest_of_a_contraction(
    voicecart: NluEngine, text: str, intent: str, slot: str, value: str
) -> None:
    heard, values = _values(voicecart, text)
    assert heard == intent
    assert values.get(slot) == value


def test_what_she_was_given_is_a_feeding_or_a_medicine_by_what_it_is(voicecart: NluEngine) -> None:
    # "gave her" logs a medicine and a meal alike: the listed thing decides, and free text does not stand in for
    # the medicine ("a little mashed pear" is no dose of an unnamed medicine).
    heard, values = _values(voicecart, "i gave him a little mashed pear")
    assert heard == "LogFeedingIntent" and values.get("food") == "mashed pear"
    heard, values = _values(voicecart, "i gave her a little motrin")
    assert heard == "LogMedicineIntent" and values.get("medicine") == "motrin"


@pytest.mark.parametrize(
    ("said", "medicine", "dose"),
    [
        ("I gave her one ml of vitamin d drops just now", "vitamin d drops", "one ml"),
        ("i gave him five mls of amoxicillin", "amoxicillin", "five mls"),
        ("I gave her two and a half mls of calpol", "calpol", "two and a half mls"),
    ],
)
def test_a_listed_medicine_said_inside_its_dose_is_the_medicine(engine, said, medicine, dose):
    # The sample "i gave her {medicine} {dose}" had left the medicine unsaid and the dose held it.
    result = engine.parse(said)
    assert result.intent == "LogMedicineIntent"
    assert (result.slots["medicine"].value, result.slots["dose"].value) == (medicine, dose)


def test_a_listed_name_said_as_free_text_with_no_measure_stays_the_free_text(engine):
    # "bathroom" is a listed button name, and here the new one.
    result = engine.parse("call the tp button bathroom from now on")
    assert result.intent == "RenameButtonIntent" and result.slots["buttonName"].value is None
