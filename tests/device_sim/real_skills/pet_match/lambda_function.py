"""Matches a person with a dog: Alexa collects size and energy through dialog delegation, the skill reads
the resolved ids (entity resolution), whatever synonym the person said."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import get_dialog_state, is_intent_name, is_request_type
from ask_sdk_model.dialog import DelegateDirective
from ask_sdk_model.dialog_state import DialogState
from ask_sdk_model.slu.entityresolution import StatusCode

MATCHES = {
    ("SMALL", "LOW"): "a shih tzu",
    ("SMALL", "HIGH"): "a jack russell terrier",
    ("LARGE", "LOW"): "a great dane",
    ("LARGE", "HIGH"): "a border collie",
}


def resolved_id(handler_input, name):
    slot = handler_input.request_envelope.request.intent.slots[name]
    for authority in slot.resolutions.resolutions_per_authority if slot.resolutions else []:
        if authority.status.code == StatusCode.ER_SUCCESS_MATCH:
            return authority.values[0].value.id
    return None


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        speech = "Welcome to pet match. Tell me what kind of dog you want."
        return handler_input.response_builder.speak(speech).ask(speech).response


class InProgressMatchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return (
            is_intent_name("PetMatchIntent")(handler_input) and get_dialog_state(handler_input) != DialogState.COMPLETED
        )

    def handle(self, handler_input):
        return handler_input.response_builder.add_directive(DelegateDirective()).response


class CompletedMatchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("PetMatchIntent")(handler_input)

    def handle(self, handler_input):
        size, energy = resolved_id(handler_input, "size"), resolved_id(handler_input, "energy")
        if size is None or energy is None:
            return (
                handler_input.response_builder.speak("I don't know that kind of dog. What size?")
                .ask("What size?")
                .response
            )
        speech = f"You should get {MATCHES[(size, energy)]}."
        return handler_input.response_builder.speak(speech).set_should_end_session(True).response


sb = SkillBuilder()
sb.skill_id = "amzn1.ask.skill.0e5f1c2a-pet-match-test"
sb.add_request_handler(LaunchHandler())
sb.add_request_handler(InProgressMatchHandler())
sb.add_request_handler(CompletedMatchHandler())
lambda_handler = sb.lambda_handler()
