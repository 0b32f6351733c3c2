"""Order placement on the embedded SQLite store with a large order history.

Measures orders/s through the backend's use case (validation, pricing, idempotency check, order + lines +
history + outbox in one transaction) beside a bare-sqlite3 baseline that writes the same rows in one
transaction per order on the same database file, in the same run. Run: python bench/order_bench.py
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._table import print_table  # noqa: E402
from reorder.catalog import load_default_catalog  # noqa: E402
from reorder.domain.model import Order, OrderLine, OrderStatus, StatusChange  # noqa: E402
from reorder.services.backend import Backend  # noqa: E402
from reorder.store import open_store  # noqa: E402


def seed_history(backend: Backend, household_id: str, product_ids: list[str], count: int) -> None:
    start = datetime(2020, 1, 1, tzinfo=UTC)
    batch = 5000
    made = 0
    while made < count:
        with backend.store.unit_of_work() as uow:
            for i in range(made, min(count, made + batch)):
                at = start + timedelta(minutes=30 * i)
                pid = product_ids[i % len(product_ids)]
                line = OrderLine(pid, pid, 1 + i % 3, 1000)
                uow.orders.add(
                    Order(
                        id=f"H{i:09d}",
                        household_id=household_id,
                        lines=[line],
                        subtotal_cents=line.line_total_cents,
                        savings_cents=0,
                        status=OrderStatus.DELIVERED,
                        channel="api",
                        placed_at=at,
                        estimated_delivery=(at + timedelta(days=2)).date(),
                        idempotency_key=f"hist-{i}",
                        history=[StatusChange(OrderStatus.PLACED, at), StatusChange(OrderStatus.DELIVERED, at)],
                    )
                )
        made = min(count, made + batch)
        print(f"  history: {made:,}/{count:,} orders", file=sys.stderr, end="\r", flush=True)
    print(file=sys.stderr)


def bench_backend(backend: Backend, household_id: str, product_ids: list[str], n: int) -> float:
    t0 = time.perf_counter()
    for i in range(n):
        backend.orders.place(
            household_id, [(product_ids[i % len(product_ids)], 1 + i % 3)], channel="api", idempotency_key=f"bench-{i}"
        )
    return n / (time.perf_counter() - t0)


def bench_bare(path: str, household_id: str, product_ids: list[str], n: int) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    now = datetime.now(UTC).isoformat()
    t0 = time.perf_counter()
    for i in range(n):
        oid = f"B{i:09d}"
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO orders (id, household_id, status, channel, subtotal_cents, savings_cents, placed_at, "
            "estimated_delivery, idempotency_key) VALUES (?,?,?,?,?,?,?,?,?)",
            (oid, household_id, "placed", "api", 1000, 0, now, "2030-01-01", f"bare-{i}"),
        )
        conn.execute(
            "INSERT INTO order_lines VALUES (?,?,?,?,?,?)", (oid, 0, product_ids[i % len(product_ids)], "x", 1, 1000)
        )
        conn.execute("INSERT INTO order_history VALUES (?,?,?,?,?)", (oid, 0, "placed", now, ""))
        conn.execute("COMMIT")
    rate = n / (time.perf_counter() - t0)
    conn.close()
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--history", type=int, default=100_000, help="orders already in the history")
    parser.add_argument("--orders", type=int, default=2_000, help="orders placed in each measurement")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "bench.sqlite3")
        backend = Backend(open_store(f"sqlite:///{path}"))
        catalog = load_default_catalog()
        backend.catalog.load(catalog)
        product_ids = [p.id for p in catalog if not p.discontinued][:50]
        household = backend.households.create("bench", members=[("A", "adult")], member_pricing=True)
        seed_history(backend, household.id, product_ids, args.history)
        bare = bench_bare(path, household.id, product_ids, args.orders)
        full = bench_backend(backend, household.id, product_ids, args.orders)
        print_table(
            f"Order placement, SQLite (WAL), {args.history:,}-order history, {args.orders:,} orders each",
            ["what", "orders/s", "vs baseline"],
            [
                ["bare sqlite3: same rows, one transaction per order (baseline)", bare, "1.00x"],
                ["backend use case: validate, price, idempotency, outbox", full, f"{full / bare:.2f}x"],
            ],
        )


if __name__ == "__main__":
    main()
