"""The safety step's words (skills/common/safety_words.json): emergencies and dose questions are caught in
words the persona files never used, and no product name or ordinary log entry is caught."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from skills.common.safety import EMERGENCY, MEDICAL, classify, not_for_children

CATALOG = Path(__file__).resolve().parents[2] / "reorder" / "data" / "catalog.json"


@pytest.mark.parametrize(
    "words",
    [
        "she swallowed a coin",
        "he isn't breathing right",
        "we can't wake him",
        "sleeping and we can't wake",
        "she's gone limp",
        "he had a seizure in his crib",
        "choking on a grape",
        "his lips look blue",
        "she drank some bleach",
        "he drank the baby shampoo",
        "she ate a bit of the dish soap",
        "a fever of a hundred and four",
        "temperature of 105",
    ],
)
def test_emergencies_are_caught(words: str) -> None:
    assert classify(words) == EMERGENCY


@pytest.mark.parametrize(
    "words",
    [
        "how much motrin can he have",
        "how many mls of infant tylenol",
        "what's the right dose",
        "what dose of tylenol",
        "dose for a two year old",
        "the dosage",
        "can I give her some ibuprofen",
        "is it safe to give teething gel",
        "she has a fever",
    ],
)
def test_dose_and_health_questions_are_caught(words: str) -> None:
    assert classify(words) == MEDICAL


@pytest.mark.parametrize(
    "words",
    [
        "infant tylenol",
        "two and a half mls of tylenol",
        "button batteries",
        "diaper rash cream",
        "poison ivy lotion",
        "wet",
        "woke up",
        "fell asleep",
        "asleep",
        "four ounces of formula",
        "a hundred and twenty mls",
        "baby shampoo",
        "paper towels",
        "she rolled over for the first time",
        # A dose given or due is the log's and the reminders': asked about, it is a log question.
        "dose amoxicillin",
        "give her the next dose of amoxicillin",
    ],
)
def test_ordinary_words_are_not_caught(words: str) -> None:
    assert classify(words) is None


def test_no_catalog_product_is_caught() -> None:
    products = json.loads(CATALOG.read_text(encoding="utf-8"))
    caught = [
        p.get("id") for p in products if classify(json.dumps({k: v for k, v in p.items() if k != "id"})) is not None
    ]
    assert caught == []


@pytest.mark.parametrize("medicine", ["aspirin", "baby aspirin", "Pepto Bismol", "pepto-bismol"])
def test_medicines_not_for_children_are_caught(medicine: str) -> None:
    assert not_for_children(medicine)


@pytest.mark.parametrize("medicine", ["tylenol", "infant motrin", "gas drops", "vitamin d"])
def test_ordinary_medicines_are_not_caught(medicine: str) -> None:
    assert not not_for_children(medicine)
