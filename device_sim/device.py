"""The simulated smart speaker: it hears a line of text, decides which skill it is for, sends the
skill the request Alexa would send, plays Alexa's part of the dialog, and keeps the session.

    with Device(SkillEndpoint.of(skill, "model.json")) as device:
        turn = device.say("alexa, open tea timer")
        turn.speech, turn.session_ended
"""

from __future__ import annotations

import contextlib
import copy
import random
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from device_sim import envelopes
from device_sim.alexa_cloud import AlexaCloud
from device_sim.dialog import (
    CONFIRM_INTENT,
    CONFIRM_SLOT,
    ELICIT,
    DialogModel,
    PendingStep,
    elicitation_model,
    merge_slots,
)
from device_sim.envelopes import Session
from device_sim.locales import ENGLISH, DeviceLanguage, language_for
from device_sim.nlu import Nlu, NluFactory, default_nlu, heard_on
from device_sim.notifications import Inbox, NotificationSource
from device_sim.profile import DeviceProfile
from device_sim.resolution import TypeValues, resolve_intent
from device_sim.responses import SkillResponse, read_response
from device_sim.skill_loader import SkillEndpoint
from device_sim.transports import SkillError
from device_sim.turn import Turn, describe_slots
from device_sim.wake import LAUNCH, ONE_SHOT, hear
from intents.alignment import FUNCTION_WORDS
from intents.normalize import FILLER_WORDS, tokenize
from intents.turn_shape import after_the_wake_word
from reorder.clock import lend_clock

if TYPE_CHECKING:
    from device_sim.http_stubs import HttpStubs

# The device's own words in English; other locales' are in device_sim.locales.
PROBLEM = ENGLISH.problem
NOT_UNDERSTOOD = ENGLISH.not_understood
DIALOG_DIRECTIVES = {"Dialog.Delegate", "Dialog.ElicitSlot", "Dialog.ConfirmSlot", "Dialog.ConfirmIntent"}
# Intents a person may use to break out of a question Alexa is asking.
ESCAPES = {"AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.HelpIntent", "AMAZON.NavigateHomeIntent"}
EXIT_WORDS = ENGLISH.exit_words
READ_NOTIFICATIONS = ENGLISH.read_notifications
MAX_DELEGATE_CHAIN = 6
# A device left running (the web console keeps one per household) remembers this many turns and events.
MAX_HISTORY = 1000


class _SkillState:
    """What the device keeps per installed skill: its endpoint, language model and dialog rules."""

    def __init__(self, endpoint: SkillEndpoint, nlu_factory: NluFactory, locale: str, rng: random.Random):
        self.endpoint = endpoint
        self.nlu: Nlu = _make_nlu(nlu_factory, endpoint.model, locale, endpoint.application_id)
        self.dialog = DialogModel(endpoint.model, rng=rng)
        self._nlu_factory = nlu_factory
        self._locale = locale
        self._elicitation: dict[tuple[str, str], Nlu] = {}
        self._types = TypeValues(endpoint.model)
        # Intents with a value alone among their samples ("{option}", "{code}"): answers as much as requests.
        self.answers_alone = _intents_said_as_a_value_alone(endpoint.model)

    def intent_of(self, result: Any, dynamic: list[dict] | None) -> dict:
        """The Alexa intent for what the engine understood, resolved as Alexa resolves (device_sim.resolution)."""
        return resolve_intent(result.to_alexa_intent(), self._types, self.endpoint.application_id, dynamic)

    def elicitation_nlu(self, intent: str, slot: str) -> Nlu:
        key = (intent, slot)
        if key not in self._elicitation:
            model = elicitation_model(self.endpoint.model, intent, slot, self.dialog.slot_samples(intent, slot))
            self._elicitation[key] = _make_nlu(self._nlu_factory, model, self._locale, self.endpoint.application_id)
        return self._elicitation[key]


def _intents_said_as_a_value_alone(model: dict) -> frozenset[str]:
    root = model.get("interactionModel", model)
    alone = set()
    for intent in root.get("languageModel", {}).get("intents", []):
        for sample in intent.get("samples", []):
            words = sample.split()
            if len(words) == 1 and words[0].startswith("{"):
                alone.add(intent["name"])
                break
    return frozenset(alone)


def _switches_intent(skill: _SkillState, heard: Any, answer: Any, name: str, text: str) -> bool:
    """Whether the answer to a slot question is another request, as Alexa switches intents when what is said
    matches another intent better: "add one pack of wipes", asked "which item did you mean?" of a removal, adds
    them (read as the slot's answer, the wipes were the item to remove). Only a reading of another of the skill's
    own intents, as sure as the answer, that says more than its values: "the wipes, please" is an answer whichever
    intent its words are nearest, and so is a reading of an intent that a value alone may be said for ("the wipes
    one", read as a choice of an option, answers "which button should I press?")."""
    if heard.intent == name or heard.intent.startswith("AMAZON.") or heard.intent in skill.answers_alone:
        return False
    if after_the_wake_word(text) is not None:
        # "No, no candy, mijo. Alexa, remind me…": said to someone else, then to the speaker by its name, which opens
        # a request of its own (its first sentence had been taken for the product asked for).
        return True
    return heard.confidence >= answer.confidence and _says_more_than_values(text, heard)


def _says_more_than_values(text: str, heard: Any) -> bool:
    """Whether a turn has a word of its own besides its reading's slot values and words of grammar ("add" and
    "pack" in "add one pack of wipes"; nothing in "the wipes, please")."""
    valued = {w for slot in heard.slots.values() for w in _words(getattr(slot, "value", None) or "")}
    return any(w not in valued and w not in FUNCTION_WORDS and w not in FILLER_WORDS for w in _words(text))


def _words(text: str) -> list[str]:
    return [t.text for t in tokenize(text)]


def _make_nlu(factory: NluFactory, model: dict, locale: str, skill_id: str) -> Nlu:
    """The factory's engine for the model; it learns the skill's id (resolution authorities carry it)
    when it accepts `skill_id`."""
    import inspect
    from collections.abc import Mapping

    parameters: Mapping[str, inspect.Parameter]
    try:
        parameters = inspect.signature(factory).parameters
    except (TypeError, ValueError):
        parameters = {}
    if "skill_id" in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values()):
        return factory(model, locale, skill_id=skill_id)
    return factory(model, locale)


class Device:
    def __init__(
        self,
        skills: SkillEndpoint | Iterable[SkillEndpoint],
        *,
        profile: DeviceProfile | None = None,
        clock: Any = None,
        nlu_factory: NluFactory = default_nlu,
        cloud: bool = True,
        seed: int = 0,
        http: HttpStubs | None = None,
    ) -> None:
        from reorder.clock import ManualClock

        self.profile = profile or DeviceProfile()
        # The shared clock protocol: now() -> aware UTC datetime; advance() and subscribe() when manual.
        self.clock = clock or ManualClock(datetime.now(UTC).replace(microsecond=0))
        rng = random.Random(seed)
        endpoints = [skills] if isinstance(skills, SkillEndpoint) else list(skills)
        if not endpoints:
            raise ValueError("a device needs at least one skill")
        self._skills = [_SkillState(e, nlu_factory, self.profile.locale, rng) for e in endpoints]
        self.inbox = Inbox()
        self.cloud = AlexaCloud(self.profile, self.clock.now, self.inbox)
        if cloud:
            self.cloud.start()
        self.http = http
        if http is not None:
            # The device's own endpoints are real; only the skill's calls to the world are stubbed.
            http.pass_through(self.cloud.endpoint)
            for state in self._skills:
                url = getattr(state.endpoint.transport, "url", None)
                if isinstance(url, str):
                    http.pass_through(url)
        self._closers: list[Callable[[], Any]] = []
        self.turns: list[Turn] = []
        self.events: list[str] = []
        self._session: Session | None = None
        self._active: _SkillState | None = None
        self._pending: PendingStep | None = None
        self._last_reprompt: str | None = None
        self._reprompted = False
        self._button_handler: Callable[[Device, str], Any] | None = None
        self._time_guards: list[Callable[[], str | None]] = []
        self._lock = threading.RLock()  # one conversation at a time, as on a real speaker
        if hasattr(self.clock, "subscribe"):
            self.clock.subscribe(self._on_clock)

    # -- lifecycle ---------------------------------------------------------------------------------
    def close(self) -> None:
        self.cloud.stop()
        while self._closers:
            self._closers.pop()()

    def on_close(self, closer: Callable[[], Any]) -> None:
        """Runs `closer()` when the device closes (the local AWS a skill persisted to, say)."""
        self._closers.append(closer)

    def __enter__(self) -> Device:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what a person does ---------------------------------------------------------------------
    @property
    def in_session(self) -> bool:
        return self._session is not None

    @property
    def session(self) -> Session | None:
        return self._session

    @property
    def default_skill(self) -> SkillEndpoint:
        return self._skills[0].endpoint

    def say(self, text: str) -> Turn:
        """One utterance, typed as it would be spoken; an empty string is silence."""
        text = " ".join(str(text).split())
        turn = Turn(you=text)
        with self._lock:
            self._collect_notifications(turn)
            if not text:
                self._silence(turn)
            elif self._session is not None and text.lower().strip(" .!") in self._phrases("exit_words"):
                self._end_session(turn, "USER_INITIATED")
            else:
                self._route(text, turn)
            self.turns.append(turn)
            for history in (self.turns, self.events):
                if len(history) > MAX_HISTORY:
                    del history[: len(history) - MAX_HISTORY]
        return turn

    def launch(self, invocation_name: str | None = None) -> Turn:
        name = invocation_name or self._skills[0].endpoint.invocation_name
        return self.say(f"alexa, open {name}")

    def silence(self) -> Turn:
        return self.say("")

    def advance(self, delta: timedelta | str) -> list[str]:
        """Moves the simulated clock; reminders due in that time go off and listeners run."""
        if isinstance(delta, str):
            from device_sim.durations import parse_duration

            delta = parse_duration(delta)
        if not hasattr(self.clock, "advance"):
            raise TypeError("this device's clock cannot be moved; give it a reorder.clock.ManualClock")
        with self._lock:
            if len(self.events) > MAX_HISTORY:
                del self.events[: len(self.events) - MAX_HISTORY]
            before = len(self.events)
            for guard in self._time_guards:  # e.g. move to a scratch store first (device_sim/scratch.py)
                said = guard()
                if said:
                    self.events.append(said)
            self.clock.advance(delta)  # reminders fire through _on_clock, backend listeners run
            self._collect_notifications(Turn(you=""))
            return self.events[before:]

    def before_time_moves(self, guard: Callable[[], str | None]) -> None:
        """Run `guard` before the clock moves; what it returns is shown as an event. It may refuse (raise)."""
        self._time_guards.append(guard)

    def replace_endpoint(self, endpoint: SkillEndpoint) -> None:
        """Answer with `endpoint` from now on where the skill of the same name answered (the same model)."""
        for state in self._skills:
            if state.endpoint.name == endpoint.name:
                state.endpoint = endpoint
                return
        raise LookupError(f"this device has no skill named {endpoint.name!r}")

    def notify(self, text: str, source: str = "voicecart") -> None:
        """A notification arrives: the light turns yellow until someone asks to hear it."""
        self.inbox.add(text, source, self.clock.now())
        self.events.append(f"chime: new notification from {source}")

    def watch_notifications(self, poll: NotificationSource, source: str = "voicecart") -> None:
        """Polls `poll()` for new notifications before every turn and after the clock moves."""
        self.inbox.watch(poll, source)

    def on_button_press(self, handler: Callable[[Device, str], Any]) -> None:
        """Who answers a virtual button press: `handler(device, button_name)`; its result is returned."""
        self._button_handler = handler

    def press(self, button: str) -> Any:
        if self._button_handler is None:
            raise LookupError("no virtual-button handler is installed on this device; see Device.on_button_press")
        return self._button_handler(self, button)

    def grant(self, permission: str) -> str:
        return self.profile.grant(permission)

    def revoke(self, permission: str) -> str:
        return self.profile.revoke(permission)

    @property
    def language(self) -> DeviceLanguage:
        """The device's own words for its locale (device_sim.locales)."""
        return language_for(self.profile.locale)

    def _phrases(self, kind: str) -> frozenset[str]:
        """What people say for `kind` in the device's language, and in English."""
        own: frozenset[str] = getattr(self.language, kind)
        return own | getattr(ENGLISH, kind)

    # -- routing -----------------------------------------------------------------------------------
    def _route(self, text: str, turn: Turn) -> None:
        names = [s.endpoint.invocation_name for s in self._skills if s.endpoint.invocation_name]
        heard = hear(text, names, self.profile.locale)
        if heard.kind in (LAUNCH, ONE_SHOT):
            skill = next(s for s in self._skills if s.endpoint.invocation_name == heard.invocation)
            if self._session is not None:
                self._end_session(turn, "USER_INITIATED", quiet=True)
            self._open_session(skill)
            if heard.kind == LAUNCH:
                self._launch(skill, turn)
            else:
                self._understand_and_send(skill, heard.text, turn)
            return
        read_notifications = self._phrases("read_notifications")
        if heard.woke and self._session is not None and heard.text.lower() in read_notifications:
            # "Alexa, read my notifications" is the device's own business: it leaves the skill.
            self._end_session(turn, "USER_INITIATED", quiet=True)
        if self._session is not None and self._active is not None:
            if self._pending is not None:
                self._answer_pending(heard.text, turn)
            else:
                self._understand_and_send(self._active, heard.text, turn)
            return
        if not heard.text:
            return  # just the wake word: the light ring turns on and nothing else happens
        if heard.text.lower() in read_notifications:
            turn.speech = self.inbox.read_aloud(self.language)
            return
        if heard.text.lower() in self._phrases("time_questions"):
            local = self.clock.now().astimezone(ZoneInfo(self.profile.time_zone))
            language = self.language
            turn.speech = language.time.format(
                time=local.strftime(language.time_format), date=local.strftime(language.date_format)
            )
            return
        skill = self._skills[0]
        result = heard_on(skill.nlu, self._local_day(), heard.text, dynamic_entities=None)
        if result.intent in ("AMAZON.StopIntent", "AMAZON.CancelIntent"):
            return  # "alexa, stop" with nothing going on: the device just goes quiet
        if result.intent == "AMAZON.FallbackIntent" or result.confidence < 0.3:
            turn.speech = self.language.not_understood  # name-free phrases only reach a skill that clearly handles them
            return
        self._open_session(skill)
        self._send_intent(skill, skill.intent_of(result, self._dynamic_entities()), turn, fresh=True)

    def _understand_and_send(self, skill: _SkillState, text: str, turn: Turn) -> None:
        result = heard_on(skill.nlu, self._local_day(), text, dynamic_entities=self._dynamic_entities() or None)
        self._send_intent(skill, skill.intent_of(result, self._dynamic_entities()), turn, fresh=True)

    def _answer_pending(self, text: str, turn: Turn) -> None:
        step = self._pending
        skill = self._active
        assert step is not None and skill is not None
        dynamic = self._dynamic_entities() or None
        name = step.intent["name"]
        if step.kind == ELICIT:
            heard = heard_on(skill.nlu, self._local_day(), text, dynamic_entities=dynamic, expected_intents=[name])
            if heard.intent not in ESCAPES:
                answer = heard_on(
                    skill.elicitation_nlu(name, step.slot or ""),
                    self._local_day(),
                    text,
                    dynamic_entities=dynamic,
                    expected_intents=[name],
                )
                filled = skill.intent_of(answer, dynamic)
                if (
                    answer.intent == name
                    and filled["slots"].get(step.slot, {}).get("value") is not None
                    and not _switches_intent(skill, heard, answer, name, text)
                ):
                    self._pending = None
                    merge_slots(step.intent, filled)
                    self._continue_dialog(skill, step, turn)
                    return
                if heard.intent == name:
                    self._pending = None
                    merge_slots(step.intent, skill.intent_of(heard, dynamic))
                    self._continue_dialog(skill, step, turn)
                    return
        else:
            heard = heard_on(
                skill.nlu,
                self._local_day(),
                text,
                dynamic_entities=dynamic,
                expected_intents=["AMAZON.YesIntent", "AMAZON.NoIntent"],
            )
            if heard.intent in ("AMAZON.YesIntent", "AMAZON.NoIntent"):
                self._pending = None
                status = "CONFIRMED" if heard.intent == "AMAZON.YesIntent" else "DENIED"
                if step.kind == CONFIRM_SLOT:
                    step.intent["slots"][step.slot]["confirmationStatus"] = status
                else:
                    step.intent["confirmationStatus"] = status
                self._continue_dialog(skill, step, turn)
                return
        # Something else entirely: Alexa drops the question and sends the new intent.
        self._pending = None
        self._send_intent(skill, skill.intent_of(heard, dynamic), turn, fresh=True)

    def _continue_dialog(self, skill: _SkillState, step: PendingStep, turn: Turn) -> None:
        denied_intent = step.kind == CONFIRM_INTENT and step.intent.get("confirmationStatus") == "DENIED"
        if step.origin == "auto":
            self._auto_delegate(skill, step.intent, turn)
        elif denied_intent and step.origin == "delegate":
            self._send_intent(skill, step.intent, turn, state="COMPLETED")
        else:
            self._send_intent(skill, step.intent, turn, state="IN_PROGRESS")

    # -- talking to the skill -------------------------------------------------------------------------
    def _open_session(self, skill: _SkillState) -> None:
        self._session = Session(application_id=skill.endpoint.application_id)
        self._active = skill
        self._pending = None

    def _launch(self, skill: _SkillState, turn: Turn) -> None:
        turn.skill = skill.endpoint.name
        request = envelopes.launch_request(self._request_time(skill), self.profile.locale)
        response = self._exchange(skill, request, turn)
        if response is not None:
            self._apply(skill, response, turn, None)

    def _send_intent(
        self, skill: _SkillState, intent: dict, turn: Turn, *, fresh: bool = False, state: str | None = None
    ) -> None:
        if fresh and skill.dialog.auto_delegates(intent["name"]):
            self._auto_delegate(skill, intent, turn)
            return
        if fresh:
            state = "STARTED" if skill.dialog.has_dialog(intent["name"]) else None
        for _ in range(MAX_DELEGATE_CHAIN):
            turn.skill = skill.endpoint.name
            turn.intent, turn.slots, turn.dialog_state = intent["name"], describe_slots(intent), state
            request = envelopes.intent_request(self._request_time(skill), self.profile.locale, intent, state)
            response = self._exchange(skill, request, turn)
            if response is None:
                return
            follow = self._apply(skill, response, turn, intent)
            if follow is None:
                return
            if state == "COMPLETED":
                self._fail(skill, turn, SkillError("invalid_response", "the skill delegated a completed dialog"))
                return
            intent, state = follow, "COMPLETED"
        self._fail(skill, turn, SkillError("invalid_response", "too many Dialog.Delegate round trips"))

    def _auto_delegate(self, skill: _SkillState, intent: dict, turn: Turn) -> None:
        """delegationStrategy ALWAYS: Alexa runs the whole dialog and sends only the completed intent."""
        intent = copy.deepcopy(intent)
        step = skill.dialog.next_step(intent)
        turn.skill, turn.intent, turn.slots = skill.endpoint.name, intent["name"], describe_slots(intent)
        if step is None:
            self._send_intent(skill, intent, turn, state="COMPLETED")
            return
        self._ask(PendingStep(step.kind, intent, step.slot, "auto", step.prompt), turn)

    def _ask(self, step: PendingStep, turn: Turn) -> None:
        self._pending = step
        turn.speech = step.prompt
        turn.session_ended = False
        turn.dialog_state = "IN_PROGRESS"
        self._last_reprompt, self._reprompted = step.prompt, False

    def _exchange(self, skill: _SkillState, request: dict, turn: Turn) -> SkillResponse | None:
        assert self._session is not None
        turn.request_type = request["type"]
        envelope = self._envelope(skill, request)
        self._session.new = False
        try:
            payload = self._send(skill, envelope, turn)
        except SkillError as error:
            turn.exchanges.append((envelope, None))
            self._fail(skill, turn, error)
            return None
        turn.exchanges.append((envelope, payload))
        try:
            return read_response(payload)
        except SkillError as error:
            self._fail(skill, turn, error)
            return None

    def _send(self, skill: _SkillState, envelope: dict, turn: Turn | None = None) -> dict:
        transport = skill.endpoint.transport
        with contextlib.ExitStack() as stack:
            if self.http is not None:
                unstubbed = stack.enter_context(self.http.active())
            if not getattr(transport, "wall_clock", False):
                # An in-process skill that opens its own backend (a Lambda entry point) borrows the simulated clock.
                stack.enter_context(lend_clock(self.clock))
            try:
                return transport.send(envelope)
            finally:
                if turn is not None:
                    turn.skill_log.extend(getattr(transport, "logged_errors", []))
                    if self.http is not None:
                        stack.close()
                        turn.unstubbed.extend(unstubbed)

    def _request_time(self, skill: _SkillState) -> datetime:
        # A skill behind HTTP checks the timestamp against its own clock (150 s tolerance), so it gets
        # wall-clock time; in-process skills share the simulated clock.
        if getattr(skill.endpoint.transport, "wall_clock", False):
            return datetime.now(UTC)
        return self.clock.now()

    def _envelope(self, skill: _SkillState, request: dict, session: Session | None = None) -> dict:
        session = session or self._session
        token = self.cloud.token_for(skill.endpoint.application_id, skill.endpoint.name)
        ctx = envelopes.context(self.profile, skill.endpoint.application_id, self.cloud.endpoint, token)
        block = envelopes.session_block(session, self.profile, token) if session else None
        return envelopes.envelope(request, ctx, block)

    def _apply(self, skill: _SkillState, response: SkillResponse, turn: Turn, intent: dict | None) -> dict | None:
        """Plays a response; returns the intent to send again when Alexa's dialog is complete."""
        assert self._session is not None
        self._session.attributes = response.session_attributes
        turn.directives.extend(response.directives)
        if response.card is not None:
            turn.card = response.card
            self.events.append(f"card sent to the Alexa app: {response.card.get('title') or response.card['type']}")
        self._apply_dynamic_entities(response)
        if response.speech or not turn.speech:
            turn.speech = response.speech
        turn.ssml = response.ssml
        turn.reprompt = response.reprompt
        self._last_reprompt, self._reprompted = response.reprompt, False
        dialog = next((d for d in response.directives if d["type"] in DIALOG_DIRECTIVES), None)
        if dialog is None:
            ends = response.should_end_session is not False  # a voice-only device closes on null too
            if ends:
                self._close()
            turn.session_ended = ends
            return None
        updated = copy.deepcopy(dialog.get("updatedIntent") or intent or {})
        if not updated.get("name"):
            self._fail(skill, turn, SkillError("invalid_response", f"{dialog['type']} outside an intent dialog"))
            return None
        updated.setdefault("confirmationStatus", "NONE")
        turn.session_ended = False
        if dialog["type"] == "Dialog.Delegate":
            step = skill.dialog.next_step(updated)
            if step is None:
                return updated
            self._ask(PendingStep(step.kind, updated, step.slot, "delegate", step.prompt), turn)
            return None
        kind, slot = {
            "Dialog.ElicitSlot": (ELICIT, dialog.get("slotToElicit")),
            "Dialog.ConfirmSlot": (CONFIRM_SLOT, dialog.get("slotToConfirm")),
            "Dialog.ConfirmIntent": (CONFIRM_INTENT, None),
        }[dialog["type"]]
        if kind != CONFIRM_INTENT and not slot:
            self._fail(skill, turn, SkillError("invalid_response", f"{dialog['type']} names no slot"))
            return None
        if slot:
            updated.setdefault("slots", {}).setdefault(slot, {"name": slot, "confirmationStatus": "NONE"})
        self._pending = PendingStep(kind, updated, slot, "skill", response.reprompt or response.speech)
        return None

    def _apply_dynamic_entities(self, response: SkillResponse) -> None:
        assert self._session is not None
        for directive in response.directives:
            if directive["type"] != "Dialog.UpdateDynamicEntities":
                continue
            if directive.get("updateBehavior") == "CLEAR":
                self._session.dynamic_entities = []
            else:
                self._session.dynamic_entities = copy.deepcopy(directive.get("types") or [])

    def _local_day(self) -> date:
        """The day the device's clock says it is where the device is."""
        return self.clock.now().astimezone(ZoneInfo(self.profile.time_zone)).date()

    def _dynamic_entities(self) -> list[dict]:
        return self._session.dynamic_entities if self._session else []

    def _silence(self, turn: Turn) -> None:
        if self._session is None:
            return
        turn.skill = self._active.endpoint.name if self._active else None
        if self._last_reprompt and not self._reprompted:
            self._reprompted = True
            turn.speech, turn.session_ended = self._last_reprompt, False
            return
        self._end_session(turn, "EXCEEDED_MAX_REPROMPTS")

    def _end_session(self, turn: Turn, reason: str, *, quiet: bool = False, error: dict | None = None) -> None:
        """Tells the skill its session is over (Alexa ignores whatever it answers) and closes it."""
        skill, session = self._active, self._session
        if skill is not None and session is not None:
            request = envelopes.session_ended_request(self._request_time(skill), self.profile.locale, reason, error)
            envelope = self._envelope(skill, request, session)
            try:
                payload: dict | None = self._send(skill, envelope)
            except SkillError:
                payload = None
            if not quiet:
                turn.request_type = "SessionEndedRequest"
                turn.exchanges.append((envelope, payload))
        self._close()
        if not quiet:
            turn.session_ended = True

    def _fail(self, skill: _SkillState, turn: Turn, error: SkillError) -> None:
        turn.error = str(error)
        turn.speech = self.language.problem
        turn.session_ended = True
        if error.kind != "timeout" and self._session is not None:
            # Alexa tells the skill its response was unusable (a hung skill is not asked again).
            self._end_session(
                turn, "ERROR", quiet=True, error={"type": "INVALID_RESPONSE", "message": error.detail[:500]}
            )
        self._close()

    def _close(self) -> None:
        self._session = None
        self._active = None
        self._pending = None
        self._last_reprompt = None

    # -- the world around the conversation -----------------------------------------------------------
    def _on_clock(self, now: datetime) -> None:
        for fired in self.cloud.due_reminders(now):
            self.events.append(f"reminder from {fired.skill}: {fired.text}")

    def _collect_notifications(self, turn: Turn) -> None:
        failed = len(self.inbox.failures)
        for item in self.inbox.poll(self.clock.now()):
            message = f"chime: new notification from {item.source}"
            turn.events.append(message)
            self.events.append(message)
        for failure in self.inbox.failures[failed:]:
            turn.events.append(f"notifications unavailable: {failure}")
