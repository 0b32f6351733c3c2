"""Which request ids have been seen, so a captured request cannot be played back.

The protocol is one call, so the order backend can later offer a store shared by several web workers
(SQLite, PostgreSQL, DynamoDB with a TTL attribute) without this package knowing about it."""

from __future__ import annotations

import heapq
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol


class ReplayStore(Protocol):
    def seen_before(self, request_id: str, expires_at: datetime) -> bool:
        """Record `request_id` until `expires_at`; True if it was already recorded and not yet expired.

        Must be atomic: two concurrent calls with one id may not both return False."""
        ...


class InMemoryReplayStore:
    """A per-process store; entries vanish after they expire, so memory follows the request rate."""

    def __init__(self, now: Callable[[], datetime] | None = None) -> None:
        self._now = now or (lambda: datetime.now(UTC))
        self._expiry: dict[str, datetime] = {}
        self._heap: list[tuple[datetime, str]] = []
        self._lock = threading.Lock()

    def seen_before(self, request_id: str, expires_at: datetime) -> bool:
        now = self._now()
        with self._lock:
            self._forget_expired(now)
            known = self._expiry.get(request_id)
            if known is not None and known > now:
                return True
            self._expiry[request_id] = expires_at
            heapq.heappush(self._heap, (expires_at, request_id))
            return False

    def __len__(self) -> int:
        with self._lock:
            return len(self._expiry)

    def _forget_expired(self, now: datetime) -> None:
        while self._heap and self._heap[0][0] <= now:
            expires_at, request_id = heapq.heappop(self._heap)
            if self._expiry.get(request_id) == expires_at:
                del self._expiry[request_id]
