"""Time for the backend. Fulfilment, cancel windows and logs all read one clock, so the simulator and
tests can fast-forward days without sleeping."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class OffsetClock:
    """Another clock moved by a fixed offset: time passes at its rate, from another starting point
    (a test runs the real-time scheduler a few seconds before a routine's hour this way)."""

    def __init__(self, base: Clock, offset: timedelta) -> None:
        self.base = base
        self.offset = offset

    def now(self) -> datetime:
        return self.base.now() + self.offset


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

    def unsubscribe(self, listener: Callable[[datetime], None]) -> None:
        """Stop calling `listener` (a closed backend must not write when the clock moves)."""
        if listener in self._listeners:
            self._listeners.remove(listener)


_lent: ContextVar[Clock | None] = ContextVar("voicecart_lent_clock", default=None)


@contextmanager
def lend_clock(clock: Clock) -> Iterator[Clock]:
    """Lends `clock` to whatever runs inside: the device simulator lends its simulated clock while it calls
    a skill in process, so a skill that opens its own backend (a Lambda entry point) lives in simulated
    time too: a conversation's `start:` and its waits mean the same thing to the skill as to the speaker."""
    token = _lent.set(clock)
    try:
        yield clock
    finally:
        _lent.reset(token)


def lent_clock() -> Clock | None:
    """The clock lent to this call, or None when nobody lent one (production: the system clock)."""
    return _lent.get()
