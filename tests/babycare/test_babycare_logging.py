"""Logging every kind of entry, the impossible ones refused, duplicates flagged, undo, and questions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from reorder.domain.babylog import EventKind, spoken_time
from reorder.errors import InvalidInput, NotFound
from reorder.services.babycare import AlreadyAsleep, AmbiguousChild, NotAsleep, UnknownChild


def test_every_kind_of_entry_is_logged_for_the_only_child(backend, hh, alex):
    care = backend.babycare
    entries = [
        ("feeding", {"feeding_kind": "breast", "side": "left", "duration_min": 15}),
        ("feeding", {"amount": 4, "unit": "oz", "milk_type": "formula"}),
        ("feeding", {"amount": 120, "unit": "ml", "milk_type": "breast milk"}),
        ("feeding", {"feeding_kind": "solids", "food": "mashed banana"}),
        ("diaper", {"diaper_type": "wet"}),
        ("medicine", {"medicine": "infant Tylenol", "dose": "two point five milliliters"}),
        ("pumping", {"amount": 3, "unit": "oz", "side": "right"}),
        ("growth", {"weight": 17.5, "weight_unit": "lb", "length": 26, "length_unit": "in"}),
        ("note", {"note": "first smile at grandma"}),
    ]
    for kind, data in entries:
        result = care.log(hh, kind, data, member_id=alex, channel="voice")
        assert result.duplicate_of is None
        assert result.event.logged_by == alex and result.event.channel == "voice"
    events = care.events(hh, "Maya")
    assert [e.kind.value for e in events].count("feeding") == 4
    assert next(e for e in events if e.data.get("unit") == "ml").data["milk_type"] == "breast_milk"
    medicine = next(e for e in events if e.kind is EventKind.MEDICINE)
    assert medicine.data["dose"] == "two point five milliliters"  # kept as said, never computed
    assert all(e.child_id for e in events)  # pumping, which has no child, is not in Maya's log


@pytest.mark.parametrize(
    "kind, data, words",
    [
        ("feeding", {"amount": 90, "unit": "oz"}, "not possible"),
        ("feeding", {"amount": -2, "unit": "oz"}, "not possible"),
        ("feeding", {"feeding_kind": "breast", "duration_min": -5}, "not possible"),
        ("feeding", {"amount": float("nan")}, "not possible"),
        ("feeding", {"amount": "four"}, "must be a number"),
        ("feeding", {}, "feeding kind"),
        ("diaper", {"diaper_type": "purple"}, "wet, dirty, both"),
        ("medicine", {"dose": "5 ml"}, "medicine name"),
        ("growth", {}, "weight or a length"),
        ("growth", {"weight": 400}, "not possible"),
        ("note", {"note": "x" * 600}, "too long"),
        ("bath", {}, "Unknown entry kind"),
    ],
)
def test_impossible_entries_are_refused_with_a_sentence_and_nothing_is_stored(backend, hh, kind, data, words):
    with pytest.raises(InvalidInput, match=words):
        backend.babycare.log(hh, kind, data)
    assert backend.babycare.events(hh, None) == []


def test_a_feeding_in_the_future_or_weeks_ago_is_refused(backend, clock, hh):
    with pytest.raises(InvalidInput, match="future"):
        backend.babycare.log(hh, "diaper", {"diaper_type": "wet"}, at=clock.now() + timedelta(hours=1))
    with pytest.raises(InvalidInput, match="week"):
        backend.babycare.log(hh, "diaper", {"diaper_type": "wet"}, at=clock.now() - timedelta(days=9))


def test_children_are_found_by_name_and_unknown_or_ambiguous_names_are_questions(backend, hh):
    with pytest.raises(UnknownChild, match="I know Maya"):
        backend.babycare.log(hh, "diaper", {"diaper_type": "wet"}, child="Zoe")
    backend.babycare.add_child(hh, "Maya Rose")  # now "Maya" could be two children
    with pytest.raises(AmbiguousChild):
        backend.babycare.log(hh, "diaper", {"diaper_type": "wet"})
    assert backend.babycare.log(hh, "diaper", {"diaper_type": "wet"}, child="maya").child.name == "Maya"
    assert backend.babycare.log(hh, "diaper", {"diaper_type": "wet"}, child="Maya Rose").child.name == "Maya Rose"


def test_two_caregivers_logging_one_diaper_are_flagged_not_doubled(backend, clock, hh, alex, sam):
    first = backend.babycare.log(hh, "diaper", {"diaper_type": "dirty"}, member_id=alex, channel="voice")
    clock.advance(timedelta(seconds=50))
    second = backend.babycare.log(hh, "diaper", {"diaper_type": "dirty"}, member_id=sam, channel="web")
    assert second.duplicate_of.id == first.event.id
    assert backend.babycare.day_summary(hh, None).diaper_changes == 1
    different = backend.babycare.log(hh, "diaper", {"diaper_type": "wet"}, member_id=sam)
    assert different.duplicate_of is None


def test_undo_removes_the_callers_own_last_entry(backend, clock, hh, alex, sam):
    mine = backend.babycare.log(hh, "diaper", {"diaper_type": "wet"}, member_id=alex)
    clock.advance(timedelta(minutes=5))
    backend.babycare.log(hh, "feeding", {"amount": 3}, member_id=sam)
    undone = backend.babycare.undo_last(hh, alex)
    assert undone.id == mine.event.id
    assert [e.kind for e in backend.babycare.events(hh, None)] == [EventKind.FEEDING]
    backend.babycare.undo_last(hh, None)
    with pytest.raises(NotFound):
        backend.babycare.undo_last(hh, None)


def test_sleep_start_and_end_pair_up_and_wrong_order_is_explained(backend, clock, hh):
    with pytest.raises(NotAsleep):
        backend.babycare.log(hh, "sleep", {"action": "end"})
    backend.babycare.log(hh, "sleep", {"action": "start"})
    clock.advance(timedelta(minutes=30))
    with pytest.raises(AlreadyAsleep):
        backend.babycare.log(hh, "sleep", {"action": "start"})
    member, since, _ = backend.babycare.sleep_state(hh, None)
    assert since == clock.now() - timedelta(minutes=30)
    clock.advance(timedelta(minutes=45))
    result = backend.babycare.log(hh, "sleep", {"action": "end"})
    assert result.slept_minutes == 75
    assert backend.babycare.sleep_state(hh, None)[1] is None


def test_spoken_times_mean_today_or_last_night_in_the_households_zone():
    tz = ZoneInfo("America/New_York")
    now = datetime(2026, 11, 3, 6, 0, tzinfo=UTC)  # 1 a.m. in New York
    assert spoken_time(now, tz, "23:00") == datetime(2026, 11, 2, 23, 0, tzinfo=tz)
    assert spoken_time(now, tz, "00:30") == datetime(2026, 11, 3, 0, 30, tzinfo=tz)
    assert spoken_time(now, tz, "11:00") == datetime(2026, 11, 2, 23, 0, tzinfo=tz)  # "at eleven": last night
    afternoon = datetime(2027, 1, 13, 21, 10, tzinfo=UTC)  # 4:10 p.m. in New York
    # "At half past three" comes as 03:30 without "p.m.": forty minutes ago, not that morning.
    assert spoken_time(afternoon, tz, "03:30") == datetime(2027, 1, 13, 15, 30, tzinfo=tz)
    assert spoken_time(afternoon, tz, "15:30") == datetime(2027, 1, 13, 15, 30, tzinfo=tz)
    assert spoken_time(afternoon, tz, "04:30") == datetime(2027, 1, 13, 4, 30, tzinfo=tz)  # 4:30 p.m. is ahead
    assert spoken_time(afternoon, tz, "18:00") == datetime(2027, 1, 12, 18, 0, tzinfo=tz)
    assert spoken_time(now, tz, ago=timedelta(minutes=20)) == now - timedelta(minutes=20)
    with pytest.raises(InvalidInput):
        spoken_time(now, tz, ago=timedelta(minutes=-5))
    with pytest.raises(InvalidInput):
        spoken_time(now, tz, "25:99")


def test_daily_summary_counts_the_local_day(backend, clock, hh):
    care = backend.babycare
    clock.advance(timedelta(hours=6))  # 3 p.m. in New York: the noon sleep is a nap
    care.log(hh, "feeding", {"amount": 4, "milk_type": "formula"})
    care.log(
        hh, "feeding", {"amount": 60, "unit": "ml", "milk_type": "breast_milk"}, at=clock.now() - timedelta(minutes=30)
    )
    care.log(
        hh,
        "feeding",
        {"feeding_kind": "breast", "side": "both", "duration_min": 20},
        at=clock.now() - timedelta(hours=1),
    )
    care.log(hh, "diaper", {"diaper_type": "both"})
    care.log(hh, "diaper", {"diaper_type": "wet"}, at=clock.now() - timedelta(hours=2))
    care.log(hh, "sleep", {"action": "start"}, at=clock.now() - timedelta(hours=3))
    care.log(hh, "sleep", {"action": "end"}, at=clock.now() - timedelta(hours=2, minutes=30))
    summary = care.day_summary(hh, "Maya")
    assert summary.feedings == 3 and summary.breast_feeds == 1 and summary.breast_minutes == 20
    assert summary.formula_oz == 4 and round(summary.breast_milk_oz, 2) == 2.03
    assert summary.wet_diapers == 2 and summary.dirty_diapers == 1 and summary.diaper_changes == 2
    assert summary.sleep_minutes == 30 and summary.naps == 1
    yesterday = care.day_summary(hh, "Maya", summary.day - timedelta(days=1))
    assert yesterday.feedings == 0


def test_formula_guidance_uses_the_households_formula_and_scales(backend, hh, delivered):
    guidance = backend.babycare.formula_guidance(hh, 6, "oz")
    assert guidance.product.id == "similac-pro-advance-30-8oz"
    assert guidance.scoops == 3 and guidance.water_oz == 6
    assert "water" in guidance.safety
    with pytest.raises(InvalidInput):
        backend.babycare.formula_guidance(hh, 90, "oz")


def test_formula_guidance_without_a_formula_in_the_orders_says_so(backend, hh):
    with pytest.raises(NotFound, match="label"):
        backend.babycare.formula_guidance(hh, 4, "oz")
