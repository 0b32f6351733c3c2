"""Safety first: an emergency or a dose question is referred, whatever intent the words were heard as.

Why a step before every handler, reading the words of every slot, rather than one handler per intent: the
language layer hears these sentences as whatever they resemble ("my baby swallowed a button battery" as
making a button called "swallowed"; "she won't wake up" as a sleep log), and the handler of that intent
would then log, order or ask a sleep question. A person describing an emergency must hear 911 first and a
dose question must reach the pediatrician, with nothing written; that cannot depend on which intent won.
Alexa sends the skill only the intent and its slots, never the whole sentence, so this step reads what the
slots carry; a sentence heard as the fallback intent carries no words and needs the interaction model's
medical samples instead. The words are data (`safety_words.json`), chosen so that no product name or
ordinary log entry matches them.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import IntentRequest, Response

from reorder.services.babycare import EMERGENCY_REFERRAL, MEDICAL_REFERRAL
from skills.common import session
from skills.common.respond import ask

_WORDS = Path(__file__).with_name("safety_words.json")
EMERGENCY = "emergency"
MEDICAL = "medical"
# The medical question intent already refers every question; it is overruled only for an emergency.
_REFERS_ALREADY = "MedicalQuestionIntent"
_REPROMPT = "If this is an emergency, call 9 1 1."


NOT_FOR_CHILDREN = "not_for_children"


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    data = json.loads(_WORDS.read_text(encoding="utf-8"))
    return {
        tier: re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in data[tier]) + r")\b", re.IGNORECASE)
        for tier in (EMERGENCY, MEDICAL, NOT_FOR_CHILDREN)
    }


def classify(words: str) -> str | None:
    """EMERGENCY, MEDICAL or None for the words a request carried."""
    text = " ".join(words.replace("’", "'").split())
    for tier in (EMERGENCY, MEDICAL):
        if _patterns()[tier].search(text):
            return tier
    return None


def not_for_children(medicine: str) -> bool:
    """A medicine a baby is not given without a doctor (aspirin): logging or asking about it is referred."""
    return bool(_patterns()[NOT_FOR_CHILDREN].search(" ".join(medicine.split())))


def said_words(handler_input: HandlerInput) -> str:
    """The words of every slot of an intent request, as heard (empty for any other request)."""
    request = handler_input.request_envelope.request
    if not isinstance(request, IntentRequest) or request.intent is None:
        return ""
    return " ".join(str(slot.value) for slot in (request.intent.slots or {}).values() if slot and slot.value)


def _intent_name(handler_input: HandlerInput) -> str:
    return str(getattr(getattr(handler_input.request_envelope.request, "intent", None), "name", None) or "")


def _tier(handler_input: HandlerInput) -> str | None:
    words = said_words(handler_input)
    if not words:
        return None
    tier = classify(words)
    if tier is None:
        slots = getattr(getattr(handler_input.request_envelope.request, "intent", None), "slots", None) or {}
        # The medicine's name, or the dose said about it when the name was heard there ("i gave her some baby
        # aspirin": "baby" is a child's word, so the words went to the dose): both are said about the medicine.
        said = [getattr(slots.get(name), "value", None) for name in ("medicine", "dose")]
        tier = MEDICAL if any(isinstance(w, str) and not_for_children(w) for w in said) else None
    if tier == MEDICAL and _intent_name(handler_input) == _REFERS_ALREADY:
        return None
    return tier


class SafetyReferralHandler(AbstractRequestHandler):
    """Tried before every capability's handlers (it declares no intents, so dispatch asks it every time)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _tier(handler_input) is not None

    def handle(self, handler_input: HandlerInput) -> Response:
        tier = _tier(handler_input)
        # Whatever was waiting for an answer is dropped: nothing is ordered or logged on this turn.
        session.clear_open_questions(handler_input)
        speech = EMERGENCY_REFERRAL if tier == EMERGENCY else MEDICAL_REFERRAL
        if tier == MEDICAL and _intent_name(handler_input).startswith("Log"):
            speech += " I didn't log it."  # it was heard as something to log: say plainly that it was not
        return ask(handler_input, speech, _REPROMPT)
