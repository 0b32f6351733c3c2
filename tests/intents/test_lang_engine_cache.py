"""The built language engine is kept in the cache folder: a hit builds nothing and parses exactly as a fresh
build does; a changed model, a damaged entry or VOICECART_ENGINE_CACHE=off builds again."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from intents import engine_cache
from intents.build_cache import cache_root
from intents.model import load_model
from intents.nlu import NluEngine

TURNS = [
    "reorder diapers",
    "add two packs of bounty paper towels to my cart",
    "how much are the wipes",
    "she drank four ounces of formula",
    "what's the capital of france",
]


def _small_model() -> dict:
    """A model of a few intents: the cache's own behaviour (keys, misses, damage) is the same for any model, and
    this one builds in a fraction of voicecart's time."""
    items = [{"name": {"value": v}} for v in ("milk", "eggs", "bread", "coffee")]
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": "list keeper",
                "intents": [
                    {
                        "name": "AddItemIntent",
                        "slots": [{"name": "item", "type": "Item"}],
                        "samples": ["add {item} to my list", "put {item} on my list", "we need {item}"],
                    },
                    {"name": "ReadListIntent", "samples": ["what is on my list", "read my list"]},
                    {"name": "AMAZON.StopIntent", "samples": []},
                    {"name": "AMAZON.FallbackIntent", "samples": []},
                ],
                "types": [{"name": "Item", "values": items}],
            }
        }
    }


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("VOICECART_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("VOICECART_ENGINE_CACHE", raising=False)
    return tmp_path / "cache" / engine_cache.FOLDER


def _refuse_builds(monkeypatch) -> None:
    def refuse(self, *_args, **_kwargs):
        raise AssertionError("built the engine although the model did not change")

    monkeypatch.setattr(NluEngine, "__init__", refuse)


def _parses(engine) -> list[dict]:
    return [engine.parse(text).to_alexa_intent() for text in TURNS]


def test_a_hit_builds_nothing_and_parses_as_a_fresh_build(cache, monkeypatch):
    model = load_model()
    fresh = _parses(NluEngine(model))
    built = engine_cache.cached_engine(model)
    assert len(list(cache.glob("*.pickle"))) == 1
    assert _parses(built) == fresh
    _refuse_builds(monkeypatch)
    read = engine_cache.cached_engine(model)
    assert read is not built and _parses(read) == fresh
    assert read.semantic_stage is not None or built.semantic_stage is None  # the learnt stage is attached


def test_the_clock_is_the_callers_not_the_cached_one(cache):
    model = _small_model()
    engine_cache.cached_engine(model, today=dt.date(2020, 1, 1))
    read = engine_cache.cached_engine(model, today=dt.date(2026, 12, 5))
    assert read.today() == dt.date(2026, 12, 5)


def test_a_changed_model_is_a_miss(cache):
    model = _small_model()
    assert engine_cache.cached_engine(model).parse("abracadabra my groceries").intent != "ReadListIntent"
    changed = copy.deepcopy(model)
    intents = changed["interactionModel"]["languageModel"]["intents"]
    next(i for i in intents if i["name"] == "ReadListIntent")["samples"].append("abracadabra my groceries")
    engine = engine_cache.cached_engine(changed)
    assert len(list(cache.glob("*.pickle"))) == 2
    assert engine.parse("abracadabra my groceries").intent == "ReadListIntent"


def test_a_damaged_entry_is_built_again(cache):
    model = _small_model()
    engine_cache.cached_engine(model)
    [entry] = cache.glob("*.pickle")
    entry.write_bytes(b"not a pickle")
    engine = engine_cache.cached_engine(model)
    assert engine.parse("add eggs to my list").intent == "AddItemIntent"
    assert entry.read_bytes() != b"not a pickle"  # written again


def test_the_cache_can_be_switched_off(cache, monkeypatch):
    monkeypatch.setenv("VOICECART_ENGINE_CACHE", "off")
    engine_cache.cached_engine(_small_model())
    assert not cache.exists() or not list(cache.glob("*.pickle"))
    assert cache_root().name == "cache"
