"""Splitting what a person said to the speaker into the wake word, the skill they named and the rest.

"alexa, open tea timer"             -> launch "tea timer"
"alexa, ask tea timer to brew green" -> one-shot "brew green" for "tea timer"
"alexa, brew green using tea timer"  -> one-shot as above
"alexa, reorder diapers"             -> name-free "reorder diapers" (the default skill decides)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from device_sim.locales import ENGLISH, language_for

LAUNCH, ONE_SHOT, NAME_FREE = "launch", "one_shot", "name_free"

WAKE = re.compile(r"^\s*(?:(?:alexa|echo|computer|amazon|ziggy)\b|アレクサ)[\s,.!:;、。-]*", re.IGNORECASE)
# A greeting said before or after the wake word ("good morning alexa, open tea timer"): the speaker listens
# from the wake word on, and a greeting after it opens nothing.
GREETING = re.compile(
    r"^\s*(?:(?:oh|well|um|uh)[\s,]+)?(?:good (?:morning|afternoon|evening|day)|morning|hello|hi|hey|hiya|howdy)"
    r"(?: there)?[\s,.!:;-]*(?=\S)",
    re.IGNORECASE,
)
# A polite request around a launch, as Alexa hears it: "would you be so kind as to open tea timer, please".
POLITE_LEAD = re.compile(
    r"^(?:would you be so kind as to|would you kindly|would you mind|i'd like you to|i would like you to|"
    r"could you(?: please)?|can you(?: please)?|would you(?: please)?|please|kindly)\s+",
    re.IGNORECASE,
)
POLITE_TAIL = re.compile(r"(?:,?\s+(?:please|thank you|thanks))+$", re.IGNORECASE)


@dataclass
class Heard:
    kind: str  # LAUNCH, ONE_SHOT or NAME_FREE
    text: str  # what is left for the skill's language model
    invocation: str | None  # the skill named, if any
    woke: bool  # the wake word was said


def hear(utterance: str, invocation_names: list[str], locale: str = "en-US") -> Heard:
    """Launch and one-shot phrases of the device's locale (device_sim.locales), then English ones."""
    text = utterance.strip()
    greeted = GREETING.match(text)
    if greeted and WAKE.match(text[greeted.end() :]):
        text = text[greeted.end() :]
    wake = WAKE.match(text)
    woke = bool(wake)
    if wake:
        text = text[wake.end() :]
    text = text.strip().strip(".!?。！？").strip()
    greeted = GREETING.match(text)
    if greeted and _names_a_skill(text[greeted.end() :], invocation_names):
        text = text[greeted.end() :]
    if POLITE_LEAD.match(text):
        text = POLITE_LEAD.sub("", text, count=1)
    if _names_a_skill(text, invocation_names):
        text = POLITE_TAIL.sub("", text)
    lowered = text.lower()
    languages = [language_for(locale)]
    if languages[0] is not ENGLISH:
        languages.append(ENGLISH)
    # Longest names first so "tea timer pro" wins over "tea timer".
    for name in sorted(invocation_names, key=len, reverse=True):
        escaped = re.escape(name.lower())
        for language in languages:
            for pattern in language.launch:
                if re.fullmatch(pattern.format(name=escaped), lowered):
                    return Heard(LAUNCH, "", name, woke)
            for pattern in language.one_shot:
                found = re.fullmatch(pattern.format(name=escaped, rest="(?P<rest>.+?)"), lowered)
                if found:
                    start, end = found.span("rest")
                    return Heard(ONE_SHOT, text[start:end].strip(), name, woke)
    return Heard(NAME_FREE, text, None, woke)


def _names_a_skill(text: str, invocation_names: list[str]) -> bool:
    lowered = text.lower()
    return any(name.lower() in lowered for name in invocation_names)
