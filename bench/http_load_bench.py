"""The Alexa skill endpoint over real HTTP, under load: latency (p50, p99) and requests per second with
request verification on (`voicecart serve --trust-local-ca`) and off (`--no-verify`, the baseline measured in
the same run), at several numbers of concurrent clients.

`voicecart serve` runs in a subprocess on a fresh SQLite file, on 127.0.0.1 only; this process is the client,
sending requests signed by a local Alexa CA made for the run (ReadCartIntent of the demo household, a real
read of the store). Every scenario is bounded by a request count and a time limit.
Run: python bench/http_load_bench.py [--quick] [--requests N] [--clients 1,4,16] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from bench._table import print_table  # noqa: E402

SKILL_ID = "amzn1.ask.skill.9d5f4c2e-voicecart-0000-0000-000000000001"
TIME_LIMIT_S = 30.0  # per scenario: a slow machine gives fewer requests, not a longer run


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`voicecart serve` in a subprocess; XDG_DATA_HOME points its local CA at the run's own directory."""

    def __init__(self, store_url: str | None, data_home: Path, workers: int, *flags: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "XDG_DATA_HOME": str(data_home)}
        if store_url is None:  # the bare hello world, on gunicorn with the worker model voicecart serve uses
            command = [
                sys.executable, "-m", "gunicorn", "-k", "gthread", "--threads", "4", "-w", str(workers),
                "-b", f"127.0.0.1:{self.port}", "bench.hello_app:create()",
            ]  # fmt: skip
        else:
            command = [
                sys.executable, "-m", "voicecart.cli", "--store", store_url, "serve",
                "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers), *flags,
            ]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{' '.join(command[2:])} exited with {self.process.returncode}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        self.stop()
        raise SystemExit("voicecart serve did not start within 60 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


def _envelope() -> dict:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "version": "1.0",
        "session": {
            "new": True,
            "sessionId": f"amzn1.echo-api.session.{uuid.uuid4()}",
            "application": {"applicationId": SKILL_ID},
            "user": {"userId": "amzn1.ask.account.demo-adult-1"},
            "attributes": {},
        },
        "context": {
            "System": {
                "application": {"applicationId": SKILL_ID},
                "user": {"userId": "amzn1.ask.account.demo-adult-1"},
                "person": {"personId": "amzn1.ask.person.demo-adult-1"},
                "device": {"deviceId": "amzn1.ask.device.demo-kitchen-echo", "supportedInterfaces": {}},
            }
        },
        "request": {
            "type": "IntentRequest",
            "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
            "timestamp": now,
            "locale": "en-US",
            "intent": {"name": "ReadCartIntent", "confirmationStatus": "NONE", "slots": {}},
        },
    }


def _signed(ca, count: int) -> list[tuple[bytes, dict[str, str]]]:  # noqa: ANN001 - a LocalAlexaCA
    out = []
    for _ in range(count):
        body = json.dumps(_envelope()).encode()
        out.append((body, {"Content-Type": "application/json", **ca.sign(body)}))
    return out


def drive(url: str, batch: list[tuple[bytes, dict[str, str]]], clients: int) -> dict:
    """Send `batch` with `clients` concurrent keep-alive connections; latencies in ms."""
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    queue = list(reversed(batch))
    deadline = time.monotonic() + TIME_LIMIT_S

    def client() -> None:
        nonlocal failures
        session = requests.Session()
        while time.monotonic() < deadline:
            with lock:
                if not queue:
                    return
                body, headers = queue.pop()
            started = time.perf_counter()
            response = session.post(url + "/alexa", data=body, headers=headers, timeout=30)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                failures += response.status_code != 200

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "failures": failures,
        "rps": len(latencies) / wall,
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="150 requests per scenario, 1 and 8 clients")
    parser.add_argument("--requests", type=int, default=None, help="requests per scenario (default 600)")
    parser.add_argument("--clients", default=None, help="comma-separated concurrent clients (default 1,4,16)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (default 2)")
    parser.add_argument("--json", metavar="FILE", help="also write the measurements as JSON (for plots)")
    args = parser.parse_args(argv)
    count = args.requests or (150 if args.quick else 600)
    levels = [int(c) for c in (args.clients or ("1,8" if args.quick else "1,4,16")).split(",")]

    from device_sim.signing import LocalAlexaCA

    work = Path(tempfile.mkdtemp(prefix="voicecart-load-"))
    ca = LocalAlexaCA.create(work / "voicecart" / "alexa-local-ca")  # where the server's XDG_DATA_HOME finds it
    store = f"sqlite:///{work / 'load.sqlite3'}"
    results: list[dict] = []
    for mode, server_store, flags in (
        ("hello world, bare ask-sdk (baseline)", None, ()),
        ("voicecart, verification off", store, ("--no-verify",)),
        ("voicecart, verification on", store, ("--trust-local-ca", "--skill-id", SKILL_ID)),
    ):
        server = Server(server_store, work, args.workers, *flags)
        try:
            drive(server.url, _signed(ca, 20), 1)  # warm-up: imports, the catalog index, the chain cache
            for clients in levels:
                measured = drive(server.url, _signed(ca, count), clients)
                if measured["failures"]:
                    raise SystemExit(f"{mode}: {measured['failures']} requests were not answered with 200")
                results.append({"mode": mode, "clients": clients, **measured})
        finally:
            server.stop()

    base = {r["clients"]: r for r in results if r["mode"].endswith("(baseline)")}
    rows = [
        (
            r["mode"],
            r["clients"],
            r["requests"],
            r["rps"],
            r["p50_ms"],
            r["p99_ms"],
            f"{r['rps'] / base[r['clients']]['rps']:.2f}x",
            f"{r['p50_ms'] / base[r['clients']]['p50_ms']:.2f}x",
        )
        for r in results
    ]
    print_table(
        f"Skill endpoint over HTTP ({args.workers} workers x 4 threads, signed ReadCartIntent, loopback)",
        ["scenario", "clients", "requests", "requests/s", "p50 ms", "p99 ms", "req/s vs baseline", "p50 vs baseline"],
        rows,
    )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
