"""Helpers for the grandmother test, run as separate processes so the load really is many processes.

python http_burst.py serve STORE_URL            serve the REST API on a free port; prints "PORT <n>"
python http_burst.py press URL TOKEN N START     press N times from START (epoch seconds); prints JSON
"""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request
from collections import Counter


def serve(store_url: str) -> None:
    from werkzeug.serving import make_server

    from reorder.clock import SystemClock
    from reorder.services.backend import Backend
    from reorder.store import open_store
    from voicecart.app import create_app

    backend = Backend(open_store(store_url), SystemClock())
    server = make_server("127.0.0.1", 0, create_app(backend), threaded=True)
    print(f"PORT {server.server_port}", flush=True)
    server.serve_forever()


def press(url: str, token: str, times: int, start: float) -> None:
    outcomes: Counter[str] = Counter()
    orders: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    time.sleep(max(0.0, start - time.time()))
    for _ in range(times):
        request = urllib.request.Request(url, method="POST", data=b"", headers={"Authorization": f"Bearer {token}"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, body = response.status, json.load(response)
        except urllib.error.HTTPError as exc:
            status, body = exc.code, json.load(exc)
        statuses[status] += 1
        outcomes[body.get("outcome") or body.get("error", "?")] += 1
        if body.get("order"):
            orders[body["order"]["id"]] += 1
    print(json.dumps({"outcomes": outcomes, "orders": orders, "statuses": statuses}), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2])
    else:
        press(sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]))
