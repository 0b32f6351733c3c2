"""Which request ids have been seen, so a captured request cannot be played back.

The protocol is one call, so a host can stack stores: `InMemoryReplayStore` answers a copy this process has
seen without any I/O; `HostReplayStore` is shared by every worker process of one host through a small SQLite
file written without fsync; a store shared by several hosts (reorder.services.seen_requests) sits behind
them when several hosts serve one skill. `LayeredReplayStore` puts the in-memory window in front of either.
"""

from __future__ import annotations

import hashlib
import heapq
import logging
import os
import sqlite3
import tempfile
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

# Entries a process keeps at most: 150 s of 1,300 requests/s, about 25 MB. Past it the oldest are dropped,
# which only costs a lookup in the shared layer behind (or, alone, protection for the oldest ids).
MAX_WINDOW_ENTRIES = 200_000


class ReplayStore(Protocol):
    def seen_before(self, request_id: str, expires_at: datetime) -> bool:
        """Record `request_id` until `expires_at`; True if it was already recorded and not yet expired.

        Must be atomic: two concurrent calls with one id may not both return False."""
        ...


class InMemoryReplayStore:
    """A per-process window; entries vanish after they expire, and at most `max_entries` are kept."""

    def __init__(self, now: Callable[[], datetime] | None = None, *, max_entries: int = MAX_WINDOW_ENTRIES) -> None:
        self._now = now or (lambda: datetime.now(UTC))
        self.max_entries = max_entries
        self._expiry: dict[str, datetime] = {}
        self._heap: list[tuple[datetime, str]] = []
        self._lock = threading.Lock()
        self._warned_full = False

    def seen_before(self, request_id: str, expires_at: datetime) -> bool:
        now = self._now()
        with self._lock:
            self._forget_expired(now)
            known = self._expiry.get(request_id)
            if known is not None and known > now:
                return True
            self._remember(request_id, expires_at)
            return False

    def forget(self, request_id: str) -> None:
        """Drop an id whose request was not answered after all (its heap entry is skipped when it expires)."""
        with self._lock:
            self._expiry.pop(request_id, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._expiry)

    def _remember(self, request_id: str, expires_at: datetime) -> None:
        while len(self._expiry) >= self.max_entries and self._heap:
            if not self._warned_full:
                log.warning("replay window full (%d request ids); dropping the oldest", self.max_entries)
                self._warned_full = True
            _, oldest = heapq.heappop(self._heap)
            self._expiry.pop(oldest, None)
        self._expiry[request_id] = expires_at
        heapq.heappush(self._heap, (expires_at, request_id))

    def _forget_expired(self, now: datetime) -> None:
        while self._heap and self._heap[0][0] <= now:
            expires_at, request_id = heapq.heappop(self._heap)
            if self._expiry.get(request_id) == expires_at:
                del self._expiry[request_id]


class HostReplayStore:
    """Request ids shared by the worker processes of one host, in a SQLite file written without fsync.

    A conditional insert (`ON CONFLICT DO NOTHING`) is the atomic check across processes. Durability is not
    needed: an id matters only for its window (150 s), and `synchronous = OFF` loses writes only if the
    operating system itself stops, after which the host's restart outlasts most windows anyway."""

    SWEEP_EVERY = 512  # inserts between deletions of expired ids

    def __init__(self, path: Path | str, *, now: Callable[[], datetime] | None = None) -> None:
        self.path = Path(path)
        self._now = now or (lambda: datetime.now(UTC))
        self._local = threading.local()
        self._inserts = 0
        self._connection()  # fail at start-up, not on the first request

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=True)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = OFF")
            # A small, hot table: a quarter of a megabyte of page cache is plenty, where SQLite's default
            # (2 MB) is kept by every thread of every worker that has answered a request.
            conn.execute("PRAGMA cache_size = -256")
            conn.execute("CREATE TABLE IF NOT EXISTS seen (request_id TEXT PRIMARY KEY, expires_at REAL NOT NULL)")
            self._local.conn = conn
        return conn

    def seen_before(self, request_id: str, expires_at: datetime) -> bool:
        conn = self._connection()
        now = self._now().timestamp()
        # An id whose window has passed may be taken again (the timestamp check refuses such a copy anyway).
        conn.execute("DELETE FROM seen WHERE request_id = ? AND expires_at <= ?", (request_id, now))
        cursor = conn.execute(
            "INSERT INTO seen (request_id, expires_at) VALUES (?, ?) ON CONFLICT (request_id) DO NOTHING",
            (request_id, expires_at.timestamp()),
        )
        inserted = cursor.rowcount == 1
        if inserted:
            self._inserts += 1
            if self._inserts % self.SWEEP_EVERY == 0:
                conn.execute("DELETE FROM seen WHERE expires_at <= ?", (now,))
        return not inserted


class LayeredReplayStore:
    """The process's window first (a copy this process saw costs no I/O), then the shared store."""

    def __init__(self, window: InMemoryReplayStore, shared: ReplayStore) -> None:
        self.window = window
        self.shared = shared

    def seen_before(self, request_id: str, expires_at: datetime) -> bool:
        if self.window.seen_before(request_id, expires_at):
            return True
        try:
            return self.shared.seen_before(request_id, expires_at)
        except BaseException:
            # The request is refused (the verifier fails closed); the genuine one, sent again, must not
            # then be taken for its own replay.
            self.window.forget(request_id)
            raise


def host_replay_path(directory: Path | str | None, scope: str) -> Path:
    """The host store's file for one deployment (`scope`: its store URL and skill ids), in `directory`, else
    in a per-user directory under the system's temporary directory that only this user may enter."""
    if directory is None:
        directory = Path(tempfile.gettempdir()) / f"voicecart-replay-{os.getuid()}"
        directory.mkdir(mode=0o700, exist_ok=True)
        info = directory.stat()
        if info.st_uid != os.getuid() or info.st_mode & 0o077:
            raise PermissionError(f"{directory} must belong to this user alone (mode 700)")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(scope.encode()).hexdigest()[:16]
    return directory / f"replay-{digest}.sqlite3"
