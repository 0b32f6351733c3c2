"""The household page in real headless Chromium: sign-in, cart, checkout, orders, talk, phone width."""

from __future__ import annotations

import re

import pytest
from browser_support import PHONE, sign_in

expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect


def test_page_is_served_with_a_strict_content_policy(live_server):
    client = live_server.app.test_client()
    response = client.get("/")
    assert response.status_code == 200
    assert b'<script type="module" src="/ui/app.js">' in response.data
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert client.get("/ui/views/cart.js").status_code == 200
    assert client.get("/ui/../app.py").status_code == 404


def test_sign_in_shows_the_household_and_a_wrong_token_is_refused(page, live_server):
    page.goto(live_server.url)
    page.get_by_label("Household token").fill("vc_not-a-real-token")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("not accepted")
    sign_in(page, live_server)
    expect(page.locator("#household-name")).to_have_text("demo (demo)")
    assert page.evaluate("localStorage.getItem('voicecart.token')") == live_server.token
    page.reload()  # the token is remembered
    expect(page.get_by_role("navigation", name="Sections")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("Household token")).to_be_visible()
    assert page.evaluate("localStorage.getItem('voicecart.token')") is None
    assert not page.js_errors


def test_add_from_search_edit_quantity_and_check_out_with_confirmation(page, live_server):
    sign_in(page, live_server, "cart")
    page.get_by_label("Find a product").fill("paper towels")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name=re.compile(r"^Add .*Bounty", re.I)).first.click()
    line = page.locator("#cart-lines li").first
    expect(line).to_contain_text("Bounty")
    line.get_by_label(re.compile("Quantity of")).fill("3")
    line.get_by_role("button", name="Update").click()
    # The confirmation appears only once the server has taken the change; the input alone shows "3" at once.
    expect(page.get_by_role("alert")).to_contain_text("quantity is now 3")
    expect(page.locator("#cart-lines li").first.get_by_label(re.compile("Quantity of"))).to_have_value("3")
    cart = live_server.backend.carts.get(live_server.household_id)
    assert [ln.quantity for ln in cart.lines] == [3]

    page.get_by_role("button", name="Check out").click()
    dialog = page.get_by_role("dialog", name="Place this order?")
    expect(dialog).to_contain_text("3 × ")
    dialog.get_by_role("button", name="Go back").click()
    assert live_server.backend.carts.get(live_server.household_id).lines  # nothing ordered
    page.get_by_role("button", name="Check out").click()
    page.get_by_role("dialog").get_by_role("button", name=re.compile("Place order")).click()
    expect(page.get_by_role("alert")).to_contain_text("Order placed")
    expect(page.get_by_text("The cart is empty")).to_be_visible()

    page.get_by_role("link", name="Orders").click()
    newest = page.locator("#order-list > li").first
    expect(newest).to_contain_text("3 × ")
    expect(newest.locator(".pill")).to_have_text("placed")
    newest.get_by_role("button", name="Cancel order").click()
    page.get_by_role("dialog").get_by_role("button", name="Cancel order").click()
    expect(page.locator("#order-list > li").first.locator(".pill")).to_have_text("cancelled")
    assert not page.js_errors


def test_a_bad_quantity_is_explained_and_changes_nothing(page, live_server):
    product = live_server.backend.catalog.search("wipes", 1)[0]
    live_server.backend.carts.add(live_server.household_id, product.id, 2, channel="web")
    sign_in(page, live_server, "cart")
    line = page.locator("#cart-lines li").first
    line.get_by_label(re.compile("Quantity of")).fill("0")
    line.get_by_role("button", name="Update").click()
    expect(page.get_by_role("alert")).to_contain_text("whole number")
    assert live_server.backend.carts.get(live_server.household_id).lines[0].quantity == 2


def test_orders_show_their_status_timeline(page, live_server):
    sign_in(page, live_server, "orders")
    delivered = page.locator("#order-list > li.status-delivered").first
    expect(delivered.locator(".timeline li.done")).to_have_count(4)
    expect(delivered.get_by_role("button", name="Cancel order")).to_have_count(0)


def test_notifications_arrive_while_the_page_is_open(page, live_server):
    page.clock.install()  # the page polls every 10 s; move its clock instead of waiting
    sign_in(page, live_server)
    before = int(page.locator("#notification-count").inner_text())
    product = live_server.backend.catalog.search("paper towels", 1)[0]
    live_server.backend.orders.place(live_server.household_id, [(product.id, 1)], channel="voice")
    page.clock.fast_forward(11_000)
    expect(page.locator("#notification-count")).not_to_have_text(str(before))
    page.get_by_role("button", name=re.compile("Notifications")).click()
    expect(page.locator("#notification-list")).to_contain_text("Bounty")


@pytest.mark.parametrize("view", ["talk", "cart", "orders", "buttons", "baby", "routines"])
def test_every_view_fits_a_phone(browser, lived_in_server, view):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    try:
        page = context.new_page()
        sign_in(page, lived_in_server, view)
        page.locator(f"#view-{view} .panel").first.wait_for()
        expect(page.locator("#tabs a[data-view=routines]")).to_be_in_viewport()  # every section in sight
        if view == "buttons":
            page.locator("#button-grid .big-button").first.click()
            page.locator("#button-grid .outcome").first.wait_for()
        if view == "cart":
            expect(page.locator("#cart-lines li")).to_have_count(2)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the {view} view is wider than a phone by {overflow}px"
    finally:
        context.close()


def test_sections_work_from_the_keyboard(page, live_server):
    sign_in(page, live_server)
    page.locator("#tabs a[data-view=cart]").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#cart$"))
    expect(page.locator("#tabs a[data-view=cart]")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", name="Your cart")).to_be_visible()


UNLABELLED = """() => {
  const named = (el) => (el.labels && el.labels.length) || el.getAttribute("aria-label")
    || el.getAttribute("aria-labelledby");
  const controls = [...document.querySelectorAll("#main input, #main textarea, #main select")]
    .filter((el) => !named(el));
  const buttons = [...document.querySelectorAll("#main button")].filter((b) => !b.textContent.trim()
    && !b.getAttribute("aria-label"));
  return [...controls, ...buttons].map((el) => el.outerHTML.slice(0, 120));
}"""


@pytest.mark.parametrize("view", ["talk", "cart", "orders", "buttons", "baby", "routines"])
def test_every_control_has_a_name(page, lived_in_server, view):
    sign_in(page, lived_in_server, view)
    page.locator(f"#view-{view} .panel").first.wait_for()
    assert page.evaluate(UNLABELLED) == []


def test_the_checkout_question_is_answered_from_the_keyboard(page, lived_in_server):
    sign_in(page, lived_in_server, "cart")
    page.get_by_role("button", name="Check out").focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Place this order?")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")  # Esc is "go back": nothing is ordered
    expect(dialog).to_have_count(0)
    assert len(lived_in_server.backend.carts.get(lived_in_server.household_id).lines) == 2


def test_the_console_is_in_the_openapi_document():
    from voicecart.web.console_api import openapi_paths

    paths = openapi_paths()
    assert set(paths) == {"/api/console/say", "/api/console/sessions/{session}"}
    body = paths["/api/console/say"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["text"]


def test_the_talk_section_leaves_the_focus_where_the_person_put_it(page, live_server):
    # Focus moved to another section's tab before the Talk section finished loading: Enter opens that section
    # instead of sending an empty turn from the Talk box. The first notifications poll, which the Talk
    # section waits for, is held until the tab has the focus.
    held = []
    page.route("**/api/notifications*", lambda route: held.append(route))
    page.goto(live_server.url)
    page.get_by_label("Household token").fill(live_server.token)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Sections").wait_for()
    page.locator("#tabs a[data-view=orders]").focus()
    while not held:
        page.wait_for_timeout(20)
    for route in held:
        route.continue_()
    page.unroute("**/api/notifications*")
    page.get_by_role("heading", name="Talk to your speaker").wait_for()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#orders$"))
    expect(page.get_by_role("listitem").filter(has_text="(silence)")).to_have_count(0)
