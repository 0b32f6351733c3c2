"""The contextual encoder's transformer layers on ONNX Runtime, weights in 8-bit integers.

In NumPy one pass of all-MiniLM-L6-v2 costs 5–10 ms on one core: the 42 MB of float32 weights do not stay in
the processor's cache, and NumPy runs each small product on its own. ONNX Runtime runs the same layers as one
graph with fused kernels, and with the weights quantised to 8 bits per output channel (dynamic quantisation:
activations stay float) a pass is 0.6–1.4 ms, its sentence vectors within a cosine of 0.98–0.995 of the float
ones (measured on short requests; docs/decisions/0002).

The graph is written here from the same safetensors weights the NumPy pass reads, once per set of weights, into
the language engine's cache folder: nothing is downloaded. The `onnx` package builds it, and the weights are
quantised here in NumPy exactly as ONNX Runtime's dynamic quantiser would (`_weights_8_bit`; a test holds the
two to the same bytes): its pass over the float graph took 1.4 s of the 2.5 s a machine's first model build
spent on the graph, this one takes 0.05 s. The embedding lookup and the mean pooling stay in NumPy, where they are a few
microseconds. Without `onnxruntime` and `onnx` (the `contextual` extra installs both) `available()` is False
and the encoder runs in NumPy.
"""

from __future__ import annotations

import hashlib
import math
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from intents.contextual_files import GRAPH_VERSION
from intents.contextual_files import ONNX_KIND as KIND
from intents.contextual_files import onnx_available as available

__all__ = ["available", "KIND", "OnnxLayers", "quantised_graph", "weights_key"]

# Bump when the graph or its quantisation changes, so an old file in the cache is not reused.
OPSET = 17  # LayerNormalization is an operator from 17 on


def weights_key(weights_file: Path) -> str:
    """A name for the graph built from these weights: their size and a hash of their first and last MiB
    (hashing all 90 MB would cost ~100 ms per process; a different checkpoint differs in both)."""
    digest = hashlib.sha256(f"{GRAPH_VERSION}:{weights_file.stat().st_size}".encode())
    with weights_file.open("rb") as f:
        digest.update(f.read(1 << 20))
        f.seek(max(0, weights_file.stat().st_size - (1 << 20)))
        digest.update(f.read(1 << 20))
    return digest.hexdigest()[:24]


def _weights_8_bit(weights: np.ndarray, kind: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`weights` (in × out) as 8-bit integers with one scale and zero point per output column, so that
    weights ≈ scale · (q − zero point); what ONNX Runtime's dynamic quantiser writes for a MatMul's constant
    weights with `per_channel=True` and signed weights (symmetric in [−127, 127], zero point 0, scales in
    float32, values rounded half to even). Doing it here takes a tenth of a second where the quantiser's pass
    over the float graph took 1.4 s of a machine's first model build (its reading, shape inference and
    rewriting of 90 MB).

    `kind` "uint8" stores the very same grid unsigned, each value plus 128 with zero point 128: the integer
    products, and so the sentence vectors, are those of the signed weights on any processor, where the
    quantiser's own unsigned grid (each column's least to greatest value over [0, 255]) gave other vectors and
    moved the other skills' models by 1.5 points between two machines (docs/decisions/0002)."""
    low = np.minimum(weights.min(axis=0), np.float32(0))
    high = np.maximum(weights.max(axis=0), np.float32(0))
    reach = np.maximum(np.abs(low), np.abs(high)).astype(np.float64)
    scale64 = 2.0 * reach / 254.0
    # A column of zeros would have no range: the quantiser then uses scale 1 and zero point 0.
    flat = scale64 < np.finfo(np.float32).tiny
    scale = np.where(flat, 1.0, scale64).astype(np.float32)
    signed = np.clip(np.round(weights.astype(np.float32) / scale), -128, 127)
    if kind == "int8":
        return signed.astype("int8"), scale, np.zeros(weights.shape[1], "int8")
    # −128 never occurs (the grid is symmetric), so every shifted value fits in [1, 255].
    return (signed + 128).astype("uint8"), scale, np.full(weights.shape[1], 128, "uint8")


def _graph(
    embedding_ln: tuple[np.ndarray, np.ndarray],
    layers: Sequence[tuple[Any, ...]],
    hidden: int,
    heads: int,
    weights_kind: str | None = None,
) -> Any:
    """The encoder's layers as an ONNX graph: input `x` (embedded tokens, batch × length × hidden) and `blocked`
    (0 for a token, a large negative for padding, batch × 1 × 1 × length); output `y`, the last layer.

    With `weights_kind` ("int8" or "uint8") each product with a weight matrix is written quantised as ONNX
    Runtime's dynamic quantiser writes it: the activations quantised on the fly (DynamicQuantizeLinear), an
    integer product (MatMulInteger), then scaled back to float. ONNX Runtime fuses the pattern into its 8-bit
    kernels when it loads the graph."""
    import onnx
    from onnx import TensorProto, numpy_helper
    from onnx import helper as h

    initializers: list[Any] = []
    nodes: list[Any] = []
    counter = [0]

    def const(name: str, value: Any) -> str:
        initializers.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def op(kind: str, inputs: list[str], **attrs: Any) -> str:
        counter[0] += 1
        out = f"t{counter[0]}"
        nodes.append(h.make_node(kind, inputs, [out], **attrs))
        return out

    head = hidden // heads
    to_heads = const("to_heads", np.array([0, 0, heads, head], np.int64))
    to_hidden = const("to_hidden", np.array([0, 0, hidden], np.int64))
    thirds = const("thirds", np.array([hidden] * 3, np.int64))
    scale = const("scale", np.array(1.0 / math.sqrt(head), np.float32))
    root_half = const("root_half", np.array(1.0 / math.sqrt(2.0), np.float32))
    one = const("one", np.array(1.0, np.float32))
    half = const("half", np.array(0.5, np.float32))

    def product(x: str, weights: np.ndarray, name: str) -> str:
        """x · weights, in float or in 8-bit integers as `weights_kind` says."""
        if weights_kind is None:
            return op("MatMul", [x, const(name, weights)])
        q, w_scale, w_zero = _weights_8_bit(weights, weights_kind)
        x_q, x_scale, x_zero = (f"{name}_x_q", f"{name}_x_scale", f"{name}_x_zero")
        nodes.append(h.make_node("DynamicQuantizeLinear", [x], [x_q, x_scale, x_zero]))
        integer = op("MatMulInteger", [x_q, const(name + "_q", q), x_zero, const(name + "_zero", w_zero)])
        scales = op("Mul", [x_scale, const(name + "_scale", w_scale)])
        return op("Mul", [op("Cast", [integer], to=TensorProto.FLOAT), scales])

    def norm(x: str, gain: np.ndarray, bias: np.ndarray, name: str) -> str:
        return op("LayerNormalization", [x, const(name + "g", gain), const(name + "b", bias)], axis=-1, epsilon=1e-12)

    x = norm("x", embedding_ln[0], embedding_ln[1], "embeddings")
    for i, (qkv, qkv_bias, out_w, out_b, ln1, up_w, up_b, down_w, down_b, ln2) in enumerate(layers):
        p = f"layer{i}."
        both = op("Add", [product(x, qkv, p + "qkv"), const(p + "qkv_bias", qkv_bias)])
        q, k, v = (p + "q", p + "k", p + "v")
        nodes.append(h.make_node("Split", [both, thirds], [q, k, v], axis=-1))
        q = op("Transpose", [op("Reshape", [q, to_heads])], perm=[0, 2, 1, 3])
        k = op("Transpose", [op("Reshape", [k, to_heads])], perm=[0, 2, 3, 1])
        v = op("Transpose", [op("Reshape", [v, to_heads])], perm=[0, 2, 1, 3])
        scores = op("Add", [op("Mul", [op("MatMul", [q, k]), scale]), "blocked"])
        context = op("MatMul", [op("Softmax", [scores], axis=-1), v])
        context = op("Reshape", [op("Transpose", [context], perm=[0, 2, 1, 3]), to_hidden])
        attended = op("Add", [product(context, out_w, p + "out"), const(p + "out_bias", out_b)])
        x = norm(op("Add", [attended, x]), ln1[0], ln1[1], p + "ln1")
        up = op("Add", [product(x, up_w, p + "up"), const(p + "up_bias", up_b)])
        # BERT's exact GELU, 0.5·u·(1 + erf(u/√2)); ONNX Runtime fuses the pattern into one kernel.
        gelu = op("Mul", [op("Mul", [up, op("Add", [op("Erf", [op("Mul", [up, root_half])]), one])]), half])
        down = op("Add", [product(gelu, down_w, p + "down"), const(p + "down_bias", down_b)])
        x = norm(op("Add", [down, x]), ln2[0], ln2[1], p + "ln2")
    nodes.append(h.make_node("Identity", [x], ["y"]))
    graph = h.make_graph(
        nodes,
        "sentence_encoder",
        [
            h.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "length", hidden]),
            h.make_tensor_value_info("blocked", TensorProto.FLOAT, ["batch", 1, 1, "length"]),
        ],
        [h.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", "length", hidden])],
        initializers,
    )
    model = h.make_model(graph, opset_imports=[h.make_opsetid("", OPSET)])
    model.ir_version = 8  # readable by every ONNX Runtime release that knows opset 17
    onnx.checker.check_model(model)
    return model


_build_lock = threading.Lock()


def quantised_graph(
    folder: Path,
    key: str,
    embedding_ln: tuple[np.ndarray, np.ndarray],
    layers: Sequence[tuple[Any, ...]],
    hidden: int,
    heads: int,
) -> Path:
    """The 8-bit graph for these weights in `folder`, written (about a tenth of a second) when it is not there
    yet."""
    path = folder / f"encoder-{key}.{KIND}.onnx"
    if path.is_file():
        return path
    with _build_lock:
        if path.is_file():
            return path
        import onnx

        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f"encoder-{key}.{os.getpid()}.{threading.get_ident()}.{KIND}.onnx"
        try:
            # Per output channel: one scale per column keeps short turns ("yes", "no thanks") within 0.98 of
            # the float vectors, where one scale per matrix gave 0.88. Signed or unsigned as the processor
            # multiplies them best and without saturating (KIND, intents/contextual_files.py).
            onnx.save(_graph(embedding_ln, layers, hidden, heads, weights_kind=KIND), str(tmp))
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    return path


class OnnxLayers:
    """Runs the quantised graph on one thread: the engine answers one turn at a time, and on a shared
    two-core machine a second thread costs more than it saves (as for NumPy's BLAS, intents/semantic.py)."""

    def __init__(self, path: Path) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3  # warnings about unused initialisers are not the user's concern
        self._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def __call__(self, x: np.ndarray, blocked: np.ndarray) -> np.ndarray:
        out: np.ndarray = self._session.run(None, {"x": x.astype(np.float32), "blocked": blocked.astype(np.float32)})[0]
        return out
