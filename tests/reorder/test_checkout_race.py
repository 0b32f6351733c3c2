"""A checkout that loses a race on its idempotency key answers with the winner's order.

DynamoDB reads are not one snapshot: a checkout can find no order under its key, then read the cart after a
concurrent checkout with the same key has placed its order and emptied the cart. That interleaving is forced
here (the rival checkout runs between the two reads) rather than left to timing.
"""

from __future__ import annotations

import threading

import pytest

from reorder.services.backend import Backend
from reorder.store import open_store

DIAPERS = "pampers-swaddlers-size-3-84"


def test_checkout_that_finds_the_cart_emptied_by_its_own_key_returns_that_order(
    backend, household, store_url, monkeypatch
):
    if not store_url.startswith("dynamodb"):
        pytest.skip("only DynamoDB lets another writer in between the key check and the cart read")
    from reorder.store.dynamodb import DynamoCarts

    backend.carts.add(household.id, DIAPERS, 2)
    rival = Backend(open_store(store_url))
    rival_placed = []
    rival_started: list[bool] = []
    rival_errors: list[Exception] = []
    original = DynamoCarts.lines

    def rival_wins_before_the_cart_is_read(self, household_id):  # noqa: ANN001, ANN202
        if not rival_started:
            rival_started.append(True)  # the rival's own cart read (same class) must not start another

            # The rival runs its whole checkout on another thread now, before this one reads the cart.
            def rival_checkout() -> None:
                try:
                    rival_placed.append(rival.orders.checkout(household_id, channel="api", idempotency_key="raced"))
                except Exception as exc:  # reported by the assertion below, not lost in the thread
                    rival_errors.append(exc)

            worker = threading.Thread(target=rival_checkout)
            worker.start()
            worker.join(timeout=60)
        return original(self, household_id)

    monkeypatch.setattr(DynamoCarts, "lines", rival_wins_before_the_cart_is_read)
    placed = backend.orders.checkout(household.id, channel="api", idempotency_key="raced")
    assert not rival_errors and rival_placed and rival_placed[0].created
    assert placed.order.id == rival_placed[0].order.id and not placed.created
    assert [o.id for o in backend.orders.recent(household.id)] == [placed.order.id]
