"""Orders placed through `POST /api/orders` on SQLite and PostgreSQL, beside the bare driver writing the same rows.

Per store, in the same run:

- floor: the bare driver (sqlite3, psycopg) writes the five rows one order of one line makes (the order, its
  line, its "placed" history entry, its outbox notification, the household's purchase statistics), one
  transaction per order: BEGIN, five statements, COMMIT;
- REST: the Flask app in process (its test client: no sockets, so the figure is the app's and the store's),
  one client, a bearer token and a fresh Idempotency-Key per order;
- statements per order: SQL statements on SQLite (BEGIN and COMMIT included), round trips to the server on
  PostgreSQL (each query or pipeline sync libpq sends, the pool's connection check included), counted over
  the REST requests.

Beside each rate, the CPU time this process spent per order (`time.process_time`, all its threads): what the
client side costs whatever the disk is doing (on PostgreSQL, a busy disk makes every COMMIT wait for its
flush, on both sides alike, and so moves both rates and the ratio a lot).

On SQLite the floor's connection has the store's own settings (`SqliteStore._open`: foreign keys checked,
WAL, synchronous NORMAL, the log copied back only past the store's backstop), and every timed run of either
side starts with the log checkpointed, untimed: before, the floor checked no foreign key, and copied back
at its first commits the log the REST run before it had left (up to the store's backstop of 10,000 pages).

Both sides write into one database, so both meet the same tables and indexes.

A third row, measured in the same rounds, is Flask alone: the same test client sending the same request to
a view that reads the JSON body and answers 201 with a small JSON object, no hooks, no token, no store. Its
ratio to the floor is what no Flask app can beat in this bench.

Run: python bench/rest_order_bench.py [--orders N] [--rounds 3]  (REST and floor alternate, round by round)
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._table import print_table  # noqa: E402
from bench.store_bench import postgres_store, sqlite_store  # noqa: E402  (scratch databases)
from reorder.catalog import load_default_catalog  # noqa: E402
from reorder.services.backend import Backend  # noqa: E402
from reorder.store import open_store  # noqa: E402
from reorder.store.sqlite_checkpoint import BACKSTOP_PAGES  # noqa: E402

FLOOR_ROWS = (
    "INSERT INTO orders (id, household_id, status, channel, subtotal_cents, savings_cents, placed_at, "
    "estimated_delivery, idempotency_key, next_transition_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
    "INSERT INTO order_lines (order_id, position, product_id, name, quantity, unit_price_cents) VALUES (?,?,?,?,?,?)",
    "INSERT INTO order_history (order_id, seq, status, at, note) VALUES (?,?,?,?,?)",
    "INSERT INTO outbox (id, household_id, order_id, kind, message, created_at) VALUES (?,?,?,?,?,?)",
    "INSERT INTO purchase_stats (household_id, product_id, times_ordered, total_quantity, last_quantity, "
    "last_ordered_at) VALUES (?, ?, 1, 1, 1, ?) ON CONFLICT (household_id, product_id) DO UPDATE SET "
    "times_ordered = purchase_stats.times_ordered + 1, total_quantity = purchase_stats.total_quantity + 1, "
    "last_quantity = 1, last_ordered_at = excluded.last_ordered_at",
)


def floor_params(i: int, household_id: str, product_id: str, now: str) -> list[tuple[Any, ...]]:
    oid = f"F{i:09d}"
    return [
        (oid, household_id, "placed", "web", 1000, 0, now, "2030-01-01", f"floor-{i}", now),
        (oid, 0, product_id, "x", 1, 1000),
        (oid, 0, "placed", now, ""),
        (f"N{i:09d}", household_id, oid, "order_placed", "Your order is placed.", now),
        (household_id, product_id, now),
    ]


def sqlite_floor(path: str, household_id: str, product_ids: list[str], n: int, first: int = 0) -> float:
    # The store's connection settings (SqliteStore._open), so both sides check and log the same way.
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(f"PRAGMA wal_autocheckpoint = {BACKSTOP_PAGES}")
    now = datetime.now(UTC).isoformat()
    start = time.perf_counter()
    for i in range(first, first + n):
        conn.execute("BEGIN IMMEDIATE")
        for statement, params in zip(FLOOR_ROWS, floor_params(i, household_id, product_ids[i % 50], now), strict=True):
            conn.execute(statement, params)
        conn.execute("COMMIT")
    rate = n / (time.perf_counter() - start)
    conn.close()
    return rate


def postgres_floor(url: str, household_id: str, product_ids: list[str], n: int, first: int = 0) -> float:
    import psycopg

    statements = [s.replace("?", "%s") for s in FLOOR_ROWS]
    now = datetime.now(UTC).isoformat()
    with psycopg.connect(url) as conn:
        start = time.perf_counter()
        for i in range(first, first + n):
            # psycopg opens the transaction (BEGIN) with the first statement; commit() ends it.
            for statement, params in zip(
                statements, floor_params(i, household_id, product_ids[i % 50], now), strict=True
            ):
                conn.execute(statement, params)
            conn.commit()
        return n / (time.perf_counter() - start)


class SqliteCounter:
    """SQL statements run on the store's connection of this thread (sqlite3's trace callback)."""

    def __init__(self, backend: Backend) -> None:
        self.count = 0
        backend.store._connection().set_trace_callback(self._seen)  # type: ignore[attr-defined]

    def _seen(self, _statement: str) -> None:
        self.count += 1


class PostgresCounter:
    """Round trips to the server: libpq's protocol trace of every pooled connection, counting the messages
    that make the server answer (a simple Query, or the Sync closing an extended-protocol batch)."""

    def __init__(self, backend: Backend, trace_dir: str) -> None:
        self.paths: list[Path] = []
        pool = backend.store._pool  # type: ignore[attr-defined]
        self._files = []
        # Every connection the pool holds now; the bench uses one thread, so one of them serves it.
        for i, conn in enumerate(list(pool._pool)):
            path = Path(trace_dir) / f"trace{i}.log"
            handle = open(path, "w")  # noqa: SIM115 - kept open while libpq writes to it
            conn.pgconn.trace(handle.fileno())
            self._files.append((conn, handle))
            self.paths.append(path)

    @property
    def count(self) -> int:
        total = 0
        for _conn, handle in self._files:
            handle.flush()
            for line in Path(handle.name).read_text().splitlines():
                parts = line.split("\t")
                if len(parts) > 2 and parts[1] == "F" and parts[3] in ("Query", "Sync"):
                    total += 1
                elif len(parts) > 2 and parts[0] == "F" and parts[2] in ("Query", "Sync"):
                    total += 1
        return total

    def stop(self) -> None:
        for conn, handle in self._files:
            conn.pgconn.untrace()
            handle.close()


class RestOrders:
    """POST /api/orders through the app's test client, for one household; `per_order` is counted on setup."""

    def __init__(self, url: str, count: Callable[[Backend], Any]) -> None:
        from voicecart.app import create_app

        self.backend = Backend(open_store(url))
        self.products = [p for p in load_default_catalog() if not p.discontinued][:50]
        self.backend.catalog.load(self.products)
        home = self.backend.households.create("bench", members=[("A", "adult")], member_pricing=True)
        self.household_id = home.id
        token = self.backend.households.issue_token(home.id, "bench")
        self.client = create_app(self.backend).test_client()
        self.headers = {"Authorization": f"Bearer {token}"}
        for i in range(20):  # warm up: the first requests import and build what later ones reuse
            self.order(i)
        counter = count(self.backend)
        before = counter.count
        counted = 50
        for i in range(counted):
            self.order(i)
        self.per_order = (counter.count - before) / counted
        if hasattr(counter, "stop"):
            counter.stop()

    def order(self, i: int) -> None:
        answer = self.client.post(
            "/api/orders",
            json={"items": [{"product_id": self.products[i % 50].id, "quantity": 1}]},
            headers={**self.headers, "Idempotency-Key": f"rest-{uuid.uuid4().hex}"},
        )
        if answer.status_code != 201:
            raise RuntimeError(f"POST /api/orders answered {answer.status_code}: {answer.get_data(as_text=True)}")

    def rate(self, n: int) -> float:
        start = time.perf_counter()
        for i in range(n):
            self.order(i)
        return n / (time.perf_counter() - start)

    @property
    def ids(self) -> tuple[str, list[str]]:
        """(the household's id, the product ids): what the floor writes its rows for."""
        return self.household_id, [p.id for p in self.products]


def sqlite_settle(path: str) -> None:
    """Copy the whole log back into the database, untimed, so no timed run copies back another's writes."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    conn.close()


def spread(values: list[float]) -> tuple[float, float, float]:
    return min(values), statistics.median(values), max(values)


class FlaskAlone:
    """The web stack alone: the same test client and request as RestOrders, a view that touches no store."""

    def __init__(self) -> None:
        from flask import Flask, jsonify, request

        app = Flask("flask_alone")

        @app.post("/api/orders")
        def place() -> Any:
            items = request.get_json()["items"]
            return jsonify({"order": {"id": "F0", "lines": items}, "created": True}), 201

        self.client = app.test_client()
        self.headers = {"Authorization": "Bearer x"}

    def rate(self, n: int) -> float:
        start = time.perf_counter()
        for i in range(n):
            self.client.post(
                "/api/orders",
                json={"items": [{"product_id": f"p{i % 50}", "quantity": 1}]},
                headers={**self.headers, "Idempotency-Key": f"rest-{uuid.uuid4().hex}"},
            )
        return n / (time.perf_counter() - start)


def _with_cpu(run: Callable[[], float], n: int, cpu: list[float]) -> float:
    """`run()`'s rate; appends the CPU milliseconds per order this process spent in it (all its threads)."""
    start = time.process_time()
    rate = run()
    cpu.append((time.process_time() - start) * 1000 / n)
    return rate


def alternate(
    rest: RestOrders,
    floor: Callable[[int, int], float],
    n: int,
    rounds: int,
    settle: Callable[[], None] = lambda: None,
    alone: FlaskAlone | None = None,
) -> dict[str, list[float]]:
    """Each round's REST and floor orders/s ("rest", "floor"), ratio ("ratio"), this process's CPU ms per order
    ("rest_cpu", "floor_cpu") and Flask alone's requests/s ("alone"). A round runs REST, the floor, then Flask
    alone, so a busy moment of a shared machine falls on all, and a ratio is a round's rate over its floor
    rate. `settle` runs, untimed, before each timed run of REST and the floor."""
    got: dict[str, list[float]] = {k: [] for k in ("rest", "floor", "rest_cpu", "floor_cpu", "alone")}
    for r in range(rounds):
        settle()
        got["rest"].append(_with_cpu(lambda: rest.rate(n), n, got["rest_cpu"]))
        settle()
        got["floor"].append(_with_cpu(lambda: floor(n, r * n), n, got["floor_cpu"]))  # noqa: B023 - called at once
        if alone is not None:
            got["alone"].append(alone.rate(n))
    got["ratio"] = [a / b for a, b in zip(got["rest"], got["floor"], strict=True)]
    return got


def _measured(
    store: str,
    driver: str,
    rest: RestOrders,
    floor: Callable[[int, int], float],
    args: argparse.Namespace,
    settle: Callable[[], None] = lambda: None,
) -> list[list[Any]]:
    """The floor's row, the REST row and Flask alone's row of one store, measured alternately; the backend is
    closed after."""
    got = alternate(rest, floor, args.orders, args.rounds, settle, FlaskAlone())
    rest.backend.close()
    alone_ratios = [a / b for a, b in zip(got["alone"], got["floor"], strict=True)]

    def shown(values: list[float], fmt: str) -> str:
        return " / ".join(format(v, fmt) for v in spread(values))

    return [
        [
            store,
            f"{driver}, same 5 rows (floor)",
            shown(got["floor"], ",.0f"),
            "1.00x",
            shown(got["floor_cpu"], ".3f"),
            7,
        ],
        [
            store,
            "POST /api/orders",
            shown(got["rest"], ",.0f"),
            shown(got["ratio"], ".2f") + "x",
            shown(got["rest_cpu"], ".3f"),
            rest.per_order,
        ],
        [
            store,
            "Flask alone, same client and request",
            shown(got["alone"], ",.0f"),
            shown(alone_ratios, ".2f") + "x",
            "",
            0,
        ],
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=1_000, help="orders placed in each measurement")
    parser.add_argument("--rounds", type=int, default=3, help="alternating REST and floor measurements")
    args = parser.parse_args()
    rows: list[list[Any]] = []
    with sqlite_store() as url:
        rest = RestOrders(url, SqliteCounter)
        path = url.removeprefix("sqlite:///")
        rows += _measured(
            "sqlite",
            "bare sqlite3",
            rest,
            lambda n, first: sqlite_floor(path, *rest.ids, n, first),
            args,
            lambda: sqlite_settle(path),
        )
    try:
        with postgres_store() as url, tempfile.TemporaryDirectory() as trace_dir:
            rest = RestOrders(url, lambda b: PostgresCounter(b, trace_dir))
            rows += _measured(
                "postgresql", "bare psycopg", rest, lambda n, first: postgres_floor(url, *rest.ids, n, first), args
            )
    except Exception as exc:  # no server: the SQLite half still says something
        print(f"  postgresql: skipped ({exc})", file=sys.stderr)
    print_table(
        f"Orders through the REST API, one client, {args.orders:,} orders a round, {args.rounds} rounds alternating "
        "with the floor (min / median / max of the rounds; vs floor: each round's rate over the floor's of the "
        "same round and store)",
        ["store", "what", "orders/s", "vs floor", "CPU ms / order (this process)", "statements or round trips / order"],
        rows,
    )


if __name__ == "__main__":
    main()
