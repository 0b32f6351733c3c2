"""Fixtures for baby care: a family whose diapers and formula were delivered, and helpers to move time."""

from __future__ import annotations

from datetime import timedelta

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
    for _ in range(10):
        clock.advance(timedelta(hours=12))
        order = backend.orders.get(hh, placed.order.id)
        if order.status is OrderStatus.DELIVERED:
            break
    order = backend.orders.get(hh, placed.order.id)
    assert order.status is OrderStatus.DELIVERED
    return order.status_changed_at(OrderStatus.DELIVERED)
