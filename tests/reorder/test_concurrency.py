"""Exactly-once under concurrency: enforced by the store, so it holds across processes."""

from __future__ import annotations

import multiprocessing as mp

from reorder.services.backend import Backend
from reorder.store import open_store

DIAPERS = "pampers-swaddlers-size-3-84"


def _checkout(url: str, household_id: str, key: str, start, results) -> None:  # noqa: ANN001
    backend = Backend(open_store(url))
    start.wait()
    placed = backend.orders.checkout(household_id, channel="api", idempotency_key=key)
    results.put((placed.order.id, placed.created))


def test_two_processes_checking_out_with_one_key_make_one_order(backend, household, store_url):
    backend.carts.add(household.id, DIAPERS, 2)
    ctx = mp.get_context("spawn")
    start = ctx.Barrier(2)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=_checkout, args=(store_url, household.id, "same-key", start, results)) for _ in range(2)
    ]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    order_ids = {order_id for order_id, _ in outcomes}
    assert len(order_ids) == 1
    assert sorted(created for _, created in outcomes) == [False, True]
    orders = backend.orders.recent(household.id)
    assert len(orders) == 1 and orders[0].lines[0].quantity == 2


def test_many_threads_many_keys_no_lost_or_doubled_orders(backend, household):
    from concurrent.futures import ThreadPoolExecutor

    keys = [f"k{i % 10}" for i in range(40)]  # 40 requests, 10 distinct keys
    with ThreadPoolExecutor(8) as pool:
        placed = list(
            pool.map(
                lambda k: backend.orders.place(household.id, [(DIAPERS, 1)], channel="api", idempotency_key=k), keys
            )
        )
    assert len({p.order.id for p in placed}) == 10
    assert sum(p.created for p in placed) == 10
    assert len(backend.orders.recent(household.id, limit=100)) == 10
