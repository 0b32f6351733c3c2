"""Time for the backend. Fulfilment, cancel windows and logs all read one clock, so the simulator and
tests can fast-forward days without sleeping."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that moves only when told to; listeners run after each move (fulfilment, reminders)."""

    def __init__(self, start: datetime | None = None) -> None:
        start = start or datetime.now(UTC)
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start time")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()
        self._listeners: list[Callable[[datetime], None]] = []

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._now += delta
            now = self._now
        for listener in list(self._listeners):
            listener(now)
        return now

    def set(self, when: datetime) -> datetime:
        return self.advance(when.astimezone(UTC) - self.now())

    def subscribe(self, listener: Callable[[datetime], None]) -> None:
        self._listeners.append(listener)
