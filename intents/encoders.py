"""Which sentence encoder the learnt stage reads turns with: the static WordLlama vectors or the contextual
encoder (intents/contextual.py says what it costs and gives).

By default (`auto`) a model whose intents have few samples each is read with the contextual encoder where the
`contextual` extra is installed, and a model with many with the static vectors: a handful of samples says
little about the other ways to ask, and there the contextual encoder understands far more (other skills'
held-out models 74.1 → 80.6 %); with thirty samples an intent, as voicecart's own, it understands no more and
costs a millisecond a turn (docs/language.md). VOICECART_ENCODER=static or contextual fixes the choice."""

from __future__ import annotations

import logging
import os
from typing import Any

from intents.embedding import shared_embedder
from intents.embedding_errors import EmbeddingUnavailable

log = logging.getLogger(__name__)

STATIC, CONTEXTUAL, AUTO = "static", "contextual", "auto"
ENCODERS = (AUTO, STATIC, CONTEXTUAL)
# From this many samples per intent on (the bar where the engine's rescue of a loose reading is at its full
# height, NluEngine.RESCUE_DENSE_SAMPLES), `auto` reads a model with the static vectors.
DENSE_SAMPLES = 20


def chosen() -> str:
    """The encoder asked for by VOICECART_ENCODER (auto unless set); an unknown name is an error."""
    name = os.environ.get("VOICECART_ENCODER", AUTO).strip().lower() or AUTO
    if name not in ENCODERS:
        raise ValueError(f"VOICECART_ENCODER={name!r}: use one of {', '.join(ENCODERS)}")
    return name


def for_model(asked: str, samples_per_intent: float) -> str:
    """The encoder a model is read with: `auto` picks by how many samples its intents have and by what is
    installed (looked for, not imported); `static` and `contextual` are taken as asked."""
    if asked != AUTO:
        return asked
    if samples_per_intent >= DENSE_SAMPLES:
        return STATIC
    from intents.contextual_files import installed

    return CONTEXTUAL if installed() else STATIC


def variant(name: str) -> str:
    """What the encoder's vectors depend on beyond its name: the contextual encoder's vectors differ (slightly)
    between its 8-bit ONNX Runtime pass and its NumPy pass, so classifiers trained on one are not reused for
    the other. Cheap: looks for the packages without importing them."""
    if name == CONTEXTUAL:
        from intents.contextual_files import ONNX_VECTORS, onnx_available
        from intents.intent_projection import fingerprint

        name = f"{CONTEXTUAL}-{ONNX_VECTORS}" if onnx_available() else CONTEXTUAL
        # Classifiers are trained in the space of the learnt projection (intents/intent_projection.py).
        return f"{name}+projection-{fingerprint()}" if fingerprint() else name
    return name


def encoder(name: str) -> Any:
    """The embedder for `name` (EmbeddingUnavailable when its files are not installed)."""
    if name == CONTEXTUAL:
        from intents.contextual import shared_contextual

        return shared_contextual()
    return shared_embedder()


def available(name: str) -> tuple[str, Any]:
    """(the encoder that will be used, its embedder): the one asked for, or the static vectors with a warning
    when the contextual encoder's weights are missing. EmbeddingUnavailable when neither can load."""
    if name == CONTEXTUAL:
        try:
            return CONTEXTUAL, encoder(CONTEXTUAL)
        except EmbeddingUnavailable as exc:
            log.warning("%s; using the static vectors", exc)
    return STATIC, encoder(STATIC)
