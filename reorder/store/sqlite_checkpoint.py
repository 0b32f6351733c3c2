"""Checkpoints of SQLite's write-ahead log, kept off the request path.

SQLite copies its log back into the database file when a commit finds the log over 1,000 pages, and that
commit waits for the copy: 4-6 ms instead of about 0.3 ms. Those commits were the slowest voice turns of
all (bench/skill_latency_bench.py: the 7 slowest of 2,000 turns, each a purchase's "yes"). So request
connections only checkpoint past a much larger backstop (`BACKSTOP_PAGES`), and one background thread per
process checkpoints each database written since its last round, about once a second, in PASSIVE mode:
it never waits for a reader or a writer, and what it could not copy is copied in a later round.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger(__name__)

# A connection checkpoints itself only past this many pages (about 40 MB of 4 KB pages): reached only if
# the background thread falls behind, so the log stays bounded whatever happens to it.
BACKSTOP_PAGES = 10_000
INTERVAL_S = 1.0


class Checkpointer:
    """Databases written to since the last round, checkpointed by a daemon thread of this process."""

    def __init__(self, interval: float = INTERVAL_S) -> None:
        self.interval = interval
        self._written: dict[str, None] = {}  # insertion-ordered set of database paths
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = 0

    def written(self, path: str) -> None:
        """A commit wrote to `path`: checkpoint it in the next round."""
        if path not in self._written:
            with self._lock:
                self._written[path] = None
        thread = self._thread
        if thread is None or self._pid != os.getpid() or not thread.is_alive():
            self._start()

    def _start(self) -> None:
        with self._lock:
            # A forked worker (gunicorn's preload) inherits the parent's object but not its thread.
            if self._thread is not None and self._pid == os.getpid() and self._thread.is_alive():
                return
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="voicecart-sqlite-checkpoint", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            self._wake.wait(self.interval)
            self._wake.clear()
            self.round()

    def round(self) -> list[str]:
        """Checkpoint every database written since the last round; the paths checkpointed."""
        with self._lock:
            paths = list(self._written)
            self._written.clear()
        return [path for path in paths if checkpoint(path)]

    def wake(self) -> None:
        """Run a round now rather than at the next interval (tests, shutdown)."""
        self._wake.set()


def checkpoint(path: str) -> bool:
    """Copy what it can of the database's log into the file without waiting for anyone; False when the
    database is gone (a temporary store removed since) or busy beyond the timeout."""
    try:
        # mode=rw: a database removed since it was written is not created again, empty, by this call.
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=rw", uri=True, timeout=0.1)
    except sqlite3.Error:
        return False
    try:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return True
    except sqlite3.Error as exc:
        log.debug("checkpoint of %s skipped: %s", path, exc)
        return False
    finally:
        conn.close()


CHECKPOINTER = Checkpointer()
