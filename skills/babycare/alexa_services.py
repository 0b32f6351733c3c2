"""What the baby-care skill asks of Alexa itself: reminders (Reminders API, with the permission card when
consent is missing) and sounds (an AudioPlayer Play directive)."""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta

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
    Trigger,
    TriggerType,
)
from ask_sdk_model.ui import AskForPermissionsConsentCard

log = logging.getLogger(__name__)

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
    if not has_consent(handler_input):
        raise PermissionNeeded
    try:
        factory = handler_input.service_client_factory
    except ValueError as exc:  # ask-sdk raises this when the skill was built without an API client
        raise RuntimeError("no Alexa service client is configured") from exc
    if factory is None:
        raise RuntimeError("no Alexa service client is configured")
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
        response = factory.get_reminder_management_service().create_reminder(request)
    except ServiceException as exc:
        if exc.status_code in (401, 403):
            raise PermissionNeeded from exc
        log.warning("reminder refused: %s %s", exc.status_code, exc)
        raise RuntimeError(f"the Reminders API refused the reminder ({exc.status_code})") from exc
    return getattr(response, "alert_token", "") or ""


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
