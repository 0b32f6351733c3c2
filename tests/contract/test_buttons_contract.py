"""Virtual buttons on every store: one order in flight per button, the daily cap, replays, names."""

from __future__ import annotations

from datetime import timedelta

import pytest

from reorder.domain.buttons import Press, PressOutcome
from reorder.errors import Conflict, NotFound
from reorder.store.base import ButtonBusy, DuplicateButtonName, DuplicatePressKey

TOWELS = "bounty-select-a-size-12"
TP = "charmin-ultra-soft-18"


def _orders_of(backend, household_id, button_id):
    return [o for o in backend.orders.recent(household_id, 100) if o.button_id == button_id]


def test_create_list_find_and_get(backend, household):
    towels = backend.buttons.create(household.id, "Paper towel button", TOWELS, 2)
    coffee = backend.buttons.create(household.id, "coffee", TP, allow_multiple=True, daily_cap=2)
    assert [b.id for b in backend.buttons.list(household.id)] == [coffee.id, towels.id]  # by name key
    assert backend.buttons.find(household.id, "the paper towels").id == towels.id
    got = backend.buttons.get(household.id, coffee.id)
    assert (got.name, got.product_id, got.quantity) == ("coffee", TP, 1)
    assert (got.policy.allow_multiple, got.policy.daily_cap) == (True, 2)
    assert got.created_at == coffee.created_at


def test_press_orders_once_then_answers_already_in_progress(backend, household):
    button = backend.buttons.create(household.id, "toilet paper", TP)
    first = backend.buttons.press(household.id, button.id)
    assert first.outcome is PressOutcome.ORDERED and first.order.button_id == button.id
    for _ in range(3):
        again = backend.buttons.press(household.id, button.id)
        assert again.outcome is PressOutcome.ALREADY_IN_PROGRESS and again.order.id == first.order.id
    assert [o.id for o in _orders_of(backend, household.id, button.id)] == [first.order.id]
    assert backend.buttons.outcome_counts(household.id, button.id) == {"ordered": 1, "already_in_progress": 3}
    presses = backend.buttons.presses(household.id, button.id, limit=2)
    assert len(presses) == 2 and all(p.outcome is PressOutcome.ALREADY_IN_PROGRESS for p in presses)
    assert backend.buttons.presses(household.id, button.id)[-1].order_id == first.order.id  # newest first


def test_delivery_releases_the_button(backend, household, clock):
    button = backend.buttons.create(household.id, "toilet paper", TP)
    first = backend.buttons.press(household.id, button.id)
    clock.advance(timedelta(days=5))
    assert backend.orders.get(household.id, first.order.id).status.value == "delivered"
    later = backend.buttons.press(household.id, button.id)
    assert later.outcome is PressOutcome.ORDERED and later.order.id != first.order.id
    assert backend.buttons.press(household.id, button.id).order.id == later.order.id


def test_delivery_seen_by_the_press_itself(backend, household, clock):
    button = backend.buttons.create(household.id, "toilet paper", TP)
    first = backend.buttons.press(household.id, button.id)
    clock._now = clock.now() + timedelta(days=5)  # move time without telling the fulfilment subscriber
    assert backend.buttons.press(household.id, button.id).outcome is PressOutcome.ORDERED
    assert backend.orders.get(household.id, first.order.id).status.value == "delivered"


def test_a_cancelled_order_frees_the_button(backend, household):
    button = backend.buttons.create(household.id, "tp", TP)
    first = backend.buttons.press(household.id, button.id)
    backend.orders.cancel(household.id, first.order.id, reason="a guest pressed it")
    assert backend.buttons.press(household.id, button.id).outcome is PressOutcome.ORDERED


def test_allow_multiple_orders_up_to_the_daily_cap_then_again_next_day(backend, household, clock):
    button = backend.buttons.create(household.id, "tp", TP, allow_multiple=True, daily_cap=3)
    outcomes = [backend.buttons.press(household.id, button.id) for _ in range(5)]
    assert [r.outcome.value for r in outcomes] == ["ordered"] * 3 + ["blocked"] * 2
    assert outcomes[-1].press.reason == "daily_cap"
    assert len({r.order.id for r in outcomes[:3]}) == 3
    clock.advance(timedelta(days=1))
    assert backend.buttons.press(household.id, button.id).outcome is PressOutcome.ORDERED
    assert len(_orders_of(backend, household.id, button.id)) == 4


def test_turning_allow_multiple_off_keeps_the_open_orders_in_view(backend, household, clock):
    button = backend.buttons.create(household.id, "tp", TP, allow_multiple=True)
    first = backend.buttons.press(household.id, button.id)
    clock.advance(timedelta(minutes=1))
    second = backend.buttons.press(household.id, button.id)
    backend.buttons.update(household.id, button.id, allow_multiple=False)
    again = backend.buttons.press(household.id, button.id)
    assert again.outcome is PressOutcome.ALREADY_IN_PROGRESS and again.order.id == first.order.id  # oldest first
    backend.orders.cancel(household.id, first.order.id)
    assert backend.buttons.press(household.id, button.id).order.id == second.order.id
    clock.advance(timedelta(days=5))
    assert backend.buttons.press(household.id, button.id).outcome is PressOutcome.ORDERED


def test_idempotent_replay_returns_the_first_outcome_even_after_delivery(backend, household, clock):
    button = backend.buttons.create(household.id, "tp", TP)
    first = backend.buttons.press(household.id, button.id, idempotency_key="tap-1")
    clock.advance(timedelta(days=5))
    replay = backend.buttons.press(household.id, button.id, idempotency_key="tap-1")
    assert replay.replayed and replay.press.id == first.press.id and replay.order.id == first.order.id
    other = backend.buttons.press(household.id, button.id, idempotency_key="tap-2")
    assert not other.replayed and other.outcome is PressOutcome.ORDERED
    assert backend.buttons.outcome_counts(household.id, button.id) == {"ordered": 2}


def test_the_store_refuses_a_second_press_with_one_key(backend, household, clock):
    button = backend.buttons.create(household.id, "tp", TP)
    backend.buttons.press(household.id, button.id, idempotency_key="tap-1")
    copy = Press(
        "prs_copy",
        button.id,
        household.id,
        clock.now(),
        PressOutcome.ALREADY_IN_PROGRESS,
        "button",
        idempotency_key="tap-1",
    )
    with pytest.raises(DuplicatePressKey):
        with backend.store.unit_of_work() as uow:
            uow.buttons.add_press(copy)
    assert backend.buttons.outcome_counts(household.id, button.id) == {"ordered": 1}


def test_the_store_refuses_a_second_claim(backend, household, clock):
    button = backend.buttons.create(household.id, "tp", TP)
    order = backend.buttons.press(household.id, button.id).order
    with pytest.raises(ButtonBusy):
        with backend.store.unit_of_work() as uow:
            uow.buttons.claim_inflight(button.id, "VC0000000001", clock.now())
    with backend.store.unit_of_work(write=False) as uow:
        assert uow.buttons.inflight_claim(button.id) == order.id


def test_rename_and_delete_free_and_take_names(backend, household):
    towels = backend.buttons.create(household.id, "towels", TOWELS)
    coffee = backend.buttons.create(household.id, "coffee", TP)
    renamed = backend.buttons.rename(household.id, coffee.id, "the morning button")
    assert backend.buttons.find(household.id, "morning").id == renamed.id
    with pytest.raises(NotFound):
        backend.buttons.find(household.id, "coffee")
    assert backend.buttons.create(household.id, "Coffee", TP).id != coffee.id  # the old name is free
    backend.buttons.rename(household.id, towels.id, "Towels Button")  # same name key: no clash with itself
    backend.buttons.delete(household.id, towels.id)
    assert "towels" not in [b.name_key for b in backend.buttons.list(household.id)]
    assert backend.buttons.create(household.id, "towels", TOWELS).id != towels.id
    gone = backend.buttons.press(household.id, towels.id)  # a deleted button's press is answered
    assert gone.outcome is PressOutcome.ERROR and gone.press.reason == "button_deleted"


def test_name_clashes_are_refused_on_create_and_rename(backend, household):
    backend.buttons.create(household.id, "towels", TOWELS)
    coffee = backend.buttons.create(household.id, "coffee", TP)
    with pytest.raises(DuplicateButtonName, match="already a button called"):
        backend.buttons.create(household.id, "The Towels button", TP)
    with pytest.raises(DuplicateButtonName):
        backend.buttons.rename(household.id, coffee.id, "my towels")
    assert backend.buttons.get(household.id, coffee.id).name == "coffee"  # nothing half-changed
    assert backend.buttons.find(household.id, "coffee").id == coffee.id
    other = backend.households.create("next-door", members=[("Pat", "adult")])
    assert backend.buttons.create(other.id, "towels", TOWELS).household_id == other.id  # per household


def test_other_households_buttons_are_invisible(backend, household):
    button = backend.buttons.create(household.id, "tp", TP)
    other = backend.households.create("next-door", members=[("Pat", "adult")])
    for call in (
        lambda: backend.buttons.press(other.id, button.id),
        lambda: backend.buttons.get(other.id, button.id),
        lambda: backend.buttons.delete(other.id, button.id),
    ):
        with pytest.raises(NotFound):
            call()
    assert backend.buttons.list(other.id) == []


def test_hostile_names_and_keys_are_stored_as_text(backend, household):
    name = "grandma's #stash# ~ 🧻"
    button = backend.buttons.create(household.id, name, TP)
    assert backend.buttons.find(household.id, "grandma's #stash#").id == button.id
    key = "#PK#~ 'x' \u00e9"
    first = backend.buttons.press(household.id, button.id, idempotency_key=key)
    assert backend.buttons.press(household.id, button.id, idempotency_key=key).press.id == first.press.id
    with pytest.raises(Conflict):
        backend.buttons.create(household.id, "Grandma's stash", TP)
