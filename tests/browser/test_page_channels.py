"""One household across channels in real Chromium: buttons, the talk console, a speaker in the simulator,
the baby log and routines all change what the page shows."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from browser_support import sign_in

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect


def _button(server, name="wipes", quantity=1):
    product = server.backend.catalog.search("pampers wipes", 1)[0]
    return server.backend.buttons.create(server.household_id, name, product.id, quantity)


def test_pressing_a_button_orders_once_and_the_order_can_be_cancelled(page, live_server):
    button = _button(live_server)
    sign_in(page, live_server, "buttons")
    card = page.locator("#button-grid li", has_text="wipes")
    card.get_by_role("button", name=re.compile("wipes")).click()
    expect(card.locator(".outcome")).to_contain_text("Ordered")
    card.get_by_role("button", name=re.compile("wipes")).click()  # the grandmother presses again
    expect(card.locator(".outcome")).to_contain_text("Already on its way")
    orders = [o for o in live_server.backend.orders.recent(live_server.household_id, 50) if o.button_id == button.id]
    assert len(orders) == 1

    page.get_by_role("link", name="Orders").click()
    expect(page.locator(f"#order-list > li[data-order-id='{orders[0].id}']")).to_contain_text("button")
    page.get_by_role("link", name="Buttons").click()
    # The grid from the first visit stays on screen until the view has reloaded (aria-busy meanwhile).
    expect(page.locator("#view-buttons")).not_to_have_attribute("aria-busy", "true")
    card = page.locator("#button-grid li", has_text="wipes")
    card.get_by_role("button", name=re.compile("wipes")).click()
    card.get_by_role("button", name="Cancel this order").click()
    page.get_by_role("dialog").get_by_role("button", name="Cancel order").click()
    expect(page.get_by_role("alert")).to_contain_text("cancelled")
    assert live_server.backend.orders.get(live_server.household_id, orders[0].id).status.value == "cancelled"
    assert not page.js_errors


def _talk(page, text):
    before = page.locator(".conversation > li").count()
    page.get_by_label("Say to your speaker").fill(text)
    page.get_by_role("button", name="Say", exact=True).click()
    expect(page.locator(".conversation > li")).to_have_count(before + 1)
    return page.locator(".conversation > li").last


def test_saying_add_wipes_in_the_console_puts_wipes_in_the_cart(page, live_server):
    sign_in(page, live_server, "talk")
    turn = _talk(page, "add wipes to my cart")
    expect(turn.locator(".intent")).to_have_text("AddToCartIntent")
    if "first" in turn.locator(".bubble.speaker").inner_text().lower():
        turn = _talk(page, "the first one")  # the skill asked which wipes; the session carried over
    expect(turn.locator(".bubble.speaker")).to_contain_text(re.compile("cart", re.I))
    page.get_by_role("link", name="Cart").click()
    expect(page.locator("#cart-lines")).to_contain_text(re.compile("wipes", re.I))
    assert not page.js_errors


def test_hostile_text_in_the_console_gets_an_answer_not_a_crash(page, live_server):
    sign_in(page, live_server, "talk")
    for text in ["<script>alert(1)</script>", "💥" * 40, "'; drop table carts; --"]:
        turn = _talk(page, text)
        expect(turn.locator(".bubble.speaker")).not_to_be_empty()
    assert page.locator("script:not([src])").count() == 0
    page.get_by_label("Say to your speaker").fill("x" * 501)  # the box stops at 500 characters
    assert len(page.get_by_label("Say to your speaker").input_value()) == 500


def test_a_cart_changed_by_voice_in_the_simulator_shows_after_refresh(page, live_server):
    from device_sim import Device, SkillEndpoint
    from intents.model import load_model
    from skills.app import build_skill

    sign_in(page, live_server, "cart")
    expect(page.get_by_text("The cart is empty")).to_be_visible()
    endpoint = SkillEndpoint.of(build_skill(live_server.backend, skill_id=None), load_model())
    with Device(endpoint, clock=live_server.backend.clock) as kitchen:  # the demo kitchen speaker
        turn = kitchen.say("alexa, ask voice cart to add two bounty paper towels to my cart")
        if not turn.session_ended and "first" in turn.speech.lower():
            kitchen.say("the first one")
    assert live_server.backend.carts.get(live_server.household_id).lines, turn.speech
    page.reload()
    expect(page.locator("#cart-lines")).to_contain_text("Bounty")


def test_logging_a_feeding_changes_the_summary_and_the_chart(page, live_server):
    backend = live_server.backend
    maya = backend.babycare.children(live_server.household_id)[0]
    three_days_ago = backend.clock.now() - timedelta(days=3)
    backend.babycare.log(
        live_server.household_id, "diaper", {"diaper_type": "wet"}, child=maya.id, at=three_days_ago, channel="voice"
    )
    sign_in(page, live_server, "baby")
    panel = page.locator(f"section.child[data-child-id='{maya.id}']")
    feedings = panel.locator("dd[data-fact=feedings]")
    expect(feedings).to_have_text(re.compile(r"^0"))
    expect(panel.locator("svg.chart")).to_have_count(3)
    diapers_chart = panel.locator("svg.chart").nth(2)
    assert diapers_chart.locator("rect").count() == 14
    heights = diapers_chart.locator("rect").evaluate_all("rects => rects.map(r => Number(r.getAttribute('height')))")
    assert sum(1 for h in heights if h > 0) == 1

    panel.get_by_role("button", name="Bottle 4 oz").click()
    expect(page.get_by_role("alert")).to_contain_text("Logged for Maya")
    panel = page.locator(f"section.child[data-child-id='{maya.id}']")
    expect(panel.locator("dd[data-fact=feedings]")).to_have_text(re.compile(r"^1 · 4(\.0)? oz"))
    expect(panel.locator(".timeline.events")).to_contain_text("Bottle, 4 oz")
    assert len(backend.babycare.events(live_server.household_id, maya.id, start=three_days_ago)) == 2
    assert not page.js_errors


def test_a_routine_is_created_listed_and_run(page, live_server):
    sign_in(page, live_server, "routines")
    page.get_by_label("Name (as you would say it)").fill("nap time")
    page.get_by_label("Runs every day at").last.fill("13:30")
    page.get_by_label("Steps").last.fill('{"kind": "sleep_start"}\n{"kind": "say", "text": "Sleep well"}')
    page.get_by_role("button", name="Create routine").click()
    routine = page.locator("#routine-list li.routine", has_text="nap time")
    expect(routine).to_contain_text("daily at 13:30")
    routine.get_by_role("button", name="Run nap time").click()
    expect(routine.locator(".outcome")).to_contain_text("Sleep well")

    # Edit it: a new daily time and a new name, kept by the server.
    routine.get_by_text("Edit nap time").click()
    routine.get_by_label("Runs every day at").fill("14:15")
    routine.get_by_label("Name (as you would say it)").fill("afternoon nap")
    routine.get_by_role("button", name="Save changes").click()
    edited = page.locator("#routine-list li.routine", has_text="afternoon nap")
    expect(edited).to_contain_text("daily at 14:15")
    saved = live_server.backend.routines.list(live_server.household_id)
    assert [(r.name, r.schedule_time) for r in saved] == [("afternoon nap", "14:15")]

    page.get_by_label("Steps").last.fill("not json")
    page.get_by_label("Name (as you would say it)").last.fill("broken")
    page.get_by_role("button", name="Create routine").click()
    expect(page.get_by_role("alert")).to_contain_text("not valid JSON")
    assert [r.name for r in live_server.backend.routines.list(live_server.household_id)] == ["afternoon nap"]


def test_a_button_is_made_on_the_page_and_refuses_a_second_order(page, live_server):
    sign_in(page, live_server, "buttons")
    expect(page.get_by_text("No buttons yet")).to_be_visible()
    page.get_by_text("New button").click()
    page.get_by_label("Button name").fill("paper towels")
    page.get_by_role("button", name="Create button").click()
    expect(page.get_by_role("alert")).to_contain_text("choose the product")
    page.get_by_label("Product", exact=True).fill("paper towels")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_label("Choose")).to_contain_text("Bounty")
    page.get_by_label("Quantity per press").fill("2")
    page.get_by_role("button", name="Create button").click()
    expect(page.get_by_role("alert")).to_contain_text("The paper towels button is ready")
    [button] = live_server.backend.buttons.list(live_server.household_id)
    assert (button.name, button.quantity, button.policy.allow_multiple) == ("paper towels", 2, False)
    page.locator("#button-grid .big-button").click()
    expect(page.locator("#button-grid .outcome")).to_contain_text("Ordered")
