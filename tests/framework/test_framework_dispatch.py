"""The indexed request mapper picks exactly the handler ask-sdk's plain mapper would, only faster."""

from __future__ import annotations

import json

import pytest
from ask_sdk_core.attributes_manager import AttributesManager
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import RequestEnvelope
from ask_sdk_runtime.dispatch_components.request_components import GenericRequestMapper

from intents.model import load_model
from skills.framework.dispatch import IntentIndexedRequestMapper
from skills.hosting.envelope import serializer

PENDING_KINDS = [None, "confirm_order", "purchase_code", "cancel_order", "clear_cart", "choose", "button_code"]


def _envelope(request: dict, pending: str | None) -> RequestEnvelope:
    attributes = {"pending": {"kind": pending, "options": []}} if pending else {}
    user = {"userId": "amzn1.ask.account.demo-adult-1"}
    event = {
        "version": "1.0",
        "session": {
            "new": False,
            "sessionId": "amzn1.echo-api.session.d",
            "user": user,
            "attributes": attributes,
            "application": {"applicationId": "amzn1.ask.skill.voicecart"},
        },
        "context": {
            "System": {
                "application": {"applicationId": "amzn1.ask.skill.voicecart"},
                "user": user,
                "device": {"deviceId": "amzn1.ask.device.demo-kitchen-echo", "supportedInterfaces": {}},
                "apiEndpoint": "https://api.amazonalexa.com",
            }
        },
        "request": {
            "requestId": "amzn1.echo-api.request.d",
            "timestamp": "2026-11-02T14:00:00Z",
            "locale": "en-US",
            **request,
        },
    }
    return serializer().deserialize(json.dumps(event), RequestEnvelope)


def _requests() -> list[dict]:
    intents = [i["name"] for i in load_model("en-US")["interactionModel"]["languageModel"]["intents"]]
    made = [{"type": "LaunchRequest"}, {"type": "SessionEndedRequest", "reason": "USER_INITIATED"}]
    for name in [*intents, "AMAZON.YesIntent", "AMAZON.NoIntent", "SomeOtherSkillsIntent"]:
        made.append(
            {
                "type": "IntentRequest",
                "dialogState": "STARTED",
                "intent": {"name": name, "confirmationStatus": "NONE", "slots": {}},
            }
        )
    return made


@pytest.fixture
def full_skill(backend_demo):
    from skills.app import build_skill

    return build_skill(backend_demo)  # every capability: the most handlers there are


def test_every_request_goes_to_the_handler_the_plain_mapper_chooses(full_skill, backend_demo):
    indexed = full_skill.request_dispatcher.request_mappers[0]
    assert isinstance(indexed, IntentIndexedRequestMapper)
    plain = GenericRequestMapper(indexed.request_handler_chains)
    identity = next(
        i for i in full_skill.request_dispatcher.request_interceptors if type(i).__name__ == "IdentityInterceptor"
    )
    checked = 0
    for request in _requests():
        for pending in PENDING_KINDS:
            envelope = _envelope(request, pending)
            handler_input = HandlerInput(envelope, AttributesManager(envelope))
            identity.process(handler_input)
            expected = plain.get_request_handler_chain(handler_input)
            chosen = indexed.get_request_handler_chain(handler_input)
            assert chosen is expected, (request, pending, chosen.request_handler, expected.request_handler)
            checked += 1
    assert checked > 300


def test_handlers_that_declare_intents_are_not_asked_about_others(full_skill):
    indexed = full_skill.request_dispatcher.request_mappers[0]
    total = len(indexed.request_handler_chains)
    asked_for_stop = indexed._by_intent["AMAZON.StopIntent"]
    assert len(asked_for_stop) < total / 3, (len(asked_for_stop), total)
