"""Cross-cutting request work: a log line per request and response, without anyone's words in it, and the
end of a pending question's life (see skills.common.session)."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor, AbstractResponseInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name, get_request_type
from ask_sdk_model import Response
from ask_sdk_model.ui import Reprompt, SsmlOutputSpeech

from skills.common import session
from skills.common.context import begin_turn, end_turn
from skills.common.handlers import open_question

log = logging.getLogger("skills.requests")


class TurnScope(AbstractRequestInterceptor):
    """Marks the start of a voice turn on this thread: what the product resolver scores is kept for the turn
    (skills.common.context._TurnResolver), and dropped when the next turn starts."""

    def process(self, handler_input: HandlerInput) -> None:
        begin_turn()


class TurnEnd(AbstractResponseInterceptor):
    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        end_turn()


class RequestLogger(AbstractRequestInterceptor):
    def process(self, handler_input: HandlerInput) -> None:
        if not log.isEnabledFor(logging.DEBUG):  # every turn passes here: cost nothing when not logging
            return
        request_type = get_request_type(handler_input)
        if request_type == "IntentRequest":
            log.debug("request %s %s", request_type, get_intent_name(handler_input))
        else:
            log.debug("request %s", request_type)


class ResponseLogger(AbstractResponseInterceptor):
    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        if not log.isEnabledFor(logging.DEBUG):
            return
        ended = getattr(response, "should_end_session", None) if response is not None else None
        log.debug("response end_session=%s", ended)


# Questions that only read (a price, an order's day, the log's counts, the buttons): asked while a question of the
# skill's waits ("Should I place the order?", "How many ounces was the bottle?"), they are answered and the
# waiting question is asked again, still open: "how much is shipping?" during a read-back neither orders nor
# drops the order. Requests that change something, and questions that open one of their own, are not here.
SIDE_QUESTIONS = frozenset(
    {
        "PriceQueryIntent",
        "OrderStatusIntent",
        "SupplyQueryIntent",
        "LastEventQueryIntent",
        "SleepDurationQueryIntent",
        "CountTodayQueryIntent",
        "IntakeTodayQueryIntent",
        "DailySummaryIntent",
        "FormulaMixIntent",
        "ListRemindersIntent",
        "ListButtonsIntent",
    }
)
_PLAIN_END = "Anything else?"


class OpenQuestionKept(AbstractResponseInterceptor):
    """After a side question's plain answer (it ends "Anything else?" and asks nothing of its own), the question
    the skill was waiting on is asked again in place of "Anything else?", and stays open. Runs before
    `PendingLapse`, which would let it lapse."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        if response is None or getattr(response, "should_end_session", None) or response.directives:
            return
        if get_request_type(handler_input) != "IntentRequest" or get_intent_name(handler_input) not in SIDE_QUESTIONS:
            return
        spoken = getattr(getattr(response, "output_speech", None), "ssml", None)
        if not isinstance(spoken, str):
            return
        said = spoken.removeprefix("<speak>").removesuffix("</speak>").strip()
        if not said.endswith(_PLAIN_END) or session.pending_kept(handler_input):
            return
        found = open_question(handler_input)
        if found is None:
            return
        question, directive = found
        answer = said.removesuffix(_PLAIN_END).strip()
        asked = _within_budget(answer, question)
        response.output_speech = SsmlOutputSpeech(ssml=f"<speak>{answer} {asked}</speak>")
        response.reprompt = Reprompt(output_speech=SsmlOutputSpeech(ssml=f"<speak>{question}</speak>"))
        if directive is not None:
            response.directives = [directive]


# An answer is kept to forty words (tests/personas, bench/persona_bench.py). The question asked again after a side
# answer is the full one where it fits ("Should I order one pack of ... for 24 dollars and 70 cents? Please say yes
# or no."), and its short form where it does not: the full one was heard a turn ago and is the reprompt still.
_ANSWER_WORDS = 40


def _within_budget(answer: str, question: str) -> str:
    words = len(answer.split())
    if words + len(question.split()) <= _ANSWER_WORDS:
        return question
    first = question.split("?")[0].strip() + "?" if "?" in question else question
    if words + len(first.split()) <= _ANSWER_WORDS:
        return first
    opening = first.split()[0].lower() if first.split() else ""
    if opening in ("should", "shall"):
        return "Still go ahead?"
    if opening == "which":
        return "Which one?"
    return first


class PendingLapse(AbstractResponseInterceptor):
    """A question the skill asked is answered on the next turn or not at all."""

    def process(self, handler_input: HandlerInput, response: Response | None) -> None:
        if getattr(response, "should_end_session", None):
            return  # the session's attributes go with it
        reprompt = getattr(getattr(getattr(response, "reprompt", None), "output_speech", None), "ssml", None)
        question = None
        if isinstance(reprompt, str):
            question = reprompt.removeprefix("<speak>").removesuffix("</speak>").strip() or None
        session.end_of_turn(handler_input, question, _elicited(response))
        if get_request_type(handler_input) == "IntentRequest":
            session.remember_intent(handler_input, str(get_intent_name(handler_input)))
        spoken = getattr(getattr(response, "output_speech", None), "ssml", None)
        if isinstance(spoken, str):
            session.remember_answer(
                handler_input, spoken.removeprefix("<speak>").removesuffix("</speak>").strip(), question
            )


def _elicited(response: Response | None) -> dict | None:
    """The intent and slot a Dialog.ElicitSlot in `response` asks for, JSON-safe."""
    for directive in getattr(response, "directives", None) or ():
        if getattr(directive, "object_type", None) != "Dialog.ElicitSlot":
            continue
        intent = getattr(directive, "updated_intent", None)
        if intent is None or not getattr(intent, "name", None):
            return None
        values = {
            name: slot.value
            for name, slot in (intent.slots or {}).items()
            if slot is not None and slot.value is not None
        }
        return {"intent": intent.name, "slots": values, "slot": directive.slot_to_elicit}
    return None
