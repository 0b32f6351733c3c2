"""A household read again while the SQLite database is unchanged is the one read before; any change is seen."""

import sqlite3

import pytest

from reorder.domain.model import Household, Member
from reorder.store import open_store


@pytest.fixture
def store(tmp_path):
    store = open_store(f"sqlite:///{tmp_path}/shop.sqlite3")
    with store.unit_of_work() as uow:
        uow.households.add(Household("hh1", "Home", members=[Member("m1", "Alex")]))
    yield store
    store.close()


def read(store, household_id: str = "hh1") -> Household | None:
    with store.unit_of_work(write=False) as uow:
        return uow.households.get(household_id)


def test_a_read_household_is_not_read_again_while_nothing_changed(store):
    first = read(store)
    statements: list[str] = []
    store._connection().set_trace_callback(statements.append)
    try:
        again = read(store)
    finally:
        store._connection().set_trace_callback(None)
    assert again == first
    assert not any("FROM households" in s for s in statements)


def test_each_reader_gets_a_household_of_its_own(store):
    first = read(store)
    assert first is not None
    first.name = "Changed in memory"
    first.members.append(Member("m2", "Sam"))
    again = read(store)
    assert again is not None and again.name == "Home" and [m.id for m in again.members] == ["m1"]


def test_a_change_by_another_connection_is_seen(store, tmp_path):
    read(store)
    other = sqlite3.connect(tmp_path / "shop.sqlite3", isolation_level=None)
    other.execute("UPDATE households SET spending_limit_cents = 5000 WHERE id = 'hh1'")
    other.close()
    household = read(store)
    assert household is not None and household.spending_limit_cents == 5000


def test_a_change_on_this_connection_is_seen(store):
    household = read(store)
    assert household is not None
    household.members.append(Member("m2", "Sam"))
    with store.unit_of_work() as uow:
        uow.households.update(household)
    again = read(store)
    assert again is not None and [m.id for m in again.members] == ["m1", "m2"]


def test_a_change_rolled_back_is_not_kept(store):
    read(store)
    with pytest.raises(RuntimeError), store.unit_of_work() as uow:
        household = uow.households.get("hh1")
        assert household is not None
        household.name = "Never saved"
        uow.households.update(household)
        assert uow.households.get("hh1").name == "Never saved"  # read inside the transaction that wrote it
        raise RuntimeError("the use case failed")
    household = read(store)
    assert household is not None and household.name == "Home"
