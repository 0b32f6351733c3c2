"""Two processes pressing one button at once: the store, not a lock in either process, keeps it to one order."""

from __future__ import annotations

import multiprocessing as mp

from reorder.services.backend import Backend
from reorder.store import open_store

TP = "charmin-ultra-soft-18"
PRESSES_PER_PROCESS = 12


def _press_many(url: str, household_id: str, button_id: str, start, results) -> None:  # noqa: ANN001
    backend = Backend(open_store(url))
    try:
        start.wait()
        outcomes = [backend.buttons.press(household_id, button_id) for _ in range(PRESSES_PER_PROCESS)]
        results.put([(r.outcome.value, r.order.id if r.order else None) for r in outcomes])
    except Exception as exc:  # the parent reports it instead of waiting for a result that never comes
        results.put(f"{type(exc).__name__}: {exc}")
    finally:
        backend.close()


def _press_from_two_processes(store_url: str, household_id: str, button_id: str) -> list[tuple[str, str | None]]:
    ctx = mp.get_context("spawn")
    start = ctx.Barrier(2)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=_press_many, args=(store_url, household_id, button_id, start, results)) for _ in range(2)
    ]
    for p in procs:
        p.start()
    answers = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    failures = [a for a in answers if isinstance(a, str)]
    assert not failures, failures
    return [outcome for answer in answers for outcome in answer]


def test_presses_from_two_processes_make_exactly_one_order(backend, household, store_url):
    button = backend.buttons.create(household.id, "toilet paper", TP)
    outcomes = _press_from_two_processes(store_url, household.id, button.id)
    ordered = [order_id for outcome, order_id in outcomes if outcome == "ordered"]
    assert len(ordered) == 1
    assert sorted(o for o, _ in outcomes) == ["already_in_progress"] * (2 * PRESSES_PER_PROCESS - 1) + ["ordered"]
    assert {order_id for _, order_id in outcomes} == {ordered[0]}  # every answer names the one order
    assert [o.id for o in backend.orders.recent(household.id, 100) if o.button_id == button.id] == ordered
    assert backend.buttons.outcome_counts(household.id, button.id) == {
        "ordered": 1,
        "already_in_progress": 2 * PRESSES_PER_PROCESS - 1,
    }


def test_the_daily_cap_holds_when_two_processes_press_a_multi_order_button(backend, household, store_url):
    button = backend.buttons.create(household.id, "toilet paper", TP, allow_multiple=True, daily_cap=3)
    outcomes = _press_from_two_processes(store_url, household.id, button.id)
    assert sorted(o for o, _ in outcomes).count("ordered") == 3
    assert [o for o, _ in outcomes].count("blocked") == 2 * PRESSES_PER_PROCESS - 3
    assert len([o for o in backend.orders.recent(household.id, 100) if o.button_id == button.id]) == 3
