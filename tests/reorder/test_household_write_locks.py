"""PostgreSQL writers confined to one household wait only for that household (and for writers naming none).

Two households' orders no longer queue behind one application-wide lock; one household's writers still go
one at a time, and a writer that names no household (the fulfilment run, a catalog import) still waits for,
and holds off, all of them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager

import pytest
from store_fixtures import postgres_database  # noqa: F401

from reorder.catalog import load_default_catalog
from reorder.services.backend import Backend
from reorder.store import open_store
from reorder.store.postgres import PostgresStore, household_lock_key

DIAPERS = "pampers-swaddlers-size-3-84"
WAIT = 0.6  # seconds a writer holds its transaction open while another tries to start


@pytest.fixture
def store(postgres_database) -> Iterator[PostgresStore]:  # noqa: F811
    postgres_database.reset()
    opened = open_store(postgres_database.url)
    assert isinstance(opened, PostgresStore)
    yield opened
    opened.close()


def _held(work: AbstractContextManager) -> tuple[threading.Thread, threading.Event]:
    """Start `work` (a unit of work) in a thread, run its first statement and keep it open for WAIT seconds.
    A writer's lock is taken with its first statement (BEGIN, the lock and the statement go in one batch),
    so a writer that has sent nothing holds nothing."""
    inside = threading.Event()

    def hold() -> None:
        with work as uow:
            uow.households.get("hh_a")
            inside.set()
            time.sleep(WAIT)

    thread = threading.Thread(target=hold)
    thread.start()
    assert inside.wait(10)
    return thread, inside


def _seconds_to_start(work: AbstractContextManager) -> float:
    """Seconds until `work`'s first statement is answered (for a writer, once its lock is taken)."""
    started = time.perf_counter()
    with work as uow:
        uow.households.get("hh_b")
    return time.perf_counter() - started


def test_two_households_write_at_once_one_household_waits(store):
    thread, _ = _held(store.unit_of_work(household="hh_a"))
    try:
        assert _seconds_to_start(store.unit_of_work(household="hh_b")) < WAIT / 3
        assert _seconds_to_start(store.unit_of_work(household="hh_a")) > WAIT / 3
    finally:
        thread.join()


def test_a_writer_naming_no_household_waits_for_all_and_holds_off_all(store):
    thread, _ = _held(store.unit_of_work(household="hh_a"))
    try:
        assert _seconds_to_start(store.unit_of_work()) > WAIT / 3
    finally:
        thread.join()
    thread, _ = _held(store.unit_of_work())
    try:
        assert _seconds_to_start(store.unit_of_work(household="hh_b")) > WAIT / 3
    finally:
        thread.join()


def test_readers_wait_for_nobody(store):
    thread, _ = _held(store.unit_of_work())
    try:
        assert _seconds_to_start(store.unit_of_work(write=False)) < WAIT / 3
    finally:
        thread.join()


def test_household_lock_keys_are_stable_signed_32_bit_numbers():
    keys = [household_lock_key(f"hh_{n:016x}") for n in range(2000)]
    assert all(-(2**31) <= k < 2**31 for k in keys)
    assert household_lock_key("hh_a") == household_lock_key("hh_a") and len(set(keys)) == len(keys)


def test_orders_of_two_households_from_many_threads_are_each_placed_once(store):
    backend = Backend(store)
    backend.catalog.load(load_default_catalog())
    homes = [backend.households.create(f"home {n}", members=[("A", "adult")]) for n in range(3)]
    from concurrent.futures import ThreadPoolExecutor

    requests = [(home.id, f"k{i % 5}") for home in homes for i in range(15)]  # 5 distinct keys per household
    with ThreadPoolExecutor(8) as pool:
        placed = list(
            pool.map(
                lambda r: backend.orders.place(r[0], [(DIAPERS, 1)], channel="api", idempotency_key=r[1]), requests
            )
        )
    for home in homes:
        mine = [p for p in placed if p.order.household_id == home.id]
        assert len({p.order.id for p in mine}) == 5 and sum(p.created for p in mine) == 5
        assert len(backend.orders.recent(home.id, limit=50)) == 5


def test_a_writer_refused_at_its_first_statement_is_rolled_back_and_releases_its_lock(store, caplog):
    """BEGIN and the lock go with the first statement: when that statement fails, the transaction they
    opened is rolled back by the unit of work (not left for the pool to find), and the lock is free."""
    import logging

    import psycopg

    with caplog.at_level(logging.WARNING), pytest.raises(psycopg.errors.UndefinedTable):
        with store.unit_of_work(household="hh_a") as uow:
            uow.conn.execute("SELECT * FROM no_such_table")
    assert _seconds_to_start(store.unit_of_work(household="hh_a")) < WAIT / 3
    assert not [r for r in caplog.records if r.name.startswith("psycopg")]
    with store.unit_of_work(household="hh_a"):
        pass  # a writer that sends nothing opens no transaction, and commits none
