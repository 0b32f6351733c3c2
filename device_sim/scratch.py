"""Simulated time never lands in a real store.

The simulator's clock starts at the real time, so what a person does in `voicecart sim` is written to the
store as it happened (an item added by voice shows on the web page). Once the clock moves (`advance 2 days`,
or a conversation file's `start:`), every later write would carry a simulated date: an order "placed" on
Thursday when it is Tuesday, a baby log whose last entries lie in the future. So before the clock moves
the first time, the session moves to a scratch copy of the store and says so; the store itself keeps
what happened in real time.

- An SQLite store is copied (SQLite's online backup) into a temporary folder.
- A PostgreSQL or DynamoDB store cannot be copied here: moving the clock is refused with what to do
  instead (`--scratch`, a fresh demo store of the simulator's own, or `--write-simulated-time`).
- `--write-simulated-time` writes simulated dates into the store anyway (a store made for a test).
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

SCRATCH = "scratch"  # move to a scratch copy when the clock first moves (the default)
WRITE = "write"  # write simulated time into the store (it is a test's own)
POLICIES = (SCRATCH, WRITE)


class SimulatedTimeRefused(ValueError):
    """Moving the clock would write simulated dates into a store that cannot be copied."""


def scratch_copy(store_url: str | None) -> tuple[str, str]:
    """(URL of a scratch copy, what it is a copy of) for an SQLite store; SimulatedTimeRefused otherwise."""
    from reorder.store import default_store_url

    url = store_url or default_store_url()
    if not url.lower().startswith("sqlite:"):
        raise SimulatedTimeRefused(
            f"moving the clock would write simulated dates into {url}, and the simulator can only copy "
            "SQLite stores. Start it with --scratch (a fresh demo store of its own) to move time, or with "
            "--write-simulated-time if this store is only for tests."
        )
    from reorder.store.sqlite import path_from_url

    source = Path(path_from_url(url))
    folder = Path(tempfile.mkdtemp(prefix="voicecart-scratch-"))
    target = folder / "scratch.sqlite3"
    if source.exists():
        with sqlite3.connect(source) as original, sqlite3.connect(target) as copy:
            original.backup(copy)
        original.close()
        copy.close()
    return f"sqlite:///{target}", url


def fresh_scratch_url() -> str:
    folder = Path(tempfile.mkdtemp(prefix="voicecart-scratch-"))
    return f"sqlite:///{folder / 'scratch.sqlite3'}"


class TimeGuard:
    """Moves a device's voicecart session to a scratch store before simulated time is first written."""

    def __init__(self, store_url: str | None, policy: str, reopen: Callable[[str], None]) -> None:
        if policy not in POLICIES:
            raise ValueError(f"unknown simulated-time policy {policy!r}; one of {POLICIES}")
        self.store_url = store_url
        self.policy = policy
        self._reopen = reopen
        self.scratch_url: str | None = None

    @property
    def on_scratch(self) -> bool:
        return self.scratch_url is not None or self.policy == WRITE

    def before_time_moves(self) -> str | None:
        """Called before the clock moves; returns what to tell the person, or None when nothing changed."""
        if self.on_scratch:
            return None
        scratch, original = scratch_copy(self.store_url)
        self._reopen(scratch)
        self.scratch_url = scratch
        return (
            f"the clock moved, so this session now works on a scratch copy of {original} "
            f"({scratch}); your store keeps only what happened in real time"
        )


def guard_device(device: Any, guard: TimeGuard) -> None:
    device.before_time_moves(guard.before_time_moves)
