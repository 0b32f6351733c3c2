"""Routines on the real clock: the scheduler runs in every worker, the store picks one runner per round, and
`voicecart routines run-due` does one round for cron. Time really passes here (a few seconds); the clock is
the system clock moved to just before a routine's hour."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from reorder.clock import ManualClock, OffsetClock, SystemClock
from reorder.services.backend import Backend
from reorder.services.scheduler import DueWorkScheduler
from reorder.store import open_store
from voicecart.due_work import build_scheduler

ROOT = Path(__file__).resolve().parents[2]
VOICECART = Path(sys.executable).with_name("voicecart")
STEPS = [{"kind": "say", "text": "Lights out."}, {"kind": "reminder", "text": "check the monitor", "minutes": 20}]
NEW_YORK = ZoneInfo("America/New_York")


def _routine_notifications(backend: Backend, household_id: str) -> list[str]:
    return [n.message for n in backend.notifications.pending(household_id) if n.kind == "routine_ran"]


def test_two_workers_on_the_real_clock_run_a_routine_once_at_its_time(store_url):
    # The next whole minute that is at least 10 s away, in New York; the clock is moved to 2 s before it.
    real = datetime.now(UTC)
    target = (real + timedelta(seconds=70)).astimezone(NEW_YORK).replace(second=0, microsecond=0)
    clock = OffsetClock(SystemClock(), target - timedelta(seconds=2) - real)
    workers = [Backend(open_store(store_url), clock) for _ in range(2)]  # two processes' worth of connections
    home = workers[0].households.create("night-owls", members=[("Alex", "adult")], timezone="America/New_York")
    routine = workers[0].routines.create(home.id, "lights out", STEPS, schedule_time=target.strftime("%H:%M"))
    schedulers = [build_scheduler(w, interval=0.5) for w in workers]
    for scheduler in schedulers:
        scheduler.start()
    try:
        time.sleep(1)  # a second before the routine's time: nothing yet
        assert clock.now() < target
        assert _routine_notifications(workers[0], home.id) == []
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline and not _routine_notifications(workers[0], home.id):
            time.sleep(0.1)
        time.sleep(1.5)  # three more rounds, in which neither worker may run it again
    finally:
        for scheduler in schedulers:
            scheduler.stop()
    assert _routine_notifications(workers[0], home.id) == [
        "The lights out routine ran. Lights out. Reminder in 20 minutes: check the monitor."
    ]
    ran = workers[1].routines.get(home.id, routine.id).last_run_at
    assert ran == target.astimezone(UTC)
    for w in workers:
        w.close()


def test_one_process_runs_each_round(store_url):
    backend = Backend(open_store(store_url), ManualClock(datetime(2026, 11, 2, 14, 0, tzinfo=UTC)))
    calls: list[datetime] = []
    one = DueWorkScheduler(backend.store, backend.clock, [("count", calls.append)], interval=30)
    other = DueWorkScheduler(backend.store, backend.clock, [("count", calls.append)], interval=30)
    assert one.tick().ran and not other.tick().ran
    backend.clock.advance(timedelta(seconds=30))
    assert other.tick().ran and not one.tick().ran
    assert len(calls) == 2
    backend.close()


def test_a_failing_job_does_not_stop_the_others(tmp_path):
    backend = Backend(open_store(f"sqlite:///{tmp_path / 's.sqlite3'}"), ManualClock())

    def broken(now: datetime) -> None:
        raise RuntimeError("the printer is on fire")

    result = DueWorkScheduler(backend.store, backend.clock, [("broken", broken), ("fine", lambda now: 7)]).tick()
    assert result.failures == {"broken": "RuntimeError: the printer is on fire"}
    assert result.results == {"fine": 7}
    backend.close()


def test_run_due_command_runs_what_is_due_against_a_store(tmp_path):
    url = f"sqlite:///{tmp_path / 's.sqlite3'}"
    # Set up three days ago: a routine every evening at 19:30 New York time, and an order on its way.
    past = ManualClock(datetime.now(UTC) - timedelta(days=3))
    backend = Backend(open_store(url), past)
    from reorder.catalog import load_default_catalog

    catalog = load_default_catalog()
    backend.catalog.load(catalog)
    home = backend.households.create("evenings", members=[("Alex", "adult")], timezone="America/New_York")
    backend.routines.create(home.id, "bath time", [{"kind": "say", "text": "Bath time."}], schedule_time="19:30")
    backend.orders.place(home.id, [(catalog[0].id, 1)], channel="api")
    backend.close()

    env = {**os.environ, "PYTHONPATH": str(ROOT), "VOICECART_SCHEDULER_INTERVAL": "1"}
    first = subprocess.run(
        [str(VOICECART), "--store", url, "routines", "run-due"], capture_output=True, text=True, env=env, timeout=120
    )
    assert first.returncode == 0, first.stderr
    counts = dict(line.split(": ") for line in first.stdout.splitlines())
    assert counts["routines"] == "3"  # one for each evening since it was made
    assert int(counts["fulfilment"]) >= 3  # shipped, out for delivery, delivered
    time.sleep(1.1)  # the next round
    again = subprocess.run(
        [str(VOICECART), "--store", url, "routines", "run-due"], capture_output=True, text=True, env=env, timeout=120
    )
    assert again.returncode == 0 and "routines: 0" in again.stdout and "fulfilment: 0" in again.stdout

    check = Backend(open_store(url))
    assert len(_routine_notifications(check, home.id)) == 3
    check.close()
