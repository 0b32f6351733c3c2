"""The emulated Alexa service APIs, called the way skills call them: through ask-sdk's service clients."""

from __future__ import annotations

from datetime import timedelta

import pytest
from ask_sdk_core.api_client import DefaultApiClient
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.services import ApiConfiguration, AuthenticationConfiguration, ServiceException
from ask_sdk_model.services.proactive_events import ProactiveEventsServiceClient
from ask_sdk_model.services.reminder_management import ReminderManagementServiceClient
from ask_sdk_model.services.ups import UpsServiceClient

from device_sim.profile import scope_for


def api(device):
    endpoint = device.default_skill
    token = device.cloud.token_for(endpoint.application_id, endpoint.name)
    return ApiConfiguration(
        serializer=DefaultSerializer(),
        api_client=DefaultApiClient(),
        authorization_value=token,
        api_endpoint=device.cloud.endpoint,
    )


REMINDER = {
    "requestTime": "2026-11-23T10:00:00.000",
    "trigger": {"type": "SCHEDULED_RELATIVE", "offsetInSeconds": 600},
    "alertInfo": {"spokenInfo": {"content": [{"locale": "en-US", "text": "Feed Maya"}]}},
    "pushNotification": {"status": "ENABLED"},
}


def raw(device, method, path):
    """Reads reminders without the SDK: ask-sdk-model 1.82 cannot deserialise a reminder's alertInfo
    (its AlertInfo names a module that does not exist), with the real service as with this one."""
    import requests

    config = api(device)
    reply = requests.request(
        method, config.api_endpoint + path, timeout=5, headers={"Authorization": f"Bearer {config.authorization_value}"}
    )
    return reply.status_code, (reply.json() if reply.content else None)


def test_reminders_create_list_get_delete_and_fire(hello_device):
    client = ReminderManagementServiceClient(api(hello_device))
    created = client.create_reminder(REMINDER)
    assert created.status.value == "ON"
    status, listed = raw(hello_device, "GET", "/v1/alerts/reminders")
    assert status == 200 and listed["totalCount"] == "1"
    assert listed["alerts"][0]["alertToken"] == created.alert_token
    assert listed["alerts"][0]["alertInfo"] == REMINDER["alertInfo"]
    assert hello_device.advance(timedelta(minutes=5)) == []
    assert hello_device.advance("6 minutes") == ["reminder from hello world: Feed Maya"]
    assert raw(hello_device, "GET", f"/v1/alerts/reminders/{created.alert_token}")[1]["status"] == "COMPLETED"
    client.delete_reminder(created.alert_token)
    assert raw(hello_device, "GET", "/v1/alerts/reminders")[1]["totalCount"] == "0"


def test_recurring_absolute_reminders_fire_every_day(hello_device):
    client = ReminderManagementServiceClient(api(hello_device))
    tomorrow = (hello_device.clock.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S")
    client.create_reminder(
        {
            **REMINDER,
            "trigger": {
                "type": "SCHEDULED_ABSOLUTE",
                "scheduledTime": tomorrow,
                "timeZoneId": "UTC",
                "recurrence": {"freq": "DAILY"},
            },
        }
    )
    fired = hello_device.advance("3 days")
    assert fired == ["reminder from hello world: Feed Maya"] * 3


def test_reminder_errors(hello_device):
    client = ReminderManagementServiceClient(api(hello_device))
    with pytest.raises(ServiceException) as bad:
        client.create_reminder({**REMINDER, "trigger": {"type": "SCHEDULED_RELATIVE", "offsetInSeconds": -1}})
    assert bad.value.status_code == 400
    with pytest.raises(ServiceException) as missing:
        client.delete_reminder("no-such-token")
    assert missing.value.status_code == 404
    hello_device.revoke("reminders")
    with pytest.raises(ServiceException) as refused:
        client.create_reminder(REMINDER)
    assert refused.value.status_code == 401


def test_profile_and_settings_respect_permissions(hello_device):
    ups = UpsServiceClient(api(hello_device))
    assert ups.get_profile_given_name() == "Alex"
    assert ups.get_persons_profile_given_name() == "Alex"
    assert ups.get_system_time_zone(hello_device.profile.device_id) == "America/New_York"
    with pytest.raises(ServiceException) as refused:
        ups.get_profile_email()
    assert refused.value.status_code == 403
    hello_device.grant("email")
    assert ups.get_profile_email() == "alex@demo.example"
    hello_device.revoke("given_name")
    with pytest.raises(ServiceException):
        ups.get_profile_given_name()


def test_unknown_tokens_are_refused(hello_device):
    config = api(hello_device)
    config.authorization_value = "forged"
    with pytest.raises(ServiceException) as refused:
        UpsServiceClient(config).get_system_time_zone(hello_device.profile.device_id)
    assert refused.value.status_code == 401


def test_proactive_events_become_notifications(hello_device):
    config = api(hello_device)
    auth = AuthenticationConfiguration(client_id="amzn1.application-oa2-client.sim", client_secret="secret")
    client = ProactiveEventsServiceClient(config, auth)
    client._lwa_service_client._api_endpoint = hello_device.cloud.endpoint  # LWA lives on the same emulator
    event = {
        "timestamp": "2026-11-23T10:00:00.00Z",
        "referenceId": "order-1",
        "expiryTime": "2026-11-24T10:00:00.00Z",
        "event": {
            "name": "AMAZON.OrderStatus.Updated",
            "payload": {"state": {"status": "ORDER_SHIPPED"}, "order": {"seller": {"name": "voicecart"}}},
        },
        "relevantAudience": {"type": "Unicast", "payload": {"user": hello_device.profile.user_id}},
    }
    from ask_sdk_model.services.proactive_events import SkillStage

    client.create_proactive_event(event, SkillStage.DEVELOPMENT)
    assert hello_device.say("alexa, read my notifications").speech == (
        "You have one new notification. From amzn1.application-oa2-client.sim: Your order from voicecart is "
        "order shipped."
    )
    assert hello_device.say("alexa, read my notifications").speech == "You have no new notifications."


def test_notifications_from_the_backend_outbox(hello_device):
    outbox = ["Your diapers were delivered."]

    def poll():
        new = list(outbox)
        outbox.clear()
        return new

    hello_device.watch_notifications(poll)
    hello_device.notify("Your order shipped.", source="voicecart")
    turn = hello_device.say("alexa, what did I miss")
    assert turn.events == ["chime: new notification from voicecart"]
    assert turn.speech == (
        "You have 2 new notifications. From voicecart: Your order shipped. From voicecart: Your diapers were delivered."
    )


def test_permission_names(hello_device):
    assert scope_for("reminders") == "alexa::alerts:reminders:skill:readwrite"
    with pytest.raises(ValueError, match="unknown permission"):
        hello_device.grant("everything")


def test_tea_timer_uses_the_real_sdk_clients(tea_device):
    assert tea_device.say("alexa, open tea timer").speech.startswith("Welcome to Tea Timer, Alex.")
    tea_device.say("brew green")
    tea_device.say("yes")
    assert tea_device.say("in ten minutes").speech == "Should I remind you in PT10M?"
    assert tea_device.say("yes").speech == "Okay, I'll remind you."
    assert tea_device.advance("10 minutes") == ["reminder from tea timer: Your tea is ready."]
    tea_device.revoke("reminders")
    tea_device.say("alexa, ask tea timer to remind me in 5 minutes")
    turn = tea_device.say("yes")
    assert turn.card["type"] == "AskForPermissionsConsent"
    assert "allow reminders" in turn.speech


def test_a_failing_notification_source_does_not_silence_the_device(hello_device):
    def broken():
        raise ConnectionError("the backend is down")

    hello_device.watch_notifications(broken)
    turn = hello_device.say("alexa, ask hello world to say hello")
    assert turn.speech == "Hi there, visit 1."
    assert turn.events == ["notifications unavailable: voicecart: ConnectionError: the backend is down"]


def test_history_is_bounded(hello_device, monkeypatch):
    monkeypatch.setattr("device_sim.device.MAX_HISTORY", 3)
    for _ in range(5):
        hello_device.say("")
    assert len(hello_device.turns) == 3


def test_the_cloud_loads_its_https_side_at_the_first_call_and_closes_at_once():
    import subprocess
    import sys
    import time

    from device_sim.alexa_cloud import AlexaCloud
    from device_sim.notifications import Inbox
    from device_sim.profile import DeviceProfile

    # In a fresh process: a cloud nobody calls imports no HTTP server (the sim's one-shot runs pay none of it).
    quiet = (
        "import sys; from datetime import datetime, UTC\n"
        "from device_sim.alexa_cloud import AlexaCloud\n"
        "from device_sim.notifications import Inbox\n"
        "from device_sim.profile import DeviceProfile\n"
        "cloud = AlexaCloud(DeviceProfile(), lambda: datetime.now(UTC), Inbox())\n"
        "cloud.start(); cloud.stop()\n"
        "print('http.server' in sys.modules, 'device_sim.cloud_http' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", quiet], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split() == ["False", "False"]

    cloud = AlexaCloud(DeviceProfile(), lambda: None, Inbox())
    endpoint = cloud.start()
    token = cloud.token_for("amzn1.ask.skill.test", "test")
    import requests

    answer = requests.get(
        f"{endpoint}/v2/accounts/~current/settings/Profile.name",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert answer.status_code in (200, 204, 403)  # served (what it says depends on the profile's grants)
    started = time.perf_counter()
    cloud.stop()
    assert time.perf_counter() - started < 0.5  # no poll interval waited out
    assert cloud.endpoint == "https://api.amazonalexa.com"
