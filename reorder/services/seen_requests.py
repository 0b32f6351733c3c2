"""Replay protection shared by every worker and host: a request id is answered once within its window."""

from __future__ import annotations

from datetime import datetime

from reorder.clock import Clock
from reorder.store.base import Store


class StoreReplayGuard:
    """The skill endpoint's replay store (`seen_before(request_id, expires_at) -> bool`) on the backend's store,
    so a replayed request is refused whichever process receives it."""

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def seen_before(self, request_id: str, expires_at: datetime) -> bool:
        with self.store.unit_of_work() as uow:
            return not uow.seen_requests.claim(request_id, expires_at, self.clock.now())
