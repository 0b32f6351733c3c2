"""Replenishment devices on every store: registered slots, status reports, one order per low supply."""

from __future__ import annotations

from datetime import timedelta

import pytest

from reorder.domain.buttons import PressOutcome
from reorder.errors import InvalidInput, NotFound
from reorder.services.devices import SlotSpec

TIDE = "tide-pods-original-81"
TOWELS = "bounty-select-a-size-12"


def _washer(backend, household_id):
    return backend.devices.register(
        household_id,
        "Washer",
        [
            SlotSpec("detergent", TIDE, quantity=2, capacity=100, threshold=20),
            SlotSpec("dryer-sheets", TOWELS, capacity=40, threshold=5),
        ],
        model="WX-1",
    )


def test_register_get_and_list(backend, household):
    washer = _washer(backend, household.id)
    got = backend.devices.get(household.id, washer.id)
    assert (got.name, got.model) == ("Washer", "WX-1")
    assert [(s.slot, s.product_id, s.quantity, s.capacity, s.threshold, s.remaining) for s in got.slots] == [
        ("detergent", TIDE, 2, 100.0, 20.0, None),
        ("dryer-sheets", TOWELS, 1, 40.0, 5.0, None),
    ]
    printer = backend.devices.register(household.id, "Printer", [SlotSpec("ink", TOWELS)])
    assert {d.id for d in backend.devices.list(household.id)} == {washer.id, printer.id}
    # The slots' buttons are the device's own: not listed with the household's buttons.
    assert backend.buttons.list(household.id) == []
    other = backend.households.create("next-door", members=[("Pat", "adult")])
    with pytest.raises(NotFound):
        backend.devices.get(other.id, washer.id)
    assert backend.devices.list(other.id) == []


def test_a_status_above_the_threshold_is_recorded_without_an_order(backend, household, clock):
    washer = _washer(backend, household.id)
    result = backend.devices.report_status(household.id, washer.id, "detergent", 60)
    assert result.replenishment is None and result.slot.remaining == 60
    slot = backend.devices.get(household.id, washer.id).slots[0]
    assert (slot.remaining, slot.status_at) == (60.0, clock.now())
    assert backend.orders.recent(household.id) == []
    with pytest.raises(InvalidInput):
        backend.devices.report_status(household.id, washer.id, "detergent", 101)
    with pytest.raises(NotFound):
        backend.devices.report_status(household.id, washer.id, "bleach", 10)


def test_low_supply_replenishes_once_until_the_order_arrives(backend, household, clock):
    washer = _washer(backend, household.id)
    low = backend.devices.report_status(household.id, washer.id, "detergent", 15)
    assert low.replenishment.outcome is PressOutcome.ORDERED
    order = low.replenishment.order
    assert [(ln.product_id, ln.quantity) for ln in order.lines] == [(TIDE, 2)]
    for level in (12, 8, 3):
        again = backend.devices.report_status(household.id, washer.id, "detergent", level)
        assert again.replenishment.outcome is PressOutcome.ALREADY_IN_PROGRESS
        assert again.replenishment.order.id == order.id
    assert len(backend.orders.recent(household.id)) == 1
    # The other slot is its own button: it orders independently.
    sheets = backend.devices.replenish(household.id, washer.id, "dryer-sheets")
    assert sheets.ordered and sheets.order.id != order.id
    clock.advance(timedelta(days=5))
    after = backend.devices.report_status(household.id, washer.id, "detergent", 10)
    assert after.replenishment.outcome is PressOutcome.ORDERED and after.replenishment.order.id != order.id
