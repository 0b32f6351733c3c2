"""Questions never write: a turn asked as a question is never read as an intent none of whose samples is one.

The shopping-list model of conftest.py (`lists`), unrelated to voicecart: "did i add milk to my list" fits
"add {item} to my list" word for word, but it asks; the model's questions ("what is on my list") are another
intent.
"""

import json
from pathlib import Path

import pytest

from intents.nlu import FALLBACK, NluEngine


@pytest.mark.parametrize(
    "said",
    ["did i add milk to my list", "is there milk on my list", "are eggs on my list", "do we have eggs on my list"],
)
def test_a_question_is_not_read_as_a_request_that_writes(lists, said):
    assert lists.parse(said).intent in (FALLBACK, "ReadListIntent")


def test_the_same_words_as_a_request_still_write(lists):
    result = lists.parse("add milk to my list")
    assert result.intent == "AddItemIntent" and result.slots["item"].value == "milk"


def test_a_question_the_model_has_samples_like_is_understood(lists):
    assert lists.parse("what's on my list").intent == "ReadListIntent"


def test_a_proposal_is_not_a_question(lists):
    # "how about ..." proposes: the model's own sample says so, and it is not held back as a question.
    assert lists.parse("how about the second one").intent == "PickIntent"


@pytest.mark.parametrize("said", ["do it", "have two added"])
def test_do_and_have_ask_only_before_who_is_asked_about(said):
    from intents.turn_shape import asks

    assert not asks(said.split())
    assert asks(["do", "we", "have", "eggs"]) and asks(["have", "i", "added", "milk"])


@pytest.mark.parametrize("said", ["remind me what i put on my list", "tell me what is on my list"])
def test_an_indirect_question_asks(lists, said):
    from intents.turn_shape import asks

    assert asks(said.split())
    assert lists.parse(said).intent in (FALLBACK, "ReadListIntent")


@pytest.mark.parametrize("said", ["remind me when it is time to feed her", "remind me to buy milk", "show me around"])
def test_a_request_to_be_reminded_or_shown_does_not_ask(said):
    from intents.turn_shape import asks

    assert not asks(said.split())


@pytest.mark.parametrize(
    "said",
    ["she slept how long just now", "the box of wipes costs how much ah", "my order comes when", "he had how many"],
)
def test_a_question_word_said_in_the_place_of_its_answer_asks(said):
    from intents.turn_shape import asks

    assert asks(said.split())


@pytest.mark.parametrize(
    "said", ["ping me when boarding starts", "tell me when it ships", "add wipes when you can", "log how long she fed"]
)
def test_a_clause_of_time_or_an_indirect_one_is_no_question_in_place(said):
    from intents.turn_shape import asks

    assert not asks(said.split())


def test_a_question_in_place_is_answered_not_logged(engine):
    # Said as Singapore and much spoken English say it: the question word where the answer goes.
    assert engine.parse("she slept how long just now").intent == "SleepDurationQueryIntent"
    assert engine.parse("she slept for two hours just now").intent == "LogSleepIntent"


def test_voicecart_sets_no_reminder_for_an_indirect_question(engine):
    assert engine.parse("remind me what i usually get").intent != "SetReminderIntent"
    assert engine.parse("remind me what i put in my basket").intent != "SetReminderIntent"
    assert engine.parse("remind me to pump at three").intent == "SetReminderIntent"


SWIM_CLUB = {
    "interactionModel": {
        "languageModel": {
            "invocationName": "swim club",
            "intents": [
                {"name": "AMAZON.HelpIntent", "samples": []},
                {"name": "AMAZON.StopIntent", "samples": []},
                {"name": "AMAZON.FallbackIntent", "samples": []},
                {"name": "FeesIntent", "samples": ["do i owe anything", "check my balance due", "membership fees"]},
                {
                    "name": "BookLaneIntent",
                    "slots": [{"name": "time", "type": "AMAZON.TIME"}],
                    "samples": ["book a lane at {time}", "reserve a lane", "get me a lane for {time}"],
                },
                {"name": "CancelBookingIntent", "samples": ["cancel my lane", "drop my lane booking"]},
            ],
        }
    }
}


def test_an_intent_asked_with_do_is_one_a_wh_question_may_mean():
    # The samples ask with "do i ...": a question to the intent in other words is no statement said to a
    # statement intent, so it is not set aside as one.
    from intents.nlu import NluEngine

    engine = NluEngine(SWIM_CLUB)
    assert engine.parse("how much do i still owe the club").intent == "FeesIntent"


@pytest.mark.parametrize(
    "said", ["what i meant was eggs", "what we need is more milk", "what she wants is bread on the list"]
)
def test_a_statement_opened_by_a_question_word_does_not_ask(lists, said):
    # English's pseudo-cleft: the question word, who is spoken of, a verb, then "is" or "was". A question puts
    # the verb first ("what is on my list", "what did i add").
    from intents.turn_shape import asks

    assert not asks(said.split())
    assert asks("what did i add".split()) and asks("what is on my list".split())
    assert asks("what i need".split())  # no "is" or "was" after: a fragment, asked as people ask


def test_voicecart_logs_what_a_parent_meant_said_as_a_statement(engine):
    result = engine.parse("what i meant was she had a wet one")
    assert result.intent == "LogDiaperIntent" and result.slots["diaperType"].value == "wet"
    assert engine.parse("what she had was four ounces of formula").intent == "LogFeedingIntent"


def test_what_is_wanted_said_first_is_no_question(lists):
    # "What i would like is to …" says what is wanted: no inverted verb after "what", and "is to" opens no question.
    from intents.confidence import is_question
    from intents.normalize import clean, tokenize
    from intents.turn_shape import asks_after_a_clause

    assert not is_question(["is", "to", "add", "milk"]) and is_question(["is", "milk", "on", "my", "list"])
    text = "we ran out this morning, so what i would like is to add milk to my list"
    assert not asks_after_a_clause(clean(tokenize(text)), text)
    text = "we ran out this morning, so what do we have on my list"
    assert asks_after_a_clause(clean(tokenize(text)), text)
    assert lists.parse("is to add milk to my list").intent == "AddItemIntent"


def test_a_request_at_the_end_of_a_story_longer_than_the_engine_reads_whole(engine):
    # The first 48 words of a turn are read whole; the request of a long story is often after them. Read whole, this
    # one had taken "all over the kitchen" for a second product (All laundry pods); its clauses are read too now, and
    # the request among them is what was asked.
    said = (
        "Okay so, my sister came over on Saturday with her two boys and they spilled juice all over the kitchen, and "
        "we went through pretty much every roll we had cleaning it up, so what I would like, if you can, is to add "
        "two packs of paper towels to my cart, the same ones we always get."
    )
    assert len(said.split()) > 48
    result = engine.parse(said)
    assert result.intent == "AddToCartIntent", result
    values = {k: s.value for k, s in result.slots.items() if s.value}
    assert values == {"product": "paper towels", "quantity": "2"}, values


@pytest.mark.parametrize(
    "said",
    [
        "do you know any jokes about animals",
        "do you have a golden available",
        "is there a show about sourdough baking",
        "are there any chargers in sacramento",
        "got any coupons tonight",
    ],
)
def test_a_question_asking_to_be_offered_something_is_a_request(said):
    # An indirect request, as "can you ..." is: a finding or telling intent answers it though its samples are not
    # questions.
    from intents.turn_shape import asks_for_an_offer

    assert asks_for_an_offer(said.split())


@pytest.mark.parametrize(
    "said",
    ["is there milk on my list", "is there anything in our cart", "do you know if the wipes came", "do we have eggs"],
)
def test_a_question_about_the_speakers_own_things_or_whether_asks_for_no_offer(said):
    from intents.turn_shape import asks_for_an_offer

    assert not asks_for_an_offer(said.split())


def _dev_model(name: str) -> NluEngine:
    """An engine on one of the development models of other skills (bench/data/dev/models)."""
    path = Path(__file__).parents[2] / "bench" / "data" / "dev" / "models" / f"{name}.json"
    return NluEngine(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("model", "said", "intent"),
    [
        ("joke_teller", "do you know any jokes about animals", "TellJokeIntent"),
        ("book_club", "is there a book about the history of salt", "FindBookIntent"),
        ("radio_stations", "is there a classical station from vienna i can listen to", "PlayGenreIntent"),
    ],
)
def test_an_offer_asked_for_reaches_an_intent_whose_samples_are_requests(model, said, intent):
    # Development models of other skills: none of these intents' samples is a question; each had fallen back.
    assert _dev_model(model).parse(said).intent == intent


@pytest.mark.parametrize(
    "said",
    [
        "is it too late to cancel the order i placed",
        "i was wondering if i could cancel the order i placed",
        "would it be possible to cancel my order",
    ],
)
def test_asking_whether_an_act_may_be_done_asks_for_it(engine, said):
    # Polite requests: a question whether something can still be done, or leave asked to do it.
    assert engine.parse(said).intent == "CancelOrderIntent"


def test_a_question_whether_something_is_safe_stays_a_question(engine):
    assert engine.parse("is it ok to give her tylenol").intent == "MedicalQuestionIntent"


@pytest.mark.parametrize(
    ("model", "said", "intent"),
    [
        ("baby_name_finder", "what are some old fashioned names for a daughter", "SuggestNameIntent"),
        ("pet_adoption_search", "what do you know about luna", "PetDetailsIntent"),
    ],
)
def test_a_wh_question_reaches_an_intent_whose_samples_ask_to_be_told(model, said, intent):
    # "Suggest a name", "tell me about {pet}": most of the intent's samples ask to be told something, as the question
    # does. A yes-or-no question about what was done ("did i add milk to my list") still never writes.
    assert _dev_model(model).parse(said).intent == intent
