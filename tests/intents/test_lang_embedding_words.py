"""Token ids of known words, kept in the cache folder, are the tokenizer's own: the same sentence vectors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from intents.embedding import SentenceEmbedder
from intents.embedding_errors import EmbeddingUnavailable
from intents.model import load_model
from intents.nlu import NluEngine, semantic_text
from intents.normalize import clean, tokenize

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def embedder() -> SentenceEmbedder:
    try:
        return SentenceEmbedder()
    except EmbeddingUnavailable:
        pytest.skip("WordLlama is not installed")


def _turns() -> list[str]:
    texts = []
    for path in (ROOT / "bench" / "data").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        texts += [line.split("text:", 1)[1].strip().strip("\"'{},") for line in text.splitlines() if "text:" in line]
    return [semantic_text(clean(tokenize(t))) for t in texts if t]


def test_known_words_give_the_tokenizers_ids(embedder):
    turns = _turns()
    assert len(turns) > 1000
    embedder.learn_words(turns[::2])  # half the sentences' words are kept; the rest go to the tokenizer
    tokenizer = embedder._tokenizer_now()
    for text in turns:
        assert embedder.token_ids(text) == tokenizer.encode(text, add_special_tokens=False).ids, text
    for odd in ("two  spaces", " leading", "trailing ", "x-ray 6pm café", ""):
        assert embedder.token_ids(odd) == tokenizer.encode(odd, add_special_tokens=False).ids


def test_a_new_process_parses_known_words_without_loading_the_tokenizer(tmp_path):
    probe = (
        "import sys\n"
        "from intents.model import load_model\n"
        "from intents.nlu import NluEngine\n"
        "from intents.embedding import shared_embedder\n"
        "engine = NluEngine(load_model('en-US'))\n"
        "e = shared_embedder()\n"
        "r = engine.parse(sys.argv[1])\n"
        "print(r.intent, e._tokenizer is None)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "VOICECART_CACHE": str(tmp_path), "PYTHONPATH": str(ROOT)}
    runs = [
        subprocess.run([sys.executable, "-c", probe, text], env=env, capture_output=True, text=True, timeout=180)
        for text in ("reorder diapers", "reorder diapers", "reorder zyxwvut diapers")
    ]
    for run in runs:
        assert run.returncode == 0, run.stderr[-2000:]
    # First process: trained, words kept. Second: known words only, no tokenizer. An unknown word loads it.
    assert runs[1].stdout.split() == ["ReorderIntent", "True"]
    assert runs[2].stdout.split()[1] == "False"
    assert json.dumps(runs[0].stdout.split()[0]) == json.dumps(runs[1].stdout.split()[0])


def test_vectors_are_the_same_through_kept_words(embedder):
    engine = NluEngine(load_model("en-US"))
    text = "add two packs of pampers swaddlers to my cart"
    via_words = engine.semantic_stage.embedder.embed(text)
    fresh = SentenceEmbedder()
    fresh._words = {}
    assert np.allclose(via_words, fresh.embed(text))
