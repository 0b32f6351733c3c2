"""Greets in the device's language: prompts from a JSON file and gettext catalogs, both read by relative
paths from the function's folder, as on Lambda."""

import gettext
import json
import logging

from ask_sdk_core.dispatch_components import (
    AbstractExceptionHandler,
    AbstractRequestHandler,
    AbstractRequestInterceptor,
)
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import is_intent_name, is_request_type
from greeting import time_of_day_word

logger = logging.getLogger(__name__)

with open("language_strings.json", encoding="utf-8") as strings_file:
    LANGUAGE_STRINGS = json.load(strings_file)


class LocalizationInterceptor(AbstractRequestInterceptor):
    def process(self, handler_input):
        locale = handler_input.request_envelope.request.locale
        catalog = gettext.translation("greeter", localedir="locales", languages=[locale.split("-")[0]], fallback=True)
        handler_input.attributes_manager.request_attributes["_"] = catalog.gettext
        strings = LANGUAGE_STRINGS.get(locale) or LANGUAGE_STRINGS[locale.split("-")[0]]
        handler_input.attributes_manager.request_attributes["strings"] = strings


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        attributes = handler_input.attributes_manager.request_attributes
        _ = attributes["_"]
        speech = f"{_('Hello')}! {attributes['strings']['WELCOME']} {time_of_day_word(_)}"
        return handler_input.response_builder.speak(speech).ask(attributes["strings"]["WELCOME"]).response


class StopHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.StopIntent")(handler_input) or is_request_type("SessionEndedRequest")(
            handler_input
        )

    def handle(self, handler_input):
        _ = handler_input.attributes_manager.request_attributes["_"]
        return handler_input.response_builder.speak(_("Goodbye")).set_should_end_session(True).response


class CatchAllExceptionHandler(AbstractExceptionHandler):
    def can_handle(self, handler_input, exception):
        return True

    def handle(self, handler_input, exception):
        logger.error(exception, exc_info=True)
        return handler_input.response_builder.speak("Sorry, something went wrong.").response


sb = SkillBuilder()
sb.add_global_request_interceptor(LocalizationInterceptor())
sb.add_request_handler(LaunchHandler())
sb.add_request_handler(StopHandler())
sb.add_exception_handler(CatchAllExceptionHandler())
lambda_handler = sb.lambda_handler()
