"""Helpers for the skill tests: what the backend holds after a conversation."""

from __future__ import annotations

from reorder.services.backend import Backend


def orders_of(backend: Backend, household_id: str) -> list:
    return backend.orders.recent(household_id, limit=50)


def cart_of(backend: Backend, household_id: str) -> dict[str, int]:
    return {ln.product_id: ln.quantity for ln in backend.carts.get(household_id).lines}


def envelope(
    request: dict,
    *,
    user_id: str = "amzn1.ask.account.demo-adult-1",
    person_id: str | None = None,
    attributes: dict | None = None,
    new: bool = False,
    session_id: str = "amzn1.echo-api.session.t1",
    access_token: str | None = None,
    application_id: str = "amzn1.ask.skill.voicecart",
) -> dict:
    """An Alexa request envelope as JSON, for requests the simulator would never send (hostile or broken)."""
    user = {"userId": user_id, **({"accessToken": access_token} if access_token else {})}
    system = {
        "application": {"applicationId": application_id},
        "user": user,
        "device": {"deviceId": "amzn1.ask.device.unknown", "supportedInterfaces": {}},
        "apiEndpoint": "https://api.amazonalexa.com",
    }
    if person_id:
        system["person"] = {"personId": person_id}
    base = {
        "type": "IntentRequest",
        "requestId": "amzn1.echo-api.request.1",
        "timestamp": "2026-11-02T14:00:00Z",
        "locale": "en-US",
    }
    return {
        "version": "1.0",
        "session": {
            "new": new,
            "sessionId": session_id,
            "application": {"applicationId": application_id},
            "user": user,
            "attributes": attributes or {},
        },
        "context": {"System": system},
        "request": {**base, **request},
    }


def intent_request(name: str, slots: dict[str, str | None] | None = None, **kwargs) -> dict:
    slot_json = {
        k: {"name": k, "confirmationStatus": "NONE", **({"value": v} if v is not None else {})}
        for k, v in (slots or {}).items()
    }
    return envelope({"intent": {"name": name, "confirmationStatus": "NONE", "slots": slot_json}}, **kwargs)


def invoke(skill, event: dict) -> dict:
    """Run one request through the skill as the Lambda entry would; the serialised response."""
    from skills.hosting.lambda_entry import lambda_handler

    return lambda_handler(skill)(event, None)


def speech_of(response: dict) -> str:
    return response["response"].get("outputSpeech", {}).get("ssml", "")
