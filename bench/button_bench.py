"""Button presses on the embedded SQLite store, beside plain order placement in the same run.

Three rows, each in transactions per second on one fresh database file:
- `order place` — the baseline: OrderService.place of one line (the backend's plain order use case);
- `press → ordered` — a button that allows more orders: every press places an order, claims nothing,
  records the press, in one transaction;
- `press → already in progress` — the grandmother case: one order is on its way, every press reads it,
  brings it up to date and records the press.
Ratios are against the baseline. Run: python bench/button_bench.py [--presses N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._table import print_table  # noqa: E402
from reorder.catalog import load_default_catalog  # noqa: E402
from reorder.services.backend import Backend  # noqa: E402
from reorder.store import open_store  # noqa: E402


def rate(fn, n: int) -> float:
    t0 = time.perf_counter()
    for i in range(n):
        fn(i)
    return n / (time.perf_counter() - t0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--presses", type=int, default=2000, help="operations per row (default 2000)")
    args = parser.parse_args()
    n = args.presses
    with tempfile.TemporaryDirectory() as folder:
        backend = Backend(open_store(f"sqlite:///{folder}/bench.sqlite3"))
        products = [p for p in load_default_catalog() if not p.discontinued]
        backend.catalog.load(products)
        home = backend.households.create("bench-home", members=[("Alex", "adult")])
        product = products[0].id
        free = backend.buttons.create(home.id, "free", product, allow_multiple=True)
        guarded = backend.buttons.create(home.id, "guarded", product)
        backend.buttons.press(home.id, guarded.id)  # the one order on its way

        # Warm up caches and the page cache once, then measure the rows back to back.
        backend.orders.place(home.id, [(product, 1)], channel="api")
        baseline = rate(lambda i: backend.orders.place(home.id, [(product, 1)], channel="api"), n)
        ordered = rate(lambda i: backend.buttons.press(home.id, free.id), n)
        in_progress = rate(lambda i: backend.buttons.press(home.id, guarded.id), n)
        keyed = rate(lambda i: backend.buttons.press(home.id, guarded.id, idempotency_key=f"k{i}"), n)
        counts = backend.buttons.outcome_counts(home.id, guarded.id)
        assert counts == {"ordered": 1, "already_in_progress": 2 * n}, counts
        backend.close()
    print_table(
        f"Button presses on SQLite, {n:,} operations per row (higher is better)",
        ["operation", "per second", "vs order place"],
        [
            ["order place (baseline)", baseline, "1.00x"],
            ["press -> ordered (allow_multiple)", ordered, f"{ordered / baseline:.2f}x"],
            ["press -> already in progress", in_progress, f"{in_progress / baseline:.2f}x"],
            ["press -> already in progress, keyed", keyed, f"{keyed / baseline:.2f}x"],
        ],
    )


if __name__ == "__main__":
    main()
