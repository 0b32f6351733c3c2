"""A learnt projection of the contextual encoder's sentence vectors: nearer for two ways of asking the same thing.

all-MiniLM-L6-v2 was trained to tell what sentences are about, and within one skill every request is about the
same things: "scratch beloved from the reading list" lies nearer to "add {book} to my reading list" than to
"remove {book}", because the list is most of what it says. A linear map W, learnt once across many interaction
models (bench/train_projection.py: what people said to development models, beside those models' samples, never
a held-out set), weighs the parts of the vector that tell one request from another within a domain. Each
model's classifier is then trained and asked in the projected space; the map knows no model's intents, so it
serves any model (across development models it learnt without: docs/decisions/0002).

The map is a 384 × 384 matrix kept at half precision in intents/data/projection-contextual.npy (288 KB);
without the file the vectors are used as the encoder gives them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

PROJECTION = Path(__file__).parent / "data" / "projection-contextual.npy"


@cache
def _matrix() -> np.ndarray | None:
    try:
        found = np.load(PROJECTION)
    except (OSError, ValueError):
        return None
    return np.ascontiguousarray(found, dtype=np.float32)


@cache
def fingerprint() -> str:
    """A short name for the map in use ('' without one): part of every cached classifier's key."""
    try:
        return hashlib.sha256(PROJECTION.read_bytes()).hexdigest()[:12]
    except OSError:
        return ""


class ProjectedEmbedder:
    """An embedder whose unit vectors are the wrapped embedder's, mapped by W and made unit length again."""

    def __init__(self, inner: Any, matrix: np.ndarray) -> None:
        self.inner = inner
        self.matrix = matrix
        self.dim = int(matrix.shape[1])
        self.name = f"{getattr(inner, 'name', type(inner).__name__)}+projection-{fingerprint()}"

    def learn_words(self, texts: Sequence[str]) -> None:
        learn = getattr(self.inner, "learn_words", None)
        if learn is not None:
            learn(texts)

    def _mapped(self, vectors: np.ndarray) -> np.ndarray:
        out: np.ndarray = np.asarray(vectors, dtype=np.float32) @ self.matrix
        out /= np.maximum(np.linalg.norm(out, axis=-1, keepdims=True), 1e-12)
        return out.astype(np.float32)

    def embed(self, text: str) -> np.ndarray:
        return self._mapped(np.asarray(self.inner.embed(text)))

    def embed_many(self, texts: Sequence[str]) -> np.ndarray:
        return self._mapped(np.asarray(self.inner.embed_many(texts)))


def projected(embedder: Any) -> Any:
    """The embedder seen through the learnt map, or as it is where no map is installed or its width differs."""
    matrix = _matrix()
    if matrix is None or matrix.shape[0] != getattr(embedder, "dim", -1):
        return embedder
    return ProjectedEmbedder(embedder, matrix)
