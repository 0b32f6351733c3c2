"""Helpers for the hardening suite: Alexa request envelopes, signed posts, and a second household to spy on."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from reorder.services.devices import SlotSpec
from skills.app import SKILL_ID

# A household that must never see the demo household's data, nor the demo household its own. Its names and
# ids are distinctive so a leak is found by a plain substring search of a response body.
RIVAL = "rival-home"
RIVAL_ADULT = "Quentin"
RIVAL_CHILD = "Zebulon"
RIVAL_USER = "amzn1.ask.account.rival-adult"
RIVAL_PERSON = "amzn1.ask.person.rival-adult"
RIVAL_DEVICE = "amzn1.ask.device.rival-echo"
RIVAL_BUTTON = "garage tide button"
RIVAL_PRODUCT = "tide-pods-original-81"

DEMO_USER = "amzn1.ask.account.demo-adult-1"
DEMO_PERSON = "amzn1.ask.person.demo-adult-1"
DEMO_DEVICE = "amzn1.ask.device.demo-kitchen-echo"


def stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def envelope(
    now: datetime,
    *,
    request_type: str = "LaunchRequest",
    intent: str | None = None,
    slots: dict[str, str] | None = None,
    user_id: str = DEMO_USER,
    person_id: str | None = DEMO_PERSON,
    device_id: str = DEMO_DEVICE,
    skill_id: str = SKILL_ID,
    request_id: str | None = None,
    new_session: bool = True,
) -> dict:
    request: dict = {
        "type": request_type,
        "requestId": request_id or f"amzn1.echo-api.request.{uuid.uuid4()}",
        "timestamp": stamp(now),
        "locale": "en-US",
    }
    if intent is not None:
        request["intent"] = {
            "name": intent,
            "confirmationStatus": "NONE",
            "slots": {
                name: {"name": name, "value": value, "confirmationStatus": "NONE"}
                for name, value in (slots or {}).items()
            },
        }
    system: dict = {
        "application": {"applicationId": skill_id},
        "user": {"userId": user_id},
        "device": {"deviceId": device_id, "supportedInterfaces": {}},
        # A closed loopback port: a handler that calls an Alexa service API (reminders, profile) fails at once
        # and must say so, and no test request ever leaves the machine.
        "apiEndpoint": "http://127.0.0.1:9",
    }
    if person_id:
        system["person"] = {"personId": person_id}
    return {
        "version": "1.0",
        "session": {
            "new": new_session,
            "sessionId": f"amzn1.echo-api.session.{uuid.uuid4()}",
            "application": {"applicationId": skill_id},
            "user": {"userId": user_id},
            "attributes": {},
        },
        "context": {"System": system},
        "request": request,
    }


def body_of(env: dict) -> bytes:
    return json.dumps(env).encode()


def speech_of(response) -> str:  # noqa: ANN001 - a Flask test response
    payload = response.get_json() or {}
    return ((payload.get("response") or {}).get("outputSpeech") or {}).get("ssml", "")


def make_rival(backend) -> dict:  # noqa: ANN001 - a Backend
    """A second household with its own identities, child, cart line, order and button; returns its ids."""
    rival = backend.households.create(
        RIVAL, members=[(RIVAL_ADULT, "adult"), (RIVAL_CHILD, "child")], timezone="America/Chicago"
    )
    adult = next(m for m in rival.members if m.name == RIVAL_ADULT)
    backend.households.link_identity("alexa_user", RIVAL_USER, rival.id, adult.id)
    backend.households.link_identity("alexa_person", RIVAL_PERSON, rival.id, adult.id)
    backend.households.link_identity("alexa_device", RIVAL_DEVICE, rival.id, None)
    _, line = backend.carts.add(rival.id, RIVAL_PRODUCT, 2, member_id=adult.id)
    order = backend.orders.place(rival.id, [(RIVAL_PRODUCT, 1)], channel="api", member_id=adult.id).order
    button = backend.buttons.create(rival.id, RIVAL_BUTTON, RIVAL_PRODUCT, 1)
    event = backend.babycare.log(
        rival.id, "feeding", {"amount": 4, "unit": "oz"}, child=RIVAL_CHILD, member_id=adult.id
    ).event
    routine = backend.routines.create(rival.id, "Quentin nightcap", [{"kind": "say", "text": "Night night."}])
    device = backend.devices.register(rival.id, "Zebulon washer", [SlotSpec("detergent", RIVAL_PRODUCT)])
    child = next(m for m in rival.members if m.name == RIVAL_CHILD)
    return {
        "household": rival,
        "adult": adult,
        "child_id": child.id,
        "item_id": line.id,
        "order_id": order.id,
        "button_id": button.id,
        "event_id": event.id,
        "routine_id": routine.id,
        "device_id": device.id,
        "token": backend.households.issue_token(rival.id, "rival"),
    }


def rival_secrets(rival: dict) -> list[str]:
    """Strings that would betray the rival household if they appeared in another household's answer."""
    ids = [rival[k] for k in ("child_id", "item_id", "order_id", "button_id", "event_id", "routine_id", "device_id")]
    return [
        rival["household"].id,
        RIVAL,
        RIVAL_ADULT,
        RIVAL_CHILD,
        "garage tide",
        "Quentin nightcap",
        "Zebulon washer",
        *ids,
    ]
