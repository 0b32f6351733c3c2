"""Questions never write: a turn asked as a question is never read as an intent none of whose samples is one.

A small shopping-list model unrelated to voicecart: "did i add milk to my list" fits "add {item} to my
list" word for word, but it asks; the model's questions ("what is on my list") are another intent.
"""

import pytest

from intents.nlu import FALLBACK, NluEngine


@pytest.fixture(scope="module")
def lists() -> NluEngine:
    items = [{"name": {"value": v}} for v in ("milk", "eggs", "bread", "coffee", "apples")]
    return NluEngine(
        {
            "languageModel": {
                "invocationName": "list keeper",
                "intents": [
                    {
                        "name": "AddItemIntent",
                        "slots": [{"name": "item", "type": "Item"}],
                        "samples": ["add {item} to my list", "put {item} on my list", "add {item}", "we need {item}"],
                    },
                    {
                        "name": "PickIntent",
                        "slots": [{"name": "n", "type": "AMAZON.ORDINAL"}],
                        "samples": ["the {n} one", "take the {n} one", "how about the {n} one"],
                    },
                    {
                        "name": "ReadListIntent",
                        "samples": ["what is on my list", "what's on my list", "read my list", "is my list empty"],
                    },
                    {"name": "AMAZON.FallbackIntent", "samples": []},
                ],
                "types": [{"name": "Item", "values": items}],
            }
        }
    )


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
    from intents.nlu import _asks

    assert not _asks(said.split())
    assert _asks(["do", "we", "have", "eggs"]) and _asks(["have", "i", "added", "milk"])
