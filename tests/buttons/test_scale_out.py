"""Scale-out: the grandmother test against two `voicecart serve` instances sharing one PostgreSQL database,
one of them running two gunicorn workers (`--workers 2`). Presses spread over every process still make
exactly one order: the store decides, not any one process."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from reorder.clock import SystemClock
from reorder.services.backend import Backend
from reorder.store import open_store

ROOT = Path(__file__).resolve().parents[2]
HELPER = Path(__file__).with_name("http_burst.py")
VOICECART = Path(sys.executable).with_name("voicecart")
TP = "charmin-ultra-soft-mega-rolls-18"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(base: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server at {base} exited at start: {process.stderr.read()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"the server at {base} did not answer within {seconds} s")


@pytest.fixture
def shared_postgres(postgres_database):
    postgres_database.reset()
    return postgres_database.url


@pytest.fixture
def two_servers(shared_postgres):
    servers = []
    commands = [["serve", "--workers", "2"], ["serve", "--workers", "1"]]
    try:
        for extra in commands:
            port = _free_port()
            process = subprocess.Popen(
                [str(VOICECART), "--store", shared_postgres, *extra, "--port", str(port)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                cwd=ROOT,
                # WARNING: request lines at INFO would fill the unread stderr pipe and stall the server.
                env={**os.environ, "PYTHONPATH": str(ROOT), "VOICECART_LOG_LEVEL": "WARNING"},
                start_new_session=True,
            )
            base = f"http://127.0.0.1:{port}"
            servers.append((base, process))
            _wait_healthy(base, process)
        yield [base for base, _ in servers]
    finally:
        for _, process in servers:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def test_presses_spread_over_two_servers_and_three_processes_order_once(shared_postgres, two_servers):
    backend = Backend(open_store(shared_postgres), SystemClock())
    home = backend.households.create("grandma-visits", members=[("Alex", "adult")])
    token = backend.households.issue_token(home.id, "scale-out test")
    button = backend.buttons.create(home.id, "toilet paper", TP)

    start = time.time() + 1.5
    clients = []
    for i in range(8):  # eight pressing processes, alternating between the two servers
        url = f"{two_servers[i % 2]}/api/buttons/{button.id}/press"
        clients.append(
            subprocess.Popen(
                [sys.executable, str(HELPER), "press", url, token, "125", str(start)],
                stdout=subprocess.PIPE,
                text=True,
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
        )
    outcomes: Counter[str] = Counter()
    orders: Counter[str] = Counter()
    for client in clients:
        out, _ = client.communicate(timeout=600)
        assert client.returncode == 0
        result = json.loads(out)
        outcomes.update(result["outcomes"])
        orders.update(result["orders"])

    assert outcomes == {"ordered": 1, "already_in_progress": 999}
    assert len(orders) == 1
    placed = [o for o in backend.orders.recent(home.id, 50) if o.button_id == button.id]
    assert len(placed) == 1
    assert backend.buttons.outcome_counts(home.id, button.id) == {"ordered": 1, "already_in_progress": 999}
    backend.close()
