"""Which sentence encoder the learnt stage reads turns with: the static vectors (default) or, opt-in, the
contextual encoder (VOICECART_ENCODER=contextual; intents/contextual.py says what it costs and gives)."""

from __future__ import annotations

import logging
import os
from typing import Any

from intents.embedding import EmbeddingUnavailable, shared_embedder

log = logging.getLogger(__name__)

STATIC, CONTEXTUAL = "static", "contextual"
ENCODERS = (STATIC, CONTEXTUAL)


def chosen() -> str:
    """The encoder asked for by VOICECART_ENCODER (static unless set); an unknown name is an error."""
    name = os.environ.get("VOICECART_ENCODER", STATIC).strip().lower() or STATIC
    if name not in ENCODERS:
        raise ValueError(f"VOICECART_ENCODER={name!r}: use one of {', '.join(ENCODERS)}")
    return name


def variant(name: str) -> str:
    """What the encoder's vectors depend on beyond its name: the contextual encoder's vectors differ (slightly)
    between its 8-bit ONNX Runtime pass and its NumPy pass, so classifiers trained on one are not reused for
    the other. Cheap: looks for the packages without importing them."""
    if name == CONTEXTUAL:
        from intents.contextual_onnx import available as onnx_available

        return f"{CONTEXTUAL}-int8" if onnx_available() else CONTEXTUAL
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
