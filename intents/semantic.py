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
import heapq
import json
import os
import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from intents.embedding import SentenceEmbedder

FALLBACK = "AMAZON.FallbackIntent"
# Bump when training, its data generation or the saved layout changes, so cached classifiers are not reused
# (5: saved grouped by intent; 6: the training vectors in their own float32 .npy, memory-mapped).
VERSION = 9  # 9: training sentences kept a byte a number (_SentenceRows)
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


class _SentenceRows:
    """A model's training sentence vectors, a byte a number: each row scaled so its largest value is 127.

    Every turn takes the cosine with all of them (voicecart's own model: 12,700 sentences). At four bytes a
    number that is 13 MB read from memory per turn, which nothing else a turn does keeps in cache: 1.16 ms, a
    fifth of a slow turn (measured 2026-12-07; 0.34 ms when the rows happen to be in cache). At a byte a number,
    widened a cache-sized block at a time, it is 0.60 ms. A cosine moves by 0.002 at most on voicecart's model
    (each number is off by half a step, a 254th of the row's largest, and the errors of 256 numbers mostly
    cancel)."""

    BLOCK = 512  # rows widened at a time: 512 KB of float32, inside the core's own cache

    def __init__(self, values: np.ndarray, scales: np.ndarray) -> None:
        self.values = values  # int8, rows x dim
        self.scales = scales  # float32, one per row

    @classmethod
    def of(cls, vectors: np.ndarray) -> _SentenceRows:
        vectors = np.asarray(vectors, dtype=np.float32)
        if not len(vectors):
            return cls(np.zeros((0, vectors.shape[1] if vectors.ndim == 2 else 0), np.int8), np.zeros(0, np.float32))
        largest = np.abs(vectors).max(axis=1)
        scales = np.where(largest > 0, largest / 127.0, 1.0).astype(np.float32)
        return cls(np.round(vectors / scales[:, None]).astype(np.int8), scales)

    def __len__(self) -> int:
        return len(self.values)

    def slice_cosines(self, start: int, end: int, vec: np.ndarray) -> np.ndarray:
        out = np.empty(end - start, dtype=np.float32)
        for first in range(start, end, self.BLOCK):
            block = self.values[first : min(end, first + self.BLOCK)]
            np.dot(block.astype(np.float32), vec, out=out[first - start : first - start + len(block)])
        out *= self.scales[start:end]
        return out

    def cosines(self, vec: np.ndarray) -> np.ndarray:
        return self.slice_cosines(0, len(self.values), vec)


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
        # The training sentences are kept grouped by intent (a stable sort: the order within an intent is
        # the training order), and saved that way, so a classifier read back from the cache is grouped
        # already and its rows are used as they are, not copied (~5 ms of a one-shot sim).
        order = np.argsort(sample_labels, kind="stable")
        rows = _SentenceRows.of(vectors[order])
        self._setup(embedder, intents, rows, sample_labels[order], neg_vectors, weights, bias)
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
                scales = saved["scales"].astype(np.float32)
                rest = (saved["negatives"].astype(np.float32), saved["weights"], saved["bias"])
            # The training sentences' vectors, memory-mapped as saved (a byte a number, grouped by intent): nothing
            # is read or converted before a turn's one product touches them (was ~9 ms of every start).
            rows = np.load(_vectors_path(key), mmap_mode="r")
        except (OSError, KeyError, ValueError, EOFError):
            return None
        if rows.dtype != np.int8 or rows.ndim != 2 or len(rows) != len(labels) or len(scales) != len(labels):
            return None
        if len(labels) > 1 and not bool(np.all(labels[1:] >= labels[:-1])):
            return None  # saved grouped by intent, always: anything else is not this version's entry
        _one_blas_thread()
        self = cls.__new__(cls)
        self._setup(embedder, intents, _SentenceRows(np.asarray(rows), scales), labels, *rest)
        return self

    def _setup(
        self,
        embedder: SentenceEmbedder,
        intents: list[str],
        rows: _SentenceRows,
        grouped_labels: np.ndarray,
        neg_vectors: np.ndarray,
        weights: np.ndarray,
        bias: np.ndarray,
    ) -> None:
        """`rows` are the training sentences grouped by intent, `grouped_labels` their intents in that order."""
        self.embedder = embedder
        self.intents = intents
        self.weights, self.bias = weights, bias
        self._negative_vectors = neg_vectors
        self._rows = rows
        self._sample_labels = grouped_labels
        starts = (
            np.flatnonzero(np.r_[True, grouped_labels[1:] != grouped_labels[:-1]])
            if len(grouped_labels)
            else np.empty(0, np.int64)
        )
        self._group_starts = np.asarray(starts, dtype=np.int64)
        self._group_names = [self.intents[int(grouped_labels[i])] for i in self._group_starts]
        ends = [*self._group_starts.tolist()[1:], len(grouped_labels)]
        self._group_bounds = list(zip(self._group_starts.tolist(), ends, strict=True))

    def _save(self, key: str) -> None:
        path = _cache_path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Rows first: the .npz, written last, says the entry is whole. Saved as used (see _SentenceRows), so
            # a classifier answers the same trained or loaded.
            vectors_tmp = _vectors_path(key).with_suffix(f".{os.getpid()}.tmp.npy")
            np.save(vectors_tmp, np.ascontiguousarray(self._rows.values))
            os.replace(vectors_tmp, _vectors_path(key))
            tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
            np.savez(
                tmp,
                intents=np.array(self.intents),
                labels=self._sample_labels,
                scales=self._rows.scales,
                negatives=self._negative_vectors.astype(np.float16),
                weights=self.weights,
                bias=self.bias,
            )
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only home: train again next time, never fail a turn for a cache

    # The nearest sentence is looked for among the sentences of this many intents likeliest to the softmax, and
    # of those the caller names (`scores`' `also`), not among all: the one product over every training sentence
    # was the largest cost of a turn once voicecart's learnt stage learnt its phrasings (16,200 sentences).
    NEAREST_OF = 12

    def scores(self, text: str, also: Collection[str] | None = None) -> SemanticScores:
        vec = self.embedder.embed(text)
        logits = vec @ self.weights + self.bias
        logits -= logits.max()
        p = np.exp(logits)
        p /= p.sum()
        probabilities = dict(zip(self.intents, p.tolist(), strict=True))
        nearest: dict[str, float] = {}
        if len(self._rows) and also is not None and len(self._group_names) > self.NEAREST_OF:
            likeliest = heapq.nsmallest(self.NEAREST_OF, probabilities, key=lambda k: (-probabilities[k], k))
            wanted = set(likeliest) | set(also)
            for g, name in enumerate(self._group_names):
                if name in wanted:
                    start, end = self._group_bounds[g]
                    nearest[name] = float(self._rows.slice_cosines(start, end, vec).max())
        elif len(self._rows):
            # Training sentences are grouped by intent, so the best of each is one reduceat.
            best = np.maximum.reduceat(self._rows.cosines(vec), self._group_starts)
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
