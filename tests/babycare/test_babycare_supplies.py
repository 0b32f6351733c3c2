"""A synthetic week of logs against delivered diapers and formula: the counts and the run-out date."""

from __future__ import annotations

from datetime import timedelta

import pytest
from babycare_support import DIAPERS, FORMULA

from reorder.domain.supplies import prepared_oz_per_can, whole_days


def _log_a_week(backend, clock, hh, sam):
    """Seven days of eight diapers and six 4-oz formula bottles a day, every three hours, from delivery on."""
    for slot in range(7 * 8):
        kind = ("wet", "dirty", "both", "wet")[slot % 4]
        backend.babycare.log(hh, "diaper", {"diaper_type": kind}, member_id=sam, channel="voice")
        if slot % 8 < 6:
            backend.babycare.log(hh, "feeding", {"amount": 4, "milk_type": "formula"}, channel="voice")
        clock.advance(timedelta(hours=3))


def test_a_week_of_logs_gives_the_right_counts_and_run_out_date(backend, clock, hh, sam, delivered):
    start = clock.now()
    _log_a_week(backend, clock, hh, sam)
    assert clock.now() == start + timedelta(days=7)

    diapers, formula = sorted(backend.babycare.supplies(hh), key=lambda e: e.kind)
    assert diapers.product.id == DIAPERS and diapers.per_day == 8
    assert diapers.units_left == 84 - 56 and diapers.days_left == 3.5
    assert diapers.runs_out_on == (clock.now() + timedelta(days=3.5)).astimezone(backend.households.get(hh).tz).date()
    assert formula.product.id == FORMULA and formula.per_day == 24
    made = prepared_oz_per_can(formula.product)
    assert made == pytest.approx(30.8 / 0.3 * 2)
    assert formula.units_left == pytest.approx(made - 7 * 24)
    assert whole_days(diapers.days_left) == 4

    # Every logged day has its eight changes and 24 ounces, whoever logged them.
    first_day = start.astimezone(backend.households.get(hh).tz).date() + timedelta(days=1)
    summary = backend.babycare.day_summary(hh, "Maya", first_day)
    assert summary.diaper_changes == 8 and summary.formula_oz == 24
    assert summary.wet_diapers == 6 and summary.dirty_diapers == 4


def test_the_supply_offer_comes_once_a_day_when_within_the_window(backend, clock, hh, sam, delivered):
    _log_a_week(backend, clock, hh, sam)
    # Formula: about 1.3 days left; diapers 3.5. The soonest one is offered, once.
    offer = backend.babycare.take_supply_offer(hh, within_days=3)
    assert offer.estimate.kind == "formula" and offer.product.id == FORMULA and offer.quantity == 1
    assert backend.babycare.take_supply_offer(hh, within_days=3) is None
    clock.advance(timedelta(days=1))
    assert backend.babycare.take_supply_offer(hh, within_days=3) is not None


def test_no_estimate_without_deliveries_or_log(backend, hh, sam):
    assert backend.babycare.supplies(hh) == []
    backend.babycare.log(hh, "diaper", {"diaper_type": "wet"})
    assert backend.babycare.supplies(hh) == []
    assert backend.babycare.take_supply_offer(hh) is None


def test_what_the_forecast_still_needs_is_named(backend, hh, delivered):
    # Diapers and formula were delivered, nothing is logged yet: it is the log that is missing, not a delivery.
    assert backend.babycare.supplies(hh) == []
    assert backend.babycare.supply_gap(hh, "diapers") == "log"
    assert backend.babycare.supply_gap(hh, "formula") == "log"


def test_without_a_delivery_the_forecast_needs_one(backend, hh):
    assert backend.babycare.supply_gap(hh, "diapers") == "delivery"


def test_weight_near_the_top_of_the_size_suggests_the_next_one(backend, hh, delivered):
    backend.babycare.log(hh, "growth", {"weight": 20, "weight_unit": "lb"})
    assert backend.babycare.size_suggestion(hh, None) is None
    backend.babycare.log(hh, "growth", {"weight": 12.2, "weight_unit": "kg"})  # 26.9 lb, the top is 28
    suggestion = backend.babycare.size_suggestion(hh, None)
    assert suggestion.current.id == DIAPERS
    assert suggestion.next_size.id == "pampers-swaddlers-size-4-74"
