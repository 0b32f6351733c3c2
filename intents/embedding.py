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
import pickle
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from intents.embedding_errors import EmbeddingUnavailable

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
    """Unit-length sentence vectors: the mean of the token vectors, as WordLlama pools them.

    The tokenizer (a Llama BPE: every word begins with "▁", and no token spans two words) takes about 50 ms
    to load, a tenth of a one-shot `voicecart sim`. So the token ids of the words the engine was trained on
    are kept in the cache folder beside the vectors, and a text of known words separated by single spaces
    (what the engine embeds) is the words' ids put together; the tokenizer is loaded at the first word
    nobody has seen, and gives the same ids (tests/intents/test_lang_embedding_words.py).
    """

    def __init__(self, folder: Path | None = None) -> None:
        folder = folder or _package_folder()
        self._tokenizer_file = folder / TOKENIZER
        try:
            self.vectors = _vectors(folder / WEIGHTS)
            tokenizer_stat = self._tokenizer_file.stat()
        except (OSError, ValueError) as exc:  # a partial install: say which file, never download
            raise EmbeddingUnavailable(f"WordLlama's files could not be read from {folder}: {exc}") from exc
        self.dim = int(self.vectors.shape[1])
        self._cache: dict[str, np.ndarray] = {}
        self._tokenizer: Any = None
        self._tokenizer_lock = threading.Lock()
        stamp = f"{self._tokenizer_file.resolve()}:{tokenizer_stat.st_size}:{tokenizer_stat.st_mtime_ns}"
        self._words_path = _words_file(hashlib.sha256(stamp.encode()).hexdigest()[:32])
        self._start_id, self._words = _read_words(self._words_path)
        if self._start_id is None:
            self._start_id = self._tokenizer_now().token_to_id("<s>")

    def _tokenizer_now(self) -> Any:
        with self._tokenizer_lock:
            if self._tokenizer is None:
                from tokenizers import Tokenizer

                try:
                    self._tokenizer = Tokenizer.from_file(str(self._tokenizer_file))
                except Exception as exc:  # the Rust loader raises its own exception type
                    raise EmbeddingUnavailable(f"WordLlama's tokenizer could not be read: {exc}") from exc
            return self._tokenizer

    @property
    def _function_ids(self) -> frozenset[int]:
        """Function words as whole tokens (the tokenizer marks a word's start with "▁")."""
        tokenizer = self._tokenizer_now()
        return frozenset(i for w in FUNCTION_WORDS if (i := tokenizer.token_to_id("▁" + w)) is not None)

    def token_ids(self, text: str) -> list[int]:
        words = text.split(" ")
        if all(words):  # single spaces, none at either end: a word's ids do not depend on its neighbours
            known = self._words
            ids: list[int] = []
            for word in words:
                found = known.get(word)
                if found is None:
                    break
                ids.extend(found)
            else:
                return ids
        encoded: list[int] = self._tokenizer_now().encode(text, add_special_tokens=False).ids
        return encoded

    def learn_words(self, texts: list[str]) -> None:
        """Keep the token ids of the words of `texts` (training sentences), for later processes too."""
        new = sorted({w for t in texts for w in t.split(" ") if w and w not in self._words})
        if not new:
            return
        for word, enc in zip(new, self._tokenizer_now().encode_batch(new, add_special_tokens=False), strict=True):
            self._words[word] = tuple(enc.ids)
        _write_words(self._words_path, self._start_id, self._words)

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
        self.learn_words(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, enc in enumerate(self._tokenizer_now().encode_batch(texts, add_special_tokens=False)):
            vec = self._pool(texts[i], enc.ids)
            norm = float(np.linalg.norm(vec))
            out[i] = vec / norm if norm else vec
        return out


def _words_file(name: str) -> Path:
    from intents.build_cache import nlu_folder

    return nlu_folder() / f"words-{name}.pickle"


def _read_words(path: Path) -> tuple[int | None, dict[str, tuple[int, ...]]]:
    """(the start token's id, word → token ids) as kept, or (None, {}) when there is nothing usable."""
    try:
        with path.open("rb") as handle:
            start_id, words = pickle.load(handle)
        if isinstance(start_id, int) and isinstance(words, dict):
            return start_id, words
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        pass
    return None, {}


def _write_words(path: Path, start_id: int | None, words: dict[str, tuple[int, ...]]) -> None:
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("wb") as handle:
            pickle.dump((start_id, words), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:  # a read-only home: the tokenizer is loaded next time, never fail a turn for a cache
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _shared() -> SentenceEmbedder:
    return SentenceEmbedder()


def shared_embedder() -> SentenceEmbedder:
    """One embedder per process (16 MB of vectors), loaded on first use."""
    with _lock:
        return _shared()
