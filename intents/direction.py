"""Which way a turn or an intent goes: adding, beginning, raising, going on (+1), or taking away, ending,
lowering, going back (-1), from the words of intents/data/directions.yaml.

Sentence vectors place "start a walk" and "end the walk" side by side; an interaction model often has both (add
and remove, start and stop, next and previous). `intent_directions` reads each intent's samples and name once,
when the engine is built; `turn_direction` reads a turn; the confidence stage learns how much their agreement
counts (intents/confidence.py, feature "direction")."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from intents import yaml_text

_DATA = Path(__file__).parent / "data" / "directions.yaml"
_CAMEL = re.compile(r"[A-Z][a-z]+|[a-z]+")


def _forms(word: str) -> set[str]:
    """A base form with the inflections requests use: "stop" → stops, stopped, stopping; "save" → saved,
    saving; "finish" → finishes, finished."""
    forms = {word, word + "s", word + "es", word + "ed", word + "ing"}
    if word.endswith("e"):
        forms |= {word + "d", word[:-1] + "ing"}
    if len(word) >= 3 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou" and word[-3] not in "aeiou":
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}  # stop → stopped, drop → dropping
    return forms


@cache
def _words(locale: str) -> dict[str, int]:
    data = yaml_text.load(_DATA.read_text(encoding="utf-8")) or {}
    lists = data.get(locale) or data.get("en-US") or {}
    signs: dict[str, int] = {}
    for key, sign in (("plus", 1), ("minus", -1)):
        for word in lists.get(key) or []:
            for form in _forms(str(word).lower()):
                signs.setdefault(form, sign)
    return signs


def turn_direction(words: Sequence[str], locale: str = "en-US") -> int:
    """+1, -1, or 0 when the words go neither way or both ways as often."""
    signs = _words(locale)
    total = sum(signs.get(w, 0) for w in words)
    return (total > 0) - (total < 0)


def intent_directions(samples: Iterable[tuple[str, Sequence[str]]], locale: str = "en-US") -> dict[str, float]:
    """Each intent's direction in [-1, 1]: the mean of its samples' directions, its name counted as one more sample
    ("RemoveFavoriteIntent" goes down however its samples are worded)."""
    found: dict[str, list[int]] = {}
    for intent, words in samples:
        if intent not in found:
            name = [w.lower() for w in _CAMEL.findall(intent.removeprefix("AMAZON.")) if w != "Intent"]
            found[intent] = [turn_direction(name, locale)]
        found[intent].append(turn_direction(words, locale))
    return {intent: sum(signs) / len(signs) for intent, signs in found.items()}


def agreement(turn: int, intent: float) -> float:
    """How far the turn goes the intent's way: 1 the same way, -1 the other, 0 where either has no direction."""
    return turn * intent
