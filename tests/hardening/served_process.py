"""A real `voicecart serve` in a subprocess on a store URL: started, waited for, and killed like a crash."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServeProcess:
    """`python -m voicecart.cli --store URL serve --port P [extra args]`, on loopback only."""

    def __init__(self, store_url: str, *extra: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.args = [
            sys.executable,
            "-m",
            "voicecart.cli",
            "--store",
            store_url,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            *extra,
        ]
        # Request lines at INFO would fill the unread stderr pipe and stall the server; problems still show.
        self.env = {**os.environ, "VOICECART_LOG_LEVEL": "WARNING", **(env or {})}
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60.0) -> ServeProcess:
        self.process = subprocess.Popen(
            self.args, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"voicecart serve exited: {self.process.stderr.read().decode()[-2000:]}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("voicecart serve did not answer /healthz in time")

    def kill(self) -> None:
        """SIGKILL to gunicorn and all its workers: no shutdown hook, no flush, no rollback in Python — what a
        power cut leaves."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()

    def __enter__(self) -> ServeProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
