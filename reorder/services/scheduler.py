"""Due work on the real clock: scheduled routines, fulfilment steps and whatever else is registered as a job.

Every worker process of every host may run a `DueWorkScheduler`; the store decides which one does a round.
Time is cut into rounds of `interval` seconds, and a round is claimed in the store (the same claim-once
table that refuses replayed Alexa requests, so it works on SQLite, PostgreSQL and DynamoDB alike): the first
process to claim round N runs it, every other process skips it. The clock is injected, so a test can run
the scheduler on real time moved to just before a routine's hour.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from reorder.clock import Clock
from reorder.store.base import Store

log = logging.getLogger("reorder.scheduler")

Job = Callable[[datetime], object]
ROUND_KEY = "scheduler-round:{name}:{number}"


@dataclass
class RoundResult:
    number: int
    ran: bool  # False when another process had claimed this round
    results: dict[str, object] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)


class DueWorkScheduler:
    def __init__(
        self,
        store: Store,
        clock: Clock,
        jobs: Sequence[tuple[str, Job]],
        *,
        interval: float = 30,
        name: str = "due-work",
    ) -> None:
        if interval <= 0:
            raise ValueError("the scheduler's interval must be positive")
        self.store = store
        self.clock = clock
        self.jobs = list(jobs)
        self.interval = interval
        self.name = name
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def round_number(self, now: datetime) -> int:
        return int(now.timestamp() // self.interval)

    def claim(self, number: int, now: datetime) -> bool:
        """True for the one process that gets round `number`; the claim outlives the round by one interval."""
        expires = datetime.fromtimestamp((number + 2) * self.interval, now.tzinfo)
        with self.store.unit_of_work() as uow:
            return uow.seen_requests.claim(ROUND_KEY.format(name=self.name, number=number), expires, now)

    def tick(self) -> RoundResult:
        """Run this round's jobs if no other process has; each job gets the clock's time and fails alone."""
        now = self.clock.now()
        number = self.round_number(now)
        if not self.claim(number, now):
            return RoundResult(number, ran=False)
        result = RoundResult(number, ran=True)
        for name, job in self.jobs:
            try:
                result.results[name] = job(now)
            except Exception as exc:  # one failing job must not stop the others or the thread
                log.exception("scheduled job %s failed", name, extra={"job": name})
                result.failures[name] = f"{type(exc).__name__}: {exc}"
        return result

    def _seconds_to_next_round(self) -> float:
        now = self.clock.now().timestamp()
        return max(0.05, (int(now // self.interval) + 1) * self.interval - now)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # the store was unreachable this round; try again next round
                log.exception("scheduler round failed")
            self._stop.wait(self._seconds_to_next_round())

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name=f"scheduler-{self.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
