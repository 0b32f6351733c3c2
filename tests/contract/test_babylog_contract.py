"""The baby log on every store: entries, time ranges, the latest entry, undo, duplicates from two caregivers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from reorder.domain.babylog import EventKind
from reorder.errors import NotFound


@pytest.fixture
def alex(household):
    return household.members[0].id


@pytest.fixture
def sam(household):
    return household.members[1].id


def test_log_and_read_back_every_field(backend, household, alex):
    result = backend.babycare.log(
        household.id, "feeding", {"amount": 4, "unit": "oz", "milk_type": "formula"}, member_id=alex, channel="voice"
    )
    [event] = backend.babycare.events(household.id, "Maya")
    assert event == result.event
    assert (event.kind, event.logged_by, event.channel, event.data["amount"]) == (EventKind.FEEDING, alex, "voice", 4)


def test_between_is_a_half_open_range_filtered_by_child_and_kind(backend, household, clock):
    start = clock.now()
    backend.babycare.log(household.id, "diaper", {"diaper_type": "wet"})
    clock.advance(timedelta(hours=1))
    backend.babycare.log(household.id, "feeding", {"amount": 3})
    backend.babycare.log(household.id, "pumping", {"amount": 2})  # the caregiver's, not Maya's
    clock.advance(timedelta(hours=1))
    backend.babycare.log(household.id, "diaper", {"diaper_type": "dirty"})
    end = clock.now()
    care = backend.babycare
    assert [e.kind.value for e in care.events(household.id, "Maya", start=start, end=end)] == ["diaper", "feeding"]
    assert len(care.events(household.id, "Maya", start=start, end=end + timedelta(seconds=1))) == 3
    diapers = care.events(household.id, "Maya", start=start, end=end + timedelta(seconds=1), kinds=(EventKind.DIAPER,))
    assert [e.data["diaper_type"] for e in diapers] == ["wet", "dirty"]


def test_latest_entry_of_a_kind_and_data(backend, household, clock):
    care = backend.babycare
    for kind, data in [
        ("diaper", {"diaper_type": "wet"}),
        ("feeding", {"amount": 3}),
        ("diaper", {"diaper_type": "dirty"}),
        ("feeding", {"amount": 5}),
    ]:
        care.log(household.id, kind, data)
        clock.advance(timedelta(minutes=30))
    _, feeding = care.last_event(household.id, None, EventKind.FEEDING)
    assert feeding.data["amount"] == 5
    _, wet = care.last_event(household.id, None, EventKind.DIAPER, diaper_type="wet")
    assert wet.at == clock.now() - timedelta(minutes=120)
    _, none = care.last_event(household.id, None, EventKind.MEDICINE)
    assert none is None


def test_latest_by_when_logged_and_a_back_dated_entry(backend, household, clock):
    care = backend.babycare
    care.log(household.id, "diaper", {"diaper_type": "wet"})
    clock.advance(timedelta(minutes=30))
    backdated = care.log(household.id, "diaper", {"diaper_type": "dirty"}, at=clock.now() - timedelta(hours=2))
    with backend.store.unit_of_work(write=False) as uow:
        by_time = uow.baby_events.latest(household.id, kinds=(EventKind.DIAPER,))
        by_logging = uow.baby_events.latest(household.id, kinds=(EventKind.DIAPER,), order_by="logged_at", limit=5)
    assert by_time[0].data["diaper_type"] == "wet"
    assert [e.id for e in by_logging][0] == backdated.event.id and len(by_logging) == 2


def test_undo_is_a_soft_delete_of_the_callers_own_last_entry(backend, household, clock, alex, sam):
    care = backend.babycare
    mine = care.log(household.id, "diaper", {"diaper_type": "wet"}, member_id=alex)
    clock.advance(timedelta(minutes=5))
    care.log(household.id, "feeding", {"amount": 3}, member_id=sam)
    assert care.undo_last(household.id, alex).id == mine.event.id
    assert [e.kind for e in care.events(household.id, None)] == [EventKind.FEEDING]
    with backend.store.unit_of_work() as uow:
        assert uow.baby_events.get(household.id, mine.event.id) is None
        assert uow.baby_events.delete(household.id, mine.event.id, clock.now()) is False  # nothing live
    with pytest.raises(NotFound):
        care.undo_last(household.id, alex)  # Alex's only entry is gone; Sam's is not Alex's to undo
    care.undo_last(household.id, None)
    with pytest.raises(NotFound):
        care.undo_last(household.id, None)


def test_entries_logged_at_one_clock_reading_undo_newest_first(backend, household):
    care = backend.babycare
    first = care.log(household.id, "diaper", {"diaper_type": "wet"})
    second = care.log(household.id, "feeding", {"amount": 2})
    assert care.undo_last(household.id).id == second.event.id
    assert care.undo_last(household.id).id == first.event.id


def test_a_second_caregivers_entry_is_flagged_and_freed_when_the_first_is_deleted(backend, household, clock, alex, sam):
    care = backend.babycare
    first = care.log(household.id, "diaper", {"diaper_type": "dirty"}, member_id=alex)
    clock.advance(timedelta(seconds=50))
    second = care.log(household.id, "diaper", {"diaper_type": "dirty"}, member_id=sam)
    assert second.duplicate_of.id == first.event.id
    assert care.day_summary(household.id, None).diaper_changes == 1
    _, latest = care.last_event(household.id, None, EventKind.DIAPER)
    assert latest.id == first.event.id  # the duplicate is not "the last diaper"
    care.delete(household.id, first.event.id)
    [left] = care.events(household.id, None)
    assert left.id == second.event.id and left.duplicate_of is None  # it stands on its own again
    assert care.day_summary(household.id, None).diaper_changes == 1


def test_sleep_pairs_read_the_latest_sleep_entry(backend, household, clock):
    care = backend.babycare
    care.log(household.id, "sleep", {"action": "start"})
    clock.advance(timedelta(minutes=45))
    assert care.log(household.id, "sleep", {"action": "end"}).slept_minutes == 45
    assert care.sleep_state(household.id, None)[1] is None


def test_a_long_log_still_finds_the_latest_entry(backend, household, clock):
    care = backend.babycare
    care.log(household.id, "growth", {"weight": 14, "weight_unit": "lb"})
    for i in range(70):  # more than one page of newer entries of other kinds
        clock.advance(timedelta(minutes=2))
        care.log(household.id, "note", {"note": f"note {i}"})
    _, growth = care.last_event(household.id, None, EventKind.GROWTH)
    assert growth is not None and growth.data["weight"] == 14


def test_entries_at_one_time_read_back_in_the_order_they_were_written(backend, household):
    care = backend.babycare
    care.log(household.id, "growth", {"weight": 20, "weight_unit": "lb"})
    care.log(household.id, "growth", {"weight": 12.2, "weight_unit": "kg"})  # a correction, same moment
    _, latest = care.last_event(household.id, None, EventKind.GROWTH)
    assert latest.data["weight"] == 12.2
    assert [e.data["weight"] for e in care.events(household.id, None)] == [20, 12.2]
