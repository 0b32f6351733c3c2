"""What the baby-care skill asks of Alexa itself: reminders (Reminders API, with the permission card when
consent is missing) and sounds (an AudioPlayer Play directive)."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.interfaces.audioplayer import AudioItem, PlayBehavior, PlayDirective, Stream
from ask_sdk_model.services import ServiceException
from ask_sdk_model.services.reminder_management import (
    AlertInfo,
    PushNotification,
    PushNotificationStatus,
    ReminderRequest,
    SpokenInfo,
    SpokenText,
    Status,
    Trigger,
    TriggerType,
)
from ask_sdk_model.ui import AskForPermissionsConsentCard

log = logging.getLogger(__name__)

# ask-sdk-model names the class of a reminder's spoken info by a module it does not ship
# (reminder_management.alert_info_spoken_info), so reading reminders back (GET /v1/alerts/reminders) fails to
# deserialise any reminder that has one, on Alexa as on the simulator. The class it means is spoken_info.SpokenInfo.
_SPOKEN_INFO = "ask_sdk_model.services.reminder_management.spoken_info.SpokenInfo"
if AlertInfo.deserialized_types.get("spoken_info", "").endswith("alert_info_spoken_info.SpokenInfo"):
    AlertInfo.deserialized_types["spoken_info"] = _SPOKEN_INFO

REMINDERS_PERMISSION = "alexa::alerts:reminders:skill:readwrite"
# Where the sound files are served; a deployment points this at its own HTTPS host.
SOUNDS_URL = os.environ.get("VOICECART_SOUNDS_URL", "https://sounds.voicecart.example/")
MAX_TEXT = 250  # the Reminders API caps spoken text


class PermissionNeeded(Exception):
    """The user has not granted reminders; the answer must carry the consent card."""


def has_consent(handler_input: HandlerInput) -> bool:
    user = getattr(getattr(handler_input.request_envelope.context, "system", None), "user", None)
    permissions = getattr(user, "permissions", None)
    return bool(getattr(permissions, "consent_token", None))


def ask_for_permission(handler_input: HandlerInput, speech: str):  # noqa: ANN201 - Response
    return (
        handler_input.response_builder.speak(speech)
        .set_card(AskForPermissionsConsentCard(permissions=[REMINDERS_PERMISSION]))
        .set_should_end_session(True)
        .response
    )


def create_reminder(
    handler_input: HandlerInput,
    text: str,
    *,
    now: datetime,
    tz,  # noqa: ANN001 - a tzinfo
    after: timedelta | None = None,
    at: datetime | None = None,
    locale: str = "en-US",
) -> str:
    """Create a reminder through the Alexa Reminders API; returns its alert token.

    Raises PermissionNeeded when consent is missing or refused, RuntimeError when the service is unreachable."""
    service = _reminder_service(handler_input)
    if after is not None:
        trigger = Trigger(object_type=TriggerType.SCHEDULED_RELATIVE, offset_in_seconds=int(after.total_seconds()))
    else:
        assert at is not None
        local = at.astimezone(tz).replace(tzinfo=None, microsecond=0)
        trigger = Trigger(object_type=TriggerType.SCHEDULED_ABSOLUTE, scheduled_time=local, time_zone_id=str(tz))
    request = ReminderRequest(
        request_time=now.replace(microsecond=0),
        trigger=trigger,
        alert_info=AlertInfo(spoken_info=SpokenInfo(content=[SpokenText(locale=locale, text=text[:MAX_TEXT])])),
        push_notification=PushNotification(status=PushNotificationStatus.ENABLED),
    )
    try:
        response = service.create_reminder(request)
    except ServiceException as exc:
        raise _refused(exc) from exc
    return getattr(response, "alert_token", "") or ""


@dataclass(frozen=True)
class SetReminder:
    """A reminder the skill set that has yet to go off."""

    token: str
    text: str  # what the device says when it goes off ("Time to feed her.")
    at: datetime | None  # when it goes off next (aware), where the service says

    @property
    def about(self) -> str:
        """What it reminds of, to speak after "the reminder": "to feed her"."""
        said = self.text.strip().rstrip(".!").strip()
        if said.lower().startswith("time to "):
            said = said[len("time to ") :]
        return f"to {said[:1].lower()}{said[1:]}" if said else "without words"


def reminders(handler_input: HandlerInput) -> list[SetReminder]:
    """The skill's reminders that are still on, soonest first (those without a known time last).

    Raises PermissionNeeded when consent is missing or refused, RuntimeError when the service is unreachable."""
    service = _reminder_service(handler_input)
    try:
        response = service.get_reminders()
    except ServiceException as exc:
        raise _refused(exc) from exc
    found = []
    for alert in getattr(response, "alerts", None) or []:
        if getattr(alert, "status", None) not in (Status.ON, "ON"):
            continue
        found.append(SetReminder(alert.alert_token or "", _spoken_text(alert), _goes_off(alert)))
    latest = datetime.max.replace(tzinfo=UTC)
    return sorted(found, key=lambda r: (r.at or latest, r.text))


def delete_reminder(handler_input: HandlerInput, token: str) -> None:
    """Delete one of the skill's reminders; a reminder already gone counts as deleted."""
    service = _reminder_service(handler_input)
    try:
        service.delete_reminder(token)
    except ServiceException as exc:
        if exc.status_code == 404:
            return
        raise _refused(exc) from exc


def _reminder_service(handler_input: HandlerInput):  # noqa: ANN202 - the SDK's ReminderManagementServiceClient
    if not has_consent(handler_input):
        raise PermissionNeeded
    try:
        factory = handler_input.service_client_factory
    except ValueError as exc:  # ask-sdk raises this when the skill was built without an API client
        raise RuntimeError("no Alexa service client is configured") from exc
    if factory is None:
        raise RuntimeError("no Alexa service client is configured")
    return factory.get_reminder_management_service()


def _refused(exc: ServiceException) -> Exception:
    if exc.status_code in (401, 403):
        return PermissionNeeded()
    log.warning("reminders service refused: %s %s", exc.status_code, exc)
    return RuntimeError(f"the Reminders API refused the request ({exc.status_code})")


def _spoken_text(alert) -> str:  # noqa: ANN001 - the SDK's Reminder
    content = getattr(getattr(getattr(alert, "alert_info", None), "spoken_info", None), "content", None) or []
    for item in content:
        if getattr(item, "text", None):
            return str(item.text)
    return ""


def _goes_off(alert) -> datetime | None:  # noqa: ANN001 - the SDK's Reminder
    """When a one-off reminder goes off: its scheduled local time in its zone, or its creation plus its offset."""
    trigger = getattr(alert, "trigger", None)
    if trigger is None:
        return None
    scheduled = getattr(trigger, "scheduled_time", None)
    if isinstance(scheduled, datetime):
        if scheduled.tzinfo is not None:
            return scheduled
        zone = getattr(trigger, "time_zone_id", None)
        try:
            from zoneinfo import ZoneInfo

            return scheduled.replace(tzinfo=ZoneInfo(zone)) if zone else None
        except (KeyError, ValueError):
            return None
    offset = getattr(trigger, "offset_in_seconds", None)
    created = getattr(alert, "created_time", None)
    if isinstance(offset, int) and isinstance(created, datetime):
        created = created if created.tzinfo else created.replace(tzinfo=UTC)
        return created + timedelta(seconds=offset)
    return None


def play_sound(handler_input: HandlerInput, sound: str) -> None:
    """Add an AudioPlayer.Play directive for a routine's sound ("white noise")."""
    name = sound.replace(" ", "-")
    stream = Stream(token=f"voicecart-sound-{name}", url=f"{SOUNDS_URL}{name}.mp3", offset_in_milliseconds=0)
    handler_input.response_builder.add_directive(
        PlayDirective(play_behavior=PlayBehavior.REPLACE_ALL, audio_item=AudioItem(stream=stream))
    )


def supports_audio(handler_input: HandlerInput) -> bool:
    system = getattr(handler_input.request_envelope.context, "system", None)
    interfaces = getattr(getattr(system, "device", None), "supported_interfaces", None)
    return getattr(interfaces, "audio_player", None) is not None
