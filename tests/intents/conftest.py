from __future__ import annotations

import datetime as dt

import pytest

from intents.model import load_model
from intents.nlu import NluEngine

TODAY = dt.date(2026, 11, 23)  # a Monday


@pytest.fixture(scope="session")
def model() -> dict:
    return load_model("en-US")


@pytest.fixture(scope="session")
def engine(model) -> NluEngine:
    return NluEngine(model, today=TODAY)


@pytest.fixture(scope="session")
def lists() -> NluEngine:
    """A small shopping-list model unrelated to voicecart, for mechanisms that must come from the model."""
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
