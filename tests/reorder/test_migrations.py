"""Migrations bring an existing store up to date without losing what it knew."""

from __future__ import annotations

from datetime import timedelta

import pytest

from reorder.store.sqlite_schema import MIGRATIONS

DIAPERS = "pampers-swaddlers-size-3-84"
TOWELS = "bounty-select-a-size-12"


@pytest.fixture
def store_url(tmp_path) -> str:  # the SQL is SQLite's here; PostgreSQL runs the same scripts in its suite
    return f"sqlite:///{tmp_path / 'migrations.sqlite3'}"


def test_purchase_stats_are_filled_from_the_orders_a_store_already_has(backend, household, clock):
    for lines in ([(DIAPERS, 2)], [(DIAPERS, 1), (TOWELS, 3)], [(TOWELS, 1)]):
        backend.orders.place(household.id, lines, channel="web")
        clock.advance(timedelta(days=1))
    cancelled = backend.orders.place(household.id, [(DIAPERS, 5)], channel="web").order
    backend.orders.cancel(household.id, cancelled.id)
    with backend.store.unit_of_work(write=False) as uow:
        kept = sorted(uow.orders.purchase_history(household.id), key=lambda i: i.product_id)
    assert [(i.product_id, i.times_ordered, i.total_quantity, i.last_quantity) for i in kept] == [
        (TOWELS, 2, 4, 1),
        (DIAPERS, 2, 3, 1),
    ]
    # A store from before migration 9 has the orders but no stats: the migration's fill must recreate them.
    backfill = next(s for s in MIGRATIONS[8].split(";") if "INSERT INTO purchase_stats" in s)
    with backend.store.unit_of_work() as uow:
        uow.conn.execute("DELETE FROM purchase_stats")
        uow.conn.execute(backfill)
    with backend.store.unit_of_work(write=False) as uow:
        assert sorted(uow.orders.purchase_history(household.id), key=lambda i: i.product_id) == kept
