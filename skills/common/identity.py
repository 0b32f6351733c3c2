"""Who is speaking: the Alexa user, person, device or linked account, mapped to a household and member.

The interceptor runs before every handler and leaves its answer in the request attributes; handlers ask
`household_id(handler_input)` and `member_id(handler_input)`. A request from nobody we know is answered by
`NotLinkedHandler` (a LinkAccount card), so capability handlers may assume a household.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ask_sdk_core.dispatch_components import AbstractRequestHandler, AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response
from ask_sdk_model.ui import LinkAccountCard

from reorder.services.backend import Backend

log = logging.getLogger(__name__)

IDENTITY_KEY = "voicecart.identity"
NOT_LINKED_SPEECH = ("I don't know this account yet. I've sent a card to the Alexa app so you can link "
                     "your voicecart household, then ask me again.")


@dataclass(frozen=True, slots=True)
class Caller:
    household_id: str
    member_id: str | None  # None when the speaker was not recognised as a person


def _ids(handler_input: HandlerInput) -> list[tuple[str, str]]:
    """(identity kind, external id) to look up, most specific first."""
    system = getattr(handler_input.request_envelope.context, "system", None)
    if system is None:
        return []
    out = []
    person = getattr(system, "person", None)
    if person is not None and getattr(person, "person_id", None):
        out.append(("alexa_person", person.person_id))
    user = getattr(system, "user", None)
    if user is not None and getattr(user, "access_token", None):
        out.append(("access_token", user.access_token))
    if user is not None and getattr(user, "user_id", None):
        out.append(("alexa_user", user.user_id))
    device = getattr(system, "device", None)
    if device is not None and getattr(device, "device_id", None):
        out.append(("alexa_device", device.device_id))
    return out


def resolve_caller(backend: Backend, handler_input: HandlerInput) -> Caller | None:
    # The most specific identity known wins: a recognised person names household and member at once,
    # so the common case costs one lookup.
    for kind, external_id in _ids(handler_input):
        identity = backend.households.find_identity(kind, external_id)
        if identity is not None:
            return Caller(identity.household_id, identity.member_id)
    return None


class IdentityInterceptor(AbstractRequestInterceptor):
    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    def process(self, handler_input: HandlerInput) -> None:
        handler_input.attributes_manager.request_attributes[IDENTITY_KEY] = resolve_caller(self.backend, handler_input)


def caller(handler_input: HandlerInput) -> Caller | None:
    return handler_input.attributes_manager.request_attributes.get(IDENTITY_KEY)


def household_id(handler_input: HandlerInput) -> str:
    found = caller(handler_input)
    if found is None:  # NotLinkedHandler answers these first; reaching here is a wiring mistake
        raise LookupError("this request is from no known household")
    return found.household_id


def member_id(handler_input: HandlerInput) -> str | None:
    found = caller(handler_input)
    return found.member_id if found else None


def is_linked(handler_input: HandlerInput) -> bool:
    return caller(handler_input) is not None


class NotLinkedHandler(AbstractRequestHandler):
    """Answers anyone we cannot place in a household, whatever they asked (except goodbyes)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if is_linked(handler_input):
            return False
        return not (is_request_type("SessionEndedRequest")(handler_input)
                    or is_intent_name("AMAZON.StopIntent")(handler_input)
                    or is_intent_name("AMAZON.CancelIntent")(handler_input))

    def handle(self, handler_input: HandlerInput) -> Response:
        return (handler_input.response_builder.speak(NOT_LINKED_SPEECH)
                .set_card(LinkAccountCard()).set_should_end_session(True).response)
