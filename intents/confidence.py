"""How sure the engine is that a turn means an intent: the last stage, learnt, the same for every model.

Each candidate intent of a turn is described by what the earlier stages said of it, in numbers that mean
the same in any interaction model: how well its best sample aligned with the words, the TF-IDF
classifier's score, the semantic classifier's probability and nearest-sentence similarity, how likely
the turn is out of domain, and how far each is ahead of the next intent. A small network over those
numbers (one hidden layer: the views combine in ways a weighted sum cannot, e.g. a semantic score
counts less in a sparse model) gives the probability that the candidate is what was meant; below one half the turn is
AMAZON.FallbackIntent. The weights are learnt by bench/train_confidence.py from the development sets
(voicecart's and 46 other skills' models; never the held-out sets) and shipped as data, so a new
model gets calibrated confidence with no tuning of its own.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

WEIGHTS = Path(__file__).parent / "data" / "confidence.json"


def weights_file(encoder: str = "static") -> Path:
    """The learnt weights for the features a sentence encoder gives (intents/encoders.py): each encoder's
    similarities and probabilities run on their own scale, so each has its own."""
    return WEIGHTS if encoder == "static" else WEIGHTS.with_name(f"confidence-{encoder}.json")


FEATURES = (
    "aligned",  # the best alignment's confidence, 0 when no sample of the intent aligned
    "has_alignment",
    "tfidf",
    "semantic",  # the softmax probability of the intent
    "nearest",  # the best cosine with a training sentence of the intent
    "out_of_domain",  # the semantic classifier's probability of AMAZON.FallbackIntent
    "other_domain",  # 1 minus what words of another domain scaled the alignment by
    "aligned_margin",  # ahead of (or behind) the best other intent, per view
    "semantic_margin",
    "nearest_margin",
    "builtin",  # an AMAZON.* intent: few words, many ways to say them
    "short",  # one or two words: little for any view to go on
    "lexical",  # the previous engine's blended score: the alignment, lifted by TF-IDF for a paraphrase
    "lexical_accepts",  # 1 when that score alone would have accepted the intent
    "agree",  # the semantic probability where the alignment is also the best: the views agree
    "semantic_within",  # the probability among the model's intents only
    "nearest_vs_out",  # the nearest sentence of the intent against the nearest out-of-domain sentence
    "foreign_words",  # how many words of another domain (intents/data/other_domains.yaml) the turn says
    "question_mismatch",  # a question said to an intent whose samples are statements, or the other way
    "sparse_model",  # how few samples the model's intents have: a sparse model's turns align less well
    "direction",  # the turn goes the intent's way (1), the other way (-1: "end" said to a start), or neither (0)
)

# Words that open a question rather than a request. Not "can you" or "could you" (polite requests), nor
# "do" and "have", which open commands as often ("do spanish instead", "have leo do the dishes").
QUESTION_OPENERS = frozenset(
    {
        "what",
        "when",
        "where",
        "which",
        "who",
        "whose",
        "why",
        "how",
        "is",
        "are",
        "was",
        "were",
        "am",
        "does",
        "did",
        "has",
        "should",
    }
)


# A form of "be" before "to" opens no question: "… what i would like, if you can, is to add two packs" says what is
# wanted (the second half of "what i'd like is to …"); a question puts who or what is asked about there ("is it …").
_BE = frozenset({"is", "was", "are", "were", "am"})


def is_question(words: Sequence[str]) -> bool:
    return bool(words) and words[0] in QUESTION_OPENERS and not (words[0] in _BE and words[1:2] == ["to"])


@dataclass(frozen=True)
class Candidate:
    intent: str
    features: tuple[float, ...]


def describe(
    intent: str,
    *,
    aligned: float | None,
    tfidf: float,
    semantic: float,
    nearest: float,
    out_of_domain: float,
    semantic_within: float,
    nearest_out: float,
    other_domain: float,
    best_other: tuple[float, float, float],
    words: int,
    foreign_words: int,
    question_mismatch: float,
    samples_per_intent: float,
    direction: float = 0.0,
) -> Candidate:
    other_aligned, other_semantic, other_nearest = best_other
    a = aligned or 0.0
    lexical = max(a, 0.65 * a + 0.35 * tfidf * other_domain) if aligned is not None else 0.0
    return Candidate(
        intent,
        (
            a,
            1.0 if aligned is not None else 0.0,
            tfidf,
            semantic,
            nearest,
            out_of_domain,
            1.0 - other_domain,
            a - other_aligned,
            semantic - other_semantic,
            nearest - other_nearest,
            1.0 if intent.startswith("AMAZON.") else 0.0,
            1.0 if words <= 2 else 0.0,
            lexical,
            1.0 if lexical >= 0.5 else 0.0,
            semantic if a >= other_aligned and aligned is not None else 0.0,
            semantic_within,
            nearest - nearest_out,
            float(min(foreign_words, 2)),
            question_mismatch,
            1.0 / math.sqrt(max(samples_per_intent, 1.0)),
            direction,
        ),
    )


class Scorer:
    """A small network over the features: standardised inputs, one hidden layer (tanh), a sigmoid out."""

    def __init__(
        self,
        mean: np.ndarray,
        scale: np.ndarray,
        hidden: np.ndarray,
        hidden_bias: np.ndarray,
        output: np.ndarray,
        output_bias: float,
    ) -> None:
        self.mean, self.scale = mean, scale
        self.hidden, self.hidden_bias = hidden, hidden_bias
        self.output, self.output_bias = output, output_bias

    def predict(self, features: np.ndarray) -> np.ndarray:
        h = np.tanh(((features - self.mean) / self.scale) @ self.hidden + self.hidden_bias)
        z = np.clip(h @ self.output + self.output_bias, -30.0, 30.0)
        probabilities: np.ndarray = 1.0 / (1.0 + np.exp(-z))
        return probabilities

    def to_json(self) -> dict[str, Any]:
        def r(a: np.ndarray) -> list[Any]:
            rounded: list[Any] = np.round(a, 6).tolist()
            return rounded

        return {
            "mean": r(self.mean),
            "scale": r(self.scale),
            "hidden": r(self.hidden),
            "hidden_bias": r(self.hidden_bias),
            "output": r(self.output),
            "output_bias": round(float(self.output_bias), 6),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Scorer:
        def a(key: str) -> np.ndarray:
            return np.asarray(data[key], dtype=np.float64)

        return cls(a("mean"), a("scale"), a("hidden"), a("hidden_bias"), a("output"), float(data["output_bias"]))


@cache
def _scorer(encoder: str = "static") -> Scorer | None:
    path = weights_file(encoder)
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        return None  # trained on other features: retrain with bench/train_confidence.py
    return Scorer.from_json(data["scorer"])


def probabilities(
    candidates: Sequence[Candidate], scorer: Scorer | None = None, *, encoder: str = "static"
) -> list[float]:
    """P(each candidate is what was meant), with the weights learnt for `encoder`'s features."""
    if not candidates:
        return []
    scorer = scorer or _scorer(encoder)
    if scorer is None:
        raise RuntimeError(
            f"{weights_file(encoder)} is missing or stale: run bench/train_confidence.py"
            + ("" if encoder == "static" else f" with VOICECART_ENCODER={encoder}")
        )
    probabilities: list[float] = scorer.predict(np.asarray([c.features for c in candidates], dtype=np.float64)).tolist()
    return probabilities


def probability(candidate: Candidate, scorer: Scorer | None = None) -> float:
    return probabilities([candidate], scorer)[0]
