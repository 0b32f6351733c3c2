"""`voicecart serve` in production shape: gunicorn by default, one worker per core, JSON logs, graceful stop."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VOICECART = Path(sys.executable).with_name("voicecart")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, headers: dict | None = None):  # noqa: ANN202
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, dict(response.headers), response.read()


def _start(tmp_path: Path, *args: str, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    process = subprocess.Popen(
        [str(VOICECART), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "VOICECART_STORE": f"sqlite:///{tmp_path / 's.sqlite3'}",
            "VOICECART_PORT": str(port),
            **(env or {}),
        },
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve exited at start: {process.stderr.read()[-3000:]}")
        try:
            if _get(f"{base}/healthz")[0] == 200:
                return process, base
        except OSError:
            time.sleep(0.2)
    process.kill()
    pytest.fail("serve did not answer within 60 s")


def _stop(process: subprocess.Popen) -> tuple[int, str]:
    """SIGTERM, then the exit status and everything the server wrote."""
    process.send_signal(signal.SIGTERM)
    try:
        out, err = process.communicate(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail("serve did not stop within 40 s of SIGTERM")
    return process.returncode, out + err  # gunicorn writes its access log to stdout, everything else to stderr


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def test_serve_with_no_flags_is_gunicorn_with_a_worker_per_core(tmp_path):
    process, base = _start(tmp_path, "serve")
    try:
        status, headers, _ = _get(f"{base}/healthz", {"X-Request-Id": "probe-1"})
        assert status == 200
        assert headers["Server"].startswith("gunicorn")
        assert "Werkzeug" not in headers["Server"]
        assert headers["X-Request-Id"] == "probe-1"
        # The process `voicecart serve` started is now gunicorn's master, with one worker per core.
        cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes().split(b"\0")
        assert b"gunicorn" in cmdline and b"voicecart.wsgi:create()" in cmdline
        assert len(_children(process.pid)) == len(os.sched_getaffinity(0))
        status, headers, body = _get(f"{base}/metrics")
        assert headers["Content-Type"].startswith("text/plain")
        assert b"voicecart_http_requests_total" in body and b"voicecart_http_request_seconds_bucket" in body
    finally:
        code, err = _stop(process)
    assert code == 0, err[-2000:]  # SIGTERM is a graceful stop, not a crash
    assert "Shutting down: Master" in err
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    request_log = [
        line for line in lines if line["logger"] == "voicecart.requests" and line.get("request_id") == "probe-1"
    ]
    assert len(request_log) == 1 and request_log[0]["path"] == "/healthz" and request_log[0]["status"] == 200
    assert isinstance(request_log[0]["latency_ms"], float)
    # gunicorn's own access log is off by default (--access-log turns it on): the app logs each request once.
    assert not any(line["logger"] == "gunicorn.access" for line in lines)
    assert any(line["logger"] == "gunicorn.error" and line["message"] == "Shutting down: Master" for line in lines)
    assert "development server" not in err


def test_workers_access_log_and_level_are_options(tmp_path):
    process, base = _start(
        tmp_path, "--log-level", "warning", "serve", "--workers", "1", "--no-access-log", "--no-scheduler"
    )
    try:
        assert len(_children(process.pid)) == 1
        _get(f"{base}/healthz")
    finally:
        code, err = _stop(process)
    assert code == 0
    assert "gunicorn.access" not in err and "voicecart.requests" not in err  # INFO lines are below WARNING


def test_dev_server_only_when_asked(tmp_path):
    process, base = _start(tmp_path, "serve", "--dev")
    try:
        _, headers, _ = _get(f"{base}/healthz")
        assert headers["Server"].startswith("Werkzeug")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        _, err = process.communicate(timeout=20)
    assert "DEVELOPMENT server" in err


def test_bad_settings_stop_the_start_with_the_variable_named(tmp_path):
    result = subprocess.run(
        [str(VOICECART), "serve"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "VOICECART_WORKERS": "many"},
        timeout=60,
    )
    assert result.returncode == 2
    assert "VOICECART_WORKERS must be a whole number, not 'many'" in result.stderr


def test_version():
    result = subprocess.run([str(VOICECART), "--version"], capture_output=True, text=True, timeout=60)
    from importlib.metadata import version

    assert result.stdout.strip() == f"voicecart {version('voicecart')}"
