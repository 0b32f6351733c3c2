"""The default wiring: the voicecart skill in process, its backend's outbox and buttons, one shared clock."""

from __future__ import annotations

import pytest

from device_sim.build import DeviceSpec, build_device
from device_sim.default_skill import SkillNotInstalled


@pytest.fixture
def voicecart_device(tmp_path):
    try:
        device = build_device(DeviceSpec(store=f"sqlite:///{tmp_path}/voicecart.sqlite3"))
    except SkillNotInstalled as exc:
        pytest.skip(str(exc))
    yield device
    device.close()


def test_reorder_then_delivery_news_arrives_as_notifications(voicecart_device):
    device = voicecart_device
    assert device.default_skill.name == "voicecart"
    first = device.say("alexa, reorder diapers")
    assert first.intent == "ReorderIntent" and first.error is None and not first.session_ended
    placed = device.say("yes")
    assert placed.error is None
    device.say("stop")
    device.advance("3 days")
    # Nothing from before the device was switched on: the demo household's history is not news.
    chimes = [e for e in device.events if e.startswith("chime")]
    assert len(chimes) >= 2 and all(e == "chime: new notification from voicecart" for e in chimes)
    heard = device.say("alexa, read my notifications").speech
    assert heard.startswith(f"You have {len(chimes)} new notifications.") and "delivered" in heard
    assert device.say("alexa, read my notifications").speech == "You have no new notifications."
    assert "no button called 'hall'" in device.press("hall")


def test_the_device_fixture(device):
    turn = device.say("alexa, open voice cart")
    assert turn.request_type == "LaunchRequest" and turn.error is None and turn.speech


def test_the_application_hands_the_simulator_its_default_skill():
    """The simulator knows no skill by name: the voicecart skill reaches it as an installed entry point."""
    from device_sim.default_skill import installed_default_skill
    from voicecart.sim_skill import open_voicecart

    assert installed_default_skill() is open_voicecart


def test_a_caller_may_hand_the_default_skill_directly(tmp_path):
    from voicecart.sim_skill import open_voicecart

    opened = []

    def default_skill(store_url, clock, *, locale):
        opened.append(store_url)
        return open_voicecart(store_url, clock, locale=locale)

    store = f"sqlite:///{tmp_path}/handed.sqlite3"
    with build_device(DeviceSpec(store=store), default_skill=default_skill) as device:
        assert device.say("alexa, open voice cart").speech
    assert opened == [store]


def test_without_an_installed_default_skill_the_simulator_says_how_to_name_one(monkeypatch):
    import device_sim.default_skill as default_skill

    monkeypatch.setattr(default_skill, "entry_points", lambda group: [])
    with pytest.raises(SkillNotInstalled, match="no default skill is installed.*--skill MODULE:HANDLER"):
        build_device(DeviceSpec())
