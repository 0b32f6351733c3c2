"""What the semantic classifier of an interaction model learns from: its samples, filled with values.

An interaction model is the training data (as in Snips and Rasa): every sample utterance is written out
with its {slots} filled from the slot's own type (a custom type's values and synonyms, a few spoken
values of a built-in type), so "add {quantity} {product}" teaches "add two paper towels". The
out-of-domain sentences of intents/data/out_of_domain.yaml teach AMAZON.FallbackIntent, less those
close to the model's own samples: a timer skill's "set a timer" is not another domain's request there.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from intents import yaml_text

_OUT_OF_DOMAIN = Path(__file__).parent / "data" / "out_of_domain.yaml"
_PARAPHRASES = Path(__file__).parent / "data" / "paraphrases.yaml"
_PHRASINGS = Path(__file__).parent / "data" / "phrasings.yaml"
PARAPHRASES_PER_SAMPLE = 3
_SLOT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

# A few values of each built-in type, as people say them: enough for a sample to read as a sentence.
BUILTIN_FILLERS: dict[str, tuple[str, ...]] = {
    "AMAZON.NUMBER": ("two", "five", "three", "ten"),
    "AMAZON.FOUR_DIGIT_NUMBER": ("one two three four", "four four one two"),
    "AMAZON.DURATION": ("ten minutes", "two hours", "half an hour"),
    "AMAZON.TIME": ("three pm", "seven thirty", "noon"),
    "AMAZON.DATE": ("tomorrow", "monday", "next week"),
    "AMAZON.FirstName": ("emma", "max", "olivia"),
    "AMAZON.US_FIRST_NAME": ("emma", "max", "olivia"),
    "AMAZON.SearchQuery": ("something", "the usual thing"),
    "AMAZON.Ordinal": ("first", "second"),
    "AMAZON.City": ("boston", "seattle"),
    "AMAZON.US_CITY": ("boston", "seattle"),
    "AMAZON.Color": ("blue", "red"),
}
FILLS_PER_SAMPLE = 6


def type_fillers(slot_type: str, custom_values: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """Spoken values to fill a slot of this type with."""
    if slot_type in custom_values and custom_values[slot_type]:
        return tuple(custom_values[slot_type])
    if slot_type in BUILTIN_FILLERS:
        return BUILTIN_FILLERS[slot_type]
    # Another built-in list type (AMAZON.Animal, AMAZON.Food...): its own name reads as a plausible value.
    word = slot_type.split(".")[-1].replace("_", " ").lower()
    return (word,)


def custom_values(types: Iterable[dict[str, Any]]) -> dict[str, list[str]]:
    """Every value and synonym of each custom type, in the model's order."""
    out: dict[str, list[str]] = {}
    for t in types:
        words: list[str] = []
        for v in t.get("values") or []:
            name = v.get("name") or {}
            words += [str(name.get("value") or "")] + [str(s) for s in name.get("synonyms") or []]
        out[t["name"]] = [w.lower() for w in dict.fromkeys(words) if w.strip()]
    return out


def filled(
    sample: str,
    slot_types: Mapping[str, str],
    values: Mapping[str, Sequence[str]],
    rng: random.Random,
    n: int = FILLS_PER_SAMPLE,
) -> list[str]:
    """The sample written out up to n times with its slots filled (the sample itself when it has none)."""
    names = _SLOT.findall(sample)
    if not names:
        return [sample.lower()]
    out: dict[str, None] = {}
    for _ in range(n):

        def fill(match: re.Match[str]) -> str:
            slot_type = slot_types.get(match.group(1), "")
            return rng.choice(type_fillers(slot_type, values))

        out[_SLOT.sub(fill, sample).lower()] = None
    return list(out)


@cache
def out_of_domain(locale: str) -> tuple[str, ...]:
    data = yaml_text.load(_OUT_OF_DOMAIN.read_text(encoding="utf-8")) or {}
    return tuple(data.get(locale) or data.get("en-US") or ())


_LEFT_OUT: frozenset[str] = frozenset()


@contextmanager
def phrasings_without(texts: Iterable[str]) -> Iterator[None]:
    """Engines built inside learn voicecart's phrasings less these: a development batch is judged by a learnt
    stage that never saw it (bench/train_confidence.py; decision 0002's leave-one-batch-out figures)."""
    global _LEFT_OUT
    before = _LEFT_OUT
    _LEFT_OUT = frozenset(" ".join(t.split()) for t in texts)
    try:
        yield
    finally:
        _LEFT_OUT = before


@cache
def _phrasings_invocations() -> frozenset[str]:
    """The invocation names the phrasings file is for, read off its `invocation:` lines without parsing it."""
    if not _PHRASINGS.exists():
        return frozenset()
    found = re.findall(r"^\s+invocation:\s*(.+?)\s*$", _PHRASINGS.read_text(encoding="utf-8"), flags=re.M)
    return frozenset(" ".join(name.strip("'\"").lower().split()) for name in found)


@cache
def _phrasings_data() -> dict[str, Any]:
    return yaml_text.load(_PHRASINGS.read_text(encoding="utf-8")) if _PHRASINGS.exists() else {}


def own_phrasings(locale: str, invocation: str) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """What people were heard to say to voicecart, beside its samples (intents/data/phrasings.yaml, written by
    bench/phrasings_from_dev.py): (sentences by intent, sentences of no intent of it). Only for the model
    invoked by the name the file gives; any other model learns from its own samples alone.

    Learnt from users' phrasings and not only from the samples, voicecart's learnt stage understood 31 more of
    1,604 turns of five paraphrase batches, each batch left out of what it learnt (decision 0002)."""
    said = " ".join(invocation.lower().split())
    if not said or said not in _phrasings_invocations():
        return {}, ()  # another model: the 4,000 phrasings are not even read (45 ms of a first build)
    data = _phrasings_data().get(locale) or {}
    if " ".join(str(data.get("invocation") or "").lower().split()) != said:
        return {}, ()
    intents = {
        str(k): tuple(str(t) for t in v or () if t not in _LEFT_OUT) for k, v in (data.get("intents") or {}).items()
    }
    return intents, tuple(str(t) for t in data.get("out_of_domain") or () if t not in _LEFT_OUT)


@cache
def paraphrase_groups(locale: str) -> tuple[tuple[str, ...], ...]:
    data = yaml_text.load(_PARAPHRASES.read_text(encoding="utf-8")) or {}
    return tuple(tuple(str(w).lower() for w in group) for group in data.get(locale) or data.get("en-US") or ())


@cache
def _phrase_index(locale: str) -> dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]:
    """Each group member by its first word: (the member's words, its group)."""
    index: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for group in paraphrase_groups(locale):
        for member in group:
            parts = tuple(member.split())
            index.setdefault(parts[0], []).append((parts, group))
    return index


def paraphrased(sample: str, locale: str, rng: random.Random, n: int = PARAPHRASES_PER_SAMPLE) -> list[str]:
    """Up to n rewordings of a sample, each with one word or phrase swapped for another of its group."""
    words = sample.lower().split()
    index = _phrase_index(locale)
    spots: list[tuple[int, int, tuple[str, ...]]] = []  # (start, end, the group) of each phrase found
    for i, word in enumerate(words):
        for parts, group in index.get(word, ()):
            if tuple(words[i : i + len(parts)]) == parts:
                spots.append((i, i + len(parts), group))
    if not spots:
        return []
    out: dict[str, None] = {}
    for _ in range(n * 2):
        start, end, group = rng.choice(spots)
        said = " ".join(words[start:end])
        other = rng.choice([m for m in group if m != said])
        out[" ".join(words[:start] + [other] + words[end:])] = None
        if len(out) >= n:
            break
    return list(out)
