"""Routines run by request and on a schedule the clock fast-forwards, across a time-zone change."""

from __future__ import annotations

from datetime import timedelta

import pytest

from reorder.domain.babylog import EventKind
from reorder.errors import Conflict, InvalidInput, NotFound

BEDTIME = [
    {"kind": "log", "event": "diaper", "data": {"diaper_type": "wet"}},
    {"kind": "say", "text": "Pajamas and a story."},
    {"kind": "sleep_start"},
    {"kind": "sound", "sound": "white noise"},
    {"kind": "reminder", "text": "check on Maya", "minutes": 30},
    {"kind": "add_to_cart", "product_id": "pampers-sensitive-wipes-336", "quantity": 1},
]


def test_a_routine_runs_every_step_and_one_failure_does_not_stop_it(backend, clock, hh, alex):
    routine = backend.routines.create(hh, "Bedtime", BEDTIME)
    run = backend.routines.run(hh, routine.id, member_id=alex, channel="voice")
    assert [o.ok for o in run.outcomes] == [True] * 6
    assert run.sound == "white noise" and run.reminders == [{"text": "check on Maya", "minutes": 30}]
    assert "Pajamas and a story." in run.speech
    assert backend.carts.get(hh).item_count == 1
    assert backend.babycare.sleep_state(hh, None)[1] == clock.now()
    clock.advance(timedelta(minutes=10))
    again = backend.routines.run(hh, routine.id, member_id=alex, channel="voice")
    assert [o.ok for o in again.outcomes] == [True, True, False, True, True, True]  # already asleep
    assert backend.routines.find(hh, "the bedtime routine").id == routine.id


@pytest.mark.parametrize(
    "steps, words",
    [
        ([], "list of steps"),
        ([{"kind": "dance"}], "unknown kind"),
        ([{"kind": "sound", "sound": "heavy metal"}], "white noise"),
        ([{"kind": "reminder", "text": "x", "minutes": 0}], "minutes"),
        ([{"kind": "log", "event": "diaper", "data": {"diaper_type": "green"}}], "diaper type"),
        ([{"kind": "add_to_cart", "product_id": "x", "quantity": 500}], "99"),
    ],
)
def test_bad_routines_are_refused(backend, hh, steps, words):
    with pytest.raises(InvalidInput, match=words):
        backend.routines.create(hh, "odd", steps)
    assert backend.routines.list(hh) == []


def test_names_are_unique_and_unknown_routines_list_the_known(backend, hh):
    backend.routines.create(hh, "Morning", [{"kind": "say", "text": "Good morning."}])
    with pytest.raises(Conflict):
        backend.routines.create(hh, "the morning routine", [{"kind": "say", "text": "Hi."}])
    with pytest.raises(NotFound, match="Morning"):
        backend.routines.find(hh, "bath time")
    assert backend.routines.find(hh, "bedtime").name == "bedtime"  # the built-in one, set up on first use


def test_the_scheduler_runs_daily_routines_as_the_clock_moves_across_a_time_zone_change(backend, clock, hh):
    # The clock starts Monday 9:00 in New York; the routine is due at 19:00 local every day.
    routine = backend.routines.create(
        hh,
        "Evening",
        [
            {"kind": "log", "event": "note", "data": {"note": "evening check"}},
            {"kind": "say", "text": "Evening check done."},
        ],
        schedule_time="19:00",
    )
    clock.advance(timedelta(hours=9))  # 18:00 New York: not yet
    assert _notes(backend, hh) == []
    clock.advance(timedelta(days=3))  # Thursday 18:00: Monday, Tuesday and Wednesday ran
    notes = _notes(backend, hh)
    assert [n.astimezone(backend.households.get(hh).tz).hour for n in notes] == [19, 19, 19]
    messages = [n.message for n in backend.notifications.pending(hh) if n.kind == "routine_ran"]
    assert len(messages) == 3 and "Evening check done." in messages[0]

    # The family moves to Los Angeles: 19:00 there is 22:00 in New York.
    backend.households.update_settings(hh, timezone="America/Los_Angeles")
    clock.advance(timedelta(hours=3))  # 21:00 New York = 18:00 LA
    assert len(_notes(backend, hh)) == 3
    clock.advance(timedelta(hours=1, minutes=1))
    notes = _notes(backend, hh)
    assert len(notes) == 4 and notes[-1].astimezone(backend.households.get(hh).tz).hour == 19
    assert backend.routines.get(hh, routine.id).last_run_at == notes[-1]


def _notes(backend, hh):
    return [
        e.at
        for e in backend.babycare.events(
            hh, None, start=backend.clock.now() - timedelta(days=7), kinds=(EventKind.NOTE,)
        )
    ]
