"""Tea Timer: a small third-party-style Alexa skill on ask-sdk-core, deployable to AWS Lambda as is.

It tells you how long to steep a tea, reminds you when it is ready (Reminders API), greets you by
name (customer profile API), knows your time zone (device settings API) and adds the house blend as a
dynamic entity. Nothing here knows about the simulator.
"""

from __future__ import annotations

import re

from ask_sdk_core.api_client import DefaultApiClient
from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils import get_dialog_state, get_slot, is_intent_name, is_request_type
from ask_sdk_model.dialog import DelegateDirective, DynamicEntitiesDirective
from ask_sdk_model.dialog_state import DialogState
from ask_sdk_model.er.dynamic import Entity, EntityListItem, EntityValueAndSynonyms, UpdateBehavior
from ask_sdk_model.intent import Intent
from ask_sdk_model.intent_confirmation_status import IntentConfirmationStatus
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
from ask_sdk_model.slot import Slot
from ask_sdk_model.slot_confirmation_status import SlotConfirmationStatus
from ask_sdk_model.ui import AskForPermissionsConsentCard

STEEP_MINUTES = {"GREEN": 3, "BLACK": 5, "OOLONG": 4, "CHAMOMILE": 6, "HOUSE": 4}
REMINDERS = "alexa::alerts:reminders:skill:readwrite"


def resolved_id(slot) -> str | None:
    if slot is None or slot.resolutions is None:
        return None
    for authority in slot.resolutions.resolutions_per_authority or []:
        if authority.status.code.value == "ER_SUCCESS_MATCH":
            return authority.values[0].value.id
    return None


def iso_seconds(duration: str) -> int | None:
    match = re.fullmatch(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?", duration or "")
    if not match:
        return None
    days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return days * 86400 + hours * 3600 + minutes * 60 + seconds or None


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        greeting = "Welcome to Tea Timer."
        try:
            name = handler_input.service_client_factory.get_ups_service().get_profile_given_name()
            greeting = f"Welcome to Tea Timer, {name}."
        except ServiceException:
            pass  # no permission for the name: a plain greeting is fine
        house_blend = EntityListItem(
            name="TeaType",
            values=[Entity(id="HOUSE", name=EntityValueAndSynonyms(value="house blend", synonyms=["the usual"]))],
        )
        handler_input.attributes_manager.session_attributes["launched"] = True
        return (
            handler_input.response_builder.speak(f"{greeting} Which tea are you brewing?")
            .ask("Which tea are you brewing?")
            .add_directive(DynamicEntitiesDirective(update_behavior=UpdateBehavior.REPLACE, types=[house_blend]))
            .response
        )


class BrewTeaHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("BrewTeaIntent")(handler_input)

    def handle(self, handler_input):
        if get_dialog_state(handler_input) != DialogState.COMPLETED:
            return handler_input.response_builder.add_directive(DelegateDirective()).response
        slot = get_slot(handler_input, "tea")
        tea = resolved_id(slot)
        minutes = STEEP_MINUTES.get(tea or "", 4)
        attributes = handler_input.attributes_manager.session_attributes
        attributes["tea"] = tea
        attributes["brews"] = attributes.get("brews", 0) + 1
        return (
            handler_input.response_builder.speak(f"Steep the {slot.value} for {minutes} minutes. Want a reminder?")
            .ask("Should I remind you when it is ready?")
            .response
        )


class RemindMeHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("RemindMeIntent")(handler_input)

    def handle(self, handler_input):
        request = handler_input.request_envelope.request
        builder = handler_input.response_builder
        if get_dialog_state(handler_input) != DialogState.COMPLETED:
            return builder.add_directive(DelegateDirective()).response
        if request.intent.confirmation_status == IntentConfirmationStatus.DENIED:
            return builder.speak("Okay, no reminder. Enjoy your tea.").set_should_end_session(True).response
        permissions = handler_input.request_envelope.context.system.user.permissions
        if permissions is None or permissions.consent_token is None:
            return (
                builder.speak("Please allow reminders in the Alexa app, then ask me again.")
                .set_card(AskForPermissionsConsentCard(permissions=[REMINDERS]))
                .response
            )
        seconds = iso_seconds(get_slot(handler_input, "duration").value) or 180
        reminder = ReminderRequest(
            trigger=Trigger(object_type=TriggerType.SCHEDULED_RELATIVE, offset_in_seconds=seconds),
            alert_info=AlertInfo(
                spoken_info=SpokenInfo(content=[SpokenText(locale="en-US", text="Your tea is ready.")])
            ),
            push_notification=PushNotification(status=PushNotificationStatus.ENABLED),
        )
        try:
            handler_input.service_client_factory.get_reminder_management_service().create_reminder(reminder)
        except ServiceException as exc:
            if exc.status_code in (401, 403):
                return (
                    builder.speak("Please allow reminders in the Alexa app, then ask me again.")
                    .set_card(AskForPermissionsConsentCard(permissions=[REMINDERS]))
                    .response
                )
            raise
        return builder.speak("Okay, I'll remind you.").set_should_end_session(True).response


class ListTeasHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("ListTeasIntent")(handler_input)

    def handle(self, handler_input):
        return (
            handler_input.response_builder.speak("I know green, black, oolong and chamomile.")
            .ask("Which one are you brewing?")
            .response
        )


class TimeZoneHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("TimeZoneIntent")(handler_input)

    def handle(self, handler_input):
        device_id = handler_input.request_envelope.context.system.device.device_id
        zone = handler_input.service_client_factory.get_ups_service().get_system_time_zone(device_id)
        return handler_input.response_builder.speak(f"This device is set to {zone}.").response


class HelpHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.HelpIntent")(handler_input)

    def handle(self, handler_input):
        return (
            handler_input.response_builder.speak("Tell me which tea you are brewing, like brew green.")
            .ask("Which tea are you brewing?")
            .response
        )


class YesHandler(AbstractRequestHandler):
    """ "Want a reminder?" - "yes": switch the dialog to RemindMeIntent and let Alexa ask how long."""

    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.YesIntent")(handler_input)

    def handle(self, handler_input):
        remind = Intent(
            name="RemindMeIntent",
            confirmation_status=IntentConfirmationStatus.NONE,
            slots={"duration": Slot(name="duration", confirmation_status=SlotConfirmationStatus.NONE)},
        )
        return handler_input.response_builder.add_directive(DelegateDirective(updated_intent=remind)).response


class StopHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return (
            is_intent_name("AMAZON.StopIntent")(handler_input)
            or is_intent_name("AMAZON.CancelIntent")(handler_input)
            or is_intent_name("AMAZON.NoIntent")(handler_input)
        )

    def handle(self, handler_input):
        return handler_input.response_builder.speak("Enjoy your tea.").set_should_end_session(True).response


class FallbackHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.FallbackIntent")(handler_input)

    def handle(self, handler_input):
        return (
            handler_input.response_builder.speak("Tea Timer can't help with that. Which tea are you brewing?")
            .ask("Which tea are you brewing?")
            .response
        )


class SessionEndedHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input):
        return handler_input.response_builder.response


class ErrorHandler(AbstractExceptionHandler):
    def can_handle(self, handler_input, exception):
        return True

    def handle(self, handler_input, exception):
        return handler_input.response_builder.speak("Sorry, something went wrong with the tea timer.").response


sb = CustomSkillBuilder(api_client=DefaultApiClient())
for handler in (
    LaunchHandler(),
    BrewTeaHandler(),
    RemindMeHandler(),
    ListTeasHandler(),
    TimeZoneHandler(),
    HelpHandler(),
    YesHandler(),
    StopHandler(),
    FallbackHandler(),
    SessionEndedHandler(),
):
    sb.add_request_handler(handler)
sb.add_exception_handler(ErrorHandler())

lambda_handler = sb.lambda_handler()
