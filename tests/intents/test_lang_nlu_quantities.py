"""Quantities said in words, and values of one intent's types said to another.

A small plant-care model unrelated to voicecart shows that each mechanism comes from the model alone:
a number said in several words is one value ("two point five" weighs what "2.5" does), no slot value cuts a
number, a bare number is a time only where the samples introduce a time, a quantity said where the samples
put a free-text slot fills it, and a listed value of a type only another intent has ("plant food") is
evidence against the intent that would have to skip it.
"""

import pytest

from intents.alignment import _number_tails
from intents.nlu import NluEngine, NluResult


def _values(result: NluResult) -> dict:
    return {name: slot.value for name, slot in result.slots.items() if slot.value is not None}


@pytest.fixture(scope="module")
def plants() -> NluEngine:
    def values(*names: str) -> list[dict]:
        return [{"name": {"value": v}} for v in names]

    return NluEngine(
        {
            "languageModel": {
                "invocationName": "plant pal",
                "intents": [
                    {
                        "name": "LogWateringIntent",
                        "slots": [
                            {"name": "plant", "type": "Plant"},
                            {"name": "amount", "type": "AMAZON.NUMBER"},
                            {"name": "unit", "type": "Unit"},
                            {"name": "time", "type": "AMAZON.TIME"},
                        ],
                        "samples": [
                            "log {amount} {unit} for the {plant}",
                            "log {amount} {unit} of water",
                            "i watered the {plant} with {amount} {unit}",
                            "watered the {plant} at {time}",
                            "log a watering",
                            "the {plant} got {amount} {unit}",
                        ],
                    },
                    {
                        "name": "LogFeedingIntent",
                        "slots": [
                            {"name": "plant", "type": "Plant"},
                            {"name": "food", "type": "PlantFood"},
                            {"name": "dose", "type": "AMAZON.SearchQuery"},
                        ],
                        "samples": [
                            "log {food} for the {plant}",
                            "log {food}",
                            "i gave the {plant} {food} {dose}",
                            "fed the {plant} {food}",
                            "the {plant} got some {food}",
                            "add {food} to the log",
                        ],
                    },
                    {"name": "AMAZON.FallbackIntent", "samples": []},
                ],
                "types": [
                    {"name": "Plant", "values": values("fern", "monstera", "basil", "cactus")},
                    {"name": "Unit", "values": values("milliliters", "cups", "ounces", "liters")},
                    {"name": "PlantFood", "values": values("fish emulsion", "bloom booster", "worm tea")},
                ],
            }
        }
    )


@pytest.mark.parametrize(
    ("words", "tails"),
    [
        ("two point five milliliters", ["point", "five"]),
        ("twenty four cups", ["four"]),
        ("one and a half cups", ["and", "a", "half"]),
        ("one hundred and twenty", ["hundred", "and", "twenty"]),
        ("five six seven", []),  # digits of a code said one by one
        ("two and three cups", []),  # two numbers
        ("size 3 2 pack", []),  # digits written apart
    ],
)
def test_the_later_words_of_a_number_said_in_words_are_marked(words, tails):
    said = words.split()
    assert [w for w, tail in zip(said, _number_tails(said), strict=True) if tail] == tails


def test_a_number_said_in_words_weighs_what_it_does_in_digits(plants):
    in_digits = plants.parse("log fish emulsion 2.5 milliliters for the fern")
    in_words = plants.parse("log fish emulsion two point five milliliters for the fern")
    assert in_digits.intent == in_words.intent == "LogFeedingIntent"
    assert _values(in_words) == {"food": "fish emulsion", "plant": "fern", "dose": "two point five milliliters"}


def test_a_quantity_where_samples_put_a_free_text_slot_fills_it(plants):
    result = plants.parse("log worm tea one and a half cups for the basil")
    assert result.intent == "LogFeedingIntent"
    assert _values(result) == {"food": "worm tea", "plant": "basil", "dose": "one and a half cups"}


def test_other_skipped_words_stay_out_of_the_free_text_slot(plants):
    # No quantity in "for today": an aside, not a dose.
    assert "dose" not in _values(plants.parse("log worm tea for the basil for today"))


def test_a_bare_number_is_no_time_unless_the_samples_introduce_one(plants):
    assert "time" not in _values(plants.parse("log fish emulsion 2 cups for the fern"))
    at_two = plants.parse("watered the fern at two")
    assert at_two.intent == "LogWateringIntent"
    assert _values(at_two).get("time") == "02:00"
    assert "amount" not in _values(at_two)


def test_a_listed_value_of_another_intents_type_is_not_skipped_lightly(plants):
    # The watering samples fit "log {amount} {unit} for the {plant}" better, but only by skipping
    # "bloom booster", a value of a type watering has no slot of.
    result = plants.parse("log bloom booster five milliliters for the monstera")
    assert result.intent == "LogFeedingIntent"
    assert _values(result)["plant"] == "monstera"
    assert plants.parse("log five milliliters for the monstera").intent == "LogWateringIntent"


def test_no_slot_value_cuts_a_number(plants):
    result = plants.parse("the cactus got one and a half cups")
    assert result.intent == "LogWateringIntent"
    assert _values(result) == {"plant": "cactus", "amount": "1.5", "unit": "cups"}


@pytest.mark.parametrize(
    ("said", "values"),
    [
        # The value meant comes first; the one after "not" fills nothing (contrastive negation, for any model).
        ("the basil got three cups not two", {"plant": "basil", "amount": "3", "unit": "cups"}),
        ("watered the fern at six not seven", {"plant": "fern", "time": "06:00"}),
        ("the monstera got two cups, not two liters", {"plant": "monstera", "amount": "2", "unit": "cups"}),
    ],
)
def test_a_value_set_against_the_one_not_meant_is_read_as_the_first(plants, said, values):
    result = plants.parse(said)
    assert result.intent == "LogWateringIntent"
    assert _values(result) == values


@pytest.mark.parametrize(
    "said",
    [
        "the basil is not thirsty",  # no value before "not"
        "log two cups not bad for a cactus",  # more than a value after it
        "the fern got two cups not the fern",  # the same word again is no contrast
    ],
)
def test_not_that_sets_no_value_against_another_is_left_as_said(plants, said):
    from intents.normalize import clean, contrast_dropped, tokenize

    tokens = clean(tokenize(said))
    assert contrast_dropped(tokens, plants._value_kinds) == tokens


def test_a_value_of_several_words_set_against_another_is_dropped(plants):
    from intents.normalize import clean, contrast_dropped, tokenize

    tokens = clean(tokenize("the monstera got two cups, not two liters"))
    assert " ".join(t.key for t in contrast_dropped(tokens, plants._value_kinds)).endswith("2 cup")


def test_one_after_a_listed_value_stands_for_a_thing_not_a_count(engine):
    # "a dirty one": "one" after a listed value is a pronoun, never an amount of one (a one-ounce bottle was logged).
    result = engine.parse("and she had a dirty one before the bottle like ten minutes ago")
    assert _values(result).get("amount") is None and _values(result).get("diaperType") == "dirty"
    assert _values(engine.parse("add one")).get("quantity") == "1"


def test_numbers_a_writer_set_apart_with_a_comma_are_apart():
    said = ["two", "hundred", "fifty"]
    assert _number_tails(said) == [False, True, True]
    assert not _number_tails(said, [True, False, False])[1]  # "two, hundred fifty": "two" ends at the comma


def test_an_amount_said_twice_across_a_comma_is_said_once():
    from intents.model import load_model

    engine = NluEngine(load_model("en-US"))
    heard = engine.parse("log a bottle, 150, a hundred and fifty mls of formula")
    assert heard.intent == "LogFeedingIntent"
    assert heard.slots["amount"].value == "150"  # was 300: the two sayings added up
    # A code's digits are written in groups and stay one code.
    assert engine.parse("um, code... six two, six two").slots["code"].value == "6262"


@pytest.mark.parametrize(
    "said",
    [
        "log a bottle for maya at two o'clock, four ounces of formula",
        "she had a bottle at eleven o'clock, four ounces of formula",
    ],
)
def test_an_amount_said_after_a_clock_time_is_the_amount(engine, said):
    # The first number of the leftover words is the time ("two o'clock"); the amount is looked for after it. Persona
    # round 20 had been asked "How many ounces was the bottle?" after saying it.
    values = _values(engine.parse(said))
    assert values["amount"] == "4" and values["time"] in ("02:00", "11:00")


@pytest.mark.parametrize(
    ("said", "product", "quantity"),
    [
        ("create a button for bounty paper towels, two packs each time", "bounty paper towels", "2"),
        ("add a button for trash bags, two packs a press", "trash bags", "2"),
    ],
)
def test_a_count_said_after_the_product_is_the_count(engine, said, product, quantity):
    # Round 20's au pair: the button had been made for one pack of "bounty paper towels, two".
    values = _values(engine.parse(said))
    assert values["product"] == product and values["quantity"] == quantity


def test_a_number_the_products_own_names_say_stays_in_the_name(engine):
    assert _values(engine.parse("add pampers size two packs"))["product"] == "pampers size two"


@pytest.mark.parametrize(
    ("text", "values"),
    [
        (
            "she just finished another one now, four ounces of breast milk",
            {"amount": "4", "volumeUnit": "ounces", "milkType": "breast milk"},
        ),
        ("which one is cheaper, the huggies or the pampers", {"product": "huggies", "otherProduct": "pampers"}),
    ],
)
def test_one_after_another_or_which_stands_for_a_thing_and_is_no_count(engine, text, values):
    # English's pronoun "one" ("another one", "which one"): the count, if any, is the number said with the unit
    # (the first had logged one ounce). "Just the one pack" is still one pack.
    assert _values(engine.parse(text)) == values
    assert _values(engine.parse("set the diapers in the cart to just the one pack")).get("quantity") == "1"


def test_a_count_said_in_a_sentence_of_its_own_is_the_request_s_count(engine):
    # Too far from the request to align with it; the last such count is the one settled on.
    said = engine.parse("Add paper towels to the cart. Babe, how many do we need? Two? Okay, two packs.")
    assert _values(said) == {"product": "paper towels", "quantity": "2"}
    said = engine.parse("Add diapers. Two? No, three. Three packs.")
    assert (_values(said)["product"], _values(said)["quantity"]) == ("diapers", "3")
    assert "otherProduct" not in _values(said)  # "three packs" names no second thing
    # A count said with the request stays; a number that is not said alone is none ("thanks. one more thing").
    assert _values(engine.parse("add two packs of wipes to my cart. three.")).get("quantity") == "2"
