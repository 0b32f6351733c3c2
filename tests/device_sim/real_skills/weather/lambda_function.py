"""Reads the forecast for a city from a web service, as most real skills call one."""

import logging

import requests
from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import get_slot, is_intent_name, is_request_type

logger = logging.getLogger(__name__)
FORECAST_URL = "https://api.weather.example/v1/forecast"


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        return handler_input.response_builder.speak("Which city?").ask("Which city?").response


class ForecastHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("ForecastIntent")(handler_input)

    def handle(self, handler_input):
        city = get_slot(handler_input, "city").value
        reply = requests.get(FORECAST_URL, params={"city": city}, timeout=3)
        reply.raise_for_status()
        forecast = reply.json()
        speech = f"In {city} it will be {forecast['summary']} with a high of {forecast['high']} degrees."
        return handler_input.response_builder.speak(speech).set_should_end_session(True).response


class CatchAllExceptionHandler(AbstractExceptionHandler):
    def can_handle(self, handler_input, exception):
        return True

    def handle(self, handler_input, exception):
        logger.error(exception, exc_info=True)
        return (
            handler_input.response_builder.speak("The weather service is not answering.")
            .set_should_end_session(True)
            .response
        )


sb = SkillBuilder()
sb.add_request_handler(LaunchHandler())
sb.add_request_handler(ForecastHandler())
sb.add_exception_handler(CatchAllExceptionHandler())
lambda_handler = sb.lambda_handler()
