"""People a caregiver or shopper speaks of: never a product said alone, never the child a log entry is for."""

from __future__ import annotations

import re

# A recogniser's nearest product to "wife" is wipes, and "her father gave her a bottle" is no child called Father.
PEOPLE = frozenset(
    {
        "wife",
        "husband",
        "partner",
        "mum",
        "mom",
        "mam",
        "mother",
        "dad",
        "father",
        "son",
        "daughter",
        "sister",
        "brother",
        "grandma",
        "grandpa",
        "granny",
        "nan",
        "nanny",
        "babysitter",
        "neighbour",
        "neighbor",
        "flatmate",
        "roommate",
    }
)
_POSSESSIVE = re.compile(r"'s$")
_DETERMINERS = frozenset({"the", "a", "my", "our", "her", "his", "their", "your"})


def only_people(said: str | None) -> bool:
    """Whether the words name only people of the household or around it ("my wife", "her father"), at most after a
    determiner."""
    words = [_POSSESSIVE.sub("", w.lower()) for w in (said or "").split()]
    words = [w for w in words if w not in _DETERMINERS]
    return bool(words) and all(w in PEOPLE for w in words)
