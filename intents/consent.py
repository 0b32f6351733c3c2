"""Consent: is this answer a plain yes to a question that spends money?

A yes after a read-back places an order, so it is decided apart from the intent, with high precision:
a closing ("that's all, thanks"), a greeting, a hedge, a question, a change, an interjection or a
condition is never a yes, however close its words are to one. A logistic regression learns this from
intents/data/consent.yaml, over the sentence embedding (what the answer means) and its words and word
pairs (the "but", "if" and "wait" that turn a yes into something else). The engine reads a turn as
AMAZON.YesIntent only when the detector agrees (intents/nlu.py).

Training takes most of a second, so the trained detector is kept in the engine's cache folder by a hash
of its data, like the semantic classifiers: a process's first yes does not wait for it.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

from intents import yaml_text
from intents.embedding import SentenceEmbedder
from intents.semantic import _fit_softmax, cache_folder, model_key

_DATA = Path(__file__).parent / "data" / "consent.yaml"
THRESHOLD = 0.7  # a yes must be clearly a yes: below this the skill asks its question again
_RECENT = 4  # answers a detector keeps (`probability`): a turn and up to three of its clauses


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _grams(text: str) -> list[str]:
    words = ["<s>", *text.split(), "</s>"]
    return words[1:-1] + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


class PhraseDetector:
    """Whether a short answer is one kind of thing (plain consent, a closing), learnt from examples of it and of
    what is not it: a logistic regression over the sentence embedding and the words and word pairs."""

    # The data file, its two lists (the kind, then what is not the kind) and the cache file's name.
    DATA = _DATA
    LABELS = ("consent", "not_consent")
    NAME = "consent"

    def __init__(
        self,
        embedder: SentenceEmbedder,
        locale: str = "en-US",
        normalize: Callable[[str], str] = str.lower,
        normalizer_version: str = "",
    ) -> None:
        """`normalizer_version` names the code behind `normalize` (a hash of its source), so a detector trained
        on answers read another way is not loaded from the cache."""
        self.normalize = normalize
        self.embedder = embedder
        self._recent: tuple[tuple[str, float], ...] = ()  # see `probability`
        raw = self.DATA.read_bytes()
        # What is learnt depends on the data, the locale and how answers are normalised (the engine's reader
        # turns "don't" into "do not"), not on anything read per turn.
        normalizer = (getattr(normalize, "__qualname__", repr(normalize)), normalizer_version)
        key = model_key(self.NAME, locale, normalizer, _digest(raw))
        path = cache_folder() / f"{self.NAME}-{key[:32]}.npz"
        if self._load(path):
            return
        # libyaml's loader where it is built in: thirty times faster than the pure-Python one on this file.
        data = yaml_text.load(raw.decode("utf-8"))
        examples = data.get(locale) or data["en-US"]
        positive, negative = self.LABELS
        texts = [normalize(str(t)) for t in examples[positive] + examples[negative]]
        labels = [1] * len(examples[positive]) + [0] * len(examples[negative])
        counts: dict[str, int] = {}
        for text in texts:
            for g in set(_grams(text)):
                counts[g] = counts.get(g, 0) + 1
        self.vocabulary = {g: i for i, g in enumerate(sorted(counts))}
        x = np.vstack([self._features(t) for t in texts])
        self.weights, self.bias = _fit_softmax(x, np.array(labels, dtype=np.int32), 2)
        self._save(path)

    def _load(self, path: Path) -> bool:
        try:
            with np.load(path) as saved:
                vocabulary = [str(g) for g in saved["vocabulary"]]
                weights, bias = saved["weights"].astype(np.float32), saved["bias"].astype(np.float32)
        except (OSError, KeyError, ValueError):
            return False  # not trained yet, or a damaged file: train again
        if weights.shape != (self.embedder.dim + len(vocabulary), 2) or bias.shape != (2,):
            return False
        self.vocabulary = {g: i for i, g in enumerate(vocabulary)}
        self.weights, self.bias = weights, bias
        return True

    def _save(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
            np.savez(
                tmp,
                vocabulary=np.array(sorted(self.vocabulary, key=self.vocabulary.__getitem__)),
                weights=self.weights,
                bias=self.bias,
            )
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only home: train again next time, never fail a turn for a cache

    def _features(self, text: str) -> np.ndarray:
        bag = np.zeros(len(self.vocabulary), dtype=np.float32)
        for g in _grams(text):
            i = self.vocabulary.get(g)
            if i is not None:
                bag[i] = 1.0
        return np.concatenate([self.embedder.embed(text), bag])

    def probability(self, text: str) -> float:
        # One turn may ask the same detector about the same words more than once (the engine's rescue, its check
        # for a clear closing, and the whole turn again after its clauses): the last few answers are kept, as one
        # tuple replaced whole, so threads sharing the detector never read half of one.
        recent = self._recent
        for said, found in recent:
            if said == text:
                return found
        logits = self._features(self.normalize(text)) @ self.weights + self.bias
        logits = logits - logits.max()
        p = np.exp(logits)
        found = float(p[1] / p.sum())
        self._recent = ((text, found), *recent[: _RECENT - 1])
        return found


class ConsentDetector(PhraseDetector):
    """Plain consent to a question that spends money (intents/data/consent.yaml)."""


def _engine_words(text: str) -> str:
    # Fillers stay: "uh huh" is consent, "huh" is not.
    from intents.normalize import tokenize

    return " ".join(t.text for t in tokenize(text)) or text.lower()


D = TypeVar("D", bound=PhraseDetector)


_DETECTORS: dict[tuple[type[PhraseDetector], str], PhraseDetector] = {}


def engine_detector(kind: type[D], locale: str = "en-US") -> D:
    """One detector of this kind per locale and process, reading answers as the engine reads turns."""
    found = _DETECTORS.get((kind, locale))
    if isinstance(found, kind):
        return found
    from intents import normalize
    from intents.embedding import shared_embedder

    reader = _digest(Path(normalize.__file__).read_bytes()) if normalize.__file__ else ""
    made = kind(shared_embedder(), locale, normalize=_engine_words, normalizer_version=reader)
    _DETECTORS[(kind, locale)] = made  # two threads may both build it once: the same detector either way
    return made


def consent_detector(locale: str = "en-US") -> ConsentDetector:
    """The consent detector of this locale (one per process)."""
    return engine_detector(ConsentDetector, locale)
