"""Reading baby-care slots: resolved ids, spoken amounts, ISO-8601 durations, the child meant, the time meant."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import cache

from ask_sdk_core.handler_input import HandlerInput

from reorder.domain.babylog import spoken_time
from reorder.errors import InvalidInput
from skills.common import slots
from skills.common.people import only_people
from skills.common.slots import resolved

# ChildName values that name no one in particular ("the baby", "my daughter"): the only child is meant.
GENERIC_CHILD = {"baby", "son", "daughter", "the baby", "her", "him", "she", "he"}
# Words for a child in general, in the world's Englishes ("the wean", "di pickney", "the little one"): with at most a
# determiner before them they name no one in particular either.
_CHILD_WORDS = frozenset(
    {"baby", "babe", "bub", "bubs", "bubba", "bairn", "wean", "pickney", "kiddo", "kid", "infant", "son", "daughter"}
    | {"little", "one", "lo", "newborn", "munchkin"}
    # "that young one", "the young'un", "the wee one", "the tot" (Appalachian, Scottish and Irish English).
    | {"young", "youngun", "young'un", "wee", "tot", "little'un"}
)
_DETERMINERS = frozenset({"the", "a", "my", "our", "di", "de", "me", "mi", "this", "that"})


def _generic(said: str) -> bool:
    words = said.lower().split()
    while words and words[0] in _DETERMINERS:
        words = words[1:]
    return bool(words) and all(w in _CHILD_WORDS for w in words) and words != ["one"]


_PRONOUNS = frozenset({"she", "he", "her", "him", "she's", "he's", "herself", "himself"})
_DURATION = re.compile(r"^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


# Unit words as said, for when entity resolution did not map them to the slot type's ids.
UNIT_WORDS = {
    "ounce": "oz",
    "ounces": "oz",
    "oz": "oz",
    "milliliter": "ml",
    "milliliters": "ml",
    "mls": "ml",
    "ml": "ml",
    "cup": "cup",
    "cups": "cup",
    "pound": "lb",
    "pounds": "lb",
    "lbs": "lb",
    "lb": "lb",
    "kilogram": "kg",
    "kilograms": "kg",
    "kilos": "kg",
    "kg": "kg",
    "gram": "g",
    "grams": "g",
    "inch": "in",
    "inches": "in",
    "centimeter": "cm",
    "centimeters": "cm",
    "cm": "cm",
}


# The event kind a few words mean when entity resolution did not map them ("wet ones", "poopy ones", "his
# bottles"): the first word found decides, a diaper's kind before a diaper.
KIND_WORDS = {
    "wet": "wet_diaper",
    "pee": "wet_diaper",
    "dirty": "dirty_diaper",
    "poopy": "dirty_diaper",
    "poop": "dirty_diaper",
    "messy": "dirty_diaper",
    "diaper": "diaper",
    "diapers": "diaper",
    "nappy": "diaper",
    "nappies": "diaper",
    "bottle": "bottle",
    "bottles": "bottle",
    "feed": "feeding",
    "feeds": "feeding",
    "feeding": "feeding",
    "feedings": "feeding",
    "nap": "sleep",
    "naps": "sleep",
    "sleep": "sleep",
    "medicine": "medicine",
    "meds": "medicine",
    "dose": "medicine",
    "doses": "medicine",
    # "The last thing on her log", "the last entry": whatever was logged last.
    "thing": "entry",
    "entry": "entry",
    "log": "entry",
}


def event_kind(handler_input: HandlerInput, name: str = "eventKind") -> str | None:
    """The BabyEventKind id of the slot: resolved, or read from its words (`KIND_WORDS`), or the words as said."""
    kind = choice(handler_input, name)
    if kind is None or resolved(handler_input, name):
        return kind
    words = kind.split()
    for priority in (("wet_diaper", "dirty_diaper"), tuple(set(KIND_WORDS.values()))):
        found = next((KIND_WORDS[w] for w in words if KIND_WORDS.get(w) in priority), None)
        if found:
            return found
    return kind


def choice(handler_input: HandlerInput, name: str) -> str | None:
    """A custom slot's resolved id, or the words said (unit words mapped to their ids) when it did not resolve."""
    found = resolved(handler_input, name)
    if found:
        return found
    said = slots.text(handler_input, name)
    if not said:
        return None
    said = " ".join(said.lower().split())
    return UNIT_WORDS.get(said, said) if name.endswith("Unit") else said


def amount(handler_input: HandlerInput, name: str) -> float | None:
    """A spoken amount: "4", "four", "2.5"; None when missing; InvalidInput when it is not a number."""
    said = slots.text(handler_input, name)
    if said is None:
        return None
    whole = slots.parse_number(said)
    if whole is not None:
        return float(whole)
    try:
        value = float(said)
    except ValueError:
        raise InvalidInput(f"I didn't catch a number in {said!r}.") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InvalidInput("That isn't an amount I can log.")
    return value


def duration(handler_input: HandlerInput, name: str) -> timedelta | None:
    said = slots.text(handler_input, name)
    return parse_duration(said) if said else None


def parse_duration(value: str) -> timedelta:
    """AMAZON.DURATION values ("PT20M", "PT2H10M", "P1D", "P2W" for "in two weeks"); InvalidInput for anything
    else."""
    match = _DURATION.match(value.strip().upper())
    if not match or not any(match.groups()):
        raise InvalidInput("I didn't understand how long that was.")
    weeks, days, hours, minutes, seconds = (int(g[:6]) if g else 0 for g in match.groups())
    return timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)


def names_someone(said: str) -> bool:
    """Whether words said for a child could be a name. No name starts with "she": the recogniser ran the pronoun and
    what she did together ("she went back down about twenty minutes ago" had been asked about a child called "She
    went"). The child spoken about is meant."""
    words = said.lower().split()
    return bool(words) and words[0] not in _PRONOUNS


def child(handler_input: HandlerInput) -> str | None:
    """The child named (its id when resolved), or None for "the baby", "her" or no name at all (the only child
    is then meant)."""
    said = slots.text(handler_input, "child")
    if said is None:
        return None
    said = " ".join(said.split())
    found = resolved(handler_input, "child") or ""
    if (
        said.lower() in GENERIC_CHILD
        or found in GENERIC_CHILD
        or _generic(said)
        or (not found and only_people(said))  # "her father gave her a bottle": who gave it, not a child "Father"
        or not (found or names_someone(said))
    ):
        return None
    # Beyond the generic words, ChildName values are the household's children as dynamic entities whose id is
    # the child's id: "mya" resolved to Maya is Maya, where the words alone name no one.
    return found or said


def when(handler_input: HandlerInput, now: datetime, tz) -> datetime:  # noqa: ANN001 - a tzinfo
    """The moment meant by the `time` ("at 3 p.m.") or `ago` ("20 minutes ago") slot, else now."""
    ago = duration(handler_input, "ago")
    return spoken_time(now, tz, slots.text(handler_input, "time"), ago)


@cache
def _medicine_names() -> dict[str, str]:
    """Each way the interaction model names a medicine ("infant motrin"), by the medicine's id (ibuprofen)."""
    return dict(_listed_phrases("MedicineName"))


@cache
def _listed_phrases(type_name: str) -> tuple[tuple[str, str], ...]:
    """Each value and synonym of a custom type of the interaction model, with its id, longest first."""
    from intents.model import load_model

    types = load_model("en-US")["interactionModel"]["languageModel"]["types"]
    found: list[tuple[str, str]] = []
    for value in next((t["values"] for t in types if t["name"] == type_name), []):
        name = value.get("name") or {}
        for said in [name.get("value"), *(name.get("synonyms") or [])]:
            if said:
                found.append((" ".join(str(said).lower().split()), str(value.get("id") or name.get("value"))))
    return tuple(sorted(found, key=lambda pair: -len(pair[0])))


def _held(type_name: str, said: str) -> list[str]:
    """The ids of the type's values whose phrases the words hold whole, longest phrase first."""
    words = f" {' '.join(said.lower().split())} "
    return [value_id for phrase, value_id in _listed_phrases(type_name) if f" {phrase} " in words]


def listed_within(type_name: str, said: str) -> str | None:
    """The id of the type's value whose phrase the words hold whole, when every phrase they hold is of that one
    value ("went down for her nap" holds "went down": fell asleep); None when none is held, or two values are."""
    ids = set(_held(type_name, said))
    return next(iter(ids)) if len(ids) == 1 else None


def longest_listed(type_name: str, said: str) -> str | None:
    """The id of the type's value whose longest phrase the words hold whole ("breast milk" is breast milk, though it
    holds "milk" too), or None."""
    return next(iter(_held(type_name, said)), None)


def medicine_id(logged: str) -> str | None:
    """The id of the medicine a logged name is ("infant tylenol, 2.5 ml" is acetaminophen), or None."""
    words = logged.lower()
    found = [(len(said), mid) for said, mid in _medicine_names().items() if said in words]
    return max(found)[1] if found else None
