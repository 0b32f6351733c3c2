"""Bean Box orders under voicecart's purchase rules, unchanged: they come with the framework, not the skill."""

from __future__ import annotations

import pytest

from device_sim.device import Device
from device_sim.profile import DeviceProfile
from device_sim.skill_loader import SkillEndpoint
from reorder.demo import DEMO_CHILD_PERSON_ID


@pytest.fixture
def beans(backend_demo, bean_box):
    from skills.framework.compose import build_skill

    backend = backend_demo
    demo = backend.households.by_name("demo")
    endpoint = SkillEndpoint.of(build_skill(bean_box, backend), bean_box.model(), application_id=bean_box.skill_id)

    def device(**profile) -> Device:
        return Device(endpoint, clock=backend.clock, cloud=False, profile=DeviceProfile(**profile))

    with device() as echo:
        assert (
            "Your usual is now"
            in echo.say("alexa, ask bean box to make my usual three bags of pike place roast whole bean").speech
        )
    return backend, demo.id, device


def _orders(backend, household_id):
    return backend.orders.recent(household_id, limit=50)


def test_the_purchase_code_is_asked_and_checked(beans):
    backend, hh, device = beans
    backend.households.update_settings(hh, purchase_code="4321")
    before = len(_orders(backend, hh))
    with device() as echo:
        echo.say("alexa, ask bean box to send my usual")
        assert "four-digit voice purchase code" in echo.say("yes").speech
        assert "Please say your four-digit" in echo.say("my code is one two three four").speech
        assert len(_orders(backend, hh)) == before
        assert echo.say("my code is four three two one").speech.startswith("Done. I ordered three bags")
    assert len(_orders(backend, hh)) == before + 1


def test_a_childs_voice_puts_the_usual_in_the_cart(beans):
    backend, hh, device = beans
    before = len(_orders(backend, hh))
    with device(person_id=DEMO_CHILD_PERSON_ID) as echo:
        turn = echo.say("alexa, ask bean box to send my usual")
    assert "can't place orders, so I added three bags" in turn.speech
    assert len(_orders(backend, hh)) == before
    assert [(ln.quantity, "pike-place" in ln.product_id) for ln in backend.carts.get(hh).lines] == [(3, True)]


def test_the_spending_limit_is_said_before_any_yes(beans):
    backend, hh, device = beans
    backend.households.update_settings(hh, spending_limit_cents=20_00)
    with device() as echo:
        turn = echo.say("alexa, ask bean box to send my usual")
    assert "over your household's limit of 20 dollars per order, so I can't place it" in turn.speech


def test_no_orders_nothing(beans):
    backend, hh, device = beans
    before = len(_orders(backend, hh))
    with device() as echo:
        echo.say("alexa, ask bean box to send my usual")
        assert "Nothing was ordered" in echo.say("no").speech
    assert len(_orders(backend, hh)) == before


@pytest.mark.parametrize(
    "said",
    [
        "my usual is <speak>& pike place</speak>",
        "my usual is 900 bags of pike place",
        "my usual is " + "espresso " * 60,
        "my usual is two bags of diapers",
        "skip next week " * 20,
    ],
)
def test_hostile_or_odd_requests_get_an_answer_and_change_nothing_wrongly(beans, said):
    backend, hh, device = beans
    with device() as echo:
        echo.say("alexa, open bean box")
        turn = echo.say(said)
        assert turn.error is None and turn.speech
        assert "Pike Place" in echo.say("what's my next delivery").speech  # the usual is still the usual


def test_the_weekly_order_is_placed_once_and_a_skipped_week_is_not(beans):
    """The test clock starts Monday 2026-11-02 (09:00 in New York): the next deliveries are the 9th, 16th, 23rd."""
    from datetime import timedelta

    backend, hh, device = beans

    def weekly():
        return sorted(
            o.placed_at.date().isoformat()
            for o in _orders(backend, hh)
            if any("pike-place" in ln.product_id for ln in o.lines)
        )

    with device() as echo:
        assert "Monday, November 9th" in echo.say("alexa, ask bean box what's my next delivery").speech
        assert "The next one is Monday, November 16th" in echo.say("skip next week").speech
    backend.clock.advance(timedelta(days=7, hours=1))  # the 9th passes: skipped
    assert weekly() == []
    backend.clock.advance(timedelta(days=7))  # the 16th: ordered when the clock moves
    assert weekly() == ["2026-11-16"]
    with device() as echo:  # talking to Bean Box again orders nothing twice
        assert "Monday, November 23rd" in echo.say("alexa, ask bean box what's my next delivery").speech
    backend.clock.advance(timedelta(days=7))
    assert weekly() == ["2026-11-16", "2026-11-23"]
    backend.clock.advance(timedelta(days=14))  # two weeks at once: both are ordered, each once
    assert weekly() == ["2026-11-16", "2026-11-23", "2026-12-07", "2026-12-07"]  # the 30th and the 7th
    assert all(o.lines[0].quantity == 3 for o in _orders(backend, hh) if "pike-place" in o.lines[0].product_id)


def test_a_stranger_is_asked_to_link_the_account_and_nothing_happens(beans):
    backend, hh, device = beans
    with device(user_id="amzn1.ask.account.stranger", person_id=None, device_id="amzn1.ask.device.elsewhere") as echo:
        turn = echo.say("alexa, ask bean box to skip next week")
    assert "link" in turn.speech.lower() and turn.card and "LinkAccount" in str(turn.card)
    with device() as echo:
        assert "Monday, November 9th" in echo.say("alexa, ask bean box what's my next delivery").speech
