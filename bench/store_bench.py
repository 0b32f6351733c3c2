"""Order placement and ordering button presses per second on each store, in one table.

SQLite (a temp file), PostgreSQL (a temp database on 127.0.0.1:5432, created and dropped here) and DynamoDB
(moto's local server, started and stopped here; its speed is moto's, not AWS's). Each figure is also given
as a ratio to SQLite's order placement measured in the same run. Run: python bench/store_bench.py
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._table import print_table  # noqa: E402
from reorder.catalog import load_default_catalog  # noqa: E402
from reorder.services.backend import Backend  # noqa: E402
from reorder.store import open_store  # noqa: E402

PG_ADMIN = os.environ.get("VOICECART_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")


@contextmanager
def sqlite_store() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as tmp:
        yield f"sqlite:///{tmp}/bench.sqlite3"


@contextmanager
def postgres_store() -> Iterator[str]:
    import psycopg

    name = f"voicecart_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def dynamodb_store() -> Iterator[str]:
    from reorder.store.dynamodb import DynamoStore

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "bench")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "bench")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # The suite's local DynamoDB: moto, one request at a time, so transactions are atomic as on DynamoDB.
    script = Path(__file__).resolve().parent.parent / "tests" / "dynamo_server.py"
    server = subprocess.Popen(
        [sys.executable, str(script), str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        url = f"dynamodb://bench?region=us-east-1&endpoint=http://127.0.0.1:{port}"
        DynamoStore(url).create_table()
        yield url
    finally:
        server.kill()
        server.wait(timeout=10)


def rate(action: Callable[[int], object], n: int) -> float:
    start = time.perf_counter()
    for i in range(n):
        action(i)
    return n / (time.perf_counter() - start)


def measure(url: str, n: int) -> tuple[float, float]:
    backend = Backend(open_store(url))
    products = [p for p in load_default_catalog() if not p.discontinued][:50]
    backend.catalog.load(products)
    home = backend.households.create("bench", members=[("A", "adult")], member_pricing=True)
    orders = rate(
        lambda i: backend.orders.place(
            home.id, [(products[i % 50].id, 1)], channel="api", idempotency_key=f"bench-{i}"
        ),
        n,
    )
    # Every press orders (allow_multiple), so this measures the press's full exactly-once transaction.
    button = backend.buttons.create(home.id, "bench", products[0].id, allow_multiple=True)
    presses = rate(lambda i: backend.buttons.press(home.id, button.id), n)
    backend.close()
    return orders, presses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--operations", type=int, default=500, help="orders and presses measured per store")
    args = parser.parse_args()
    results = {}
    for name, opener in (("sqlite", sqlite_store), ("postgresql", postgres_store), ("dynamodb (moto)", dynamodb_store)):
        print(f"  measuring {name} ...", file=sys.stderr, flush=True)
        try:
            with opener() as url:
                # moto answers a few requests a second: a smaller sample says as much about it.
                results[name] = measure(url, min(args.operations, 100) if "moto" in name else args.operations)
        except Exception as exc:  # a store that cannot be reached is reported, not fatal
            print(f"  {name}: skipped ({exc})", file=sys.stderr)
    base = results["sqlite"][0]
    rows = []
    for name, (orders, presses) in results.items():
        rows.append([name, orders, f"{orders / base:.2f}x", presses, f"{presses / base:.2f}x"])
    print_table(
        f"Store throughput, one process, {args.operations} operations each (moto: at most 100; "
        "baseline: SQLite orders/s)",
        ["store", "orders/s", "vs baseline", "presses/s", "vs baseline"],
        rows,
    )


if __name__ == "__main__":
    main()
