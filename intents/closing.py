"""Closings: is a turn the engine did not otherwise understand someone ending the conversation?

"Much appreciated, have a nice day", "cheers, that'll do", "okay thanks night": people close in more ways
than any model's AMAZON.StopIntent samples say, and a closing that falls back leaves the session open with
"Sorry, I didn't get that". A detector of the same kind as the consent detector (intents/consent.py: a
logistic regression over the sentence embedding and the words), learnt from intents/data/closings.yaml, is
asked only for a turn that would otherwise be AMAZON.FallbackIntent, and must be sure: a closing that also
asks for something ("thanks, and add wipes") is no closing.
"""

from __future__ import annotations

from pathlib import Path

from intents.consent import PhraseDetector, engine_detector

THRESHOLD = 0.95  # a request read as a closing ends the session: on the development sets, requests that
# mention the night ("find me a babysitter for friday night") reach 0.86-0.91; plain closings 0.96-1.0


class ClosingDetector(PhraseDetector):
    DATA = Path(__file__).parent / "data" / "closings.yaml"
    LABELS = ("closing", "not_closing")
    NAME = "closing"


def closing_detector(locale: str = "en-US") -> ClosingDetector:
    """The closing detector of this locale (one per process, reading turns as the engine reads them)."""
    return engine_detector(ClosingDetector, locale)
