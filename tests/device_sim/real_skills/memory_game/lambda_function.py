"""Remembers a person's favourite colour between sessions, in DynamoDB through the ASK SDK's adapter."""

import logging

from ask_sdk.standard import StandardSkillBuilder
from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import get_slot, is_intent_name, is_request_type

logger = logging.getLogger(__name__)
sb = StandardSkillBuilder(table_name="MemoryGame", auto_create_table=True)


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        manager = handler_input.attributes_manager
        saved = manager.persistent_attributes
        saved["visits"] = int(saved.get("visits", 0)) + 1
        manager.save_persistent_attributes()
        colour = saved.get("colour")
        known = f" Your favourite colour is {colour}." if colour else " Tell me your favourite colour."
        speech = f"Welcome to memory game. This is visit {saved['visits']}.{known}"
        return handler_input.response_builder.speak(speech).ask("What is your favourite colour?").response


class RememberColourHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("RememberColourIntent")(handler_input)

    def handle(self, handler_input):
        colour = get_slot(handler_input, "colour").value
        manager = handler_input.attributes_manager
        manager.persistent_attributes["colour"] = colour
        manager.save_persistent_attributes()
        return (
            handler_input.response_builder.speak(f"I will remember that you like {colour}.")
            .set_should_end_session(True)
            .response
        )


class StopHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.StopIntent")(handler_input) or is_request_type("SessionEndedRequest")(
            handler_input
        )

    def handle(self, handler_input):
        return handler_input.response_builder.speak("Goodbye.").set_should_end_session(True).response


sb.add_request_handler(LaunchHandler())
sb.add_request_handler(RememberColourHandler())
sb.add_request_handler(StopHandler())
lambda_handler = sb.lambda_handler()
