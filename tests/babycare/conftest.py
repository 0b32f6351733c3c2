"""Fixtures for baby care: a family whose diapers and formula were delivered, and helpers to move time."""

from __future__ import annotations

import pytest

from reorder.domain.model import OrderStatus

DIAPERS = "pampers-swaddlers-size-3-84"
FORMULA = "similac-pro-advance-30-8oz"


@pytest.fixture
def hh(household):
    return household.id


@pytest.fixture
def alex(household):
    return household.members[0].id


@pytest.fixture
def sam(household):
    return household.members[1].id


@pytest.fixture
def delivered(backend, clock, hh, alex):
    """One box of size 3 diapers (84) and one can of formula, delivered; the clock stops at delivery."""
    placed = backend.orders.place(hh, [(DIAPERS, 1), (FORMULA, 1)], channel="web", member_id=alex)
    order = placed.order
    while order.status is not OrderStatus.DELIVERED:
        clock.set(order.next_transition_at)  # step exactly onto each fulfilment time
        order = backend.orders.get(hh, order.id)
    return order.status_changed_at(OrderStatus.DELIVERED)
