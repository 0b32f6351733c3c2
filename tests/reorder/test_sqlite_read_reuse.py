"""A household (or its purchase counts) read again while their tables are unchanged is the one read before;
any change to them, by this connection or another, is seen."""

import sqlite3

import pytest

from reorder.domain.catalog import Product
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


def statements_of(store, use) -> list[str]:  # noqa: ANN001
    statements: list[str] = []
    store._connection().set_trace_callback(statements.append)
    try:
        use()
    finally:
        store._connection().set_trace_callback(None)
    return statements


def test_a_read_household_is_not_read_again_while_nothing_changed(store):
    first = read(store)
    seen = []
    assert not any("FROM households" in s for s in statements_of(store, lambda: seen.append(read(store))))
    assert seen == [first]


def test_writing_other_tables_keeps_the_household_and_writing_its_own_does_not(store):
    read(store)
    with store.unit_of_work() as uow:
        uow.products.upsert_many([Product("p1", "Brand", "", "paper towels", "household")])
    assert not any("FROM households" in s for s in statements_of(store, lambda: read(store)))
    with store.unit_of_work() as uow:  # any statement, not only the repository's own
        uow.conn.execute("UPDATE members SET name = 'Alexandra' WHERE id = 'm1'")
    household = read(store)
    assert household is not None and household.members[0].name == "Alexandra"


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


def test_purchase_counts_are_kept_until_the_households_purchases_change(store):
    def counts() -> dict[str, int]:
        with store.unit_of_work(write=False) as uow:
            return uow.orders.purchase_counts("hh1")

    assert counts() == {}
    assert not any("purchase_stats" in s for s in statements_of(store, counts))
    with store.unit_of_work() as uow:
        uow.conn.execute(
            "INSERT INTO purchase_stats (household_id, product_id, times_ordered, total_quantity, last_quantity, "
            "last_ordered_at) VALUES ('hh1', 'p1', 2, 3, 1, '2026-11-02T14:00:00.000000+00:00')"
        )
    assert counts() == {"p1": 2}
    with store.unit_of_work(write=False) as uow:
        assert [(i.product_id, i.last_quantity) for i in uow.orders.purchase_history("hh1")] == [("p1", 1)]
        uow.orders.purchase_history("hh1").clear()  # a list of the caller's own
        assert len(uow.orders.purchase_history("hh1")) == 1


def test_a_product_read_again_is_the_one_read_before_until_the_catalog_changes(store, tmp_path):
    def price() -> int:
        with store.unit_of_work(write=False) as uow:
            product = uow.products.get("p1")
            assert product is not None
            return product.price_cents

    with store.unit_of_work() as uow:
        uow.products.upsert_many([Product("p1", "Brand", "", "paper towels", "household", price_cents=500)])
    assert price() == 500
    assert not any("FROM products" in s for s in statements_of(store, price))
    with store.unit_of_work() as uow:  # a price feed through this connection
        uow.products.upsert_many([Product("p1", "Brand", "", "paper towels", "household", price_cents=450)])
    assert price() == 450
    other = sqlite3.connect(tmp_path / "shop.sqlite3", isolation_level=None)
    other.execute("UPDATE products SET price_cents = 400 WHERE id = 'p1'")  # another process's import
    other.close()
    assert price() == 400
    with store.unit_of_work(write=False) as uow:
        assert set(uow.products.get_many(["p1", "nope", "p1"])) == {"p1"}
