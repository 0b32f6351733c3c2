"""Where voicecart keeps what it builds from its sources, so a command does not build it again.

One folder, the user cache directory's `voicecart/` (or `VOICECART_CACHE`): built interaction models under
`models/`, the language engine's trained classifiers under `nlu/` (or `VOICECART_NLU_CACHE`). Every entry
is named by a hash of everything it is built from, so a changed source is a miss, never a stale answer; an
entry that cannot be read is a miss too, and is built and written again. Writes go to a temporary file
renamed into place, so a reader never sees half of one; a cache that cannot be written costs time only.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def cache_root() -> Path:
    configured = os.environ.get("VOICECART_CACHE")
    if configured:
        return Path(configured)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("voicecart"))


def nlu_folder() -> Path:
    """The language engine's part of the cache: its trained classifiers and token vectors."""
    configured = os.environ.get("VOICECART_NLU_CACHE")
    return Path(configured) if configured else cache_root() / "nlu"


def sources_key(*parts: object, files: Iterable[Path] = ()) -> str:
    """A name for what is built from `parts` (plain values) and the bytes of `files` (data and code)."""
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode())
    for path in files:
        digest.update(path.name.encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()


def read_json(folder: str, key: str) -> Any | None:
    """The entry saved under `key`, or None when there is none or it is damaged."""
    try:
        return json.loads((cache_root() / folder / f"{key[:40]}.json").read_bytes())
    except (OSError, ValueError):
        return None


def write_json(folder: str, key: str, value: Any) -> None:
    path = cache_root() / folder / f"{key[:40]}.json"
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):  # a read-only home: build again next time, never fail for a cache
            tmp.unlink(missing_ok=True)
