"""The handlers every voicecart skill has: launch, help, stop, fallback, session end, and the apology."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name, is_request_type
from ask_sdk_model import Intent, IntentConfirmationStatus, Response, Slot, SlotConfirmationStatus
from ask_sdk_model.dialog import DynamicEntitiesDirective, ElicitSlotDirective
from ask_sdk_model.er.dynamic import EntityListItem, UpdateBehavior

from reorder.errors import BackendError
from skills.common import session
from skills.common.identity import household_id
from skills.common.respond import ask, tell
from skills.common.speech import escape
from skills.hosting.apology import apology_text

log = logging.getLogger(__name__)

WELCOME = "Welcome to voicecart. You can say: add paper towels, or reorder diapers. What would you like?"
HELP = (
    "You can add things to your cart, hear what's in it and check out. Say reorder and a product, or "
    "just reorder to hear what you usually buy. You can also ask where's my order, or cancel my order. "
    "What would you like to do?"
)
REPROMPT = "What would you like to do? You can say help to hear what I can do."
GOODBYE = "Okay. Goodbye."
FALLBACK = "Sorry, I can't help with that here. You can say help to hear what I can do. What would you like?"


EntitySource = Callable[[str], list[EntityListItem]]


class LaunchHandler(AbstractRequestHandler):
    """The welcome; it also hands language understanding the household's own names (buttons, children) as
    dynamic entities, so they are heard for the rest of the session."""

    def __init__(self, entity_sources: Sequence[EntitySource] = ()) -> None:
        self.entity_sources = list(entity_sources)

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        hh = household_id(handler_input) if self.entity_sources else None
        types: list[EntityListItem] = []
        for source in self.entity_sources if hh else ():
            try:
                types.extend(source(cast(str, hh)))  # the loop runs only with a household
            except BackendError:
                log.exception("dynamic entities unavailable; the welcome goes on without them")
        types = [t for t in types if t.values]
        if types:
            handler_input.response_builder.add_directive(
                DynamicEntitiesDirective(update_behavior=UpdateBehavior.REPLACE, types=types)
            )
        return ask(handler_input, WELCOME, REPROMPT)


def ask_again(handler_input: HandlerInput, lead: str, tail: str = "") -> Response | None:
    """The open question asked again after `lead`, and kept open; None when no question is open. A slot
    the last turn asked for ("Was it wet, dirty, or both?") is asked for again in the same dialog, so the
    answer still completes the request."""
    found = open_question(handler_input)
    if found is None:
        return None
    question, directive = found
    if directive is None:
        return ask(handler_input, f"{lead} {question}", question)
    return (
        handler_input.response_builder.speak(f"{lead} {question} {tail}".strip())
        .ask(question)
        .add_directive(directive)
        .response
    )


def open_question(handler_input: HandlerInput) -> tuple[str, ElicitSlotDirective | None] | None:
    """The question the last turn left open, kept open for one more turn: a pending action's question, or a slot
    asked for with the Dialog.ElicitSlot that asks for it again; None when nothing is open."""
    question = session.pending_question(handler_input)
    if question:
        session.keep_pending(handler_input)
        return question, None
    open_slot = session.eliciting(handler_input)
    if open_slot is None:
        return None
    names = {str(n) for n in open_slot.get("slots") or {}} | {str(open_slot["slot"])}
    values = open_slot.get("slots") or {}
    intent = Intent(
        name=str(open_slot["intent"]),
        confirmation_status=IntentConfirmationStatus.NONE,
        slots={n: Slot(name=n, value=values.get(n), confirmation_status=SlotConfirmationStatus.NONE) for n in names},
    )
    return str(open_slot["question"]), ElicitSlotDirective(updated_intent=intent, slot_to_elicit=str(open_slot["slot"]))


class PendingAnswerHandler(AbstractRequestHandler):
    """Takes its `intent_names` only while the session waits on one of its `kinds` of question, so an
    answer meant for another capability's question (a button's code, a shopping choice) is never taken."""

    intent_names: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    def __init__(self, ctx: object) -> None:
        self.ctx = ctx

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not any(is_intent_name(name)(handler_input) for name in self.intent_names):
            return False
        pending = session.pending(handler_input)
        return pending is not None and pending.get("kind") in self.kinds


class HelpHandler(AbstractRequestHandler):
    intent_names = ("AMAZON.HelpIntent",)
    text = HELP

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.HelpIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        # Help with the question on the table, which stays open.
        return ask_again(handler_input, "You can answer my question, or say stop to leave it.") or ask(
            handler_input, self.text, REPROMPT
        )


class StopHandler(AbstractRequestHandler):
    """Stop and cancel end the conversation and drop anything waiting for a yes: nothing is ordered."""

    intent_names = ("AMAZON.StopIntent", "AMAZON.CancelIntent")

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.StopIntent")(handler_input) or is_intent_name("AMAZON.CancelIntent")(
            handler_input
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        pending = session.pending(handler_input)
        session.clear_pending(handler_input)
        if pending is None:
            return tell(handler_input, GOODBYE)
        # What stopping leaves as it was, said by the action that asked ("your order stays as it is" when
        # the question was whether to cancel one); by default, what was waiting for a yes was an order.
        on_stop = pending.get("on_stop")
        if not isinstance(on_stop, str):
            on_stop = f"Okay, {session.nothing_ordered(handler_input)}."
        return tell(handler_input, f"{on_stop} Goodbye.")


def replay_answer(handler_input: HandlerInput, answer: dict, lead: str = "", *, drop_newest: bool = False) -> Response:
    """Say a remembered answer again and reopen what it left open: its pending question, or the slot it
    asked for (so the reply still completes that request)."""
    session.replay(handler_input, answer, drop_newest=drop_newest)
    text = f"{lead} {answer['speech']}".strip()
    builder = handler_input.response_builder.speak(text).ask(str(answer.get("reprompt") or REPROMPT))
    open_slot = answer.get("eliciting")
    if isinstance(open_slot, dict) and open_slot.get("intent") and open_slot.get("slot"):
        values = open_slot.get("slots") or {}
        names = {str(n) for n in values} | {str(open_slot["slot"])}
        intent = Intent(
            name=str(open_slot["intent"]),
            confirmation_status=IntentConfirmationStatus.NONE,
            slots={
                n: Slot(name=n, value=values.get(n), confirmation_status=SlotConfirmationStatus.NONE) for n in names
            },
        )
        builder.add_directive(ElicitSlotDirective(updated_intent=intent, slot_to_elicit=str(open_slot["slot"])))
    return builder.response


class RepeatHandler(AbstractRequestHandler):
    """ "What?", "say that again": the last answer again, with its question still open."""

    intent_names = ("AMAZON.RepeatIntent",)

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.RepeatIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        said = session.answers(handler_input)
        if not said:
            return ask(handler_input, f"I haven't said anything yet. {REPROMPT}", REPROMPT)
        return replay_answer(handler_input, said[-1])


MAX_SPOKEN_WORDS = 40  # one breath (the Alexa design guidance; bench/persona_bench.py holds answers to it)


class PreviousHandler(AbstractRequestHandler):
    """ "Go back": the answer before the last one again, with the question it asked open again."""

    intent_names = ("AMAZON.PreviousIntent",)

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.PreviousIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        said = session.answers(handler_input)
        if len(said) < 2:
            session.clear_open_questions(handler_input)
            return ask(handler_input, f"There's nothing before this to go back to. {REPROMPT}", REPROMPT)
        earlier = said[-2]
        # Said as what was said before, so "Added one pack of wipes" is not heard as a second pack added now;
        # an answer too long to repeat within a breath comes back as its question only.
        lead = "Okay, back to what I said before:"
        if len(f"{lead} {earlier['speech']}".split()) > MAX_SPOKEN_WORDS:
            earlier = {**earlier, "speech": str(earlier.get("reprompt") or REPROMPT)}
            lead = "Okay, back to that."
        return replay_answer(handler_input, earlier, lead, drop_newest=True)


class StartOverHandler(AbstractRequestHandler):
    """ "Start over": whatever was waiting for an answer is dropped (nothing is ordered); the session stays."""

    intent_names = ("AMAZON.StartOverIntent",)

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.StartOverIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        was_pending = session.pending(handler_input) is not None
        session.clear_open_questions(handler_input)
        session.forget_answers(handler_input)
        lead = (
            f"Okay, {session.nothing_ordered(handler_input)}. Let's start over."
            if was_pending
            else "Okay, let's start over."
        )
        return ask(handler_input, f"{lead} What would you like to do?", REPROMPT)


class NavigateHomeHandler(AbstractRequestHandler):
    intent_names = ("AMAZON.NavigateHomeIntent",)

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.NavigateHomeIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        session.clear_pending(handler_input)
        return tell(handler_input, GOODBYE)


class SessionEndedHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        reason = getattr(handler_input.request_envelope.request, "reason", None)
        log.debug("session ended: %s", reason)
        return handler_input.response_builder.response


@dataclass(frozen=True)
class Place:
    """A part of the skill a person can be in: its intents, a request to try there, example answers."""

    intents: frozenset[str]
    example: str
    slot_examples: Mapping[str, str] = field(default_factory=dict)


class FallbackHandler(AbstractRequestHandler):
    """The fallback intent, and anything no other handler took (an intent from another skill version).
    With `places`, it offers an example that fits where the person is: an answer to the slot being asked
    for, a request of the part of the skill they last used, or at launch the first place's."""

    def __init__(self, places: Sequence[Place] = ()) -> None:
        self.places = [p for p in places if p.example]

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def _place(self, intent: str | None) -> Place | None:
        found = [p for p in self.places if intent and intent in p.intents]
        return found[0] if found else (self.places[0] if self.places else None)

    def handle(self, handler_input: HandlerInput) -> Response:
        # "Pardon?" after this answer asks for the last one that said something (and reopens its question).
        session.not_understood(handler_input)
        open_slot = session.eliciting(handler_input)
        lead = "Sorry, I didn't get that."
        if open_slot is not None and session.pending_question(handler_input) is None:
            place = self._place(str(open_slot.get("intent") or ""))
            answer = place.slot_examples.get(str(open_slot.get("slot"))) if place else None
            if answer:
                # Said after the question, so the last words heard are how to answer it.
                return cast(Response, ask_again(handler_input, lead, f"For example, say {escape(answer)}."))
        # A misheard answer: the question is asked again rather than dropped.
        again = ask_again(handler_input, lead)
        if again is not None:
            return again
        place = self._place(session.last_intent(handler_input))
        if place is None:
            return ask(handler_input, FALLBACK, REPROMPT)
        return ask(
            handler_input,
            f"Sorry, I can't help with that. You can say, for example, {escape(place.example)}.",
            REPROMPT,
        )


class UnexpectedYesNoHandler(AbstractRequestHandler):
    """A yes or no when no question is open (or the session that asked it has ended)."""

    intent_names = ("AMAZON.YesIntent", "AMAZON.NoIntent")

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.YesIntent")(handler_input) or is_intent_name("AMAZON.NoIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        if is_intent_name("AMAZON.NoIntent")(handler_input):
            # Most turns end on "Anything else?": a no with nothing else open means the person is done.
            return tell(handler_input, "Okay. Nothing else was ordered. Goodbye.")
        # A yes that answers nothing open (perhaps an order question from turns ago): say plainly it did nothing,
        # without denying an order this session did place.
        return ask(
            handler_input,
            f"There's no question waiting for a yes right now, so {session.nothing_ordered(handler_input)}. "
            "What would you like to do?",
            REPROMPT,
        )


class BackendErrorHandler(AbstractExceptionHandler):
    """A rule of the order backend refused: its message is written for people, so say it."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return isinstance(exception, BackendError)

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        assert isinstance(exception, BackendError)
        session.clear_open_questions(handler_input)  # response interceptors do not run after an exception
        return ask(handler_input, f"{escape(exception.message)} What would you like to do?", REPROMPT)


class ApologyHandler(AbstractExceptionHandler):
    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        log.exception("skill handler failed", exc_info=exception)
        locale = getattr(handler_input.request_envelope.request, "locale", None)
        return tell(handler_input, apology_text(locale))


def leading_handlers(entity_sources: Sequence[EntitySource] = ()) -> list[AbstractRequestHandler]:
    """Before any capability's handlers: nothing a capability says should shadow these."""
    return [LaunchHandler(entity_sources), SessionEndedHandler()]


def trailing_handlers(places: Sequence[Place] = ()) -> list[AbstractRequestHandler]:
    """After the capabilities (which may handle help or stop in their own context first)."""
    return [
        HelpHandler(),
        StopHandler(),
        RepeatHandler(),
        PreviousHandler(),
        StartOverHandler(),
        NavigateHomeHandler(),
        UnexpectedYesNoHandler(),
        FallbackHandler(places),
    ]


def exception_handlers() -> list[AbstractExceptionHandler]:
    return [BackendErrorHandler(), ApologyHandler()]
