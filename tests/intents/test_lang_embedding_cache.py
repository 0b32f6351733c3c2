"""The token vectors are widened to float32 once and kept memory-mapped in the engine's cache folder: the
same numbers as the wheel's, and a damaged copy is made again."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("wordllama")
from safetensors.numpy import load_file  # noqa: E402

from intents.embedding import WEIGHTS, SentenceEmbedder, _package_folder  # noqa: E402


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("VOICECART_NLU_CACHE", str(tmp_path))
    return tmp_path


def _wheel_vectors() -> np.ndarray:
    return next(iter(load_file(str(_package_folder() / WEIGHTS)).values())).astype(np.float32)


def test_the_cached_vectors_are_the_wheels_and_embed_the_same(cache):
    first = SentenceEmbedder()
    [saved] = cache.glob("vectors-*.npy")
    second = SentenceEmbedder()
    assert np.array_equal(second.vectors, _wheel_vectors())
    assert np.array_equal(first.embed("reorder the diapers"), second.embed("reorder the diapers"))
    assert saved.stat().st_size >= second.vectors.nbytes


@pytest.mark.parametrize("damage", [b"", b"not numpy at all", b"\x93NUMPY\x01\x00v\x00{'descr': '<f4'"])
def test_a_damaged_copy_is_made_again(cache, damage):
    SentenceEmbedder()
    [saved] = cache.glob("vectors-*.npy")
    saved.write_bytes(damage)
    again = SentenceEmbedder()
    assert np.array_equal(again.vectors, _wheel_vectors())
    assert np.array_equal(np.load(saved), _wheel_vectors())


def test_a_truncated_copy_is_made_again(cache):
    SentenceEmbedder()
    [saved] = cache.glob("vectors-*.npy")
    saved.write_bytes(saved.read_bytes()[: 1 << 16])
    assert np.array_equal(SentenceEmbedder().vectors, _wheel_vectors())
