"""The reads a voice turn makes find their rows through an index, not by scanning a household's history.

These run on SQLite (the plans are SQLite's); PostgreSQL gets the same indexes from the same migrations.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

DIAPERS = "pampers-swaddlers-size-3-84"


@pytest.fixture
def store_url(tmp_path) -> str:  # SQLite only, whatever the folder's other tests run on
    return f"sqlite:///{tmp_path / 'plans.sqlite3'}"


@pytest.fixture
def busy_household(backend, household, clock):
    for _ in range(30):
        backend.orders.place(household.id, [(DIAPERS, 1)], channel="web")
        clock.advance(timedelta(days=4))
    backend.orders.place(household.id, [(DIAPERS, 2)], channel="web")
    return backend, household


def _plans_of(backend, read) -> list[str]:  # noqa: ANN001
    """The query plan of every SELECT that `read(uow)` runs."""
    conn = backend.store._connection()
    conn.forget()  # rows kept from earlier reads (reorder/store/sqlite.py's _Connection) are read again here
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        with backend.store.unit_of_work(write=False) as uow:
            read(uow)
    finally:
        conn.set_trace_callback(None)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert selects, "the read ran no SELECT"
    return [" / ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + s)) for s in selects]


@pytest.mark.parametrize(
    "read",
    [
        pytest.param(lambda uow, hh, now: uow.orders.open_orders(hh), id="orders on their way"),
        pytest.param(lambda uow, hh, now: uow.orders.due(now, limit=1, household_id=hh), id="status changes due"),
        pytest.param(lambda uow, hh, now: uow.households.get(hh), id="household with members"),
        pytest.param(lambda uow, hh, now: uow.orders.purchase_counts(hh), id="what the household buys"),
        pytest.param(
            lambda uow, hh, now: uow.orders.recent_with_products(hh, [DIAPERS], now - timedelta(days=2)),
            id="recent orders of a product (every reorder)",
        ),
        pytest.param(
            lambda uow, hh, now: uow.conn.execute(  # what a cancel runs to find the newest purchase left
                "SELECT o.placed_at, l.quantity FROM orders o CROSS JOIN order_lines l "
                "WHERE l.order_id = o.id AND o.household_id = ? AND o.status != 'cancelled' AND l.product_id = ? "
                "ORDER BY o.placed_at DESC, l.position DESC LIMIT 1",
                (hh, DIAPERS),
            ).fetchall(),
            id="newest purchase",
        ),
    ],
)
def test_turn_reads_use_an_index_and_never_sort(busy_household, clock, read):
    backend, household = busy_household
    plans = _plans_of(backend, lambda uow: read(uow, household.id, clock.now()))
    for plan in plans:
        assert "SCAN" not in plan.replace("SCAN CONSTANT ROW", ""), plan
        # A sort of ties only ("RIGHT PART") stops at the first rows; a sort of everything found would not.
        assert "TEMP B-TREE" not in plan.replace("USE TEMP B-TREE FOR RIGHT PART OF ORDER BY", ""), plan
