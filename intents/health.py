"""Health questions and emergencies about a child that no sample of a model's medical-question intent says.

A parent asking "how many mls of infant tylenol for a six month old" or saying "help my baby swallowed a
button battery" must hear a pointer to the pediatrician or to 911, whatever words they use; a turn that falls
back hears neither (AMAZON.FallbackIntent carries no words for the skill to read). Where a model has an intent
for such questions (`INTENT`), a detector of the same kind as the consent and closing detectors
(intents/consent.py: a logistic regression over the sentence embedding and the words), learnt from
intents/data/health.yaml, is asked for a turn that would otherwise fall back; sure, the turn is that intent
with the whole turn as its free-text slot, for the skill's safety step to read. All but certain (CERTAIN),
it is that intent whatever else the words aligned with: an emergency is never logged as a note. Logging a
dose that was given ("log two point five ml of tylenol"), buying medicine and asking the log are not health
questions.
"""

from __future__ import annotations

from pathlib import Path

from intents.consent import PhraseDetector, engine_detector

INTENT = "MedicalQuestionIntent"  # the intent a model asks health questions with, where it has one
THRESHOLD = 0.85  # on the development sets 0.85-0.90 give the same right answers; the lower for safety: a question
# about a child that falls back and hears the pediatrician pointer costs less than an emergency that does not


# All but certain: the turn is the health question whatever else its words aligned with (a note, a log).
CERTAIN = 0.95


class HealthDetector(PhraseDetector):
    DATA = Path(__file__).parent / "data" / "health.yaml"
    LABELS = ("health", "not_health")
    NAME = "health"


def health_detector(locale: str = "en-US") -> HealthDetector:
    """The health detector of this locale (one per process, reading turns as the engine reads them)."""
    return engine_detector(HealthDetector, locale)
