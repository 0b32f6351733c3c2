"""Who is speaking: the Alexa user, person, device or linked account, mapped to a household and member.

The interceptor runs before every handler and leaves its answer in the request attributes; handlers ask
`household_id(handler_input)` and `member_id(handler_input)`. A request from nobody we know is answered by
`NotLinkedHandler` (a LinkAccount card), so capability handlers may assume a household.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from ask_sdk_core.dispatch_components import AbstractRequestHandler, AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Response
from ask_sdk_model.ui import LinkAccountCard

from reorder.errors import BackendError
from reorder.services.backend import Backend

log = logging.getLogger(__name__)

IDENTITY_KEY = "voicecart.identity"
NOT_LINKED_SPEECH = (
    "I don't know this account yet. I've sent a card to the Alexa app so you can link "
    "your voicecart household, then ask me again."
)


# What one cached answer costs beyond the characters of its household and member ids: the 16-byte key
# object, the entry's tuple, its float, the Caller, its two strings and the dict slot: an upper estimate
# (tracemalloc on CPython 3.11 measures about 290 bytes with ids of 20 characters).
ENTRY_BYTES = 400
MAX_CACHE_BYTES = 4 * 1024 * 1024


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


def _digest(session_id: str, ids: list[tuple[str, str]]) -> bytes:
    text = "\x1f".join([session_id, *(f"{kind}={value}" for kind, value in ids)])
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def entry_bytes(caller: Caller) -> int:
    return ENTRY_BYTES + len(caller.household_id) + len(caller.member_id or "")


def resolve_caller(backend: Backend, handler_input: HandlerInput) -> Caller | None:
    # The most specific identity known wins: a recognised person names household and member at once,
    # so the common case costs one lookup.
    for kind, external_id in _ids(handler_input):
        identity = backend.households.find_identity(kind, external_id)
        if identity is not None:
            return Caller(identity.household_id, identity.member_id)
    return None


class IdentityInterceptor(AbstractRequestInterceptor):
    """Resolves the caller once per session and reuses the answer for the session's later turns.

    Alexa sends the same person, user, device and token on every turn of a session, so the answer is kept
    under the session id *and* those ids: a different speaker in the same session is looked up afresh.
    Answers expire after `session_seconds` (Alexa sessions last seconds to a few minutes), when the session
    ends, and at once when this process changes who is who (HouseholdService.identity_generation). A change
    made by another server takes effect from the caller's next session. Only the mapping is kept: every
    purchase rule (member role, purchase code, spending limit) is still read fresh by the use cases.

    Memory is bounded in bytes (`max_bytes`) as well as entries: the key is a 16-byte digest of the session
    and caller ids (a linked-account token alone runs to hundreds of characters, and is then not held in
    memory at all), and the oldest entries go first, expired ones as soon as a new answer is stored.
    """

    def __init__(
        self,
        backend: Backend,
        *,
        session_seconds: float = 300.0,
        max_sessions: int = 10_000,
        max_bytes: int = MAX_CACHE_BYTES,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.backend = backend
        self.session_seconds = session_seconds
        self.max_sessions = max_sessions
        self.max_bytes = max_bytes
        self._monotonic = monotonic
        self._known: dict[bytes, tuple[float, int, Caller]] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def cached_bytes(self) -> int:
        """The estimated memory of the cached answers (`entry_bytes` each)."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._known)

    def process(self, handler_input: HandlerInput) -> None:
        handler_input.attributes_manager.request_attributes[IDENTITY_KEY] = self._caller(handler_input)

    def _caller(self, handler_input: HandlerInput) -> Caller | None:
        session = handler_input.request_envelope.session
        session_id = getattr(session, "session_id", None)
        if not session_id:
            return resolve_caller(self.backend, handler_input)
        key = _digest(session_id, _ids(handler_input))
        if is_request_type("SessionEndedRequest")(handler_input):
            with self._lock:
                old = self._known.pop(key, None)
                if old is not None:
                    self._bytes -= entry_bytes(old[2])
            return resolve_caller(self.backend, handler_input)
        now = self._monotonic()
        generation = self.backend.households.identity_generation
        hit = self._known.get(key)
        if hit is not None and now - hit[0] < self.session_seconds and hit[1] == generation:
            return hit[2]
        found = resolve_caller(self.backend, handler_input)
        if found is not None:
            self._note_user(handler_input, found)
        if found is not None:  # nobody known is asked again next turn: they may be linking their account
            with self._lock:
                self._store(key, (now, generation, found), now)
        return found

    def _store(self, key: bytes, entry: tuple[float, int, Caller], now: float) -> None:
        cost = entry_bytes(entry[2])
        old = self._known.pop(key, None)
        if old is not None:
            self._bytes -= entry_bytes(old[2])
        # Oldest first (dicts keep insertion order): the expired, then as many as the bounds need.
        while self._known:
            oldest_key = next(iter(self._known))
            oldest = self._known[oldest_key]
            expired = now - oldest[0] >= self.session_seconds
            if not (expired or len(self._known) >= self.max_sessions or self._bytes + cost > self.max_bytes):
                break
            del self._known[oldest_key]
            self._bytes -= entry_bytes(oldest[2])
        self._known[key] = entry
        self._bytes += cost

    def _note_user(self, handler_input: HandlerInput, found: Caller) -> None:
        """Once a session: remember the Alexa user for the household's proactive events. A store problem here
        is logged, never spoken: the turn goes on."""
        system = getattr(handler_input.request_envelope.context, "system", None)
        user_id = getattr(getattr(system, "user", None), "user_id", None)
        if not user_id:
            return
        try:
            self.backend.households.note_alexa_user(found.household_id, user_id)
        except BackendError:
            log.warning("could not note the Alexa user of household %s", found.household_id, exc_info=True)


def caller(handler_input: HandlerInput) -> Caller | None:
    return cast("Caller | None", handler_input.attributes_manager.request_attributes.get(IDENTITY_KEY))


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
        return not (
            is_request_type("SessionEndedRequest")(handler_input)
            or is_intent_name("AMAZON.StopIntent")(handler_input)
            or is_intent_name("AMAZON.CancelIntent")(handler_input)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        return (
            handler_input.response_builder.speak(NOT_LINKED_SPEECH)
            .set_card(LinkAccountCard())
            .set_should_end_session(True)
            .response
        )
