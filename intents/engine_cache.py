"""A built language engine, kept on disk so a command does not build it again.

Building `NluEngine` from an interaction model compiles every sample, indexes words and sounds and trains
its tables: about a third of a second for voicecart's model, paid by every `voicecart sim` run and every
server worker. The built engine is pickled into the cache folder (intents/build_cache.py) under a name made
of the model, the locale, the skill id and the bytes of the engine's code and data, so a changed model,
a changed engine or another Python is a miss, never a stale engine. What belongs to one process (the
clock, the memory-mapped sentence vectors of the learnt stage) is not pickled; it is attached on load.

The cache is the user's own folder, written only by voicecart, and read with `pickle` like the byte-code
Python caches beside it; an entry that cannot be read is a miss and is built again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import pickle
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from intents import build_cache

FOLDER = "engines"
_PACKAGE = Path(__file__).resolve().parent
FORMAT = 1  # bumped when what is pickled changes shape in a way the code hash would not show


@cache
def _code_digest() -> str:
    """A digest of everything an engine is built from besides the model: the package's code and its data
    files. Read once per process (a simulator builds an engine for each slot it elicits, too)."""
    data = sorted(p for p in (_PACKAGE / "data").rglob("*") if p.is_file())
    return build_cache.sources_key("nlu-engine-code", files=(*sorted(_PACKAGE.glob("*.py")), *data))


def engine_key(model: dict[str, Any], *, locale: str, skill_id: str, semantic: bool, encoder: str = "static") -> str:
    model_text = json.dumps(model, sort_keys=True, ensure_ascii=False)
    parts: tuple[Any, ...] = ("nlu-engine", FORMAT, sys.version_info[:2], locale, skill_id, semantic)
    if encoder != "static":  # the static key as it always was: engines cached before stay valid
        parts += (encoder,)
    return build_cache.sources_key(*parts, model_text, _code_digest())


def _encoder_asked() -> str:
    # Read as intents.encoders does, without importing it (and numpy) on a cache hit.
    asked = os.environ.get("VOICECART_ENCODER", "auto").strip().lower() or "auto"
    if asked in ("contextual", "auto"):
        # Its 8-bit and NumPy passes give different vectors, hence different engines; and `auto` depends on
        # whether the contextual encoder is installed at all.
        from intents.contextual_files import ONNX_VECTORS, installed, onnx_available

        found = (f"contextual-{ONNX_VECTORS}" if onnx_available() else "contextual") if installed() else "static"
        return f"{asked}-{found}"
    return asked


def cached_engine(
    model: dict[str, Any],
    *,
    locale: str = "en-US",
    skill_id: str = "voicecart",
    today: Callable[[], dt.date] | dt.date | None = None,
    semantic: bool = True,
) -> Any:  # an NluEngine; imported lazily so that a cache hit does not pay for what a build needs
    """The engine for `model`: read from the cache, or built and written there."""
    if os.environ.get("VOICECART_ENGINE_CACHE", "on") == "off":
        from intents.nlu import NluEngine

        return NluEngine(model, locale=locale, skill_id=skill_id, today=today, semantic=semantic)
    key = engine_key(model, locale=locale, skill_id=skill_id, semantic=semantic, encoder=_encoder_asked())
    path = build_cache.cache_root() / FOLDER / f"{key[:40]}.pickle"
    engine = _read(path)
    if engine is None:
        from intents.nlu import NluEngine

        engine = NluEngine(model, locale=locale, skill_id=skill_id, today=today, semantic=semantic)
        _write(path, engine)
        return engine
    return engine.restored(today)


def _read(path: Path) -> Any | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        from intents.nlu import NluEngine

        engine = pickle.loads(data)
    except Exception:  # noqa: BLE001 - a damaged or foreign entry is a miss, whatever unpickling raised
        return None
    return engine if isinstance(engine, NluEngine) else None


def _write(path: Path, engine: Any) -> None:
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(pickle.dumps(engine, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        with contextlib.suppress(OSError):  # a read-only home: build again next time, never fail for a cache
            tmp.unlink(missing_ok=True)
