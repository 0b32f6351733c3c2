"""Sentence embeddings that ship inside a wheel: what the words of a turn mean, not only which they are.

The vectors are WordLlama's `l2_supercat_256` (MIT): token embeddings distilled from a large language
model, 32,000 tokens × 256 dimensions, pooled by their mean. The `wordllama` wheel carries the weights
and the tokenizer, so nothing is downloaded at run time. Only those two files are read here, with
`safetensors` and `tokenizers` (wordllama's own dependencies): importing the `wordllama` package itself
would configure the root logger and look for its tokenizer in a folder it does not ship, then try to
download it (docs/decisions/0002-semantic-layer.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import os
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"


USE_FUNCTION = False
FUNCTION_WORDS = (
    "the",
    "a",
    "an",
    "to",
    "of",
    "for",
    "in",
    "on",
    "at",
    "by",
    "with",
    "and",
    "or",
    "my",
    "our",
    "your",
    "me",
    "i",
    "we",
    "you",
    "it",
    "is",
    "are",
    "am",
    "be",
    "do",
    "does",
    "can",
    "could",
    "would",
    "will",
    "please",
    "some",
    "this",
    "that",
    "there",
    "so",
    "just",
    "um",
    "uh",
    "like",
    "hey",
    "okay",
    "ok",
    "oh",
)


class EmbeddingUnavailable(RuntimeError):
    """The wheel with the vectors is not installed: the engine runs on its lexical stages alone."""


def _package_folder() -> Path:
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingUnavailable("the 'wordllama' package is not installed (pip install wordllama)")
    return Path(next(iter(spec.submodule_search_locations)))


def _vectors(weights: Path) -> np.ndarray:
    """The token vectors in float32, the same numbers as the wheel's float16 ones. Widened once and kept in the
    engine's cache folder, memory-mapped: a process starts without reading and converting the whole table,
    and touches only the rows its sentences use. A damaged copy is made again."""
    from intents.build_cache import nlu_folder

    stat = weights.stat()
    name = hashlib.sha256(f"{weights.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:32]
    path = nlu_folder() / f"vectors-{name}.npy"
    try:
        saved = np.load(path, mmap_mode="r")
        if saved.dtype == np.float32 and saved.ndim == 2:
            return np.asarray(saved)
    except (OSError, ValueError, EOFError):
        pass
    from safetensors.numpy import load_file

    vectors: np.ndarray = next(iter(load_file(str(weights)).values())).astype(np.float32)
    tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(tmp, vectors)
        os.replace(tmp, path)
    except OSError:  # a read-only home: widen again next time, never fail a turn for a cache
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return vectors


class SentenceEmbedder:
    """Unit-length sentence vectors: the mean of the token vectors, as WordLlama pools them."""

    def __init__(self, folder: Path | None = None) -> None:
        from tokenizers import Tokenizer

        folder = folder or _package_folder()
        try:
            self.vectors = _vectors(folder / WEIGHTS)
            self._tokenizer = Tokenizer.from_file(str(folder / TOKENIZER))
        except (OSError, ValueError) as exc:  # a partial install: say which file, never download
            raise EmbeddingUnavailable(f"WordLlama's files could not be read from {folder}: {exc}") from exc
        self.dim = int(self.vectors.shape[1])
        self._cache: dict[str, np.ndarray] = {}
        self._start_id = self._tokenizer.token_to_id("<s>")
        # Function words as whole tokens (the tokenizer marks a word's start with "▁").
        self._function_ids = frozenset(
            i for w in FUNCTION_WORDS if (i := self._tokenizer.token_to_id("▁" + w)) is not None
        )

    def token_ids(self, text: str) -> list[int]:
        return self._tokenizer.encode(text, add_special_tokens=False).ids

    def _pool(self, text: str, ids: list[int]) -> np.ndarray:
        """The mean of the words' token vectors, function words left out when anything else was said.

        The tokenizer adds a start token to every text; it is the same for all and only pulls them
        together, so it is dropped. Function words ("the", "to", "my") say little of what a request
        means and would otherwise outweigh a short request's one or two content words."""
        ids = [i for i in ids if i != self._start_id]
        if not ids:
            return np.zeros(self.dim, dtype=np.float32)
        content = [i for i in ids if i not in self._function_ids] if USE_FUNCTION else ids
        mean: np.ndarray = self.vectors[content or ids].mean(axis=0)
        return mean

    def embed(self, text: str) -> np.ndarray:
        hit = self._cache.get(text)
        if hit is not None:
            return hit
        vec = self._pool(text, self.token_ids(text))
        norm = float(np.linalg.norm(vec))
        vec = vec / norm if norm else vec
        if len(self._cache) > 4096:  # a bounded memo: a device repeats itself, a server sees everything
            self._cache.clear()
        self._cache[text] = vec
        return vec

    def embed_many(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, enc in enumerate(self._tokenizer.encode_batch(texts, add_special_tokens=False)):
            vec = self._pool(texts[i], enc.ids)
            norm = float(np.linalg.norm(vec))
            out[i] = vec / norm if norm else vec
        return out


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _shared() -> SentenceEmbedder:
    return SentenceEmbedder()


def shared_embedder() -> SentenceEmbedder:
    """One embedder per process (16 MB of vectors), loaded on first use."""
    with _lock:
        return _shared()
