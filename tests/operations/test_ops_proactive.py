"""Order status changes go to the (emulated) Proactive Events API with the skill's LWA client credentials,
from the outbox, and stay there to be retried when the API cannot be reached."""

from __future__ import annotations

from datetime import timedelta

import pytest

from device_sim.alexa_cloud import AlexaCloud
from device_sim.notifications import Inbox
from device_sim.profile import DeviceProfile
from reorder.catalog import load_default_catalog
from reorder.clock import ManualClock
from reorder.services.backend import Backend
from reorder.store import open_store
from skills.common.proactive import ProactiveEventSender
from voicecart.due_work import build_scheduler, proactive_sender
from voicecart.settings import Settings

USER = "amzn1.ask.account.proactive-test"


@pytest.fixture
def world(tmp_path):
    clock = ManualClock()
    backend = Backend(open_store(f"sqlite:///{tmp_path / 's.sqlite3'}"), clock)
    catalog = load_default_catalog()
    backend.catalog.load(catalog)
    home = backend.households.create("porch", members=[("Alex", "adult")], timezone="America/New_York")
    backend.households.link_identity("alexa_user", USER, home.id)
    cloud = AlexaCloud(profile=DeviceProfile(user_id=USER), now=clock.now, inbox=Inbox())
    cloud.start()
    yield backend, home, cloud, catalog[0].id
    cloud.stop()
    backend.close()


def _sender(backend, cloud) -> ProactiveEventSender:  # noqa: ANN001
    return ProactiveEventSender(
        backend,
        client_id="amzn1.application-oa2-client.voicecart",
        client_secret="s3cret",
        api_url=cloud.endpoint,
        lwa_url=cloud.endpoint,
    )


def _pending_order_kinds(backend) -> list[str]:  # noqa: ANN001
    return [n.kind for n in backend.notifications.pending() if n.kind.startswith("order_")]


def test_a_placed_order_reaches_the_device_as_a_proactive_event(world):
    backend, home, cloud, product = world
    backend.orders.place(home.id, [(product, 1)], channel="voice")
    assert _pending_order_kinds(backend) == ["order_placed"]
    assert _sender(backend, cloud).deliver_pending() == 1
    assert [item.text for item in cloud.inbox.items] == ["Your order from voicecart is order received."]
    assert cloud.inbox.items[0].source == "amzn1.application-oa2-client.voicecart"  # sent with the LWA client
    assert _pending_order_kinds(backend) == []


def test_an_unreachable_api_leaves_the_notification_for_the_next_round(world):
    backend, home, cloud, product = world
    backend.orders.place(home.id, [(product, 1)], channel="voice")
    down = ProactiveEventSender(
        backend, client_id="c", client_secret="s", api_url="https://127.0.0.1:9", lwa_url="https://127.0.0.1:9"
    )
    with pytest.raises(Exception):  # noqa: B017 - whatever the HTTP client raises for a refused connection
        down.deliver_pending()
    assert _pending_order_kinds(backend) == ["order_placed"]
    backend.clock.advance(timedelta(days=5))  # shipped, out for delivery, delivered meanwhile
    scheduler = build_scheduler(backend, interval=30, deliver_events=_sender(backend, cloud).deliver_pending)
    result = scheduler.tick()
    assert result.failures == {}
    assert result.results["proactive_events"] == 4
    assert [item.text for item in cloud.inbox.items] == [
        "Your order from voicecart is order received.",
        "Your order from voicecart is order shipped.",
        "Your order from voicecart is order out for delivery.",
        "Your order from voicecart is order delivered.",
    ]
    assert _pending_order_kinds(backend) == []


def test_households_without_an_alexa_user_keep_their_notifications(world):
    backend, _, cloud, product = world
    other = backend.households.create("app-only", members=[("Sam", "adult")])
    backend.orders.place(other.id, [(product, 1)], channel="api")
    assert _sender(backend, cloud).deliver_pending() == 0
    assert [n.kind for n in backend.notifications.pending(other.id)] == ["order_placed"]
    assert cloud.inbox.items == []


def test_the_sender_is_on_only_with_both_credentials(world):
    backend = world[0]
    assert proactive_sender(backend, Settings()) is None
    assert proactive_sender(backend, Settings(lwa_client_id="id")) is None
    assert proactive_sender(backend, Settings(lwa_client_id="id", lwa_client_secret="secret")) is not None


def test_a_linked_account_speaking_makes_its_alexa_user_reachable(world):
    from skills.app import SKILL_ID, build_skill
    from skills.hosting.lambda_entry import lambda_handler

    backend, _, _, _ = world
    home = backend.households.create("linked", members=[("Kim", "adult")])
    backend.households.link_identity("access_token", "lwa-token-of-kim", home.id)
    handler = lambda_handler(build_skill(backend, skill_id=SKILL_ID))
    user = {"userId": "amzn1.ask.account.kim", "accessToken": "lwa-token-of-kim"}
    system = {
        "application": {"applicationId": SKILL_ID},
        "user": user,
        "device": {"deviceId": "d-kim", "supportedInterfaces": {}},
        "apiEndpoint": "https://api.amazonalexa.com",
    }
    event = {
        "version": "1.0",
        "context": {"System": system},
        "session": {"new": True, "sessionId": "s-kim", "application": system["application"], "user": user},
        "request": {"type": "LaunchRequest", "requestId": "r1", "timestamp": "2026-12-04T20:00:00Z", "locale": "en-US"},
    }
    assert "link" not in handler(event, None)["response"]["outputSpeech"]["ssml"].lower()
    assert backend.households.alexa_users(home.id) == ["amzn1.ask.account.kim"]
    # Remembered for notifications only: the user id alone still does not name the household.
    assert backend.households.find_identity("alexa_user", "amzn1.ask.account.kim") is None
