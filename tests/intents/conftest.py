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
