"""Request envelopes shaped exactly as Alexa sends them to a custom skill.

Only plain dicts are built here (what goes over the wire); tests check them against ask-sdk-model's
deserialiser so a skill sees the same objects it would see from the real service.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from device_sim.profile import DeviceProfile

ENVELOPE_VERSION = "1.0"


def new_id(kind: str) -> str:
    return f"amzn1.echo-api.{kind}.{uuid.uuid4()}"


def timestamp(when: datetime) -> str:
    # Alexa sends second precision in UTC with a Z suffix.
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Session:
    """An open conversation with one skill; attributes are whatever the skill last returned."""

    application_id: str
    session_id: str = field(default_factory=lambda: new_id("session"))
    new: bool = True
    attributes: dict = field(default_factory=dict)
    dynamic_entities: list[dict] = field(default_factory=list)


def system_context(profile: DeviceProfile, application_id: str, api_endpoint: str, api_access_token: str) -> dict:
    user: dict = {"userId": profile.user_id}
    if profile.permissions:
        # Alexa still sends the deprecated consentToken (same value as apiAccessToken) once anything is granted.
        user["permissions"] = {"consentToken": api_access_token}
    system: dict = {
        "application": {"applicationId": application_id},
        "user": user,
        "device": {"deviceId": profile.device_id, "supportedInterfaces": dict(profile.supported_interfaces)},
        "apiEndpoint": api_endpoint,
        "apiAccessToken": api_access_token,
    }
    if profile.person_id:
        system["person"] = {"personId": profile.person_id, "accessToken": api_access_token}
    return system


def context(profile: DeviceProfile, application_id: str, api_endpoint: str, api_access_token: str) -> dict:
    ctx: dict = {"System": system_context(profile, application_id, api_endpoint, api_access_token)}
    if "AudioPlayer" in profile.supported_interfaces:
        ctx["AudioPlayer"] = {"playerActivity": "IDLE"}
    return ctx


def session_block(session: Session, profile: DeviceProfile, api_access_token: str) -> dict:
    user: dict = {"userId": profile.user_id}
    if profile.permissions:
        user["permissions"] = {"consentToken": api_access_token}
    return {
        "new": session.new,
        "sessionId": session.session_id,
        "application": {"applicationId": session.application_id},
        "attributes": dict(session.attributes),
        "user": user,
    }


def launch_request(now: datetime, locale: str) -> dict:
    return {
        "type": "LaunchRequest",
        "requestId": new_id("request"),
        "timestamp": timestamp(now),
        "locale": locale,
        "shouldLinkResultBeReturned": False,
    }


def intent_request(now: datetime, locale: str, intent: dict, dialog_state: str | None = None) -> dict:
    request = {
        "type": "IntentRequest",
        "requestId": new_id("request"),
        "timestamp": timestamp(now),
        "locale": locale,
        "intent": intent,
    }
    if dialog_state:
        request["dialogState"] = dialog_state
    return request


def session_ended_request(now: datetime, locale: str, reason: str, error: dict | None = None) -> dict:
    request: dict[str, Any] = {
        "type": "SessionEndedRequest",
        "requestId": new_id("request"),
        "timestamp": timestamp(now),
        "locale": locale,
        "reason": reason,
    }
    if error:
        request["error"] = error
    return request


def envelope(request: dict, ctx: dict, session: dict | None) -> dict:
    body: dict = {"version": ENVELOPE_VERSION}
    if session is not None:
        body["session"] = session
    body["context"] = ctx
    body["request"] = request
    return body
