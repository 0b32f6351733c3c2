"""Memory of one serving process over a long soak: RSS of a `voicecart serve --workers 1` worker every few
thousand signed requests, and its slope, beside the bare ask-sdk-core hello world on gunicorn
(bench/hello_app.py) soaked the same way in the same run.

Every request is a new request id; every SESSION_TURNS requests a new session with a new Alexa user id,
device id and a linked-account token the length Login with Amazon issues, so the per-session caches (the
identity cache, the replay window) see a real stream of distinct callers. The demo household's person id
resolves every caller, so each turn is a real read of the store. Verification is on (a local Alexa CA).
Goal (issue 20): RSS flat, i.e. a slope near 0 MB per 10k requests once warm.

Two slopes are reported. "From 20 %" fits every sample after the first fifth of the requests. "Settled" fits
only the samples taken once the process's bounded structures can be full: the replay window keeps each
request id for the timestamp tolerance (150 s), and the identity cache one answer per session up to its
session bound (10,000 sessions, 50,000 requests here). Before that point RSS grows by design, as those fill
towards their bounds; after it, growth is what the bounds do not hold. The default soak is long enough for
both to fill at a few hundred requests per second; a shorter one says it did not settle.
Run: python bench/soak_bench.py [--requests 250000] [--every 10000] [--clients 4]
"""

from __future__ import annotations

import argparse
import hashlib
import json
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
from bench.http_load_bench import SKILL_ID, Server  # noqa: E402
from skills.hosting.verification import REQUEST_TOLERANCE  # noqa: E402

IDENTITY_SESSIONS = 10_000  # skills.common.identity.IdentityCache's default session bound

SESSION_TURNS = 5
TOKEN_CHARS = 600  # "Atza|..." tokens from Login with Amazon run to several hundred characters
WARM_SHARE = 0.2  # the slope is fitted after this share of the requests (imports, pools, caches warming)
TIME_LIMIT_S = 1800.0  # per server


def _token(session: int) -> str:
    filler = hashlib.sha256(str(session).encode()).hexdigest()
    return ("Atza|" + filler * (TOKEN_CHARS // len(filler) + 1))[:TOKEN_CHARS]


def _envelope(session: int, turn: int) -> dict:
    token = _token(session)
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    user = f"amzn1.ask.account.soak{session:08d}{'X' * 180}"
    device = f"amzn1.ask.device.soak{session:08d}{'Y' * 180}"
    return {
        "version": "1.0",
        "session": {
            "new": turn == 0,
            "sessionId": f"amzn1.echo-api.session.soak-{session:08d}",
            "application": {"applicationId": SKILL_ID},
            "user": {"userId": user, "accessToken": token},
            "attributes": {},
        },
        "context": {
            "System": {
                "application": {"applicationId": SKILL_ID},
                "user": {"userId": user, "accessToken": token},
                "person": {"personId": "amzn1.ask.person.demo-adult-1"},
                "device": {"deviceId": device, "supportedInterfaces": {}},
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


def worker_pid(master: int) -> int:
    """The single gunicorn worker under `master`."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise SystemExit("no gunicorn worker appeared")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit(f"no VmRSS for process {pid}")


def slope_per_10k(points: list[tuple[int, float]]) -> float:
    """Least-squares slope of RSS (MB) against requests, in MB per 10,000 requests."""
    n = len(points)
    if n < 2:
        return 0.0
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    cov = sum((x - mean_x) * (y - mean_y) for x, y in points)
    return cov / var * 10_000 if var else 0.0


def settled(samples: list[tuple[int, float, float]]) -> list[tuple[int, float]]:
    """The samples taken once the replay window and the identity cache can both be full (see above)."""
    window = REQUEST_TOLERANCE.total_seconds()
    return [(n, rss) for n, rss, at in samples if at >= window and n >= IDENTITY_SESSIONS * SESSION_TURNS]


def soak(server: Server, ca, total: int, every: int, clients: int) -> list[tuple[int, float, float]]:  # noqa: ANN001
    """(requests answered, RSS in MB, seconds since the soak began), every `every` requests."""
    pid = worker_pid(server.process.pid)
    began = time.monotonic()
    samples = [(0, rss_mb(pid), 0.0)]
    lock = threading.Lock()
    state = {"next": 0, "done": 0, "failures": 0}
    deadline = time.monotonic() + TIME_LIMIT_S

    def client() -> None:
        http = requests.Session()
        while time.monotonic() < deadline:
            with lock:
                n = state["next"]
                if n >= total:
                    return
                state["next"] += 1
            session, turn = divmod(n, SESSION_TURNS)
            body = json.dumps(_envelope(session, turn)).encode()
            headers = {"Content-Type": "application/json", **ca.sign(body)}
            status = http.post(server.url + "/alexa", data=body, headers=headers, timeout=30).status_code
            with lock:
                state["done"] += 1
                state["failures"] += status != 200
                if state["done"] % every == 0:
                    samples.append((state["done"], rss_mb(pid), time.monotonic() - began))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if state["failures"]:
        raise SystemExit(f"{state['failures']} requests were not answered with 200")
    if state["done"] < total:  # a slow machine gives a shorter soak, still reported
        print(f"time limit: {state['done']:,} of {total:,} requests in {TIME_LIMIT_S:.0f} s", file=sys.stderr)
    if samples[-1][0] != state["done"]:
        samples.append((state["done"], rss_mb(pid), time.monotonic() - began))
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=250_000, help="requests per server (default 250,000)")
    parser.add_argument("--every", type=int, default=10_000, help="sample RSS every N requests (default 10,000)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (default 4)")
    args = parser.parse_args(argv)

    from device_sim.signing import LocalAlexaCA

    work = Path(tempfile.mkdtemp(prefix="voicecart-soak-"))
    ca = LocalAlexaCA.create(work / "voicecart" / "alexa-local-ca")
    store = f"sqlite:///{work / 'soak.sqlite3'}"
    results = {}
    for name, server_store, flags in (
        ("hello world, bare ask-sdk (baseline)", None, ()),
        ("voicecart, verification on", store, ("--trust-local-ca", "--skill-id", SKILL_ID)),
    ):
        server = Server(server_store, work, 1, *flags)
        try:
            results[name] = soak(server, ca, args.requests, args.every, args.clients)
        finally:
            server.stop()

    counts = sorted({count for samples in results.values() for count, _, _ in samples})
    print_table(
        f"RSS of one worker over {args.requests:,} signed requests ({args.clients} clients, MB)",
        ["requests", *results],
        [
            [f"{count:,}", *({n: r for n, r, _ in samples}.get(count, "") for samples in results.values())]
            for count in counts
        ],
    )
    rows = []
    for name, samples in results.items():
        warm = [(n, r) for n, r, _ in samples if n >= args.requests * WARM_SHARE]
        steady = settled(samples)
        rows.append(
            [
                name,
                samples[0][1],
                samples[-1][1],
                f"{slope_per_10k(warm):+.2f}",
                f"{slope_per_10k(steady):+.2f} from {steady[0][0]:,}" if len(steady) >= 3 else "did not settle",
            ]
        )
    print_table(
        f"Soak summary (slopes in MB per 10k requests; from {WARM_SHARE:.0%} of the requests on, and once settled)",
        ["server", "RSS start MB", "RSS end MB", f"from {WARM_SHARE:.0%}", "settled"],
        rows,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
