"""Orders per second on PostgreSQL when several households order at once, with and without household locks.

Each of P processes (a server's workers, or several servers) places orders for its own household through the
order service, at the same moment. Two rows, alternating, in the same run:

- one lock for all writers: every write takes the application-wide advisory lock alone (what every write did
  before writers named their household), so the households' orders go one at a time;
- household locks: an order takes the application-wide lock shared and its household's lock alone, so
  different households' orders overlap (`reorder/store/postgres.py`).

The ratio is the second row against the first. Run: python bench/household_writers_bench.py [--processes 4]
[--orders 150] [--rounds 3]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._table import print_table  # noqa: E402
from bench.store_bench import postgres_store  # noqa: E402
from reorder.catalog import load_default_catalog  # noqa: E402
from reorder.services.backend import Backend  # noqa: E402
from reorder.store import open_store  # noqa: E402


def _orders(url: str, household_id: str, product_id: str, n: int, household_locks: bool, start, done) -> None:  # noqa: ANN001
    store = open_store(url)
    if not household_locks:
        unit_of_work = store.unit_of_work

        def one_lock(*, write: bool = True, household: str | None = None):  # noqa: ANN202
            return unit_of_work(write=write)  # the household dropped: the application-wide lock alone

        store.unit_of_work = one_lock  # type: ignore[method-assign]
    backend = Backend(store)
    start.wait()
    began = time.perf_counter()
    for i in range(n):
        backend.orders.place(household_id, [(product_id, 1)], channel="api", idempotency_key=f"k{i}")
    done.put(time.perf_counter() - began)
    store.close()


def measure(url: str, households: list[str], product_id: str, n: int, household_locks: bool) -> float:
    ctx = mp.get_context("spawn")
    start = ctx.Barrier(len(households) + 1)
    done = ctx.Queue()
    procs = [
        ctx.Process(target=_orders, args=(url, h, product_id, n, household_locks, start, done)) for h in households
    ]
    for p in procs:
        p.start()
    start.wait()
    began = time.perf_counter()
    for _ in procs:
        done.get(timeout=600)
    elapsed = time.perf_counter() - began
    for p in procs:
        p.join(60)
        if p.exitcode != 0:
            raise SystemExit(f"a worker failed with exit code {p.exitcode}")
    return len(households) * n / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=4, help="households ordering at once (default 4)")
    parser.add_argument("--orders", type=int, default=150, help="orders per household per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="alternating measurements of each row")
    args = parser.parse_args()
    rates: dict[bool, list[float]] = {False: [], True: []}
    with postgres_store() as url:
        backend = Backend(open_store(url))
        product = next(p for p in load_default_catalog() if not p.discontinued)
        backend.catalog.load(load_default_catalog())
        for round_no in range(args.rounds):
            for household_locks in (False, True):
                # Fresh households each time, so every order is a new one (idempotency keys restart at k0).
                homes = [
                    backend.households.create(f"bench {round_no} {household_locks} {n}", members=[("A", "adult")])
                    for n in range(args.processes)
                ]
                rates[household_locks].append(
                    measure(url, [h.id for h in homes], product.id, args.orders, household_locks)
                )
        backend.close()
    base = statistics.median(rates[False])
    rows = [
        [name, min(rates[locks]), statistics.median(rates[locks]), max(rates[locks]),
         f"{statistics.median(rates[locks]) / base:.2f}x"]
        for name, locks in (("one lock for all writers (before)", False), ("household locks", True))
    ]  # fmt: skip
    print_table(
        f"Orders/s on PostgreSQL, {args.processes} households ordering at once "
        f"({args.orders} orders each, {args.rounds} alternating rounds)",
        ["writers", "min", "median", "max", "vs one lock"],
        rows,
    )


if __name__ == "__main__":
    main()
