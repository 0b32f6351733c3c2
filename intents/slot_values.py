"""A custom slot type's spoken values, indexed for alignment: words, sounds, neighbouring pairs, a resolver."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any

from rapidfuzz import fuzz

from intents.normalize import key_of, phonetic, tokenize
from intents.resolver import EntityResolver, Entry


@dataclass
class CustomType:
    """One custom slot type: its spoken forms, their words, and a resolver for resolutions."""

    name: str
    entries: list[Entry]
    phrases: dict[str, str] = field(default_factory=dict)  # key phrase → value id
    words: set[str] = field(default_factory=set)
    phrase_list: list[str] = field(default_factory=list)
    by_word: dict[str, list[str]] = field(default_factory=dict)  # word → phrases that contain it
    by_sound: dict[str, list[str]] = field(default_factory=dict)  # phonetic key → words
    pairs: set[tuple[str, str]] = field(default_factory=set)  # neighbouring words within one phrase
    singles: set[str] = field(default_factory=set)  # one-word phrases
    max_words: int = 1
    resolver: EntityResolver | None = None
    _near: dict[str, dict[str, None]] = field(default_factory=dict, repr=False, compare=False)
    _near_by_length: dict[str, tuple[list[int], list[str]]] = field(default_factory=dict, repr=False, compare=False)

    def __reduce__(self) -> tuple[type[CustomType], tuple[Any, ...]]:
        # Rebuilt by the constructor (every field is an __init__ field): the compiled build's classes pickle only
        # this way (intents/compiled.py), and an engine is pickled into the build cache.
        return (CustomType, tuple(getattr(self, f.name) for f in fields(self)))

    @classmethod
    def from_values(cls, name: str, values: Sequence[dict[str, Any]]) -> CustomType:
        entries = []
        for v in values:
            body = v.get("name") or {}
            value = body.get("value")
            if not value:
                continue
            entries.append(Entry(str(v.get("id") or value), value, tuple(body.get("synonyms") or ())))
        t = cls(name, entries)
        for e in entries:
            for phrase in (e.name, *e.synonyms):
                keys = " ".join(tok.key for tok in tokenize(phrase))
                if keys:
                    t.phrases.setdefault(keys, e.id)
                    t.words.update(keys.split())
        t.phrase_list = list(t.phrases)
        for phrase in t.phrase_list:
            words = phrase.split()
            t.max_words = max(t.max_words, len(words))
            t.pairs.update(zip(words, words[1:], strict=False))
            if len(words) == 1:
                t.singles.add(words[0])
            for w in set(words):
                t.by_word.setdefault(w, []).append(phrase)
        for w in sorted(t.words):
            t.by_sound.setdefault(phonetic(w), []).append(w)
        # The resolver also knows a value of two others said together in any of their words ("pee and poop" is
        # "both"); the aligner's phrases stay the model's own, so no value reaches further into a turn for them.
        t.resolver = EntityResolver(_combined_synonyms(entries)) if entries else None
        return t

    def phrases_near(self, word: str) -> dict[str, None]:
        """The phrases holding the word or a word that sounds like it, in a fixed order (do not modify)."""
        found = self._near.get(word)
        if found is None:
            found = {}
            for known in (word, *self.by_sound.get(phonetic(word), ())):
                found.update(dict.fromkeys(self.by_word.get(known, ())))
            self._near[word] = found
        return found

    def phrases_near_sized(self, word: str, shortest: int, longest: int) -> list[str]:
        """`phrases_near(word)` from `shortest` to `longest` characters long, shortest first."""
        found = self._near_by_length.get(word)
        if found is None:
            phrases = sorted(self.phrases_near(word), key=len)
            found = self._near_by_length[word] = ([len(p) for p in phrases], phrases)
        lengths, phrases = found
        return phrases[bisect_left(lengths, shortest) : bisect_right(lengths, longest)]

    def joined_alike(self, a: str, b: str) -> str | None:
        """A word of these values that two said words sound and look like together: "sim lack" → "similac"."""
        key = key_of(a + b)
        return self.joined_key_alike(a, b, key, phonetic(key))

    def joined_key_alike(self, a: str, b: str, key: str, sound: str) -> str | None:
        """`joined_alike` given the two words' key and its sounds, worked out once for every type (a turn asks
        each of a model's types about the same pairs)."""
        if len(key) >= 5 and key in self.words and key not in (a, b):
            return key  # spelt the same once joined: "a wake", "bath room"
        if len(sound) < 3:
            return None
        for alike in self.by_sound.get(sound, ()):
            if (
                len(alike) >= 5
                and alike not in (a, b)
                and abs(len(alike) - len(key)) <= 1
                and fuzz.ratio(key, alike) >= 65
            ):
                return alike
        return None

    def paired_alike(self, keys: Sequence[str], x: int, word: str) -> str | None:
        """A word of these values that sounds like keys[x] and sits next to its neighbour in a value."""
        sounds = {phonetic(keys[x]), phonetic(word)}
        for alike in (a for sound in sounds for a in self.by_sound.get(sound, ())):
            if (x > 0 and (keys[x - 1], alike) in self.pairs) or (
                x + 1 < len(keys) and (alike, keys[x + 1]) in self.pairs
            ):
                return alike
        return None

    @cached_property
    def is_open(self) -> bool:
        """Large lists (catalog products) are open: unlisted values are normal there."""
        return len(self.phrases) > 50

    @cached_property
    def is_name(self) -> bool:
        """Types of names (ChildName, ButtonName, MedicineName) also accept names never listed."""
        return self.name.endswith("Name")


# A type small enough that its values' combinations are spelt out (a diaper's kind, a breast side): a catalog's
# thousands of names are never combined.
_COMBINED_UP_TO = 50
_COMBINATIONS_PER_VALUE = 200


def _combined_synonyms(entries: list[Entry]) -> list[Entry]:
    """Entries whose value is two others said together ("both": "wet and dirty") also take every other way of
    saying those two, in either order: "pee and poop", "dirty and wet". Read off the model's own values, so any
    model whose type lists such a value gains it."""
    if len(entries) > _COMBINED_UP_TO:
        return entries
    owner: dict[str, int] = {}
    for i, e in enumerate(entries):
        for phrase in (e.name, *e.synonyms):
            owner.setdefault(phrase.lower().strip(), i)
    out = []
    for i, e in enumerate(entries):
        added: dict[str, None] = {}
        for phrase in (e.name, *e.synonyms):
            parts = phrase.lower().split(" and ")
            if len(parts) != 2:
                continue
            a, b = owner.get(parts[0].strip()), owner.get(parts[1].strip())
            if a is None or b is None or a == b or i in (a, b):
                continue
            said_a = [entries[a].name, *entries[a].synonyms]
            said_b = [entries[b].name, *entries[b].synonyms]
            if len(said_a) * len(said_b) * 2 > _COMBINATIONS_PER_VALUE:
                continue
            for x in said_a:
                for y in said_b:
                    added.update(dict.fromkeys((f"{x} and {y}".lower(), f"{y} and {x}".lower())))
        known = {p.lower() for p in (e.name, *e.synonyms)}
        extra = tuple(p for p in added if p not in known and p not in owner)
        out.append(Entry(e.id, e.name, e.synonyms + extra) if extra else e)
    return out
