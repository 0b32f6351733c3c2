"""The built interaction model is kept in the cache folder by a hash of its sources: a hit builds nothing,
a changed source or a damaged entry builds again, and the sources are validated whenever they are read."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from intents import model as model_module
from intents.build_cache import cache_root
from intents.model import MODEL_CACHE, build_model, built_model
from intents.semantic import cache_folder
from intents.source import DATA_DIR, SourceError

LOCALE = "en-US"


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """A copy of the shipped sources to change, and an empty cache folder."""
    monkeypatch.setenv("VOICECART_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR / LOCALE, folder / LOCALE)
    return folder


def _entries() -> list[Path]:
    return sorted((cache_root() / MODEL_CACHE).glob("*.json"))


def _no_build(monkeypatch) -> None:
    def refuse(*_args, **_kwargs):
        raise AssertionError("built from the sources although they did not change")

    monkeypatch.setattr(model_module, "build_model", refuse)


def test_a_miss_builds_and_saves_then_a_hit_reads_the_saved_model(data_dir, monkeypatch):
    first = built_model(LOCALE, data_dir)
    assert first == build_model(LOCALE, data_dir=data_dir)
    [entry] = _entries()
    assert json.loads(entry.read_text(encoding="utf-8")) == first
    _no_build(monkeypatch)
    assert built_model(LOCALE, data_dir) == first


def test_a_changed_source_builds_again(data_dir):
    before = built_model(LOCALE, data_dir)
    shopping = data_dir / LOCALE / "shopping.yaml"
    text = shopping.read_text(encoding="utf-8")
    asked = 'confirm: ["Should I reorder {product}?"]'
    assert asked in text
    shopping.write_text(text.replace(asked, 'confirm: ["Shall I order {product} again?"]'), encoding="utf-8")
    after = built_model(LOCALE, data_dir)
    assert after != before
    spoken = [v["value"] for p in after["interactionModel"]["prompts"] for v in p["variations"]]
    assert "Shall I order {product} again?" in spoken
    assert "Should I reorder {product}?" not in spoken
    assert len(_entries()) == 2


def test_a_source_that_breaks_the_schema_is_refused_not_served_from_the_cache(data_dir):
    built_model(LOCALE, data_dir)
    (data_dir / LOCALE / "types.yaml").write_text("types:\n  ProductName: 7\n", encoding="utf-8")
    with pytest.raises(SourceError):
        built_model(LOCALE, data_dir)


@pytest.mark.parametrize("damage", [b"{not json", b"", b'{"interactionModel": []}', b"[1, 2]", b"\xff\xfe"])
def test_a_damaged_entry_is_built_again_and_overwritten(data_dir, damage):
    good = built_model(LOCALE, data_dir)
    [entry] = _entries()
    entry.write_bytes(damage)
    assert built_model(LOCALE, data_dir) == good
    assert json.loads(entry.read_text(encoding="utf-8")) == good


def test_an_unwritable_cache_costs_time_not_the_model(data_dir, monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("VOICECART_CACHE", str(blocker))
    assert built_model(LOCALE, data_dir) == build_model(LOCALE, data_dir=data_dir)


def test_one_cache_folder_holds_the_models_and_the_trained_classifiers(monkeypatch, tmp_path):
    monkeypatch.setenv("VOICECART_CACHE", str(tmp_path))
    monkeypatch.delenv("VOICECART_NLU_CACHE", raising=False)
    assert cache_folder() == tmp_path / "nlu"
    monkeypatch.setenv("VOICECART_NLU_CACHE", str(tmp_path / "elsewhere"))
    assert cache_folder() == tmp_path / "elsewhere"
