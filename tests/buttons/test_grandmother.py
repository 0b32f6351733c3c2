"""The grandmother test: a guest presses one button a thousand times, from eight processes, through the HTTP
API against one SQLite file. Exactly one order; every other press answered "already in progress"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from reorder.clock import SystemClock
from reorder.services.backend import Backend
from reorder.store import open_store

HELPER = Path(__file__).with_name("http_burst.py")
ROOT = Path(__file__).resolve().parents[2]
TP = "charmin-ultra-soft-18"
PROCESSES = 8


@pytest.fixture
def store_url(sqlite_url) -> str:
    return sqlite_url  # one SQLite file shared by the server process and the test


@pytest.fixture
def system_backend(store_url, backend):
    """A backend on real time, as `voicecart serve` runs, on the file the `backend` fixture stocked."""
    system = Backend(open_store(store_url), SystemClock())
    yield store_url, system
    system.close()


@pytest.fixture
def server(system_backend):
    url, _ = system_backend
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, str(HELPER), "serve", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=ROOT,
    )
    line = process.stdout.readline()
    if not line.startswith("PORT "):
        process.kill()
        pytest.fail(f"the test server did not start: {line!r}")
    yield f"http://127.0.0.1:{int(line.split()[1])}"
    process.terminate()
    process.wait(timeout=10)


def burst(base: str, token: str, button_id: str, processes: int, times: int) -> tuple[Counter, Counter, Counter]:
    """Press from `processes` processes at once, `times` each; returns outcomes, order ids and HTTP statuses."""
    start = time.time() + 1.0  # every process is up and waiting before the first press
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    url = f"{base}/api/buttons/{button_id}/press"
    clients = [
        subprocess.Popen(
            [sys.executable, str(HELPER), "press", url, token, str(times), str(start)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        for _ in range(processes)
    ]
    outcomes: Counter[str] = Counter()
    orders: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    for client in clients:
        out, _ = client.communicate(timeout=300)
        assert client.returncode == 0
        result = json.loads(out)
        outcomes.update(result["outcomes"])
        orders.update(result["orders"])
        statuses.update(result["statuses"])
    return outcomes, orders, statuses


def test_a_thousand_presses_from_eight_processes_make_one_order(system_backend, server):
    _, backend = system_backend
    home = backend.households.create("grandma-visits", members=[("Alex", "adult")])
    token = backend.households.issue_token(home.id, "grandmother test")
    button = backend.buttons.create(home.id, "toilet paper", TP)

    outcomes, orders, statuses = burst(server, token, button.id, PROCESSES, 125)

    assert outcomes == {"ordered": 1, "already_in_progress": 999}
    assert statuses == {"201": 1, "200": 999}
    assert len(orders) == 1  # every answer names the same order
    placed = [o for o in backend.orders.recent(home.id, 50) if o.button_id == button.id]
    assert len(placed) == 1 and orders[placed[0].id] == 1000
    assert backend.buttons.outcome_counts(home.id, button.id) == {"ordered": 1, "already_in_progress": 999}
    assert [n.kind for n in backend.notifications.pending(home.id)] == ["order_placed"]

    # Two days later the parcel arrives; the next press orders again, once.
    backend.orders.advance_fulfilment(SystemClock().now() + timedelta(days=10))
    assert backend.orders.get(home.id, placed[0].id).status.value == "delivered"
    outcomes, orders, _ = burst(server, token, button.id, PROCESSES, 5)
    assert outcomes == {"ordered": 1, "already_in_progress": 39} and len(orders) == 1


def test_allow_multiple_orders_every_press_up_to_the_daily_cap(system_backend, server):
    _, backend = system_backend
    home = backend.households.create("busy-home", members=[("Sam", "adult")])
    token = backend.households.issue_token(home.id, "burst")
    free = backend.buttons.create(home.id, "towels", "bounty-select-a-size-12", allow_multiple=True)
    outcomes, orders, _ = burst(server, token, free.id, PROCESSES, 5)
    assert outcomes == {"ordered": 40} and len(orders) == 40

    capped = backend.buttons.create(home.id, "tp", TP, allow_multiple=True, daily_cap=25)
    outcomes, orders, statuses = burst(server, token, capped.id, PROCESSES, 5)
    if SystemClock().now().astimezone(home.tz).hour == 0 and outcomes["ordered"] > 25:
        pytest.skip("the household's day changed during the burst")
    assert outcomes == {"ordered": 25, "blocked": 15} and len(orders) == 25
    assert statuses == {"201": 25, "409": 15}
