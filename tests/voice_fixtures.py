"""Fixtures shared by the voice test folders: the demo household on a fresh store, and the language model,
the shipped catalog's resolver and the NLU engine built once per run (they are the same for every test)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def model() -> dict:
    from intents.model import load_model

    return load_model("en-US")


@pytest.fixture(scope="session")
def shared_resolver() -> Any:
    """The resolver over the shipped catalog (every test store is seeded with the same one)."""
    from intents.resolver import catalog_resolver
    from reorder.catalog import load_default_catalog

    return catalog_resolver(load_default_catalog())


_nlu_cache: dict[str, Any] = {}


def cached_nlu(model: dict, locale: str) -> Any:
    from device_sim.nlu import default_nlu

    key = locale + json.dumps(model, sort_keys=True)
    if key not in _nlu_cache:
        _nlu_cache[key] = default_nlu(model, locale)
    return _nlu_cache[key]


@pytest.fixture
def shop(tmp_path, clock) -> Iterator[Any]:
    from reorder.bootstrap import open_backend

    backend = open_backend(f"sqlite:///{tmp_path / 'shop.sqlite3'}", clock=clock)
    yield backend
    backend.close()


@pytest.fixture
def demo(shop):
    from reorder.demo import DEMO_HOUSEHOLD

    return shop.households.by_name(DEMO_HOUSEHOLD)
