"""Reading slots defensively: what was said may be missing, empty, "?" or nonsense, never a crash."""

from __future__ import annotations

import re

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Intent

_WORD_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "single": 1,
    "two": 2,
    "a couple": 2,
    "couple": 2,
    "pair": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a dozen": 12,
    "dozen": 12,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "last": -1,
}
_ORDINAL_DIGITS = re.compile(r"^(\d+)(st|nd|rd|th)$")


def intent(handler_input: HandlerInput) -> Intent | None:
    return getattr(handler_input.request_envelope.request, "intent", None)


def text(handler_input: HandlerInput, name: str) -> str | None:
    """The words said for slot `name`, stripped; None when the slot is absent, empty or unrecognised ("?")."""
    current = intent(handler_input)
    slot = (current.slots or {}).get(name) if current is not None else None
    value = getattr(slot, "value", None)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if value and value != "?" else None


def number(handler_input: HandlerInput, name: str) -> int | None:
    """A whole number said for slot `name` ("3", "three", "a dozen", "the 2nd"), None if missing or not one.

    A number too big to be sensible is returned as it is: the caller says what the limit is."""
    return parse_number(text(handler_input, name))


def parse_number(value: str | None) -> int | None:
    if value is None:
        return None
    value = value.strip().lower()
    if value.startswith("the "):
        value = value[4:]
    value = value.removesuffix(" one")
    if value.isdigit():
        return int(value[:12])  # a hostile "999…9" stays a (huge) number, not a memory problem
    if value.startswith("-") and value[1:].isdigit():
        return -int(value[1:13])  # "minus three": a number, refused by the rule it breaks
    match = _ORDINAL_DIGITS.match(value)
    if match:
        return int(match.group(1)[:12])
    return _WORD_NUMBERS.get(value)


def is_empty(handler_input: HandlerInput, name: str) -> bool:
    return text(handler_input, name) is None


def option_number(handler_input: HandlerInput) -> int | None:
    """Which of the options read out was chosen: 1, 2, 3..., -1 for "the last one", None when unclear."""
    if text(handler_input, "position") is not None:
        return -1  # ListPosition has one value, "last" (and its synonyms)
    return number(handler_input, "option")


def chosen_index(handler_input: HandlerInput, count: int) -> int | None:
    """The 0-based index of the option chosen among `count` read out; None when no number was said or it
    is not one of them ("the fifth one" of three)."""
    chosen = option_number(handler_input)
    if chosen == -1:
        chosen = count
    return chosen - 1 if chosen is not None and 1 <= chosen <= count else None


# What a person says for the thing the conversation is about: "add it", "make that three", "the same".
REFERENCES = frozenset(
    {
        "it",
        "that",
        "this",
        "them",
        "they",  # "when would they get here", of the wipes just priced
        "those",
        "these",
        "that one",
        "this one",
        "the same",
        "the same thing",
        "same thing",
        "same",
        "one",
        "ones",  # "the same ones as last time"
        "the same ones",
        "same ones",
        "the usual ones",
        "usual ones",
    }
)


# Words of how many and in what, which name no product: "make that a couple of packs" is about the thing spoken of.
_COUNT_WORDS = frozenset("a an of the pack packs package packages box boxes bag bags case cases".split())


def refers_back(handler_input: HandlerInput, name: str) -> bool:
    """The slot is empty, says "it"/"that", or names only packs or boxes: it means what the conversation was
    about."""
    said = text(handler_input, name)
    if said is None or said.strip().lower() in REFERENCES:
        return True
    words = said.lower().split()
    return all(w in _COUNT_WORDS for w in words)


def resolved(handler_input: HandlerInput, name: str) -> str | None:
    """The id of the first successful resolution of slot `name`, else None."""
    current = intent(handler_input)
    slot = (current.slots or {}).get(name) if current is not None else None
    resolutions = getattr(slot, "resolutions", None)
    for authority in getattr(resolutions, "resolutions_per_authority", None) or []:
        status = getattr(getattr(authority, "status", None), "code", None)
        if getattr(status, "value", status) != "ER_SUCCESS_MATCH":
            continue
        for wrapper in authority.values or []:
            value = getattr(wrapper, "value", None)
            if value is not None:
                return value.id or value.name
    return None
