"""Words of other domains (devices, timers, music, weather, trips) are evidence for AMAZON.FallbackIntent.

An open slot takes unlisted words, so without this "set the thermostat to seventy" is a quantity change
of a product called "thermostat". The words come from data/other_domains.yaml; the model's own words
never count, and free text may hold anything.
"""

import pytest

from intents.nlu import FALLBACK, NluEngine, _other_domain_words


@pytest.fixture(scope="module")
def shop() -> NluEngine:
    items = [{"name": {"value": v}} for v in ("beans", "rice", "flour", "tea", "bike lock", "dish soap")] + [
        {"name": {"value": f"brand{i} item{i}"}} for i in range(60)
    ]  # an open list, as catalog products are
    return NluEngine(
        {
            "languageModel": {
                "invocationName": "pantry helper",
                "intents": [
                    {
                        "name": "SetIntent",
                        "slots": [{"name": "item", "type": "Item"}, {"name": "n", "type": "AMAZON.NUMBER"}],
                        "samples": ["set {item} to {n}", "set the {item} to {n}", "change {item} to {n}"],
                    },
                    {
                        "name": "AddIntent",
                        "slots": [{"name": "item", "type": "Item"}],
                        "samples": ["add {item}", "add {item} to my list"],
                    },
                    {
                        "name": "NoteIntent",
                        "slots": [{"name": "note", "type": "AMAZON.SearchQuery"}],
                        "samples": ["remind me to {note}", "make a note {note}"],
                    },
                    {"name": "AMAZON.CancelIntent", "samples": []},
                    {"name": "AMAZON.FallbackIntent", "samples": []},
                ],
                "types": [{"name": "Item", "values": items}],
            }
        }
    )


def test_the_list_is_read_as_keys():
    words = _other_domain_words("en-US")
    assert {"thermostat", "alarm", "timer", "music", "weather", "flight"} <= words
    assert "light" in words  # "lights" is compared as its singular


@pytest.mark.parametrize(
    "said",
    [
        "set the thermostat to seventy",
        "set the alarm to seven",
        "change the volume to four",
        "add a meeting",
        "cancel my alarm",
        "add the pharmacy",  # places people go: intents/data/other_domains.yaml, local_places
        "set the barber to nine",
    ],
)
def test_a_word_of_another_domain_outside_free_text_sends_the_turn_to_fallback(shop, said):
    assert shop.parse(said).intent == FALLBACK


def test_a_word_that_only_stems_like_another_domains_is_not_theirs(shop):
    # "news" is keyed "new", as "new" is: the listed form tells them apart, inflections still count.
    assert "new" in shop.other_domain_words
    assert shop.says_other_domain("news", "new") and shop.says_other_domain("lights", "light")
    assert not shop.says_other_domain("new", "new")
    assert shop.parse("add new rice").intent == "AddIntent"


@pytest.mark.parametrize(
    "said", ["buy some rice", "order more tea", "sell my old bike lock", "post my list on facebook"]
)
def test_a_pantry_list_that_never_buys_sends_buying_and_posting_elsewhere(shop, said):
    # Its samples add to a list and say neither "buy" nor "order": shopping is another domain's request.
    assert shop.parse(said).intent == FALLBACK


def test_a_skill_that_buys_keeps_its_own_shopping_words(engine):
    assert {"buy", "order"}.isdisjoint(engine.other_domain_words)
    assert engine.parse("order more wipes").intent != FALLBACK
    assert engine.parse("buy paper towels").intent != FALLBACK


def test_the_same_requests_about_the_models_own_values_stay(shop):
    assert shop.parse("set the rice to seven").intent == "SetIntent"
    assert shop.parse("add beans to my list").intent == "AddIntent"
    assert shop.parse("cancel").intent == "AMAZON.CancelIntent"


def test_the_models_own_words_never_count_as_another_domain(shop):
    # "lock" is on the smart-home list, but a value of this model's Item type: "unlock" is not.
    assert "lock" not in shop.other_domain_words and "unlock" in shop.other_domain_words
    assert shop.parse("add a bike lock").intent == "AddIntent"


def test_free_text_may_hold_words_of_other_domains(shop):
    result = shop.parse("remind me to turn off the lights")
    assert result.intent == "NoteIntent"
    assert result.slots["note"].value == "turn off the lights"


def test_household_values_are_the_households_own_words(shop):
    buttons = [{"name": "Item", "values": [{"id": "tv", "name": {"value": "tv room snacks"}}]}]
    assert shop.parse("set the tv to four").intent == FALLBACK
    assert shop.parse("set the tv to four", dynamic_entities=buttons).intent == "SetIntent"


@pytest.mark.parametrize(
    "said",
    [
        "set the bedroom lights to fifty percent",
        "set an alarm for six thirty",
        "pause the music",
        "turn the volume down to two",
        "add a dentist appointment to my calendar",
    ],
)
def test_voicecart_cart_and_button_slots_do_not_swallow_other_domains(engine, said):
    assert engine.parse(said).intent == FALLBACK


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("set the paper towels to four", "UpdateCartQuantityIntent"),
        ("remind me to check the weather", "SetReminderIntent"),
        ("is it normal that she cries when the music is loud", "MedicalQuestionIntent"),
        ("make a note that she loved the music class", "LogNoteIntent"),
    ],
)
def test_voicecart_requests_with_such_words_in_free_text_stay(engine, said, intent):
    assert engine.parse(said).intent == intent


def test_in_a_product_name_only_its_last_word_says_what_the_thing_is(shop, engine):
    assert shop.parse("add lamp oil to my list").intent == "AddIntent"  # oil, not a lamp
    assert shop.parse("set the porch light to five").intent == FALLBACK  # a light
    assert engine.parse("add light bulbs to my cart").slots["product"].value == "light bulbs"
    assert engine.parse("where is my phone case order").intent == "OrderStatusIntent"


@pytest.mark.parametrize(
    "said",
    [
        "add a lamp to my cart",
        "add a fan to my cart",
        "add a speaker to my cart",
        "add a smart plug to my cart",
        "add a tv to my cart",
        "put an umbrella in my cart",
    ],
)
def test_said_with_the_whole_cart_phrase_a_thing_of_another_domain_is_a_thing_to_buy(engine, said):
    # The whole carrier phrase ("add ... to my cart") says what the request is for; the shop may or may not
    # sell lamps, which is the resolver's answer to give ("I couldn't find..."), not the fallback's.
    assert engine.parse(said).intent == "AddToCartIntent"


@pytest.mark.parametrize(
    "said",
    [
        "what's my order status",
        "order status",
        "give me an update on my order",
    ],
)
def test_order_status_in_its_everyday_phrasings(engine, said):
    assert engine.parse(said).intent == "OrderStatusIntent"


@pytest.fixture(scope="module")
def laundry() -> NluEngine:
    def values(*names: str) -> list[dict]:
        return [{"name": {"value": v}} for v in names]

    return NluEngine(
        {
            "languageModel": {
                "invocationName": "laundry day",
                "intents": [
                    {
                        "name": "TimeLeftIntent",
                        "samples": [
                            "how long is left",
                            "how much time is left on the load",
                            "when will the load be done",
                            "is the laundry done yet",
                        ],
                    },
                    {
                        "name": "StartLoadIntent",
                        "slots": [{"name": "cycle", "type": "Cycle"}],
                        "samples": ["start a {cycle} load", "i just started a {cycle} wash", "log a {cycle} load"],
                    },
                    {
                        "name": "StainIntent",
                        "slots": [{"name": "stain", "type": "Stain"}],
                        "samples": ["how do i get {stain} out", "what removes {stain}", "help with a {stain} stain"],
                    },
                    {"name": "AMAZON.StopIntent", "samples": []},
                    {"name": "AMAZON.FallbackIntent", "samples": []},
                ],
                "types": [
                    {"name": "Cycle", "values": values("delicate", "heavy", "quick", "normal")},
                    {"name": "Stain", "values": values("wine", "grass", "grease", "ink")},
                ],
            }
        }
    )


@pytest.mark.parametrize("said", ["how much longer on the washer", "how long until my dryer finishes"])
def test_a_sure_reading_stands_beside_a_thing_another_domain_also_names(laundry, said):
    # "washer" and "dryer" are smart-home words; a laundry skill's question about its load says them too.
    if laundry.semantic_stage is None:
        pytest.skip("the learnt stage is not installed")
    assert laundry.parse(said).intent == "TimeLeftIntent"


@pytest.mark.parametrize("said", ["turn on the washer", "dim the lights", "play some music"])
def test_requests_of_another_domain_stay_fallback_beside_such_readings(laundry, said):
    assert laundry.parse(said).intent == FALLBACK


def test_a_word_of_another_domain_inside_free_text_does_not_send_the_turn_away():
    # A note may say anything: "dryer" is a smart-home word, but said inside what the learnt stage reads as the
    # note's text it is what the note is about. Said outside free text it still sends the request away.
    notes = NluEngine(
        {
            "interactionModel": {
                "languageModel": {
                    "invocationName": "wash day",
                    "intents": [
                        {"name": "AMAZON.StopIntent", "samples": []},
                        {"name": "AMAZON.FallbackIntent", "samples": []},
                        {
                            "name": "StartLoadIntent",
                            "slots": [{"name": "cycle", "type": "Cycle"}],
                            "samples": ["start a {cycle} load", "log a {cycle} wash"],
                        },
                        {
                            "name": "LaundryNoteIntent",
                            "slots": [{"name": "note", "type": "AMAZON.SearchQuery"}],
                            "samples": ["add a laundry note {note}", "laundry note {note}"],
                        },
                        {"name": "TimeLeftIntent", "samples": ["how long is left", "when will the load be done"]},
                    ],
                    "types": [
                        {"name": "Cycle", "values": [{"name": {"value": v}} for v in ("delicate", "heavy", "quick")]}
                    ],
                }
            }
        }
    )
    if notes.semantic_stage is None:
        pytest.skip("the learnt stage is not installed")
    assert notes.parse("jot down that the dryer squeaks on the spin cycle").intent == "LaundryNoteIntent"
    assert notes.parse("turn on the dryer").intent == FALLBACK


def test_a_word_made_from_the_models_own_is_its_own():
    surf = NluEngine(
        {
            "languageModel": {
                "invocationName": "surf check",
                "intents": [
                    {"name": "WindIntent", "samples": ["how is the wind", "what's the wind doing", "wind report"]},
                    {"name": "TideIntent", "samples": ["when is high tide", "tide times"]},
                    {"name": "AMAZON.FallbackIntent", "samples": []},
                ],
            }
        }
    )
    assert not surf.says_other_domain("windy", "windy")  # "wind" is the model's word
    assert surf.says_other_domain("rainy", "rainy")  # the weather's, still
    assert "timer" in _other_domain_words("en-US")  # "-er" makes another thing: never made from "time"
