"""The talk endpoint of the web page: `POST /api/console/say` runs one turn on a simulated speaker.

Each household + console session gets its own in-process `device_sim.Device` wired to the voicecart
skill, so a conversation (a question the skill asked, a pending confirmation) carries over between
requests exactly as it would at a real speaker. The device is registered to the token's household as
"web console", speaking as its first adult, so what is said here changes the same cart as the
kitchen speaker, the buttons and the REST API.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, current_app, jsonify, request

from reorder.domain.model import Role
from reorder.errors import BackendError, InvalidInput
from reorder.services.backend import Backend
from voicecart.web.auth import backend, require_household
from voicecart.web.scopes import HOUSEHOLD, allow

log = logging.getLogger(__name__)

console = Blueprint("console", __name__, url_prefix="/api/console")

MAX_TEXT = 500
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# Every live device holds a small local HTTPS server (the emulated Alexa cloud), so keep few of them.
MAX_DEVICES = 32
IDLE_SECONDS = 30 * 60
EXTENSION = "voicecart.console"


class ConsoleUnavailable(BackendError):
    code = "console_unavailable"
    http_status = 503


DeviceFactory = Callable[[str], Any]  # household id -> a device_sim.Device (anything with say/close)


@dataclass
class _Live:
    device: Any
    lock: threading.Lock = field(default_factory=threading.Lock)
    used: float = 0.0


class ConsoleDevices:
    """The simulated devices of the open console sessions, least recently used evicted first."""

    def __init__(
        self,
        factory: DeviceFactory,
        *,
        max_devices: int = MAX_DEVICES,
        idle_seconds: float = IDLE_SECONDS,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._factory = factory
        self._max = max_devices
        self._idle = idle_seconds
        self._now = now
        self._lock = threading.Lock()
        self._live: OrderedDict[tuple[str, str], _Live] = OrderedDict()

    def __len__(self) -> int:
        return len(self._live)

    def say(self, household_id: str, session: str, text: str) -> Any:
        live = self._get(household_id, session)
        with live.lock:  # a Device keeps one conversation: turns of one session run one at a time
            live.used = self._now()
            return live.device.say(text)

    def end(self, household_id: str, session: str) -> bool:
        with self._lock:
            live = self._live.pop((household_id, session), None)
        if live is not None:
            _close(live.device)
        return live is not None

    def close(self) -> None:
        with self._lock:
            lives = list(self._live.values())
            self._live.clear()
        for live in lives:
            _close(live.device)

    def _get(self, household_id: str, session: str) -> _Live:
        key = (household_id, session)
        with self._lock:
            live = self._live.get(key)
            if live is not None:
                self._live.move_to_end(key)
                return live
        # A new device takes a moment (its local cloud server starts): build it without holding up
        # everyone else's turns, and keep the first one if two requests raced to build it.
        fresh = _Live(self._factory(household_id), used=self._now())
        evicted: list[_Live] = []
        with self._lock:
            now = self._now()
            for other_key, other in list(self._live.items()):
                if now - other.used > self._idle and not other.lock.locked():
                    evicted.append(self._live.pop(other_key))
            live = self._live.get(key)
            if live is None:
                live = self._live[key] = fresh
                while len(self._live) > self._max:
                    evicted.append(self._live.popitem(last=False)[1])
            else:
                evicted.append(fresh)
            self._live.move_to_end(key)
        for old in evicted:
            _close(old.device)
        return live


def _close(device: Any) -> None:
    try:
        device.close()
    except Exception:  # closing a device must never fail a request
        log.exception("closing a console device failed")


def console_identity(household_id: str) -> dict[str, str]:
    """The Alexa ids under which the web console speaks for a household."""
    return {
        "user_id": f"amzn1.ask.account.console-{household_id}",
        "device_id": f"amzn1.ask.device.console-{household_id}",
    }


def voice_device_factory(the_backend: Backend) -> DeviceFactory:
    """Devices that talk to the voicecart skill in-process. Imports the voice side lazily: an install
    without it still serves the page, and the console answers 503 with the reason."""
    try:
        from device_sim import Device, DeviceProfile, SkillEndpoint
        from device_sim.nlu import default_nlu
        from intents.model import load_model
        from skills.app import SKILL_ID, build_skill
    except ImportError as exc:
        raise ConsoleUnavailable(f"The voice console needs the voice skill and simulator: {exc}.") from exc

    try:
        model = load_model()
        skill = build_skill(the_backend, skill_id=SKILL_ID)
    except Exception as exc:  # a broken install of the voice side: say so, keep the rest of the page working
        log.exception("the voice skill could not be built for the console")
        raise ConsoleUnavailable(f"The voice skill could not be loaded: {type(exc).__name__}: {exc}.") from exc
    endpoint = SkillEndpoint.of(skill, model, application_id=SKILL_ID, name="voicecart")
    understanding: dict[str, Any] = {}
    understanding_lock = threading.Lock()

    def nlu(for_model: dict, locale: str) -> Any:
        # The skill's own model is understood once per app; per-question models stay per device.
        if for_model is not model:
            return default_nlu(for_model, locale)
        with understanding_lock:
            if locale not in understanding:
                understanding[locale] = default_nlu(for_model, locale)
            return understanding[locale]

    def make(household_id: str) -> Any:
        household = the_backend.households.get(household_id)
        ids = console_identity(household_id)
        adult = next((m for m in household.members if m.role == Role.ADULT), None)
        the_backend.households.link_identity("alexa_user", ids["user_id"], household_id)
        the_backend.households.link_identity("alexa_device", ids["device_id"], household_id)
        person_id = None
        if adult is not None:
            person_id = f"amzn1.ask.person.console-{adult.id}"
            the_backend.households.link_identity("alexa_person", person_id, household_id, adult.id)
        profile = DeviceProfile(
            user_id=ids["user_id"],
            person_id=person_id,
            device_id=ids["device_id"],
            household=household.name,
            time_zone=household.timezone,
            given_name=adult.name if adult else None,
            full_name=adult.name if adult else None,
            email=None,
            mobile_number=None,
        )
        return Device(endpoint, profile=profile, clock=the_backend.clock, nlu_factory=nlu)

    return make


def console_devices() -> ConsoleDevices:
    """The app's console sessions, created on first use (building the skill takes a moment)."""
    app = current_app
    devices = app.extensions.get(EXTENSION)
    if devices is None:
        with _creation_lock:
            devices = app.extensions.get(EXTENSION)
            if devices is None:
                factory = app.extensions.get("voicecart.console_device_factory") or voice_device_factory(backend())
                devices = app.extensions[EXTENSION] = ConsoleDevices(factory)
    return devices


_creation_lock = threading.Lock()


def _text(data: dict[str, Any]) -> str:
    text = data.get("text")
    if not isinstance(text, str):
        raise InvalidInput("Send {'text': 'what you would say'}; an empty text is silence.")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"That is too long to say in one go ({MAX_TEXT} characters at most).")
    # Control characters cannot be spoken; they become spaces.
    return "".join(ch if ch.isprintable() else " " for ch in text)


def _session(data: dict[str, Any]) -> tuple[str, bool]:
    session = data.get("session")
    if session is None or session == "":
        return secrets.token_urlsafe(12), True
    if not isinstance(session, str) or not SESSION_ID.match(session):
        raise InvalidInput("'session' must be 1-64 letters, digits, '-' or '_'.")
    return session, False


def turn_json(turn: Any, session: str) -> dict[str, Any]:
    return {
        "session": session,
        "you": turn.you,
        "skill": turn.skill,
        "request": turn.request_type,
        "intent": turn.intent,
        "slots": turn.slots,
        "dialog_state": turn.dialog_state,
        "speech": turn.speech,
        "reprompt": turn.reprompt,
        "card": turn.card,
        "session_ended": turn.session_ended,
        "error": turn.error,
        "events": list(turn.events),
    }


@console.post("/say")
@allow(HOUSEHOLD)
def say():
    """One utterance at the household's web-console speaker; the answer and what the skill understood."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InvalidInput("The request body must be a JSON object: {'text': ..., 'session': ...}.")
    text = _text(data)
    session, _ = _session(data)
    household_id = require_household()
    devices = console_devices()
    try:
        turn = devices.say(household_id, session, text)
    except BackendError:
        raise
    except Exception:
        # The conversation state may be broken: start this session afresh next time.
        log.exception("console turn failed")
        devices.end(household_id, session)
        return jsonify(
            {"error": "console_failed", "message": "The speaker could not handle that; the conversation was restarted."}
        ), 500
    return jsonify(turn_json(turn, session))


@console.delete("/sessions/<session>")
@allow(HOUSEHOLD)
def end_session(session: str):
    """Ends a console conversation and frees its simulated device."""
    if not SESSION_ID.match(session):
        raise InvalidInput("'session' must be 1-64 letters, digits, '-' or '_'.")
    ended = console_devices().end(require_household(), session)
    return jsonify({"session": session, "ended": ended})


def openapi_paths() -> dict[str, Any]:
    """This blueprint's routes for the OpenAPI document."""
    turn = {
        "type": "object",
        "properties": {
            "session": {"type": "string"},
            "you": {"type": "string"},
            "skill": {"type": "string", "nullable": True},
            "request": {"type": "string", "nullable": True},
            "intent": {"type": "string", "nullable": True},
            "slots": {"type": "object"},
            "dialog_state": {"type": "string", "nullable": True},
            "speech": {"type": "string"},
            "reprompt": {"type": "string", "nullable": True},
            "card": {"type": "object", "nullable": True},
            "session_ended": {"type": "boolean"},
            "error": {"type": "string", "nullable": True},
            "events": {"type": "array", "items": {"type": "string"}},
        },
    }
    errors = {"401": {"description": "Missing or wrong token"}, "422": {"description": "Invalid input"}}
    return {
        "/api/console/say": {
            "post": {
                "summary": "Say one line to the household's simulated speaker (one device per console session)",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["text"],
                                "properties": {
                                    "text": {
                                        "type": "string",
                                        "maxLength": MAX_TEXT,
                                        "description": "empty is silence",
                                    },
                                    "session": {
                                        "type": "string",
                                        "pattern": SESSION_ID.pattern.replace("{1,64}", "{0,64}"),
                                        "description": "omit (or send empty) to start a conversation; the answer names "
                                        "it",
                                    },
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": {"description": "The turn", "content": {"application/json": {"schema": turn}}},
                    **errors,
                    "503": {"description": "The voice skill or simulator is not available"},
                },
            }
        },
        "/api/console/sessions/{session}": {
            "delete": {
                "summary": "End a console conversation and free its simulated device",
                "parameters": [
                    {
                        "name": "session",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": SESSION_ID.pattern},
                    }
                ],
                "responses": {"200": {"description": "Whether a conversation was open"}, **errors},
            }
        },
    }
