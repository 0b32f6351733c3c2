"""The parts of the Alexa service a skill calls back into, served on 127.0.0.1 at a random port.

The device hands this server's address to the skill as `apiEndpoint`, so ask-sdk's own
ServiceClientFactory / DefaultApiClient calls (reminders, customer profile, device settings, proactive
events and the Login-with-Amazon token they need) work unchanged and offline. Permissions are checked
live against the device profile, so a test can withhold one and watch the skill cope.
"""

from __future__ import annotations

import json
import os
import re
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs

from device_sim.notifications import Inbox, render_proactive_event
from device_sim.profile import PERMISSION_SCOPES, DeviceProfile
from device_sim.reminders import Reminder, ReminderBook, ReminderError

PROFILE_FIELDS = {
    "Profile.givenName": ("given_name", "given_name"),
    "Profile.name": ("full_name", "name"),
    "Profile.email": ("email", "email"),
    "Profile.mobileNumber": ("mobile_number", "mobile_number"),
}
# Settings errors use the codes of ask-sdk-model's UPS ErrorCode, so skills get a ServiceException
# (not a deserialisation error) when a permission is withheld.
PERSON_FIELDS = {"givenName": "Profile.givenName", "name": "Profile.name", "mobileNumber": "Profile.mobileNumber"}
DEVICE_SETTINGS = {
    "System.timeZone": "time_zone",
    "System.distanceUnits": "distance_units",
    "System.temperatureUnit": "temperature_unit",
}


@dataclass
class Fired:
    """A reminder going off: what the device says, for which skill, at what simulated time."""

    skill: str
    text: str
    at: datetime
    reminder: Reminder


@dataclass
class _Grant:
    application_id: str
    skill_name: str


@dataclass
class AlexaCloud:
    profile: DeviceProfile
    now: Callable[[], datetime]
    inbox: Inbox
    _tokens: dict[str, _Grant] = field(default_factory=dict)
    _lwa_tokens: dict[str, str] = field(default_factory=dict)
    books: dict[str, ReminderBook] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _listener: socket.socket | None = None
    _wake: tuple[socket.socket, socket.socket] | None = None  # (read end, write end): stop() writes to it
    _thread: threading.Thread | None = None
    _endpoint: str | None = None

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> str:
        """Listen on 127.0.0.1 now (the port goes into every request envelope) and answer from a thread.

        The listening socket queues connections by itself, so the thread only waits until the first one
        arrives (or the device closes) before it loads the HTTP and TLS machinery (device_sim/cloud_http.py):
        most one-shot runs have a skill that never calls an Alexa API, and pay for none of it."""
        if self._listener is None:
            from device_sim.tls import trust_bundle

            # REQUESTS_CA_BUNDLE is set now, before the skill's first call can read it.
            trust_bundle()
            self._listener = socket.create_server(("127.0.0.1", 0))
            host, port = self._listener.getsockname()[:2]
            self._endpoint = f"https://{host}:{port}"
            self._wake = socket.socketpair()
            self._thread = threading.Thread(
                target=self._serve, args=(self._listener, self._wake[0]), name="alexa-cloud", daemon=True
            )
            self._thread.start()
        return self.endpoint

    def _serve(self, listener: socket.socket, wake: socket.socket) -> None:
        import selectors

        with selectors.DefaultSelector() as selector:
            selector.register(listener, selectors.EVENT_READ)
            selector.register(wake, selectors.EVENT_READ)
            if any(key.fileobj is wake for key, _ in selector.select()):
                return  # closed before anyone called: nothing to load
        try:
            from device_sim.cloud_http import serve

            serve(self, listener, wake)
        except BaseException:
            # The TLS material could not be made, say: callers are refused at once rather than left waiting
            # on a socket nobody answers (ask-sdk's API client sets no timeout), and the error is printed.
            listener.close()
            raise

    def stop(self) -> None:
        """Stop answering at once: the serving thread wakes on the wake socket, no poll interval to wait out."""
        if self._listener is None or self._wake is None:
            return
        self._wake[1].send(b"x")
        if self._thread is not None:
            self._thread.join(timeout=5)
        for sock in (self._listener, *self._wake):
            sock.close()  # the listener is closed already when the TLS server took it over; closing is harmless
        self._listener, self._wake, self._thread, self._endpoint = None, None, None, None

    @property
    def endpoint(self) -> str:
        return self._endpoint or "https://api.amazonalexa.com"

    # -- state the device uses -----------------------------------------------------------------------
    def token_for(self, application_id: str, skill_name: str) -> str:
        """The apiAccessToken a skill receives; stable per skill so reminders stay its own."""
        with self._lock:
            for token, grant in self._tokens.items():
                if grant.application_id == application_id:
                    return token
            token = "sim-api-" + _token()
            self._tokens[token] = _Grant(application_id, skill_name)
            return token

    def book(self, application_id: str) -> ReminderBook:
        with self._lock:
            if application_id not in self.books:
                self.books[application_id] = ReminderBook(self.profile.time_zone)
            return self.books[application_id]

    def due_reminders(self, now: datetime) -> list[Fired]:
        with self._lock:
            fired = []
            for token, grant in self._tokens.items():
                del token
                for reminder in self.book(grant.application_id).due(now):
                    fired.append(
                        Fired(grant.skill_name, reminder.text(self.profile.locale), reminder.fired[-1], reminder)
                    )
            return sorted(fired, key=lambda f: f.at)

    def all_reminders(self) -> list[tuple[str, Reminder]]:
        with self._lock:
            names = {g.application_id: g.skill_name for g in self._tokens.values()}
            return [(names.get(app, app), r) for app, book in self.books.items() for r in book.reminders.values()]

    # -- request handling (called on the server thread) ---------------------------------------------------
    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, object]:
        with self._lock:
            if method == "POST" and path.lower() == "/auth/o2/token":
                return self._lwa_token(body)
            token = headers.get("authorization", "")
            token = token[7:] if token.lower().startswith("bearer ") else ""
            if path.startswith("/v1/proactiveEvents"):
                if token not in self._lwa_tokens:
                    return 401, _error("UNAUTHORIZED", "a Login with Amazon token is required")
                return self._proactive_event(method, body, self._lwa_tokens[token])
            grant = self._tokens.get(token)
            if grant is None:
                # INVALID_TOKEN: the code ask-sdk-model's customer-profile error type knows.
                return 401, _error("INVALID_TOKEN", "the apiAccessToken is missing or not one this device issued")
            if path.startswith("/v1/alerts/reminders"):
                return self._reminders(method, path, body, grant)
            if method != "GET":
                return 405, _error("METHOD_NOT_ALLOWED", f"{method} is not supported on {path}")
            return self._settings(path)

    def _lwa_token(self, body: bytes) -> tuple[int, object]:
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        if not form.get("client_id") or not form.get("client_secret"):
            return 400, {"error": "invalid_client", "error_description": "client_id and client_secret needed"}
        token = "sim-lwa-" + _token()
        self._lwa_tokens[token] = form["client_id"]
        return 200, {"access_token": token, "expires_in": 3600, "scope": form.get("scope", ""), "token_type": "bearer"}

    def _proactive_event(self, method: str, body: bytes, client_id: str) -> tuple[int, object]:
        if method != "POST":
            return 405, _error("METHOD_NOT_ALLOWED", "proactive events are POSTed")
        try:
            request = json.loads(body)
            event = request["event"]
            audience = request.get("relevantAudience", {"type": "Multicast"})
        except (ValueError, KeyError, TypeError):
            return 400, _error("INVALID_REQUEST", "the body needs an 'event' object")
        if audience.get("type") == "Unicast" and audience.get("payload", {}).get("user") != self.profile.user_id:
            return 202, None  # accepted, for someone else's device
        text = render_proactive_event(
            _localized(event, request.get("localizedAttributes"), self.profile.locale), self.profile.locale
        )
        self.inbox.add(text, client_id, self.now())
        return 202, None

    def _reminders(self, method: str, path: str, body: bytes, grant: _Grant) -> tuple[int, object]:
        if PERMISSION_SCOPES["reminders"] not in self.profile.permissions:
            return 401, _error("UNAUTHORIZED", "the user has not granted reminders permission to this skill")
        book = self.book(grant.application_id)
        match = re.fullmatch(r"/v1/alerts/reminders(?:/([^/]+))?/?", path)
        if match is None:
            return 404, _error("NOT_FOUND", path)
        token = match.group(1)
        try:
            if token is None and method == "GET":
                alerts = [r.to_api() for r in book.reminders.values()]
                return 200, {"totalCount": str(len(alerts)), "alerts": alerts, "links": None}
            if token is None and method == "POST":
                reminder = book.create(_json_object(body), self.now())
                return 200, {
                    "alertToken": reminder.alert_token,
                    "createdTime": reminder.to_api()["createdTime"],
                    "updatedTime": reminder.to_api()["updatedTime"],
                    "status": reminder.status,
                    "version": str(reminder.version),
                    "href": f"/v1/alerts/reminders/{reminder.alert_token}",
                }
            if token is not None and method == "GET":
                return 200, book.get(token).to_api()
            if token is not None and method == "PUT":
                return 200, book.update(token, _json_object(body), self.now()).to_api()
            if token is not None and method == "DELETE":
                book.delete(token)
                return 200, None
        except ReminderError as exc:
            return (404 if exc.code == "ALERT_NOT_FOUND" else 400), _error(exc.code, str(exc))
        return 405, _error("METHOD_NOT_ALLOWED", f"{method} {path}")

    def _settings(self, path: str) -> tuple[int, object]:
        account = re.fullmatch(r"/v2/accounts/~current/settings/(Profile\.\w+)", path)
        person = re.fullmatch(r"/v2/persons/~current/profile/(\w+)", path)
        device = re.fullmatch(r"/v2/devices/([^/]+)/settings/(System\.\w+)", path)
        if account or person:
            setting = account.group(1) if account else PERSON_FIELDS.get(person.group(1), "")  # type: ignore[union-attr]
            if setting not in PROFILE_FIELDS:
                return 404, _error("INVALID_URI", f"no such profile field in {path}")
            if person and not self.profile.person_id:
                return 403, _error("INVALID_TOKEN", "no recognised person is speaking")
            attribute, permission = PROFILE_FIELDS[setting]
            if PERMISSION_SCOPES[permission] not in self.profile.permissions:
                return 403, _error("INVALID_TOKEN", f"the user has not granted {PERMISSION_SCOPES[permission]}")
            value = getattr(self.profile, attribute)
            if value is None:
                return 204, None
            if setting == "Profile.mobileNumber":
                return 200, {"countryCode": "+1", "phoneNumber": value}
            return 200, value
        if device:
            if device.group(1) != self.profile.device_id:
                return 403, _error("INVALID_TOKEN", "that device does not belong to this user")
            device_attribute = DEVICE_SETTINGS.get(device.group(2))
            if device_attribute is None:
                return 404, _error("INVALID_URI", f"no such device setting {device.group(2)}")
            return 200, getattr(self.profile, device_attribute)
        return 404, _error("INVALID_URI", f"the simulator does not emulate {path}")


def _localized(value: Any, attributes: Any, locale: str) -> Any:
    """The event with each "localizedattribute:NAME" replaced by NAME's value for the device's locale,
    as Alexa does before it speaks an event."""
    table = next((a for a in attributes or [] if isinstance(a, dict) and a.get("locale") == locale), {})
    if isinstance(value, dict):
        return {k: _localized(v, attributes, locale) for k, v in value.items()}
    if isinstance(value, list):
        return [_localized(v, attributes, locale) for v in value]
    if isinstance(value, str) and value.startswith("localizedattribute:"):
        return str(table.get(value.split(":", 1)[1], value))
    return value


def _json_object(body: bytes) -> dict:
    try:
        value = json.loads(body or b"null")
    except ValueError as exc:
        raise ReminderError("INVALID_REQUEST", f"the body is not JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise ReminderError("INVALID_REQUEST", "the body must be a JSON object")
    return value


def _token() -> str:
    """An unguessable token, as secrets.token_urlsafe(24) makes it (without importing `secrets`, ~5 ms)."""
    import base64

    return base64.urlsafe_b64encode(os.urandom(24)).rstrip(b"=").decode("ascii")


def _error(code: str, message: str) -> dict:
    return {"code": code, "message": message}
