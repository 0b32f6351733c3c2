"""Helpers for the hosting tests: a hello-world ask-sdk-core skill, request envelopes, a clock."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_core.utils import is_intent_name, is_request_type
from flask import Flask

from device_sim.signing import LocalAlexaCA
from skills.hosting import skill_blueprint

SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000001"


class FrozenClock:
    def __init__(self, now: datetime) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        return handler_input.response_builder.speak("Hello from voicecart.").response


class BrokenIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("BreakIntent")(handler_input)

    def handle(self, handler_input):
        raise RuntimeError("the backend is down")


class SkillEventHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return handler_input.request_envelope.request.object_type.startswith("AlexaSkillEvent.")

    def handle(self, handler_input):
        return handler_input.response_builder.response


def hello_skill():
    builder = SkillBuilder()
    for handler in (LaunchHandler(), BrokenIntentHandler(), SkillEventHandler()):
        builder.add_request_handler(handler)
    return builder.create()


def envelope(
    *,
    timestamp: datetime,
    request_type: str = "LaunchRequest",
    request_id: str | None = None,
    skill_id: str | None = SKILL_ID,
    intent: str | None = None,
) -> dict:
    request: dict = {
        "type": request_type,
        "requestId": request_id or f"amzn1.echo-api.request.{uuid.uuid4()}",
        "timestamp": timestamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "locale": "en-US",
    }
    if intent:
        request["intent"] = {"name": intent, "confirmationStatus": "NONE", "slots": {}}
    system = {"device": {"deviceId": "local-device", "supportedInterfaces": {}}, "user": {"userId": "u1"}}
    if skill_id:
        system["application"] = {"applicationId": skill_id}
    return {"version": "1.0", "context": {"System": system}, "request": request}


def body_of(payload: dict) -> bytes:
    return json.dumps(payload).encode("utf-8")


class CountingFetcher:
    def __init__(self, inner: Callable[[str], bytes]) -> None:
        self.inner = inner
        self.urls: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.urls.append(url)
        return self.inner(url)


@dataclass
class Harness:
    ca: LocalAlexaCA
    clock: FrozenClock
    fetcher: CountingFetcher
    client: object
    sent: list = field(default_factory=list)

    def request(self, **kwargs) -> dict:
        kwargs.setdefault("timestamp", self.clock.now())
        return envelope(**kwargs)

    def post(self, body: bytes, headers: dict[str, str]):
        return self.client.post("/alexa", data=body, headers={"Content-Type": "application/json", **headers})

    def send(self, payload: dict, signer=None, **sign_options):
        body = body_of(payload)
        return self.post(body, (signer or self.ca).sign(body, **sign_options))


def make_app(skill, verifiers) -> Flask:
    app = Flask("test-alexa")
    app.register_blueprint(skill_blueprint(skill, verifiers=verifiers))
    return app
