"""Consent: is this answer a plain yes to a question that spends money?

A yes after a read-back places an order, so it is decided apart from the intent, with high precision:
a closing ("that's all, thanks"), a greeting, a hedge, a question, a change, an interjection or a
condition is never a yes, however close its words are to one. A logistic regression learns this from
intents/data/consent.yaml, over the sentence embedding (what the answer means) and its words and word
pairs (the "but", "if" and "wait" that turn a yes into something else). The engine reads a turn as
AMAZON.YesIntent only when the detector agrees (intents/nlu.py).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
import yaml

from intents.embedding import SentenceEmbedder
from intents.semantic import _fit_softmax

_DATA = Path(__file__).parent / "data" / "consent.yaml"
THRESHOLD = 0.7  # a yes must be clearly a yes: below this the skill asks its question again


def _grams(text: str) -> list[str]:
    words = ["<s>", *text.split(), "</s>"]
    return words[1:-1] + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


class ConsentDetector:
    def __init__(
        self, embedder: SentenceEmbedder, locale: str = "en-US", normalize: Callable[[str], str] = str.lower
    ) -> None:
        self.normalize = normalize
        data = yaml.safe_load(_DATA.read_text(encoding="utf-8"))
        examples = data.get(locale) or data["en-US"]
        texts = [normalize(str(t)) for t in examples["consent"] + examples["not_consent"]]
        labels = [1] * len(examples["consent"]) + [0] * len(examples["not_consent"])
        self.embedder = embedder
        counts: dict[str, int] = {}
        for text in texts:
            for g in set(_grams(text)):
                counts[g] = counts.get(g, 0) + 1
        self.vocabulary = {g: i for i, g in enumerate(sorted(counts))}
        x = np.vstack([self._features(t) for t in texts])
        self.weights, self.bias = _fit_softmax(x, np.array(labels, dtype=np.int32), 2)

    def _features(self, text: str) -> np.ndarray:
        bag = np.zeros(len(self.vocabulary), dtype=np.float32)
        for g in _grams(text):
            i = self.vocabulary.get(g)
            if i is not None:
                bag[i] = 1.0
        return np.concatenate([self.embedder.embed(text), bag])

    def probability(self, text: str) -> float:
        logits = self._features(self.normalize(text)) @ self.weights + self.bias
        logits = logits - logits.max()
        p = np.exp(logits)
        return float(p[1] / p.sum())


def _engine_words(text: str) -> str:
    # Fillers stay: "uh huh" is consent, "huh" is not.
    from intents.normalize import tokenize

    return " ".join(t.text for t in tokenize(text)) or text.lower()


@cache
def consent_detector(locale: str = "en-US") -> ConsentDetector:
    """One detector per locale and process, reading answers as the engine reads turns."""
    from intents.embedding import shared_embedder

    return ConsentDetector(shared_embedder(), locale, normalize=_engine_words)
