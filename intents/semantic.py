"""The learnt stage of the engine: which intent a turn means, from sentence embeddings.

Trained per interaction model when the engine is built, on the model's samples filled with slot values
and on out-of-domain negatives (intents/training_data.py). Two views of the same vectors:
- a softmax regression over the intents and AMAZON.FallbackIntent, class-balanced, so an intent with
  three samples is not drowned by one with forty; its probabilities say how likely each intent is;
- the nearest training sentence of each intent (cosine), which keeps a rare phrasing that the
  regression smooths away.
Training is a few hundred full-batch steps of Adam in NumPy (well under a second for a model of a few
thousand sentences) and is cached on disk by a hash of the training data, so a model is trained once.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from intents.embedding import SentenceEmbedder

FALLBACK = "AMAZON.FallbackIntent"
# Bump when training, its data generation or the saved layout changes, so cached classifiers are not reused
# (5: saved grouped by intent; 6: the training vectors in their own float32 .npy, memory-mapped).
VERSION = 8
EPOCHS = 300
LEARNING_RATE = 0.05
L2 = 1e-4
# A negative sentence this close to one of the model's own sentences is the model's domain, not another's.
NEGATIVE_TOO_CLOSE = 0.8
# Out-of-domain sentences are many and spread wide, a model's intents few and tight: the fallback class
# weighs less than an intent, so a sparse model's paraphrases are not pulled out of its domain. With the
# second set of out-of-domain sentences (544 in all, 2026-12-06), 0.5 read a two-sample plant model's "i just
# gave the ferns a drink" as out of domain; 0.3 keeps it. On the 77 development models 0.3 / 0.4 / 0.5 give
# 87.5 / 87.5 / 87.7 % (87.3 % with the first set alone at 0.5), fallback recall 74.2 / 74.2 / 75.2 %.
FALLBACK_WEIGHT = 0.3


@cache
def _one_blas_thread() -> None:
    """The engine's products are a few million multiply-adds: OpenBLAS's threads cost more than they save,
    forty times more on a busy two-core machine (measured: 3.4 ms against 0.09 ms per turn). Limited once,
    for the process, when the first classifier is built; already so where OPENBLAS_NUM_THREADS=1 was set
    before numpy started OpenBLAS (the voicecart command does that), and threadpoolctl (~6 ms) is spared."""
    if os.environ.get("OPENBLAS_NUM_THREADS") == "1":
        return
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def _cache_path(key: str) -> Path:
    return cache_folder() / f"semantic-v{VERSION}-{key[:32]}.npz"


def _vectors_path(key: str) -> Path:
    return cache_folder() / f"semantic-v{VERSION}-{key[:32]}.vectors.npy"


def model_key(*parts: object) -> str:
    """A name for a classifier's training data, from what it is generated from (the model, the resources)."""
    return hashlib.sha256(json.dumps([VERSION, *parts], sort_keys=True, default=str).encode()).hexdigest()


def cache_folder() -> Path:
    from intents.build_cache import nlu_folder

    return nlu_folder()


@dataclass
class SemanticScores:
    probabilities: dict[str, float]  # softmax over the intents and AMAZON.FallbackIntent
    nearest: dict[str, float]  # the best cosine with any training sentence of the intent
    nearest_out: float  # the best cosine with an out-of-domain sentence

    @property
    def fallback(self) -> float:
        return self.probabilities.get(FALLBACK, 0.0)

    def within_domain(self, intent: str) -> float:
        """The intent's probability among the model's intents only: which one, if any."""
        rest = 1.0 - self.fallback
        return self.probabilities.get(intent, 0.0) / rest if rest > 1e-9 else 0.0


class SemanticClassifier:
    """Train with the constructor, or load a trained one with `cached` (no texts embedded, nothing trained)."""

    def __init__(
        self,
        embedder: SentenceEmbedder,
        texts: Sequence[str],
        labels: Sequence[str],
        negatives: Sequence[str],
        *,
        cache: bool = True,
        key: str | None = None,
    ) -> None:
        _one_blas_thread()
        # Kept at half precision, as the cache keeps them: a classifier answers the same trained or loaded.
        vectors = embedder.embed_many(list(texts)).astype(np.float16).astype(np.float32)
        neg_vectors = _shared_vectors(embedder, list(negatives)).astype(np.float16).astype(np.float32)
        if len(neg_vectors) and len(vectors):
            keep = (neg_vectors @ vectors.T).max(axis=1) < NEGATIVE_TOO_CLOSE
            neg_vectors = neg_vectors[keep]
        intents = sorted(set(labels) - {FALLBACK}) + [FALLBACK]
        index = {name: i for i, name in enumerate(intents)}
        sample_labels = np.array([index[label] for label in labels], dtype=np.int32)
        x = np.vstack([vectors, neg_vectors]) if len(neg_vectors) else vectors
        y = np.concatenate([sample_labels, np.full(len(neg_vectors), index[FALLBACK], dtype=np.int32)])
        class_weight = np.ones(len(intents), dtype=np.float32)
        class_weight[-1] = FALLBACK_WEIGHT
        weights, bias = _fit_softmax(x, y, len(intents), class_weight)
        self._setup(embedder, intents, vectors, sample_labels, neg_vectors, weights, bias)
        if cache:
            key = key or hashlib.sha256(json.dumps([list(texts), list(labels), list(negatives)]).encode()).hexdigest()
            self._save(key)

    @classmethod
    def cached(cls, embedder: SentenceEmbedder, key: str) -> SemanticClassifier | None:
        """The classifier trained earlier on the data this key names, or None."""
        try:
            with np.load(_cache_path(key)) as saved:
                intents = [str(i) for i in saved["intents"]]
                labels = saved["labels"].astype(np.int32)
                rest = (saved["negatives"].astype(np.float32), saved["weights"], saved["bias"])
            # The training sentences' vectors, memory-mapped as saved (float32, grouped by intent): nothing
            # is read or converted before a turn's one product touches them (was ~9 ms of every start).
            vectors = np.load(_vectors_path(key), mmap_mode="r")
        except (OSError, KeyError, ValueError, EOFError):
            return None
        if vectors.dtype != np.float32 or vectors.ndim != 2 or len(vectors) != len(labels):
            return None
        arrays = (np.asarray(vectors), labels, *rest)
        _one_blas_thread()
        self = cls.__new__(cls)
        self._setup(embedder, intents, *arrays)
        return self

    def _setup(
        self,
        embedder: SentenceEmbedder,
        intents: list[str],
        vectors: np.ndarray,
        sample_labels: np.ndarray,
        neg_vectors: np.ndarray,
        weights: np.ndarray,
        bias: np.ndarray,
    ) -> None:
        self.embedder = embedder
        self.intents = intents
        self.weights, self.bias = weights, bias
        self._negative_vectors = neg_vectors
        # The training sentences are kept grouped by intent (a stable sort: the order within an intent is
        # the training order), and saved that way, so a classifier read back from the cache is grouped
        # already and its vectors are used as they are, not copied (~5 ms of a one-shot sim).
        if len(sample_labels) < 2 or bool(np.all(sample_labels[1:] >= sample_labels[:-1])):
            grouped_vectors, grouped_labels = np.ascontiguousarray(vectors), sample_labels
        else:
            order = np.argsort(sample_labels, kind="stable")
            grouped_vectors, grouped_labels = np.ascontiguousarray(vectors[order]), sample_labels[order]
        self._grouped_vectors = self._sample_vectors = grouped_vectors
        self._sample_labels = grouped_labels
        starts = (
            np.flatnonzero(np.r_[True, grouped_labels[1:] != grouped_labels[:-1]])
            if len(grouped_labels)
            else np.empty(0, np.int64)
        )
        self._group_starts = np.asarray(starts, dtype=np.int64)
        self._group_names = [self.intents[int(grouped_labels[i])] for i in self._group_starts]

    def _save(self, key: str) -> None:
        path = _cache_path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Vectors first: the .npz, written last, says the entry is whole. They hold half-precision
            # values (see __init__), so keeping them at full width changes no number.
            vectors_tmp = _vectors_path(key).with_suffix(f".{os.getpid()}.tmp.npy")
            np.save(vectors_tmp, np.ascontiguousarray(self._sample_vectors, dtype=np.float32))
            os.replace(vectors_tmp, _vectors_path(key))
            tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
            np.savez(
                tmp,
                intents=np.array(self.intents),
                labels=self._sample_labels,
                negatives=self._negative_vectors.astype(np.float16),
                weights=self.weights,
                bias=self.bias,
            )
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only home: train again next time, never fail a turn for a cache

    def scores(self, text: str) -> SemanticScores:
        vec = self.embedder.embed(text)
        logits = vec @ self.weights + self.bias
        logits -= logits.max()
        p = np.exp(logits)
        p /= p.sum()
        probabilities = dict(zip(self.intents, p.tolist(), strict=True))
        nearest: dict[str, float] = {}
        if len(self._sample_vectors):
            # Training sentences are grouped by intent, so the best of each is one reduceat.
            best = np.maximum.reduceat((self._grouped_vectors @ vec), self._group_starts)
            nearest = dict(zip(self._group_names, best.tolist(), strict=True))
        nearest_out = float((self._negative_vectors @ vec).max()) if len(self._negative_vectors) else 0.0
        return SemanticScores(probabilities, nearest, nearest_out)


def _shared_vectors(embedder: Any, texts: list[str]) -> np.ndarray:
    """The vectors of sentences every model of a locale trains with (the out-of-domain negatives), embedded
    once per encoder and kept in the cache folder: for the contextual encoder they were a third of a
    third-party model's first build."""
    name = f"{getattr(embedder, 'name', type(embedder).__name__)}-{getattr(embedder, 'dim', 0)}"
    key = hashlib.sha256(json.dumps([VERSION, name, texts]).encode()).hexdigest()[:32]
    path = cache_folder() / f"shared-vectors-{key}.npy"
    try:
        found = np.load(path)
        if found.shape[0] == len(texts):
            return np.asarray(found, dtype=np.float32)
    except (OSError, ValueError, EOFError):
        pass
    vectors = np.asarray(embedder.embed_many(texts), dtype=np.float32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
        np.save(tmp, vectors)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home: embed them again next time
    return vectors


def _fit_softmax(
    x: np.ndarray, y: np.ndarray, classes: int, class_weight: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Class-balanced multinomial logistic regression, full-batch Adam, fixed seed: the same model each time."""
    n, d = x.shape
    counts = np.bincount(y, minlength=classes).astype(np.float32)
    balance = n / (classes * np.maximum(counts, 1.0))
    if class_weight is not None:
        balance = balance * class_weight
    sample_weight = balance[y]
    sample_weight /= sample_weight.sum()
    onehot = np.zeros((n, classes), dtype=np.float32)
    onehot[np.arange(n), y] = 1.0
    rng = np.random.default_rng(0)
    w = (rng.standard_normal((d, classes)) * 0.01).astype(np.float32)
    b = np.zeros(classes, dtype=np.float32)
    mw, vw = np.zeros_like(w), np.zeros_like(w)
    mb, vb = np.zeros_like(b), np.zeros_like(b)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, EPOCHS + 1):
        logits = x @ w + b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        grad = (p - onehot) * sample_weight[:, None]
        gw = x.T @ grad + L2 * w
        gb = grad.sum(axis=0)
        mw = beta1 * mw + (1 - beta1) * gw
        vw = beta2 * vw + (1 - beta2) * gw * gw
        mb = beta1 * mb + (1 - beta1) * gb
        vb = beta2 * vb + (1 - beta2) * gb * gb
        correction = np.sqrt(1 - beta2**step) / (1 - beta1**step)
        w -= LEARNING_RATE * correction * mw / (np.sqrt(vw) + eps)
        b -= LEARNING_RATE * correction * mb / (np.sqrt(vb) + eps)
    return w, b


def seeded_rng(texts: Sequence[str]) -> random.Random:
    """A generator seeded by the model's own text: the same fillings, and so the same model, every build."""
    return random.Random(hashlib.sha256("\n".join(texts).encode()).hexdigest())
