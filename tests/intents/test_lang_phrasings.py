"""voicecart's learnt stage learns what people were heard to say to it, beside its samples (intents/data/phrasings.yaml,
from the development paraphrase batches); no other model does, and the aligner never sees them."""

from __future__ import annotations

import datetime as dt

from intents.nlu import NluEngine
from intents.training_data import own_phrasings, phrasings_without

TODAY = dt.date(2026, 11, 23)


def test_voicecart_learns_its_phrasings_and_the_aligner_does_not(engine):
    heard, elsewhere = own_phrasings("en-US", "voice cart")
    assert sum(map(len, heard.values())) > 3000 and len(elsewhere) > 500
    texts, labels, negatives = engine.training_sentences()
    sentence = heard["ReorderIntent"][0]
    learnt = dict(zip(texts, labels, strict=True))
    from intents.nlu import semantic_text
    from intents.normalize import clean, tokenize

    assert learnt.get(semantic_text(clean(tokenize(sentence)))) == "ReorderIntent"
    assert semantic_text(clean(tokenize(elsewhere[0]))) in negatives
    assert sentence.lower() not in {s.text for s in engine.samples}


def test_another_model_learns_from_its_own_samples_alone():
    assert own_phrasings("en-US", "trivia night") == ({}, ())
    model = {
        "interactionModel": {
            "languageModel": {
                "invocationName": "trivia night",
                "intents": [
                    {"name": "AddToCartIntent", "slots": [], "samples": ["add a question", "another question"]},
                    {"name": "AMAZON.FallbackIntent", "samples": []},
                ],
                "types": [],
            }
        }
    }
    texts, _, _ = NluEngine(model, today=TODAY, semantic=False).training_sentences()
    assert all("cart" not in t for t in texts)


def test_a_batch_left_out_is_not_learnt():
    heard, _ = own_phrasings("en-US", "voice cart")
    sentence = heard["CheckoutIntent"][0]
    with phrasings_without([sentence]):
        left, _ = own_phrasings("en-US", "voice cart")
    assert sentence not in left["CheckoutIntent"]
    assert sentence in own_phrasings("en-US", "voice cart")[0]["CheckoutIntent"]


def test_the_phrasings_are_in_step_with_the_batches():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "phrasings_from_dev.py"
    spec = importlib.util.spec_from_file_location("phrasings_from_dev", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0
