"""The button use cases: managing buttons, and presses that never become a second order in flight.

Press mechanics that every store must share (delivery seen by the press, a cancel freeing the button, the
store refusing a second claim) live in tests/contract/test_buttons_contract.py, run on all three stores."""

from __future__ import annotations

from datetime import timedelta

import pytest

from reorder.domain.buttons import PressOutcome, button_name_key
from reorder.errors import Conflict, InvalidInput, NotFound, ProductUnavailable, UnknownProduct

TOWELS = "bounty-select-a-size-12"
TP = "charmin-ultra-soft-18"


def test_name_key_ignores_filler_words_and_case():
    assert button_name_key("The Paper-Towel Button") == "paper towel"
    assert button_name_key("my   COFFEE button") == "coffee"
    assert button_name_key("button") == "button"


def test_create_list_find_rename_delete(backend, household):
    buttons = backend.buttons
    towels = buttons.create(household.id, "Paper towel button", TOWELS, 2)
    coffee = buttons.create(household.id, "coffee", TP)
    assert [b.name for b in buttons.list(household.id)] == ["coffee", "Paper towel button"]  # by name
    assert buttons.find(household.id, "the paper towels").id == towels.id
    assert buttons.find(household.id, "PAPER TOWEL").id == towels.id
    renamed = buttons.rename(household.id, coffee.id, "the morning button")
    assert buttons.find(household.id, "morning").id == renamed.id
    with pytest.raises(NotFound, match="no button called 'coffee'"):
        buttons.find(household.id, "coffee")
    buttons.delete(household.id, towels.id)
    assert [b.id for b in buttons.list(household.id)] == [coffee.id]
    # The name is free again once its button is deleted.
    assert buttons.create(household.id, "paper towel", TOWELS).id != towels.id


def test_a_button_is_found_by_what_it_orders_where_no_name_matches(backend, household):
    # Round 20: "press the paper towels button" where the one button that orders paper towels is "Grandpa Joe".
    buttons = backend.buttons
    joe = buttons.create(household.id, "Grandpa Joe", TOWELS, 2)
    buttons.create(household.id, "bathroom", TP)
    assert buttons.find(household.id, "the paper towels button", by_what_it_orders=True).id == joe.id
    assert buttons.find(household.id, "bounty", by_what_it_orders=True).id == joe.id
    with pytest.raises(NotFound):
        buttons.find(household.id, "coffee", by_what_it_orders=True)
    with pytest.raises(NotFound):  # a rename's words may be the new name: only presses look at what buttons order
        buttons.find(household.id, "paper towels")


def test_bad_buttons_are_refused_clearly(backend, household):
    buttons = backend.buttons
    buttons.create(household.id, "towels", TOWELS)
    with pytest.raises(Conflict, match="already a button called"):
        buttons.create(household.id, "The Towels button", TP)
    with pytest.raises(UnknownProduct):
        buttons.create(household.id, "x", "no-such-product")
    with pytest.raises(ProductUnavailable):
        buttons.create(household.id, "old", "old-brand-diapers-size-2")
    for name in ("", "   ", "!!!", "a" * 61, "bell\x07 button", 42):
        with pytest.raises(InvalidInput):
            buttons.create(household.id, name, TOWELS)  # type: ignore[arg-type]
    for quantity in (0, 100, "2", True):
        with pytest.raises(InvalidInput):
            buttons.create(household.id, "q", TOWELS, quantity)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="daily cap"):
        buttons.create(household.id, "cap", TOWELS, daily_cap=0)


def test_one_order_in_flight_until_delivered(backend, household, clock):
    button = backend.buttons.create(household.id, "toilet paper", TP)
    first = backend.buttons.press(household.id, button.id)
    assert first.outcome is PressOutcome.ORDERED and first.order is not None
    assert first.order.button_id == button.id and first.order.channel == "button"
    assert "cancel it until it ships" in first.message
    for _ in range(5):
        again = backend.buttons.press(household.id, button.id)
        assert again.outcome is PressOutcome.ALREADY_IN_PROGRESS
        assert again.order is not None and again.order.id == first.order.id
        assert "Nothing new was ordered" in again.message
    assert len([o for o in backend.orders.recent(household.id, 50) if o.button_id == button.id]) == 1
    # Delivered: the promise is kept, the button orders again.
    clock.advance(timedelta(days=5))
    assert backend.orders.get(household.id, first.order.id).status.value == "delivered"
    later = backend.buttons.press(household.id, button.id)
    assert later.outcome is PressOutcome.ORDERED and later.order.id != first.order.id
    counts = backend.buttons.outcome_counts(household.id, button.id)
    assert counts == {"ordered": 2, "already_in_progress": 5}


def test_allow_multiple_orders_every_press_up_to_the_daily_cap(backend, household, clock):
    button = backend.buttons.create(household.id, "tp", TP, allow_multiple=True, daily_cap=3)
    outcomes = [backend.buttons.press(household.id, button.id) for _ in range(5)]
    assert [r.outcome.value for r in outcomes] == ["ordered"] * 3 + ["blocked"] * 2
    assert outcomes[-1].press.reason == "daily_cap" and "3 orders for today" in outcomes[-1].message
    clock.advance(timedelta(days=1))
    assert backend.buttons.press(household.id, button.id).outcome is PressOutcome.ORDERED


def test_policy_change_keeps_the_open_order_in_view(backend, household):
    button = backend.buttons.create(household.id, "tp", TP, allow_multiple=True)
    first = backend.buttons.press(household.id, button.id)
    backend.buttons.update(household.id, button.id, allow_multiple=False)
    again = backend.buttons.press(household.id, button.id)
    assert again.outcome is PressOutcome.ALREADY_IN_PROGRESS and again.order.id == first.order.id


def test_update_rebinds_product_and_quantity(backend, household):
    button = backend.buttons.create(household.id, "towels", TOWELS)
    updated = backend.buttons.update(household.id, button.id, quantity=2, daily_cap=4)
    assert (updated.quantity, updated.policy.daily_cap) == (2, 4)
    updated = backend.buttons.update(household.id, button.id, product_id=TP, daily_cap=None)
    assert (updated.product_id, updated.quantity, updated.policy.daily_cap) == (TP, 2, None)
    order = backend.buttons.press(household.id, button.id).order
    assert [(ln.product_id, ln.quantity) for ln in order.lines] == [(TP, 2)]


def test_idempotent_replay_returns_the_first_outcome(backend, household, clock):
    button = backend.buttons.create(household.id, "tp", TP)
    first = backend.buttons.press(household.id, button.id, idempotency_key="press-1")
    clock.advance(timedelta(days=5))  # even after delivery, the replay answers as the first press did
    replay = backend.buttons.press(household.id, button.id, idempotency_key="press-1")
    assert replay.replayed and replay.press.id == first.press.id and replay.outcome is PressOutcome.ORDERED
    assert backend.buttons.outcome_counts(household.id, button.id) == {"ordered": 1}
    with pytest.raises(InvalidInput):
        backend.buttons.press(household.id, button.id, idempotency_key=" ")


def test_child_profile_and_spending_limit_block_with_a_record(backend, household):
    maya = next(m for m in household.members if m.name == "Maya")
    button = backend.buttons.create(household.id, "tp", TP, quantity=20)
    blocked = backend.buttons.press(household.id, button.id, member_id=maya.id)
    assert blocked.outcome is PressOutcome.BLOCKED and blocked.press.reason == "purchase_not_allowed"
    backend.households.update_settings(household.id, spending_limit_cents=10_000)
    over = backend.buttons.press(household.id, button.id)
    assert over.outcome is PressOutcome.BLOCKED and over.press.reason == "spending_limit_exceeded"
    assert backend.orders.recent(household.id) == []
    assert backend.buttons.outcome_counts(household.id, button.id) == {"blocked": 2}


def test_voice_press_needs_the_purchase_code_when_one_is_set(backend, household):
    backend.households.update_settings(household.id, purchase_code="1234")
    button = backend.buttons.create(household.id, "tp", TP)
    assert backend.buttons.press(household.id, button.id, channel="voice").press.reason == "purchase_code_required"
    assert (
        backend.buttons.press(household.id, button.id, channel="voice", purchase_code="9999").press.reason
        == "wrong_purchase_code"
    )
    assert backend.buttons.press(household.id, button.id, channel="voice", purchase_code="1234").ordered
    # A physical or app button is the owner's standing instruction: no code, like the Dash button.
    assert backend.buttons.press(household.id, button.id).outcome is PressOutcome.ALREADY_IN_PROGRESS


def test_deleted_button_and_discontinued_product_are_answered_not_lost(backend, household):
    from dataclasses import replace

    button = backend.buttons.create(household.id, "tp", TP)
    backend.buttons.delete(household.id, button.id)
    gone = backend.buttons.press(household.id, button.id)
    assert gone.outcome is PressOutcome.ERROR and gone.press.reason == "button_deleted"
    assert "was deleted" in gone.message
    towels = backend.buttons.create(household.id, "towels", TOWELS)
    product = backend.catalog.get(TOWELS)
    backend.catalog.load([replace(product, discontinued=True)])
    stale = backend.buttons.press(household.id, towels.id)
    assert stale.outcome is PressOutcome.ERROR and stale.press.reason == "product_unavailable"
    assert backend.orders.recent(household.id) == []
    assert len(backend.buttons.presses(household.id, button.id)) == 1


def test_other_households_buttons_are_invisible(backend, household):
    button = backend.buttons.create(household.id, "tp", TP)
    other = backend.households.create("next-door", members=[("Pat", "adult")])
    for call in (
        lambda: backend.buttons.press(other.id, button.id),
        lambda: backend.buttons.get(other.id, button.id),
        lambda: backend.buttons.delete(other.id, button.id),
        lambda: backend.buttons.press_by_name(other.id, "tp"),
    ):
        with pytest.raises(NotFound):
            call()
    assert backend.buttons.outcome_counts(household.id, button.id) == {}


def test_press_by_name_for_the_simulator(backend, household):
    backend.buttons.create(household.id, "Bounty paper towel", TOWELS)
    backend.buttons.create(household.id, "Paper towel refill", TOWELS)
    with pytest.raises(NotFound, match="More than one button"):
        backend.buttons.press_by_name(household.id, "paper towel")
    assert backend.buttons.press_by_name(household.id, "bounty", channel="voice").ordered
    with pytest.raises(InvalidInput):
        backend.buttons.press_by_name(household.id, "  ")


def test_press_notification_carries_the_cancel_window(backend, household):
    button = backend.buttons.create(household.id, "tp", TP)
    order = backend.buttons.press(household.id, button.id).order
    notes = [n for n in backend.notifications.pending(household.id) if n.order_id == order.id]
    assert [n.kind for n in notes] == ["order_placed"] and "cancel it until it ships" in notes[0].message


def test_device_slot_buttons_are_changed_only_through_the_device(backend, household):
    from reorder.services.devices import SlotSpec

    device = backend.devices.register(household.id, "Washer", [SlotSpec("detergent", "tide-pods-original-81")])
    slot_button = device.slots[0].button_id
    for call in (
        lambda: backend.buttons.update(household.id, slot_button, quantity=9),
        lambda: backend.buttons.delete(household.id, slot_button),
    ):
        with pytest.raises(Conflict, match="device's supply slot"):
            call()
    assert backend.buttons.list(household.id) == []
    assert backend.devices.replenish(household.id, device.id, "detergent").ordered
