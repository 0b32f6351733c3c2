"""Routines on every store: created once per name, listed, run, and run by the scheduler as the clock moves."""

from __future__ import annotations

from datetime import timedelta

import pytest

from reorder.domain.babylog import EventKind
from reorder.errors import Conflict, NotFound
from reorder.store import sql_errors

SAY = [{"kind": "say", "text": "Good morning."}]
NOTE = [
    {"kind": "log", "event": "note", "data": {"note": "evening check"}},
    {"kind": "say", "text": "Evening check done."},
]


def test_create_get_list_and_unique_names(backend, household):
    hh = household.id
    morning = backend.routines.create(hh, "Morning", SAY)
    evening = backend.routines.create(hh, "evening", NOTE, schedule_time="19:00", child="Maya")
    assert [r.name for r in backend.routines.list(hh)] == ["evening", "Morning"]  # by name key
    got = backend.routines.get(hh, evening.id)
    assert (got.schedule_time, got.child_id, got.steps, got.created_at) == (
        "19:00",
        evening.child_id,
        evening.steps,
        evening.created_at,
    )
    assert backend.routines.find(hh, "the morning routine").id == morning.id
    with pytest.raises(Conflict):
        backend.routines.create(hh, "the Morning routine", SAY)
    with pytest.raises(NotFound):
        backend.routines.get(hh, "rt_missing")
    other = backend.households.create("next-door", members=[("Pat", "adult")])
    assert backend.routines.create(other.id, "Morning", SAY).household_id == other.id  # names per household
    with pytest.raises(NotFound):
        backend.routines.get(other.id, morning.id)


def test_the_store_refuses_a_second_routine_with_one_name_key(backend, household, clock):
    from reorder.domain.babylog import Routine, RoutineStep, StepKind

    backend.routines.create(household.id, "Bath", SAY)
    twin = Routine(
        "rt_twin", household.id, "bath", (RoutineStep(StepKind.SAY, {"text": "hi"}),), created_at=clock.now()
    )
    # The services check the name first; the store is the last line of defence against a race. The SQL
    # repository lets the database's own unique-constraint error through, DynamoDB says Conflict.
    with pytest.raises((Conflict, *sql_errors.INTEGRITY_ERRORS)):
        with backend.store.unit_of_work() as uow:
            uow.routines.add(twin, "bath")
    assert len(backend.routines.list(household.id)) == 1


def test_run_marks_the_last_run(backend, household, clock):
    routine = backend.routines.create(household.id, "Evening", NOTE)
    run = backend.routines.run(household.id, routine.id, channel="voice")
    assert all(o.ok for o in run.outcomes) and "Evening check done." in run.speech
    assert backend.routines.get(household.id, routine.id).last_run_at == clock.now()
    assert backend.babycare.last_event(household.id, None, EventKind.NOTE)[1] is not None


def test_scheduled_routines_run_as_the_clock_advances(backend, household, clock):
    hh = household.id
    routine = backend.routines.create(hh, "Evening", NOTE, schedule_time="19:00")
    backend.routines.create(hh, "Morning", SAY)  # voice only: never run by the scheduler
    with backend.store.unit_of_work(write=False) as uow:
        assert [r.id for r in uow.routines.scheduled()] == [routine.id]
    clock.advance(timedelta(hours=9))  # 18:00 in New York: not yet
    assert backend.routines.get(hh, routine.id).last_run_at is None
    clock.advance(timedelta(days=2))  # Wednesday 18:00: Monday and Tuesday evenings ran, once each
    notes = backend.babycare.events(hh, None, start=clock.now() - timedelta(days=7), kinds=(EventKind.NOTE,))
    tz = backend.households.get(hh).tz
    assert [n.at.astimezone(tz).hour for n in notes] == [19, 19]
    assert backend.routines.get(hh, routine.id).last_run_at == notes[-1].at
    ran = [n for n in backend.notifications.pending(hh) if n.kind == "routine_ran"]
    assert len(ran) == 2
    clock.advance(timedelta(minutes=1))  # nothing new is due
    assert len([n for n in backend.notifications.pending(hh) if n.kind == "routine_ran"]) == 2


def test_a_routine_is_edited_renamed_and_rescheduled(backend, household, clock):
    hh = household.id
    bath = backend.routines.create(hh, "Bath", SAY)
    backend.routines.create(hh, "Bedtime", NOTE)
    backend.routines.run(hh, bath.id)
    edited = backend.routines.update(hh, bath.id, name="Bath time", steps=NOTE, schedule_time="18:30")
    assert (edited.name, edited.steps, edited.schedule_time) == (
        "Bath time",
        backend.routines.get(hh, bath.id).steps,
        "18:30",
    )
    stored = backend.routines.get(hh, bath.id)
    assert stored.name == "Bath time" and stored.last_run_at is not None  # its history is kept
    assert backend.routines.find(hh, "bath time").id == bath.id
    with pytest.raises(NotFound):
        backend.routines.find(hh, "bath")  # the old name is free again
    assert backend.routines.create(hh, "Bath", SAY).id != bath.id
    with pytest.raises(Conflict):
        backend.routines.update(hh, bath.id, name="the bedtime routine")  # taken by another routine
    assert backend.routines.update(hh, bath.id, schedule_time=None).schedule_time is None  # by voice only
    assert backend.routines.get(hh, bath.id).name == "Bath time"
    other = backend.households.create("next-door", members=[("Pat", "adult")])
    with pytest.raises(NotFound):
        backend.routines.update(other.id, bath.id, name="mine now")
