"""Alignment and slots: one turn matched word by word against a sample utterance.

A sample's words must be matched (exact, or a sound-alike / near spelling at a small cost), articles and
glue words are cheap to add or drop, and each {slot} captures a span whose cost says how good a value of
its type it is (a number for AMAZON.NUMBER, a known value for a custom type, ...). The engine
(intents/nlu.py) proposes the samples and decides between the alignments; this module scores one.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from rapidfuzz import fuzz, process

from intents import builtin_values as bv
from intents.normalize import (
    HOMOPHONES,
    NUMBER_HOMOPHONES,
    NUMBER_WORDS,
    SOFT_WORDS,
    Token,
    key_of,
    lemma,
    phonetic,
    sound_shape,
)
from intents.parse_result import SlotMatch
from intents.resolver import Resolution
from intents.slot_values import CustomType


class ModelView(Protocol):
    """What aligning a turn reads of the engine built from an interaction model (intents/nlu.py).

    A protocol rather than the engine's class: the engine uses this module, not the other way round."""

    # Alignment costs (their values and reasons are in NluEngine).
    DROP_SOFT: float
    DROP_SUBJECT: float
    DROP_WORD: float
    GLUE_HOMOPHONE: float
    INFLECTED: float
    NAME_FOR_PRONOUN: float
    NEAR_MATCH: float
    OTHER_DOMAIN: float
    SKIP_EDGE_WORD: float
    SKIP_SOFT: float
    SKIP_TYPED: float
    SKIP_WORD: float
    SLOT_UNSAID: float
    SOUND_ALIKE: float
    SUBSTITUTE: float
    SUBSTITUTE_VALUE: float
    UNLISTED_VALUE: float
    skill_id: str
    intent_slots: dict[str, dict[str, str]]
    types: dict[str, CustomType]
    vocabulary: frozenset[str]
    number_before: set[str]
    number_after: set[str]
    other_domain_words: frozenset[str]
    slot_context: dict[tuple[str, str], tuple[set[str], set[str]]]
    slot_ends: set[tuple[str, str]]
    word_pairs: set[tuple[str, str]]  # neighbouring sample words
    vocab_by_dropped_stop: dict[str, list[str]]
    value_start_words: frozenset[str]  # words no open value starts with (Turn._value_edges)
    value_end_words: frozenset[str]  # words no open value ends with

    def today(self) -> dt.date: ...
    def intent_type_words(self, intent: str) -> frozenset[str]: ...
    def is_model_word(self, key: str) -> bool: ...
    def main_slot(self, intent: str, slot_type: str) -> str | None: ...
    def says_other_domain(self, word: str, key: str) -> bool: ...
    def types_of_word(self, key: str) -> Sequence[str]: ...
    def could_be_name(self, word: str) -> bool: ...
    def sound_alikes(self, word: str) -> frozenset[str]: ...
    def correct(self, key: str) -> str | None: ...


_PRONOUNS = frozenset({"she", "he", "her", "him", "they", "them"})

# English words of no name's edge: pronouns, auxiliaries, prepositions, conjunctions, fillers and trailing
# determiners. An open value the aligner stretched over them ("take moby dick off", "ticket to ride me",
# "juncos in the yard this") ends where the name does; a listed value keeps its words ("the daily").
FUNCTION_WORDS = frozenset(
    """i me my mine we us our you your he him his she her they them their it its i'm we're you're he's she's
    they're it's that's there's what's i'll we'll i've we've i'd am is are was were be been being do does did
    have has had will would can could should shall may might must gonna wanna gotta to on in at by for of
    with from off up out about into onto over near after before until than as and or but so because if then
    around across along behind beside between through toward towards upon within without
    always usually often sometimes normally generally
    just also too now maybe really actually please um uh okay ok well anyway again still already this that
    these those some any all another the a an what which who where when how why while whilst since though
    although unless whether once till cause cuz""".split()
)
# What a name nobody listed costs as a value of a type of names: more than any listed or misheard value.
UNLISTED_NAME_COST = 0.3
# What an open list's value of its own words in a new combination costs ("pampers swaddlers size 3").
KNOWN_WORDS_COST = 0.15
_POINTING_DETERMINERS = frozenset({"them", "those", "these"})
# Words after which "one" is English's pronoun for a thing already spoken of, never a count: "another one", "which
# one", "each one". Not "that" or "this", after which it is also a count ("make that one" changes a quantity), nor
# "the" ("just the one pack" is one pack).
_BEFORE_A_PRONOUN_ONE = frozenset({"another", "which", "each", "every", "other", "same", "any"})
LEADING_KEPT = frozenset({"the", "a", "an"})  # "the hobbit", "a tale of two cities": titles may begin so
REFERRING_WORDS = frozenset({"it", "that", "this", "them", "those", "these"})  # things, as slot values
_REFERRING = REFERRING_WORDS
_KEEPS_START = LEADING_KEPT | REFERRING_WORDS | _PRONOUNS
_POINTED_AT = _PRONOUNS | {"it", "those", "these"}
# Verbs that help another, and never head a name.
_AUXILIARIES = frozenset(
    {"would", "could", "should", "will", "can", "do", "does", "did", "is", "are", "was", "were", "has", "have", "had"}
)
# Words that carry a request's grammar, never a value said as its sound-alike.
_FUNCTION_WORDS = frozenset(
    {
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "where",
        "when",
        "why",
        "how",
        "that",
        "this",
        "these",
        "those",
        "there",
        "then",
        "than",
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "if",
        "of",
        "to",
        "for",
        "with",
        "is",
        "are",
        "was",
        "were",
        "be",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "i",
        "you",
        "he",
        "she",
        "it",
        "we",
        "they",
        "can",
        "could",
        "should",
        "would",
        "will",
        "shall",
        "may",
        "might",
        "must",
    }
)
# Pronouns that stand for one another in a request: "he peed" is said like the sample "she peed".
_PRONOUN_CASES = (
    frozenset({"she", "he", "they"}),
    frozenset({"her", "him", "them"}),
    frozenset({"her", "his", "their"}),
)
_PRONOUN_PEERS: dict[str, frozenset[str]] = {
    word: frozenset().union(*(case for case in _PRONOUN_CASES if word in case))
    for word in frozenset().union(*_PRONOUN_CASES)
}
SUBJECTS = frozenset({"i", "we"})  # left out when speaking of oneself: "just changed her diaper"
_COUNT_OR_CLOCK = frozenset({"AMAZON.NUMBER", "AMAZON.TIME"})
# Words after which a number tells the hour ("nine o'clock"), and after "half" or "quarter" the minutes of one ("half
# past nine"): such a number is a clock time, never a count or an amount.
_HOUR_AFTER = frozenset({"o'clock", "oclock"})
_PAST_OR_TO = frozenset({"past", "after", "to", "till"})
_BEFORE_AN_INTERJECTION = frozenset({"oh", "no", "ah", "and", "but", "so", "um", "uh", "hmm", "well"})
# Words without which no phrase says a time of day or a day ("this morning", "three in the afternoon", "tonight").
_TIME_OF_DAY_WORDS = frozenset(
    {"morning", "afternoon", "evening", "night", "tonight", "today", "yesterday", "tomorrow", "noon", "midnight"}
    | {"am", "pm", "o'clock", "oclock"}
)
NUMBER_TYPES = frozenset({"AMAZON.NUMBER", "AMAZON.FOUR_DIGIT_NUMBER"})
_NOT_WORDS = frozenset({"<s>", "</s>", "{}"})  # neighbours that are no word: a turn's edges, a slot value
_BEFORE_NO_NAME = frozenset({"a", "an", "i", "we", "you", "they", "he", "she"})
ARTICLES = frozenset({"a", "an", "the", "my", "our", "your", "some", "her", "his", "their"})
# Words after which a word names a thing rather than what happened (`Turn._sample_word_as_value`).
_BEFORE_A_THING = ARTICLES | frozenset({"before", "after", "of", "for", "with", "from", "to", "in", "on", "at", "than"})


@dataclass(frozen=True, slots=True)
class Element:
    key: str  # a sample word's key, or the slot name for a slot
    slot: bool = False
    soft: bool = False
    root: str = ""  # the word's lemma, for inflected matches

    def __post_init__(self) -> None:
        if not self.root:
            object.__setattr__(self, "root", lemma(self.key))

    def __reduce__(self) -> tuple[type[Element], tuple[str, bool, bool, str]]:
        # Rebuilt by the constructor: a slotted dataclass's own pickling looks its fields up object by
        # object, a third of the time of reading a cached engine back.
        return (Element, (self.key, self.slot, self.soft, self.root))


@dataclass(slots=True)
class Sample:
    intent: str
    text: str
    elements: tuple[Element, ...]
    hard: frozenset[str]  # keys of the words that carry meaning
    # For a quick upper bound on the alignment's confidence: the meaningful words as (key, root, whether
    # it is a leading "i" / "we", whether a slot comes right before it), and whether a slot of the
    # sample takes free text.
    hard_words: tuple[tuple[str, str, bool, bool], ...] = ()
    free_text: bool = False
    has_slot: bool = False
    next_to_slot: tuple[bool, ...] = ()  # per element, for `Turn.align`
    carrier: tuple[bool, ...] = ()
    most_gain: float = 0.0  # what the elements gain at most (a glue word 0.9), for `Turn.align`'s ceiling

    def __reduce__(self) -> tuple[type[Sample], tuple[Any, ...]]:
        # Rebuilt by the constructor, as Element is, for the same reason. The fields are named here, not read
        # from __slots__: the compiled build has none (intents/compiled.py).
        return (
            Sample,
            (
                self.intent,
                self.text,
                self.elements,
                self.hard,
                self.hard_words,
                self.free_text,
                self.has_slot,
                self.next_to_slot,
                self.carrier,
                self.most_gain,
            ),
        )


def _written_pauses(text: str, tokens: list[Token]) -> list[bool]:
    """For each token, whether a written pause (a comma, a sentence end) follows it in `text`: two numbers a writer
    set apart are two ("at nine fifteen, five ounces"; "150, a hundred and fifty mls" says one amount twice).
    Speech has none, so a spoken turn's numbers are read as ever."""
    pauses = [False] * len(tokens)
    for x in range(len(tokens) - 1):
        between = text[tokens[x].end : tokens[x + 1].start]
        pauses[x] = any(c in between for c in ",;:.!?")
    return pauses


def _number_tails(words: list[str], pauses: list[bool] | None = None) -> list[bool]:
    """For each word, whether it continues a number begun by the words before it ("point" and "five" of
    "two point five", "four" of "twenty four"). Words said one by one ("five six seven") are digits of a
    code, not one number, and are left apart; so are words a written pause sets apart."""
    tails = [False] * len(words)
    i = 0
    while i < len(words):
        # "a hundred and twenty" begins at "a", as "one hundred and twenty" at "one".
        a_hundred = words[i] in ("a", "an") and i + 1 < len(words) and words[i + 1] in _A_HUNDRED
        if not (a_hundred or words[i] in NUMBER_WORDS or words[i].replace(".", "", 1).isdigit()):
            i += 1
            continue
        end = i + 1
        last = min(len(words), i + 6)
        if pauses is not None:
            for p in range(i, last):
                if pauses[p]:
                    last = p + 1
                    break
        for k in range(i + 2, last + 1):
            if words[k - 1] in ("point", "and", "a"):
                continue  # may go on: "two point", "two and a"
            if _one_number(words[i:k]):
                end = k
        if (
            end + 1 < len(words)
            and words[end] == "past"
            and words[end + 1] in NUMBER_WORDS
            and not (pauses is not None and any(pauses[end - 1 : end + 1]))
            and bv.parse_time(words[i : end + 2]) is not None
        ):
            end += 2  # "ten past six" is one clock time: never "ten" for one slot and "six" for another
        for x in range(i + 1, end):
            tails[x] = True
        i = end
    return tails


_A_HUNDRED = frozenset({"hundred", "thousand"})
_NOTHING_AROUND: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())


def _one_number(words: list[str]) -> bool:
    """Words that read as one number said the usual way ("twenty four", "two point five", "one hundred"),
    not as digits said one by one."""
    if bv.words_to_number(words) is None or any(w[0].isdigit() for w in words):
        return False  # digits written apart ("size 3 2 pack") are numbers apart
    plain = [w for w in words if w in NUMBER_WORDS]
    one_by_one = all(NUMBER_WORDS[a] < 20 and NUMBER_WORDS[b] < 20 for a, b in zip(plain, plain[1:], strict=False))
    fraction = "and" in words and any(w in ("half", "quarter") for w in words)  # "two and three" is two numbers
    if "and" in words and not fraction and not any(w in ("hundred", "thousand", "million") for w in words):
        return False
    return "point" in words or fraction or not one_by_one or (len(plain) < 2 and len(words) > 1)


@lru_cache(maxsize=65_536)
def _builtin_value(slot_type: str, words: tuple[str, ...]) -> str | None:
    """The value of a built-in slot type the words say, if any: a function of the words alone."""
    return bv.BUILTIN_PARSERS[slot_type](list(words))


def _glue_homophones() -> dict[str, frozenset[str]]:
    """Glue words (SOFT_WORDS) each word may be a recogniser's spelling of: "two" → "to", "sum" → "some"."""
    out: dict[str, set[str]] = defaultdict(set)
    for word, number in NUMBER_HOMOPHONES.items():
        if word in SOFT_WORDS:
            out[number].add(word)
    for word, partners in HOMOPHONES.items():
        out[word].update(p for p in partners if p in SOFT_WORDS and word not in SOFT_WORDS)
    return {w: frozenset(g) for w, g in out.items() if g}


_GLUE_HOMOPHONES = _glue_homophones()


@dataclass(slots=True)
class Alignment:
    confidence: float
    spans: dict[str, tuple[int, int]]
    skipped: list[int] = field(default_factory=list)  # turn words no sample word or slot took
    named: list[int] = field(default_factory=list)  # turn words said in place of a sample's pronoun
    other_domain: float = 1.0  # what words of other domains outside free text scaled the confidence by
    unsaid: list[str] = field(default_factory=list)  # the sample's slots that were left unsaid


# What `Turn._matches` leaves to the sample around a word: "one" after a slot ("a dirty one"), a name for a
# pronoun, a word said instead of another, a glue word for another.
_ONE, _NAME, _INSTEAD, _GLUE_FOR_GLUE = 1, 2, 4, 8


@dataclass(slots=True)
class _Slips:
    unknown: list[bool]  # no value of the types has the word
    joins: list[str | None]  # the value word this word and the next one sound like together
    alikes: list[bool]  # the word sounds like a value word
    alike: list[int] = field(default_factory=lambda: [0])  # running counts of `alikes`, of `joins`
    joined: list[int] = field(default_factory=lambda: [0])

    def __post_init__(self) -> None:
        for a, w in zip(self.alikes, self.joins, strict=True):
            self.alike.append(self.alike[-1] + bool(a))
            self.joined.append(self.joined[-1] + (w is not None and w != ""))


@dataclass(slots=True)
class _WordFacts:
    """What `_foreign_words` asks of each word of a turn for some custom types: a one-word phrase; in a phrase
    beside the word before it, beside the word after it; a word of the values; a word neither the values nor
    the model know; a word of the model's samples."""

    single: list[bool]
    left: list[bool]
    right: list[bool]
    listed: list[bool]
    new: list[bool]
    model: list[bool]

    @classmethod
    def of(cls, keys: list[str], types: list[CustomType], vocabulary: frozenset[str]) -> _WordFacts:
        n = len(keys)
        listed = [any(w in t.words for t in types) for w in keys]
        return cls(
            [any(w in t.singles for t in types) for w in keys],
            [x > 0 and any((keys[x - 1], keys[x]) in t.pairs for t in types) for x in range(n)],
            [x + 1 < n and any((keys[x], keys[x + 1]) in t.pairs for t in types) for x in range(n)],
            listed,
            [w.isalpha() and w not in vocabulary and w not in SOFT_WORDS and not listed[x] for x, w in enumerate(keys)],
            [w in vocabulary for w in keys],
        )


_UNKNOWN = -1.0  # `_closed_cost` could not tell (no cost is below 0): the full `slot_cost` decides
_NOT_CUSTOM = frozenset({"AMAZON.SearchQuery", "AMAZON.DATE", "AMAZON.FirstName"})  # read before custom types


@dataclass(slots=True)
class _ClosedReading:
    read: _ValueReading
    slips: _Slips
    longest: int  # a span longer than this (words) is no value of the type, unless a short name
    # No span longer than this is a value (`_custom_cost`: a listed phrase, or `longest`, or a short name).
    most_words: int
    is_name: bool
    names: list[int]  # running count of the words that could be a name


@dataclass(slots=True)
class _ValueReading:
    """Running counts over a turn's words for one custom type (and the turn's own values of it): words no
    phrase has, as said and as corrected; corrected words; numbers; words a value has (as said, else as
    corrected); words some phrase holds or sounds like. `keys` are the words so read."""

    unlisted: list[int] = field(default_factory=lambda: [0])
    alt_unlisted: list[int] = field(default_factory=lambda: [0])
    corrected: list[int] = field(default_factory=lambda: [0])
    digits: list[int] = field(default_factory=lambda: [0])
    known: list[int] = field(default_factory=lambda: [0])
    near: list[int] = field(default_factory=lambda: [0])
    keys: list[str] = field(default_factory=list)


class Turn:
    """One turn being understood: its tokens, corrections and a cache of slot-value checks."""

    def __init__(self, engine: ModelView, text: str, tokens: list[Token], dynamic: list[dict[str, Any]] | None) -> None:
        self.engine = engine
        self.text = text
        self.tokens = tokens
        self.words = [t.text for t in tokens]
        self.keys = [t.key for t in tokens]
        self.roots = [lemma(k) for k in self.keys]
        self.alts: dict[int, str] = {}
        for i, key in enumerate(self.keys):
            fixed = engine.correct(key)
            if fixed:
                self.alts[i] = fixed
        # Sample words a word may have been misheard for, where its neighbours say so: "cancel my odor"
        # is "my order" of a sample; "play some" keeps "play", no sample has "place some".
        self.sounds: dict[int, frozenset[str]] = {}
        for i, key in enumerate(self.keys):
            word = self.words[i]
            if word in SOFT_WORDS or not word.isalpha() or key.isdigit():
                continue  # glue words, and numbers: a number is a slot value
            alikes = (engine.sound_alikes(word) | engine.sound_alikes(key)) - {key, self.alts.get(i)}
            if not alikes:
                continue
            before = self._context_keys(i - 1, "<s>")
            after = self._context_keys(i + 1, "</s>")
            contexts = engine.word_pairs
            # A number is a slot value for sure; an unknown word may be one.
            words_before = before - _NOT_WORDS | ({"{}"} if i > 0 and self.keys[i - 1].isdigit() else set())
            words_after = after - _NOT_WORDS | (
                {"{}"} if i + 1 < len(self.keys) and self.keys[i + 1].isdigit() else set()
            )
            same = {phonetic(word), phonetic(key)}
            # Known homophones and a dropped final t or d count as the same sounds.
            same_sounds = (
                HOMOPHONES.get(key, frozenset())
                | HOMOPHONES.get(key_of(word), frozenset())
                | {w for s in same for w in engine.vocab_by_dropped_stop.get(s, ())}
            )
            # A word with the same sounds needs a neighbouring word that fits it, or fitting neighbours on
            # both sides. One sound more or less, or a single sound ("dye" / "did"), always needs both.
            # Slot values do not count as neighbours: "store init" is not "start {routine}".
            fits = set()
            for w in alikes:
                left = any((b, w) in contexts for b in before - {"{}"})
                right = any((w, a) in contexts for a in after - {"{}"})
                if left and right:
                    fits.add(w)
                elif (
                    (phonetic(w) in same or w in same_sounds)
                    and len(phonetic(w)) > 1
                    and (any((b, w) in contexts for b in words_before) or any((w, a) in contexts for a in words_after))
                ):
                    fits.add(w)
                elif w in same_sounds and (left or right):
                    fits.add(w)  # a known homophone where a sample starts or ends: "at pampers" for "add pampers"
            if fits:
                self.sounds[i] = frozenset(fits)
        self.heard_as = frozenset().union(*self.sounds.values()) if self.sounds else frozenset()
        self.dynamic: dict[str, CustomType] = {}
        for item in dynamic or []:
            if isinstance(item, dict) and item.get("name"):
                self.dynamic[item["name"]] = CustomType.from_values(item["name"], item.get("values") or [])
        household = {w for t in self.dynamic.values() for w in t.words}
        self.other_domain = [
            engine.says_other_domain(w, k) and k not in household for w, k in zip(self.words, self.keys, strict=True)
        ]
        self._slot_costs: dict[tuple[str, int, int], float | None] = {}
        self._spans: dict[str, list[list[tuple[int, float, float]] | None]] = {}
        # Per slot type: words no value has, two words that join into a value's word, words sounding like one.
        self._slips_in: dict[tuple[int, ...], _Slips] = {}
        self._readings: dict[tuple[int, int], _ValueReading] = {}
        # See `_type_view`: per custom type, its turn values and what is read for both.
        self._views: dict[
            int, tuple[CustomType | None, tuple[list[CustomType], tuple[int, ...], _ValueReading, _Slips]]
        ] = {}
        self._joined: list[tuple[str, str]] | None = None
        self._date_words: dict[str, bool] = {}
        self._match_rows: dict[int, tuple[list[tuple[float, float] | None], list[int]]] = {}
        self._flag_rows: dict[tuple[bool, bool], list[int]] = {}  # see `_plain_flags`
        self._steps: dict[tuple[int, str, bool, bool], list[tuple[float, str, float] | None]] = {}  # `_word_steps`
        self._standing: defaultdict[str, set[int]] | None = None  # see `_may_stand_for`
        self._closed: dict[str, _ClosedReading] = {}
        self._typed_in: dict[str, list[int]] = {}
        self._runs: dict[str, list[int]] = {}  # see `_number_runs`
        self._span_readings: dict[str, tuple[_ClosedReading | None, list[int] | None, list[int] | None]] = {}
        self._skips: dict[str, tuple[list[float], list[float]]] = {}
        self._word_facts: dict[tuple[int, ...], _WordFacts] = {}
        self._alike_in: dict[tuple[tuple[int, ...], int, str | None, str | None], str | None] = {}
        self._named: set[int] = set()
        # Nor is a word after "a" or "an" a name ("just changed a proper dirty nappy" names no child "proper"), nor
        # one after who does something: there a verb is said ("i started a new pill" names no medicine "started").
        # Not after "the": "press the loo button" names a button.
        self.could_be_name = [
            engine.could_be_name(w) and not (i > 0 and self.words[i - 1] in _BEFORE_NO_NAME)
            for i, w in enumerate(self.words)
        ]
        # Sample words some word of the turn can match with a gain (see `align`), for `confidence_bound`.
        self._reach = set(self.keys) | set(self.alts.values()) | self.heard_as
        for key in self.keys:
            self._reach |= _PRONOUN_PEERS.get(key, frozenset())
        self._root_set = set(self.roots)
        self._has_one = any(w in ("one", "ones") for w in self.words)
        self._may_name = any(self.could_be_name)
        # What a sample word no turn word matches costs at least: dropped (DROP_WORD, or DROP_SUBJECT for a
        # leading "i") or another word said in its place (SUBSTITUTE_VALUE at least).
        self._word_floor = min(engine.DROP_WORD, engine.SUBSTITUTE_VALUE, engine.SUBSTITUTE)
        self._subject_floor = min(self._word_floor, engine.DROP_SUBJECT)
        # A number said in several words ("two point five", "twenty four") is one value: skipping all of it
        # costs what skipping one word does, as when the same number is written "2.5" (`align`'s "skip"
        # from a number's first word to its end). Its words one by one cost what any word does.
        self.pauses = _written_pauses(text, tokens)
        # Running count of words that say a time of day or a day ("this morning", "at three in the afternoon"):
        # `_said_a_time`.
        self._time_words = [0]
        for w in self.words:
            self._time_words.append(self._time_words[-1] + (w in _TIME_OF_DAY_WORDS))
        self.number_tail = _number_tails(self.words, self.pauses)
        self.number_end: list[int] = [0] * len(self.words)  # past a number's last word, at its first word
        for j in range(len(self.words) - 1):
            if self.number_tail[j + 1] and not self.number_tail[j]:
                self.number_end[j] = self._number_end_from(j)
        self._has_quantity = any(
            w in NUMBER_WORDS or k[:1].isdigit() for w, k in zip(self.words, self.keys, strict=True)
        )
        # What skipping the x cheapest words of the turn costs at least, for x = 0, 1, ...
        skip_costs = sorted(
            0.0 if tail else engine.SKIP_SOFT if w in SOFT_WORDS else min(engine.SKIP_EDGE_WORD, engine.SKIP_WORD)
            for w, tail in zip(self.words, self.number_tail, strict=True)
        )
        self._skip_floor = [0.0]
        for c in skip_costs:
            self._skip_floor.append(self._skip_floor[-1] + c)
        # Glue words a word may have been said for: a number word where a sample has "to" or "for" ("the
        # order four diapers"), or a homophone of a glue word the model does not know ("sum dish soap").
        self.glue = [
            _GLUE_HOMOPHONES.get(w, frozenset()) if w in NUMBER_WORDS or not engine.is_model_word(k) else frozenset()
            for w, k in zip(self.words, self.keys, strict=True)
        ]
        self.soft_tokens = [
            w in SOFT_WORDS or (bool(g) and w not in NUMBER_WORDS) for w, g in zip(self.words, self.glue, strict=True)
        ]
        self.peers = [_PRONOUN_PEERS.get(k, frozenset()) for k in self.keys]
        # The custom types a word is a listed value of, where no sample has the word: "tylenol".
        self.typed = [
            frozenset(engine.types_of_word(k)) if k not in engine.vocabulary and len(k) > 2 else frozenset()
            for k in self.keys
        ]

    def confidence_bound(self, sample: Sample) -> float:
        """A confidence `align(sample)` can never exceed (0.0 when it finds no alignment).

        Each sample element adds at most 1 to the gain and takes at least one word for it; a meaningful
        word no word of the turn matches adds nothing, costs at least what dropping or replacing it
        does, and counts as not said. Without slots, a sample of m words leaves all but m words of the
        turn to be skipped.
        """
        hard = sample.hard_words
        unmatched, floor = self._unmatched(sample)
        m, n = len(sample.elements), len(self.keys)
        gain = min(m - unmatched, n)
        if gain <= 0:
            return 0.0
        if self._has_quantity and self._free_text_unplaced(sample):
            gain += 1  # a quantity the intent's free-text slot may take (see `align`)
        if n > m and not sample.has_slot:
            floor += self._skip_floor[n - m]  # each sample word takes one turn word at most: the rest is skipped
        bound = gain / (gain + floor)
        if hard:
            said = (len(hard) - unmatched) / len(hard)
            bound *= said if sample.free_text else 0.6 + 0.4 * said
        else:
            bound *= 0.85
        return bound

    def _unmatched(self, sample: Sample) -> tuple[int, float]:
        """How many of the sample's meaningful words no word of the turn can match (see `align`), and what
        they cost at least: dropped, or another word said in their place."""
        unmatched = 0
        floor = 0.0
        reach, roots = self._reach, self._root_set
        for key, root, subject, after_slot in sample.hard_words:
            if key in reach or root in roots or (after_slot and self._has_one) or (key in _PRONOUNS and self._may_name):
                continue
            unmatched += 1
            floor += self._subject_floor if subject else self._word_floor
        return unmatched, floor

    def _number_end_from(self, j: int) -> int:
        k = j + 1
        while k < len(self.number_tail) and self.number_tail[k]:
            k += 1
        return k

    def _free_text_unplaced(self, sample: Sample) -> bool:
        """Whether the sample's intent has a free-text slot the sample does not place."""
        placed = {e.key for e in sample.elements if e.slot}
        return any(
            t == "AMAZON.SearchQuery" and name not in placed
            for name, t in self.engine.intent_slots.get(sample.intent, {}).items()
        )

    def _context_keys(self, i: int, edge: str) -> set[str]:
        """What the word at i is as a neighbour: its key, its correction, "{}" if it may be a slot value."""
        if i < 0 or i >= len(self.keys):
            return {edge}
        key = self.keys[i]
        out = {key, self.alts.get(i, key)}
        if key in ARTICLES:
            out |= ARTICLES  # "the" for "my": said interchangeably
        elif key not in self.engine.vocabulary:
            out.add("{}")
        return out

    def number_reading(self, j: int, k: int) -> list[str] | None:
        """Words j..k with number homophones read as numbers, where the turn says a number is meant.

        "for five six seven" (digits said one by one), "add tree packs of wipes" (a word samples put
        after a number, or a measure before "of"), "make it order for" (the end, after a word samples
        put before a number). "add to pampers" stays "add pampers".
        """
        words = self.words[j:k]
        if not any(w in NUMBER_HOMOPHONES for w in words):
            return None
        read = [NUMBER_HOMOPHONES.get(w, w) for w in words]
        if len(words) > 1:  # a code said digit by digit, three digits or more
            one_by_one = len(words) >= 3 and all(w in NUMBER_WORDS and NUMBER_WORDS[w] < 10 for w in read)
            # Homophones only ("ate won ate won") are digits where samples expect a number right before them
            # ("my pin is ...") and the turn ends with them.
            expected = j > 0 and k == len(self.keys) and self.keys[j - 1] in self.engine.number_before
            return read if one_by_one and (expected or any(w not in NUMBER_HOMOPHONES for w in words)) else None
        eng = self.engine
        n = len(self.keys)
        if k < n and (
            self.keys[k] in eng.number_after
            or (k + 1 < n and self.keys[k + 1] == "of" and self.keys[k] not in SOFT_WORDS)
        ):
            return read
        if k == n and j > 0 and self.keys[j - 1] in eng.number_before:
            return read
        return None

    def duration_reading(self, j: int, k: int) -> list[str] | None:
        """Words j..k with each number homophone right before a unit of time read as a number: "in to hours"."""
        words = self.words[j:k]
        if not any(w in NUMBER_HOMOPHONES for w in words):
            return None
        if any(
            w in NUMBER_HOMOPHONES and (x + 1 == len(words) or words[x + 1] not in bv.DURATION_UNITS)
            for x, w in enumerate(words)
        ):
            return None
        return [NUMBER_HOMOPHONES.get(w, w) for w in words]

    def builtin_types(self) -> set[str]:
        """Built-in slot types some single word or word pair of the turn is a value of."""
        found = set()
        for j in range(len(self.tokens)):
            for k in (j + 1, j + 2):
                if k > len(self.tokens):
                    break
                for slot_type in ("AMAZON.NUMBER", "AMAZON.DURATION", "AMAZON.TIME"):
                    if self.slot_cost(slot_type, j, k) == 0.0:
                        found.add(slot_type)
        return found

    # -- slot values --

    def slot_cost(self, slot_type: str, j: int, k: int) -> float | None:
        """How poor a value of `slot_type` the words j..k are: 0 perfect, None impossible."""
        cache_key = (slot_type, j, k)
        if cache_key not in self._slot_costs:
            self._slot_costs[cache_key] = self._slot_cost(slot_type, j, k)
        return self._slot_costs[cache_key]

    def span_cost(self, slot_type: str, j: int, k: int) -> float:
        """The cost of words j..k the alignment took as a value of `slot_type` (a span `slot_spans` offered)."""
        cost = self.slot_cost(slot_type, j, k)
        if cost is None:
            raise AssertionError(f"words {j}..{k} of {self.text!r} are no value of {slot_type}")
        return cost

    def slot_spans(self, slot_type: str, j: int) -> list[tuple[int, float, float]]:
        """The spans j..k that can be a value of `slot_type`, as (k, cost, gain), shortest first."""
        by_start = self._spans_from(slot_type)
        found = by_start[j]
        if found is None:
            found = by_start[j] = self._find_spans(slot_type, j)
        return found

    def _spans_from(self, slot_type: str) -> list[list[tuple[int, float, float]] | None]:
        """`slot_spans` of the type by where they start, None where not worked out yet: `align` reads them
        cell by cell."""
        found = self._spans.get(slot_type)
        if found is None:
            found = self._spans[slot_type] = [None] * (len(self.tokens) + 1)
        return found

    def _find_spans(self, slot_type: str, j: int) -> list[tuple[int, float, float]]:
        found: list[tuple[int, float, float]] = []
        tails = self.number_tail
        if j >= len(tails) or tails[j]:
            return found  # no word left; or a value would cut a number: "half" of "one and a half" is no name
        quick, typed, runs = self._span_reading(slot_type)
        costs = self._slot_costs
        words = self.words
        last = runs[j] if runs is not None else len(self.tokens)
        if quick is not None:
            last = min(last, j + quick.most_words)  # longer spans are no value of a closed list: not costed
        if slot_type == "AMAZON.TIME":
            # A clock time stops at a written pause, as a number does: "at half two, five ounces" is half past two
            # and five ounces, no time "half two five".
            pauses = self.pauses
            for x in range(j, min(last, len(pauses))):
                if pauses[x]:
                    last = x + 1
                    break
        skip_typed = self.engine.SKIP_TYPED
        for k in range(j + 1, last + 1):
            if k < len(tails) and tails[k]:
                continue
            sc: float | None = _UNKNOWN
            if quick is not None:
                sc = self._closed_cost(quick, j, k) if words[j] not in ARTICLES else self._article_cost(quick, j, k)
            if sc == _UNKNOWN:
                sc = self.slot_cost(slot_type, j, k)
            else:
                costs[(slot_type, j, k)] = sc
            if sc is None:
                if slot_type != "AMAZON.SearchQuery" and k - j >= 8:
                    break
                continue
            if typed is not None:
                # A listed value of another type inside the value costs what skipping it would: "this
                # week" is the frequency, not part of the chore "mow the lawn".
                sc += skip_typed * (typed[k] - typed[j])
            found.append((k, sc, max(0.0, 1.0 - sc)))
        return found

    def _span_reading(self, slot_type: str) -> tuple[_ClosedReading | None, list[int] | None, list[int] | None]:
        """What `_find_spans` reads of the turn for a slot type, looked up once per turn rather than once per start:
        the closed list's reading, the running count of other types' values (custom types), where number words
        stop (number types)."""
        found = self._span_readings.get(slot_type)
        if found is None:
            custom = self.engine.types.get(slot_type)
            found = self._span_readings[slot_type] = (
                self._closed_reading(slot_type, custom) if custom is not None else None,
                self._typed_counts(slot_type) if custom is not None else None,
                self._number_runs(slot_type) if slot_type in NUMBER_TYPES else None,
            )
        return found

    def _number_runs(self, slot_type: str) -> list[int]:
        """For each position j, where the words from j on stop being words a number of the type may have (as
        said, or as the number a homophone is read as): a span past it is no value. A turn without numbers
        asks a number type about every span of every length; this answers most of them at once."""
        runs = self._runs.get(slot_type)
        if runs is None:
            four_digit = slot_type == "AMAZON.FOUR_DIGIT_NUMBER"
            n = len(self.words)
            runs = [n] * (n + 1)
            for x in range(n - 1, -1, -1):
                w = self.words[x]
                possible = w in NUMBER_HOMOPHONES or bv.may_be_number_word(w, four_digit=four_digit)
                # A number stops at a written pause: "nine fifteen, five ounces" is no amount of 9155. A code's
                # digits are written in groups ("six two, six two"), so they run on.
                runs[x] = (x + 1 if self.pauses[x] and not four_digit else runs[x + 1]) if possible else x
            self._runs[slot_type] = runs
        return runs

    def _typed_counts(self, slot_type: str) -> list[int]:
        """Running count of the words that are listed values of another type than `slot_type` (see
        `_find_spans`), once per turn."""
        counts = self._typed_in.get(slot_type)
        if counts is None:
            counts = self._typed_in[slot_type] = [0]
            for t in self.typed:
                counts.append(counts[-1] + (1 if t and slot_type not in t else 0))
        return counts

    def _closed_reading(self, slot_type: str, custom: CustomType) -> _ClosedReading | None:
        """What `_closed_cost` needs of a closed list's type, once per turn; None for an open list or a name
        the built-in types have (which `_slot_cost` reads first)."""
        if custom.is_open or slot_type in bv.BUILTIN_PARSERS or slot_type in _NOT_CUSTOM:
            return None
        found = self._closed.get(slot_type)
        if found is None:
            dynamic = self.dynamic.get(slot_type)
            types = [custom] if dynamic is None else [dynamic, custom]
            names = [0]
            for may_be in self.could_be_name:
                names.append(names[-1] + may_be)
            longest = custom.max_words + (1 if custom.is_name else 2)
            found = self._closed[slot_type] = _ClosedReading(
                self._value_reading(custom, dynamic),
                self._slips(types),
                longest,
                max(longest, 3 if custom.is_name else 0, dynamic.max_words if dynamic is not None else 0),
                custom.is_name,
                names,
            )
        return found

    def _article_cost(self, quick: _ClosedReading, j: int, k: int) -> float | None:
        """`slot_cost` of words j..k that start with an article, for a closed list's type: None when some word
        is no listed word (only a listed phrase keeps its article, "the baby"), unless "a" may be the start of
        a value's word ("a wake"); _UNKNOWN otherwise."""
        n = k - j
        if n > 8:
            return None
        if self.words[j] == "a" and n >= 2:
            return _UNKNOWN
        if quick.read.unlisted[k] != quick.read.unlisted[j]:
            return None
        return _UNKNOWN

    def _closed_cost(self, quick: _ClosedReading, j: int, k: int) -> float | None:
        """`slot_cost` of words j..k for a closed list's type in the usual case, read off running counts: no
        word a phrase of the type could take whole, none heard as another, none a phrase holds or sounds like
        (what a short list's type meets for most spans of a turn). _UNKNOWN otherwise: `slot_cost` decides.
        The same figures as `_custom_cost`, in the same order, without a call per span."""
        n = k - j
        if n > 8:
            return None
        read, slips = quick.read, quick.slips
        if read.unlisted[k] == read.unlisted[j]:
            return _UNKNOWN  # every word is listed: maybe a phrase of the type
        if read.corrected[k] != read.corrected[j] and read.alt_unlisted[k] == read.alt_unlisted[j]:
            return _UNKNOWN  # maybe a phrase as corrected
        if read.digits[k] - read.digits[j] == n:
            return None  # a number alone names no listed thing
        if n > quick.longest and not (quick.is_name and n <= 3):
            return None
        if slips.alike[k] != slips.alike[j] or slips.joined[k - 1] != slips.joined[j] or read.near[k] != read.near[j]:
            return _UNKNOWN  # a word heard as another, or near some phrase: the full reading
        if self._said_a_time(j, k):
            return None
        if quick.is_name and n <= 3 and quick.names[k] - quick.names[j] == n:
            return UNLISTED_NAME_COST
        return 1.2 + 0.5 * (1.0 - (read.known[k] - read.known[j]) / n)

    def _slot_cost(self, slot_type: str, j: int, k: int) -> float | None:
        words = self.words[j:k]
        n = k - j
        if words[0].startswith("'"):
            return None  # the rest of a contraction ("leo's", "she'll") belongs to the word before: no value starts so
        if slot_type == "AMAZON.SearchQuery":
            if all(w in ARTICLES for w in words):
                # "her", "some": a determiner alone names nothing, it goes with the word after it ("she got her
                # gas drops" gives no dose "her").
                return None
            return 0.1 + 0.02 * n if n <= 30 else None
        if n > 8:
            return None
        if slot_type in bv.BUILTIN_PARSERS:
            cost = 0.0
            if _builtin_value(slot_type, tuple(words)) is None:
                read = (
                    self.number_reading(j, k)
                    if slot_type in NUMBER_TYPES
                    else self.duration_reading(j, k)
                    if slot_type == "AMAZON.DURATION"
                    else None
                )
                if read is None or _builtin_value(slot_type, tuple(read)) is None:
                    return None
                # Before a unit of time a homophone is a number all but certainly: "in to hours".
                each = self.NUMBER_HOMOPHONE if slot_type in NUMBER_TYPES else self.engine.GLUE_HOMOPHONE
                cost = each * sum(w in NUMBER_HOMOPHONES for w in words)
            if slot_type in _COUNT_OR_CLOCK and k < len(self.words) and self.words[k] in bv.DURATION_UNITS:
                return None  # "ten" of "ten minutes" is a length of time, not a count nor a clock time
            if slot_type in NUMBER_TYPES and k < len(self.words):
                said_next = self.words[k]
                if said_next in _HOUR_AFTER or (words[-1] in ("half", "quarter") and said_next in _PAST_OR_TO):
                    # "it was nine o'clock, not half past" had changed a bottle to nine ounces, then to half an
                    # ounce (persona round 23).
                    return None
            if slot_type in NUMBER_TYPES and j > 1 and self.words[j - 1] in _PAST_OR_TO and self._minutes_before(j - 2):
                return None  # the hour of "half past ten", "quarter to ten", "twenty past nine"
            if (
                words == ["one"]
                and j > 0
                and self.engine.types_of_word(self.keys[j - 1])
                and self.keys[j - 1] not in self.engine.vocabulary  # "option one", "number one": a sample's word
                and not self.keys[j - 1].isdigit()
                and self.words[j - 1] not in NUMBER_WORDS
            ):
                return None  # "a dirty one", "the cheaper one": "one" after a listed value stands for a thing
            if words == ["one"] and j > 0 and self.words[j - 1] in _BEFORE_A_PRONOUN_ONE:
                # "she just finished another one now, four ounces" had logged one ounce.
                return None
            return cost
        if slot_type == "AMAZON.DATE":
            return 0.0 if bv.parse_date(words, self.engine.today()) is not None else None
        if slot_type == "AMAZON.FirstName":
            # A word the model lists as a value of one of its types is that type's ("my budget for the boss"
            # is a relation, not someone called Boss), as a sample's own word is never a name.
            if any(self.engine.types_of_word(self.keys[i]) for i in range(j, k)):
                return None
            return 0.1 if bv.parse_first_name(words, self.engine.vocabulary) else None
        custom = self.engine.types.get(slot_type)
        if custom is None:  # another built-in type: any short phrase, at a price
            return 0.4 + 0.05 * n if n <= 6 else None
        if n > 1 and words[0] in _POINTING_DETERMINERS and custom.is_open:
            # "them baby wipes", "those paper towels": the word points at the thing, as an article does, and
            # stays outside its name ("them" alone still names what was spoken of).
            return None
        if words[0] in ARTICLES:
            # "the diapers": the article stays outside the value, unless the value itself has it ("the baby"),
            # or "a" is the start of a value's word the recogniser split ("a wake" for "awake").
            phrase = " ".join(self.keys[j:k])
            dynamic = self.dynamic.get(slot_type)
            known = phrase in custom.phrases or (dynamic is not None and phrase in dynamic.phrases)
            split = (
                words[0] == "a"
                and k - j >= 2
                and any(t.joined_alike("a", words[1]) for t in (custom, dynamic) if t is not None)
            )
            if not split:
                return 0.0 if known else None
        listed_cost = self._custom_cost(custom, self.dynamic.get(slot_type), j, k)
        if listed_cost and not custom.is_open and self._said_a_time(j, k):
            return None
        return listed_cost

    def _said_a_time(self, j: int, k: int) -> bool:
        """Whether words j..k have a word that says a time of day or a day ("this morning", "tonight"): no unlisted
        value of a closed list has one, whose words they would otherwise be at a price ("log a bottle at three this
        morning, five ounces of formula" had its unit "this morning"). A list that has such a phrase finds it
        listed first."""
        return self._time_words[k] != self._time_words[j]

    def _type_view(
        self, custom: CustomType, dynamic: CustomType | None
    ) -> tuple[list[CustomType], tuple[int, ...], _ValueReading, _Slips]:
        """The types a value is looked up in (the turn's own values first), their cache key, and the turn's
        readings for them (`_value_reading`, `_slips`): looked up once per span of `_custom_cost`, not once each."""
        found = self._views.get(id(custom))
        if found is None or found[0] is not dynamic:
            types = [custom] if dynamic is None else [dynamic, custom]
            found = self._views[id(custom)] = (
                dynamic,
                (types, tuple(map(id, types)), self._value_reading(custom, dynamic), self._slips(types)),
            )
        return found[1]

    def _custom_cost(self, custom: CustomType, dynamic: CustomType | None, j: int, k: int) -> float | None:
        alts = self.alts
        types, tkey, read, slips = self._type_view(custom, dynamic)
        # A listed phrase has only listed words: a span with another word is looked up no further.
        if read.unlisted[k] == read.unlisted[j]:
            phrase = " ".join(self.keys[j:k])
            if phrase in custom.phrases or (dynamic is not None and phrase in dynamic.phrases):
                return 0.0
        if read.corrected[k] != read.corrected[j] and read.alt_unlisted[k] == read.alt_unlisted[j]:
            phrase = " ".join(alts.get(i, self.keys[i]) for i in range(j, k))
            if phrase in custom.phrases or (dynamic is not None and phrase in dynamic.phrases):
                return 0.0
        n = k - j
        if read.digits[k] - read.digits[j] == n:
            return None  # a number alone names no listed thing ("no, just two" is a count): no value has it
        is_open = custom.is_open
        if is_open and n == 1 and self.keys[j] in _REFERRING:
            # "add it", "remove that": the value is whatever the conversation was about, for the skill to
            # look up, as Alexa sends it; no value of an open list is needed to say so.
            return 0.15
        if not is_open and n > custom.max_words + (1 if custom.is_name else 2) and not (custom.is_name and n <= 3):
            return None
        # Each word as said when the type knows it ("size"), else as corrected ("pampurs" → "pampers").
        near = True  # whether some phrase of the types holds one of the words, or a word sounding like it
        plain = False  # whether the words are read as said
        if slips.alike[k] == slips.alike[j] and slips.joined[k - 1] == slips.joined[j]:
            # No word heard as another: the words' readings were worked out once for the whole turn.
            heard = self.keys[j:k]
            plain = True
            keys = read.keys[j:k]
            known_words = read.known[k] - read.known[j]
            misheard = 0
            near = read.near[k] != read.near[j]
        else:
            heard, where, misheard = self._heard_values(types, tkey, slips, j, k)
            if not misheard:
                # Every word heard as said after all (none joined, none read as another): as above.
                keys = read.keys[j:k]
                known_words = read.known[k] - read.known[j]
                near = read.near[k] != read.near[j]
                plain = True
            else:
                keys = []
                known_words = 0
                value_words = custom.words
                extra_words = dynamic.words if dynamic is not None else ()
                for x, key in enumerate(heard):
                    i = where[x]
                    known = key in value_words or key in extra_words
                    if not known and i >= 0 and i in alts:
                        key = alts[i]
                        known = key in value_words or key in extra_words
                    known_words += known
                    keys.append(key)
        covered = known_words / len(keys)
        if is_open and n > 1 and self.keys[j][:1].isdigit():
            if all(key[:1].isdigit() or key in self.engine.vocabulary for key in self.keys[j + 1 : k]):
                return None  # a count and what it counts in the samples' words ("three packs"): no thing named
        # A count in front belongs to a quantity: "two boxes of wipes" is not a product name.
        counted = 0.4 if keys[0].isdigit() else 0.0
        counted += self.MISHEARD_VALUE_WORD * misheard
        if is_open:
            if plain:
                foreign, loose = self._foreign_words_said(types, tkey, j, k)
            else:
                foreign, loose = self._foreign_words(heard, types)
            counted += self.FOREIGN_WORD * foreign + self.LOOSE_WORD * loose
        if is_open and covered == 1.0:
            return KNOWN_WORDS_COST + counted  # known words in a new combination
        # Fuzzy comparison only against phrases sharing a word, or a sound, with the span.
        if is_open:
            best = _nearest_score(" ".join(keys), keys, types) if near else 0.0
        else:
            best = self._nearest_listed_score(keys, types) if near else 0.0
        if best:
            return (100.0 - best) / 100.0 * 2.0 + (counted if custom.is_open else 0.0)
        if custom.is_open:
            return 0.5 + 0.6 * (1.0 - covered) + counted
        if custom.is_name and n <= 3 and all(self.could_be_name[j:k]):
            return UNLISTED_NAME_COST
        if (
            0.0 < covered
            and n > 1
            and not (self._listed(keys[0], custom, dynamic) and self._listed(keys[-1], custom, dynamic))
        ):
            # A listed value's words with an unlisted word at an edge is that value and a word beside it, not a
            # new value ("three ounces of her formula as well, bless her" is formula): the shorter span is
            # offered too, and what it leaves out counts against the alignment as said, not hidden in a value.
            return None
        return 1.2 + 0.5 * (1.0 - covered)

    @staticmethod
    def _listed(key: str, custom: CustomType, dynamic: CustomType | None) -> bool:
        return key in custom.words or (dynamic is not None and key in dynamic.words)

    @staticmethod
    def _nearest_listed_score(keys: list[str], types: list[CustomType]) -> float:
        """The best `fuzz.ratio` (80 or more, else 0.0) of the keys with a phrase of a closed list's types near
        one of them that is a slip per word of it (`_word_by_word`), among each type's three best phrases."""
        best = 0.0
        for t in types:
            pool: dict[str, None] = {}
            for w in keys:
                pool.update(t.phrases_near(w))
            if pool:
                said = " ".join(keys)
                for phrase, score, _ in process.extract(said, list(pool), scorer=fuzz.ratio, score_cutoff=80, limit=3):
                    if _word_by_word(keys, phrase.split(), score):
                        best = max(best, score)
                        break
        return best

    def _slips(self, types: list[CustomType]) -> _Slips:
        """Per word of the turn, for the values of `types`: whether no value has it, the value word it and the
        next word join into, whether it sounds like a value word (see `_heard_values`); once per turn."""
        tkey = tuple(map(id, types))
        found = self._slips_in.get(tkey)
        if found is None:
            keys = self.keys
            unknown = [key.isalpha() and not any(key in t.words for t in types) for key in keys]
            # Two words join into one word of the values when at most one of them is a value word and they are
            # no pair of a value: "bath room" is "bathroom", "laundry room" stays; "a wake" is "awake".
            joined = self._joined_keys()
            joins = [
                next(
                    (
                        w
                        for t in types
                        if (keys[x], keys[x + 1]) not in t.pairs
                        and (w := t.joined_key_alike(self.words[x], self.words[x + 1], *joined[x]))
                    ),
                    None,
                )
                if x + 1 < len(keys) and (unknown[x] or unknown[x + 1]) and keys[x + 1].isalpha()
                else None
                for x in range(len(keys))
            ]
            # A word of two letters sounds like too much to be heard as another by its sound alone: its sound is
            # one consonant ("po", a Filipino courtesy, had been heard as "pee" and logged a diaper's kind).
            alikes = [
                unknown[x]
                and len(w) > 2
                and any(t.by_sound.get(phonetic(self.keys[x])) or t.by_sound.get(phonetic(w)) for t in types)
                for x, w in enumerate(self.words)
            ]
            found = self._slips_in[tkey] = _Slips(unknown, joins, alikes)
        return found

    def _says_a_date(self, key: str) -> bool:
        """Whether the word alone is a date ("today"): asked of the last word of every span of an open list."""
        found = self._date_words.get(key)
        if found is None:
            found = self._date_words[key] = bv.parse_date([key], self.engine.today()) is not None
        return found

    def _joined_keys(self) -> list[tuple[str, str]]:
        """Each word joined with the next one ("hug" + "ease"): its key and its sounds (see
        `CustomType.joined_alike`), the same for every type."""
        if self._joined is None:
            words = self.words
            self._joined = []
            for x in range(len(words) - 1):
                key = key_of(words[x] + words[x + 1])
                self._joined.append((key, phonetic(key)))
        return self._joined

    def _value_reading(self, custom: CustomType, dynamic: CustomType | None) -> _ValueReading:
        """What `_custom_cost` reads of each word for a type's values, once per turn rather than once per
        span: running counts, so that a span's figure is a difference of two."""
        rkey = (id(custom), id(dynamic))
        found = self._readings.get(rkey)
        if found is None:
            value_words = custom.words
            extra_words = dynamic.words if dynamic is not None else frozenset()
            types = [custom] if dynamic is None else [dynamic, custom]
            found = _ValueReading()

            def listed(key: str) -> bool:  # a word a phrase may have (a key with a space is looked up whole)
                return key in value_words or key in extra_words or " " in key or not key

            for x, key in enumerate(self.keys):
                alt = self.alts.get(x)
                found.unlisted.append(found.unlisted[-1] + (not listed(key)))
                found.corrected.append(found.corrected[-1] + (alt is not None))
                found.alt_unlisted.append(found.alt_unlisted[-1] + (not listed(key if alt is None else alt)))
                found.digits.append(found.digits[-1] + key.isdigit())
                known = key in value_words or key in extra_words
                if not known and alt is not None:
                    key = alt
                    known = key in value_words or key in extra_words
                found.keys.append(key)
                found.known.append(found.known[-1] + known)
                found.near.append(found.near[-1] + any(t.phrases_near(key) for t in types))
            self._readings[rkey] = found
        return found

    def _heard_values(
        self, types: list[CustomType], tkey: tuple[int, ...], found: _Slips, j: int, k: int
    ) -> tuple[list[str], list[int], int]:
        """Words j..k as values of `types` were likely said: two words that sound like one word of the values
        are that word ("hug ease" → "huggies"), and a word that sounds like a value's word next to its
        neighbour is that word ("dish soup"). Returns the keys, their turn positions (-1 for two words
        joined) and how many words were read so. `tkey` and `found`: the types' cache key and `_slips`."""
        joined_at, alike_at = found.joins, found.alikes
        if not any(alike_at[j:k]) and not any(joined_at[j : k - 1]):
            return list(self.keys[j:k]), list(range(j, k)), 0
        if not any(joined_at[j : k - 1]):
            # No two words joined, so each word is read beside its neighbours as said: where every word that
            # sounds like a value word was read so before (in another span) and kept, the words are as said.
            keys, alike_in = self.keys, self._alike_in
            for x in range(j, k):
                if alike_at[x]:
                    seen = (tkey, x, keys[x - 1] if x > j else None, keys[x + 1] if x + 1 < k else None)
                    if alike_in.get(seen, "") is not None:
                        break
            else:
                return list(keys[j:k]), list(range(j, k)), 0
        heard: list[str] = []
        where: list[int] = []
        misheard = 0
        x = j
        while x < k:
            joined = joined_at[x] if x + 1 < k else None
            if joined:
                heard.append(joined)
                where.append(-1)
                misheard += 1
                x += 2
                continue
            heard.append(self.keys[x])
            where.append(x)
            x += 1
        for x in range(len(heard)):
            if where[x] < 0 or not alike_at[where[x]]:
                continue
            # What the word was heard as depends on it and its neighbours in the span only (the one before as
            # already read): spans of a turn share it.
            seen = (tkey, where[x], heard[x - 1] if x > 0 else None, heard[x + 1] if x + 1 < len(heard) else None)
            if seen in self._alike_in:
                alike = self._alike_in[seen]
                if alike:
                    heard[x] = alike
                    misheard += 1
                continue
            alike = next((a for t in types if (a := t.paired_alike(heard, x, self.words[where[x]]))), None)
            # A value of one word, said as its homophone: "write" side. Not a question or function word:
            # "what" and "which" sound like "wet", but "what's the cheapest diaper" logs nothing.
            if alike is None and len(heard) == 1 and heard[0] not in _FUNCTION_WORDS:
                alike = next(
                    (
                        a
                        for t in types
                        for sound in (phonetic(heard[0]), phonetic(self.words[where[0]]))
                        for a in t.by_sound.get(sound, ())
                        # The whole word heard as another needs its syllables too: "set" is not "soothie".
                        if a in t.singles
                        and sound_shape(a) in (sound_shape(heard[0]), sound_shape(self.words[where[0]]))
                    ),
                    None,
                )
            self._alike_in[seen] = alike
            if alike:
                heard[x] = alike
                misheard += 1
        return heard, where, misheard

    FOREIGN_WORD = 0.9  # about what skipping the word would cost
    NUMBER_HOMOPHONE = 0.3  # each "tree" read as "three" where a number is expected
    MISHEARD_VALUE_WORD = 0.1  # "soup" read as "soap" after "dish"
    LOOSE_WORD = 0.3  # a known word that is no value alone nor next to its neighbours ("rolls")

    def _foreign_words(self, keys: list[str], types: list[CustomType]) -> tuple[int, int]:
        """Words of a span that no phrase of the type attaches, but that the model's requests use.

        An open list (products) takes unlisted words freely ("organic bananas"), but a glue word or a
        word of the intents' own phrasing that no value holds in that place is most likely not part of
        the value: "boxes of wipes", "the wipes going to", "my usual coffee", "good night".
        """
        vocabulary = self.engine.vocabulary

        def new_word(x: int) -> bool:  # a word neither the values nor the model know
            k = keys[x]
            return k.isalpha() and k not in vocabulary and k not in SOFT_WORDS and not any(k in t.words for t in types)

        last = len(keys) - 1
        # A name nobody listed is said the way names are, its head last: "a lego set", "the tee pee", "a toy
        # truck". The last word after a new word heads the name whatever the model's requests use it for, and
        # a known word before a new last word is what kind of thing it is. A word of time keeps its own
        # reading ("umbrella today"). Measured on every language set (docs/decisions/0002).
        new_head = last > 0 and not self._says_a_date(keys[last])
        foreign = loose = 0
        for i, w in enumerate(keys):
            if w.isdigit():
                continue
            attached = any(
                w in t.singles
                or (i > 0 and (keys[i - 1], w) in t.pairs)
                or (i + 1 < len(keys) and (w, keys[i + 1]) in t.pairs)
                for t in types
            )
            if attached:
                continue
            # "rolls of bounty": a word before an "of" no phrase has there measures the value.
            partitive = i + 1 < len(keys) and keys[i + 1] == "of"
            heads_new_name = new_head and i == last and new_word(i - 1)
            if (w == "and" or (w in ARTICLES and keys[i - 1] == "and")) and 0 < i < last:
                # "paper towels and lego": several things in one breath. The skill reads the value as a list
                # (or as one name with "and" in it); leaving the last thing out here would drop it unsaid.
                continue
            if w in SOFT_WORDS or (w in vocabulary and not heads_new_name) or partitive:
                foreign += 1
            elif any(w in t.words for t in types) and not (new_head and i == last - 1 and new_word(last)):
                loose += 1
        return foreign, loose

    def _foreign_words_said(self, types: list[CustomType], tkey: tuple[int, ...], j: int, k: int) -> tuple[int, int]:
        """`_foreign_words` of the turn's words j..k as said, from facts about each word worked out once per
        turn (an open list's type is asked about every span of up to eight words). `tkey`: the types' cache key."""
        facts = self._word_facts.get(tkey)
        if facts is None:
            facts = self._word_facts[tkey] = _WordFacts.of(self.keys, types, self.engine.vocabulary)
        keys = self.keys
        single, left, right, listed, new, model = (
            facts.single,
            facts.left,
            facts.right,
            facts.listed,
            facts.new,
            facts.model,
        )
        last = k - j - 1
        new_head = last > 0 and not self._says_a_date(keys[k - 1])
        foreign = loose = 0
        for i in range(last + 1):
            x = j + i
            w = keys[x]
            if w.isdigit():
                continue
            if single[x] or (i > 0 and left[x]) or (i < last and right[x]):
                continue  # attached by a phrase of the types
            partitive = i < last and keys[x + 1] == "of"
            heads_new_name = new_head and i == last and new[x - 1]
            if (w == "and" or (w in ARTICLES and keys[x - 1] == "and")) and 0 < i < last:
                continue
            if w in SOFT_WORDS or (model[x] and not heads_new_name) or partitive:
                foreign += 1
            elif listed[x] and not (new_head and i == last - 1 and new[k - 1]):
                loose += 1
        return foreign, loose

    def _skip_costs(self, intent: str) -> tuple[list[float], list[float]]:
        """What skipping each word costs in `align`, at the edges of a sample of the intent and inside it: a
        value of another intent's type costs more ("tylenol" is no feeding's). Once per intent and turn, not
        once per cell."""
        found = self._skips.get(intent)
        if found is None:
            eng = self.engine
            own_types = frozenset(eng.intent_slots[intent].values())
            extra = [eng.SKIP_TYPED if t and not t & own_types else 0.0 for t in self.typed]
            soft = self.soft_tokens
            found = self._skips[intent] = (
                [(eng.SKIP_SOFT if soft[j] else eng.SKIP_EDGE_WORD) + extra[j] for j in range(len(extra))],
                [(eng.SKIP_SOFT if soft[j] else eng.SKIP_WORD) + extra[j] for j in range(len(extra))],
            )
        return found

    def _matches(self, el: Element) -> tuple[list[tuple[float, float] | None], list[int]]:
        """How each word of the turn can stand for the sample word `el` in `align`: (cost, gain) where the
        word alone says so (the same word, its correction, a sound-alike, an inflection, a glue homophone, a
        pronoun's peer), else None and the flags of what the sample around it decides (_ONE, _NAME, _INSTEAD,
        _GLUE_FOR_GLUE). Samples share their words, so a turn works each out once, not once per sample."""
        found = self._match_rows.get(id(el))
        if found is not None:
            return found
        eng = self.engine
        keys, alts, sounds, roots = self.keys, self.alts, self.sounds, self.roots
        key, soft, root = el.key, el.soft, el.root
        # Most words of the turn stand for the sample word in no way of their own: they get what the sample
        # around them decides, the same for every sample word of the kind. Only the words indexed under the
        # word or its lemma are looked at one by one.
        matched: list[tuple[float, float] | None] = [None] * len(keys)
        flagged = list(self._plain_flags(soft, key in _PRONOUNS))
        for j in self._may_stand_for(key, root):
            if keys[j] == key:
                match: tuple[float, float] | None = (0.0, 0.3 if soft else 1.0)
            elif alts.get(j) == key:
                match = (eng.NEAR_MATCH, 0.7)
            elif key in sounds.get(j, ()):
                match = (eng.SOUND_ALIKE, 0.7)  # "odor" where the sample has "my order"
            elif roots[j] == root and not soft:
                match = (eng.INFLECTED, 0.9)  # "pumping" for "pumped", "bought" for "buy"
            elif soft and key in self.glue[j]:
                match = (eng.GLUE_HOMOPHONE, 0.3)  # "button two supplies" for "button to {newName}"
            elif key in self.peers[j]:
                match = (eng.INFLECTED, 0.9)  # "he" for "she"
            else:
                continue
            matched[j] = match
            flagged[j] = 0
        found = self._match_rows[id(el)] = (matched, flagged)
        return found

    def _word_steps(
        self, el: Element, intent: str, after_slot: bool, next_to_slot: bool
    ) -> list[tuple[float, str, float] | None]:
        """What taking each word of the turn for the sample word `el` costs in `align`, as (cost, step, gain), None
        where the word cannot be taken for it: the word's own match (`_matches`), else what the sample around it
        decides. Once per turn for each sample word in its place, not once per cell."""
        found_key = (id(el), intent, after_slot, next_to_slot)
        found = self._steps.get(found_key)
        if found is not None:
            return found
        eng = self.engine
        matched, flagged = self._matches(el)
        type_words = eng.intent_type_words(intent)
        keys = self.keys
        found = []
        for j, match in enumerate(matched):
            if match is not None:
                found.append((match[0], "word", match[1]))
                continue
            flags = flagged[j]
            if flags & _ONE and after_slot:
                found.append((eng.INFLECTED, "word", 0.6))  # "a dirty one" for "a {diaperType} diaper"
            elif flags & _NAME:
                # A name where the sample has "she" ("maya woke up") is remembered: it may be a value for the
                # intent's name slot.
                found.append((eng.NAME_FOR_PRONOUN, "name", 0.8))
            elif flags & _INSTEAD:
                # One word said in place of another. A value of one of the intent's slot types in place of a word
                # ("has the formula shipped" for "has my order shipped") is a smaller change. Next to a slot, the
                # value word belongs in the slot: "get the dish soap again" is not "get the same {product} again"
                # with "dish" for "same".
                cheap = keys[j] in type_words and not next_to_slot
                found.append((eng.SUBSTITUTE_VALUE if cheap else eng.SUBSTITUTE, "word", 0.0))
            elif flags & _GLUE_FOR_GLUE:
                found.append((eng.SKIP_SOFT, "word", 0.0))  # "are" for "is", "the" for "my"
            else:
                found.append(None)
        self._steps[found_key] = found
        return found

    def _plain_flags(self, soft: bool, pronoun: bool) -> list[int]:
        """`_matches`' flags of each word for a sample word that the word does not stand for by itself: a glue
        word or not, a pronoun or not. Once per turn and kind."""
        found = self._flag_rows.get((soft, pronoun))
        if found is None:
            found = self._flag_rows[(soft, pronoun)] = [
                (_ONE if w in ("one", "ones") and not soft else 0)
                | (_NAME if pronoun and name else 0)
                | (_INSTEAD if not soft and not glue else 0)
                | (_GLUE_FOR_GLUE if soft and glue else 0)
                for w, name, glue in zip(self.words, self.could_be_name, self.soft_tokens, strict=True)
            ]
        return found

    def _may_stand_for(self, key: str, root: str) -> list[int]:
        """The positions of the words that may stand for a sample word by themselves (see `_matches`): the word,
        its correction, a sound-alike, a glue homophone or a pronoun's peer is the key, or its lemma the root."""
        index = self._standing
        if index is None:
            index = self._standing = defaultdict(set)
            for j, k in enumerate(self.keys):
                heard = {k, self.roots[j]} | self.sounds.get(j, frozenset()) | self.glue[j] | self.peers[j]
                if j in self.alts:
                    heard.add(self.alts[j])
                for word in heard:
                    index[word].add(j)
        return sorted(index.get(key, set()) | index.get(root, set()))

    # -- alignment --

    def align(self, sample: Sample, need: float = 0.0) -> Alignment | None:
        """Cheapest alignment of the sample with the turn, by dynamic programming.

        With `need`, only an alignment more confident than that is wanted (the caller has one as good): the
        answer is the same whenever the cheapest alignment is, and None otherwise. Its confidence is at
        most gain / (gain + cost), and no element gains more than 1 (a soft word 0.9), so a partial path
        whose cost already reaches `ceiling` cannot get there and is not followed.
        """
        eng = self.engine
        els = sample.elements
        m, n = len(els), len(self.tokens)
        inf = math.inf
        if need > 0.0:
            ceiling = sample.most_gain * (1.0 / need - 1.0) if need < 1.0 else 0.0
        else:
            ceiling = inf
        # One flat table per part of a cell, row by row (cell (i, j) at i * w + j): the cost of the cheapest path to
        # it, and how it was reached (the turn word it came from, the step, the gain). A skip stays in its row; every
        # other step comes from the row above. Flat lists of plain values: a tuple per cell cost a third of the time.
        w = n + 1
        cost = [inf] * ((m + 1) * w)
        from_j = [-1] * ((m + 1) * w)
        step = [""] * ((m + 1) * w)
        step_gain = [0.0] * ((m + 1) * w)
        cost[0] = 0.0
        slot_types = eng.intent_slots[sample.intent]
        number_end = self.number_end
        keys = self.keys
        next_to_slot = sample.next_to_slot
        carrier = sample.carrier
        slot_spans = self.slot_spans
        skip_edge, skip_word = eng.SKIP_EDGE_WORD, eng.SKIP_WORD
        drop_soft, drop_word, drop_subject = eng.DROP_SOFT, eng.DROP_WORD, eng.DROP_SUBJECT
        slot_unsaid = eng.SLOT_UNSAID
        edge_skips, inner_skips = self._skip_costs(sample.intent)
        # Each row's cells in the order the plain table takes them, j rising, and within a cell: skip a turn
        # word, skip a whole number, then the sample element (drop it, match it, or fill its slot).
        for i in range(m + 1):
            base = i * w
            nbase = base + w
            skip_other = skip_edge if i == 0 or i == m else skip_word
            skips = edge_skips if i == 0 or i == m else inner_skips
            if i == m:  # the last row: no sample element left to match
                for j in range(n):
                    c = cost[base + j]
                    if c >= ceiling:
                        continue  # unreached (inf), or too costly to give what is needed
                    x = c + skips[j]
                    if x < cost[base + j + 1]:
                        cost[base + j + 1] = x
                        from_j[base + j + 1] = j
                        step[base + j + 1] = "skip"
                        step_gain[base + j + 1] = 0.0
                    end = number_end[j]
                    if end:
                        x = c + skip_other
                        if x < cost[base + end]:
                            cost[base + end] = x  # a whole number said in words, as one word
                            from_j[base + end] = j
                            step[base + end] = "skip"
                            step_gain[base + end] = 0.0
                if min(cost[base : base + w]) >= ceiling:
                    return None
                break
            el = els[i]
            if el.slot:
                slot_type = slot_types[el.key]
                by_start = self._spans_from(slot_type)
                # "scratch the {product}" is not "scratch that": no one says "the it".
                the_it = i > 0 and els[i - 1].key in ARTICLES
                # The skip steps below are written out again in the word row's loop, not shared through a
                # function: this is the innermost loop of every parse, and a call per cell costs more than it.
                for j in range(n):
                    c = cost[base + j]
                    if c >= ceiling:
                        continue
                    x = c + skips[j]
                    if x < cost[base + j + 1]:
                        cost[base + j + 1] = x
                        from_j[base + j + 1] = j
                        step[base + j + 1] = "skip"
                        step_gain[base + j + 1] = 0.0
                    end = number_end[j]
                    if end:
                        x = c + skip_other
                        if x < cost[base + end]:
                            cost[base + end] = x
                            from_j[base + end] = j
                            step[base + end] = "skip"
                            step_gain[base + end] = 0.0
                    x = c + slot_unsaid
                    if x < cost[nbase + j]:
                        cost[nbase + j] = x
                        from_j[nbase + j] = j
                        step[nbase + j] = "unsaid"
                        step_gain[nbase + j] = 0.0
                    offered = by_start[j]
                    if offered is None:
                        offered = slot_spans(slot_type, j)
                    for k, sc, gain in offered:
                        if the_it and k == j + 1 and keys[j] in _REFERRING:
                            sc, gain = sc + 1.0, 0.0
                        x = c + sc
                        if x < cost[nbase + k]:
                            cost[nbase + k] = x
                            from_j[nbase + k] = j
                            step[nbase + k] = "slot"
                            step_gain[nbase + k] = gain
                c = cost[base + n]  # after the last word said the slot can only be left unsaid (no span starts there)
                if c < ceiling and c + slot_unsaid < cost[nbase + n]:
                    cost[nbase + n] = c + slot_unsaid
                    from_j[nbase + n] = n
                    step[nbase + n] = "unsaid"
                    step_gain[nbase + n] = 0.0
            else:
                steps = self._word_steps(el, sample.intent, i > 0 and els[i - 1].slot, next_to_slot[i])
                drop = drop_soft if el.soft and not carrier[i] else drop_word
                if i == 0 and el.key in SUBJECTS:
                    drop = drop_subject  # "changed a dirty one" for "i changed a {diaperType} diaper"
                for j in range(n):
                    c = cost[base + j]
                    if c >= ceiling:
                        continue
                    x = c + skips[j]
                    if x < cost[base + j + 1]:
                        cost[base + j + 1] = x
                        from_j[base + j + 1] = j
                        step[base + j + 1] = "skip"
                        step_gain[base + j + 1] = 0.0
                    end = number_end[j]
                    if end:
                        x = c + skip_other
                        if x < cost[base + end]:
                            cost[base + end] = x
                            from_j[base + end] = j
                            step[base + end] = "skip"
                            step_gain[base + end] = 0.0
                    x = c + drop
                    if x < cost[nbase + j]:
                        cost[nbase + j] = x
                        from_j[nbase + j] = j
                        step[nbase + j] = "drop"
                        step_gain[nbase + j] = 0.0
                    taken = steps[j]
                    if taken is not None:
                        x = c + taken[0]
                        if x < cost[nbase + j + 1]:
                            cost[nbase + j + 1] = x
                            from_j[nbase + j + 1] = j
                            step[nbase + j + 1] = taken[1]
                            step_gain[nbase + j + 1] = taken[2]
                c = cost[base + n]  # the last word said: only the element is left, to drop
                if c < ceiling and c + drop < cost[nbase + n]:
                    cost[nbase + n] = c + drop
                    from_j[nbase + n] = n
                    step[nbase + n] = "drop"
                    step_gain[nbase + n] = 0.0
            # Each cell's cost was final when its turn came (a row's cells reach only the cells after them).
            live = min(cost[base : base + w]) < ceiling
            if not live:
                # Every path through this row already costs too much: the rows below are reached only from
                # it, so nothing under the ceiling is left.
                return None
        total = cost[m * w + n]
        if total >= ceiling:
            return None
        gain = 0.0
        hard_matched = 0
        skipped: list[int] = []
        named: list[int] = []  # turn words said where the sample has a pronoun
        spans: dict[str, tuple[int, int]] = {}
        number_words: list[tuple[int, int]] = []  # sample words such as "one" matched right after a slot
        skip_paid: dict[int, float] = {}
        unsaid: list[str] = []
        i, j = m, n
        while i or j:
            kind = step[i * w + j]
            if not kind:
                return None
            pj = from_j[i * w + j]
            pi = i if kind == "skip" else i - 1
            g = step_gain[i * w + j]
            if g > 0.0:
                gain += g
            if kind == "word" and not els[pi].soft and g > 0:
                hard_matched += 1
                if els[pi].key.isdigit() and pi > 0 and els[pi - 1].slot:
                    number_words.append((pi, pj))
            elif kind == "skip":
                skipped.extend(range(pj, j))  # one word, or a whole number said in several
                skip_paid[pj] = cost[i * w + j] - cost[pi * w + pj]
            elif kind == "name":
                named.append(pj)
                hard_matched += 1
            elif (
                kind == "word"
                and g == 0
                and self.keys[pj] != els[pi].key
                and self.alts.get(pj) != els[pi].key
                and els[pi].key not in self.sounds.get(pj, ())
            ):
                skipped.append(pj)  # said in place of a sample word: free for a slot value
            if kind == "slot":
                spans[els[pi].key] = (pj, j)
            elif kind == "unsaid":
                unsaid.append(els[pi].key)
            i, j = pi, pj
        for pi, pj in number_words:
            # "the {option} one" said as "five five five one": the "one" may as well end the number.
            before = els[pi - 1].key
            if (
                before in spans
                and spans[before][1] == pj
                and slot_types[before] in NUMBER_TYPES
                and self.slot_cost(slot_types[before], spans[before][0], pj + 1) == 0.0
            ):
                gain -= 0.7
                hard_matched -= 1
        for name, slot_type in slot_types.items():
            # A quantity the sample has no place for, said where other samples put the intent's free-text
            # slot ("log tylenol five milliliters" beside "i gave her {medicine} {dose}"), is explained, not
            # skipped: `slots_of` gives it that slot.
            if slot_type == "AMAZON.SearchQuery" and name not in spans and skip_paid:
                run = self._free_text_leftover(sample.intent, name, spans, set(skipped))
                if run:
                    total -= sum(skip_paid.get(x, 0.0) for x in range(*run))
                    gain += 1.0
                    break
        if gain <= 0:
            return None
        confidence = gain / (gain + total)
        hard_total = len(sample.hard_words)
        if hard_total:
            # Most of an intent's own words must be there: "set the thermostat to seventy" is not a button.
            # Around a free-text slot the carrier phrase is all the evidence there is, so all of it counts.
            said = hard_matched / hard_total
            confidence *= said if sample.free_text else 0.6 + 0.4 * said
        if any(
            self.span_cost(slot_types[name], *span) >= 1.0
            for name, span in spans.items()
            if slot_types[name] in eng.types and not eng.types[slot_types[name]].is_open
        ):
            confidence *= eng.UNLISTED_VALUE
        if not sample.hard:
            # A bare "{product}" is weaker evidence than words of an intent, and only a good value
            # makes it evidence at all ("good night" is not a product someone picked).
            worst = (
                max(
                    (
                        self.span_cost(slot_types[els[i].key], *spans[els[i].key])
                        for i in range(m)
                        if els[i].slot and els[i].key in spans
                    ),
                    default=0.0,
                )
                or 0.0
            )
            confidence *= 0.85 if worst <= 0.3 else 0.5
        other_domain = 1.0
        if any(self.other_domain):
            # Free text may hold anything. In a value of an open list (products) only the last word, the head
            # of the name, says what the thing is: "light bulbs" and "phone case" are things to buy,
            # "bedroom lights" and "the thermostat" are not.
            free = {
                p for name, (a, b) in spans.items() if slot_types[name] == "AMAZON.SearchQuery" for p in range(a, b)
            }
            # When every word of the intent's own phrase was said ("add ... to my cart"), the phrase says what
            # the request is for, and the value's head is a thing to buy whatever else it names: a lamp, a fan.
            whole_phrase = hard_total >= 2 and hard_matched >= hard_total
            free.update(
                p
                for name, (a, b) in spans.items()
                if slot_types[name] in eng.types and eng.types[slot_types[name]].is_open
                for p in range(a, b if whole_phrase else b - 1)
            )
            other_domain = eng.OTHER_DOMAIN ** sum(1 for p, o in enumerate(self.other_domain) if o and p not in free)
            confidence *= other_domain
        return Alignment(confidence, spans, sorted(skipped), named, other_domain, unsaid)

    # -- the answer --

    def _fill_leftovers(self, intent: str, alignment: Alignment) -> dict[str, tuple[int, int]]:
        """Slots the sample did not place, found among the words it skipped ("log a feeding for noah").

        Only clear cases: a built-in value or a listed value of the slot's type, or a name after "for";
        a type two empty slots share is left alone, since nothing says which of them it is.
        """
        spans = dict(alignment.spans)
        slot_types = self.engine.intent_slots.get(intent, {})
        self._clock_from_number(intent, spans)
        self._to_the_slot_that_fits(intent, spans)
        counted = self._count_after_a_value(intent, spans)
        empty = [n for n, t in slot_types.items() if n not in spans and t != "AMAZON.SearchQuery"]
        free_text = [n for n, t in slot_types.items() if n not in spans and t == "AMAZON.SearchQuery"]
        if not (empty or free_text) or not (alignment.skipped or alignment.named or counted):
            return spans
        free = set(alignment.skipped) | set(alignment.named) | counted
        self._named = set(alignment.named)
        shared = {t for t in (slot_types[n] for n in empty) if sum(slot_types[m] == t for m in empty) > 1}
        for name in empty:
            slot_type = slot_types[name]
            if slot_type in shared and (
                slot_type not in self.engine.types or self.engine.main_slot(intent, slot_type) != name
            ):
                # Two empty slots of one listed type: only the one the samples use most ("{product}", not the
                # "{otherProduct}" of "{product} and {otherProduct}") takes a value left over. Of a built-in type
                # neither does: "twenty minutes" may be how long a feed took or how long ago it was.
                continue
            found = self._leftover_span(slot_type, free)
            if found and self._bare_number_time(intent, name, slot_type, found):
                continue
            if found and slot_type in NUMBER_TYPES and self._said_as_time(intent, empty, found):
                # "log a feeding at two": the time, not an amount. A number said after the time may still be one
                # ("a bottle at two o'clock, four ounces of formula").
                found = self._leftover_span(slot_type, free - set(range(*self._time_from(found))))
                if found is None or self._said_as_time(intent, empty, found):
                    continue
            if found:
                spans[name] = found
                free.difference_update(range(*found))
        for name in free_text:
            found = self._free_text_leftover(intent, name, spans, free)
            if found:
                spans[name] = found
                free.difference_update(range(*found))
        for slot_type in sorted(shared):
            # Two empty slots of one type ("duration" and "ago"): the samples may still say which one a value
            # is, by the word that always follows a slot ("{ago} ago"). Filled only when one slot fits.
            found = self._leftover_span(slot_type, free)
            if found is None:
                continue
            said_next = self.keys[found[1]] if found[1] < len(self.keys) else None
            fits = [n for n in empty if slot_types[n] == slot_type and self._may_end_here(intent, n, said_next)]
            if len(fits) > 1 and said_next is not None:
                # Of those that may end there, the one whose samples say the very word that follows ("twenty
                # minutes ago": "{ago} ago"), where only one does; the others only may be followed by anything.
                said_so = [n for n in fits if said_next in self._said_around(intent, n)[1]]
                fits = said_so if len(said_so) == 1 else fits
            if len(fits) == 1:
                spans[fits[0]] = found
                free.difference_update(range(*found))
        return spans

    def _free_text_leftover(
        self, intent: str, slot: str, spans: dict[str, tuple[int, int]], free: set[int]
    ) -> tuple[int, int] | None:
        """Skipped words with a quantity in them that a free-text slot takes where the samples put that slot:
        right after the word or the slot before it in some sample ("log tylenol 2.5 milliliters for maya":
        samples have "{medicine} {dose}"), up to where a sample lets it end. Said in a place no sample puts
        it, they stay skipped."""
        before, _ = self._said_around(intent, slot)
        if not before:
            return None
        ends_at = {k: name for name, (_, k) in spans.items()}
        for j in sorted(free):
            if j - 1 in free or j == 0:
                continue  # not the start of a run of skipped words
            k = j
            while k in free:
                k += 1
            while k > j and self.words[k - 1] in SOFT_WORDS:
                k -= 1  # "2.5 milliliters" of "2.5 milliliters for maya"
            if self.words[j].startswith("'"):
                continue  # the rest of a word before ("leo's length ..."): no value starts so (`_slot_cost`)
            if not any(self.words[x] in NUMBER_WORDS or self.keys[x][:1].isdigit() for x in range(j, k)):
                # Only a quantity is sure to be meant: other skipped words are as often asides ("done for
                # today") or words the samples put elsewhere ("a dose of").
                continue
            said_before = self.keys[j - 1] in before or ("{" + ends_at.get(j, "") + "}") in before
            if said_before and self._may_end_here(intent, slot, self.keys[k] if k < len(self.keys) else None):
                return (j, k)
        return None

    def _said_around(self, intent: str, slot: str) -> tuple[AbstractSet[str], AbstractSet[str]]:
        """The words the intent's samples say right before and right after the slot (empty where none do)."""
        return self.engine.slot_context.get((intent, slot), _NOTHING_AROUND)

    def _clock_from_number(self, intent: str, spans: dict[str, tuple[int, int]]) -> None:
        """A number the sample took that was said as a time: the words before it are those the samples put before
        the intent's empty time slot and never before the number's ("bottle at nine fifteen, five ounces" aligned
        with "bottle {amount} {volumeUnit}"), and the words are a time of day. It moves to the time slot, and the
        number is looked for again among the words left over ("five"). Read off the samples' contexts, as
        `_said_as_time` does for a leftover: no word is named here."""
        slot_types = self.engine.intent_slots.get(intent, {})
        times = [n for n, t in slot_types.items() if t == "AMAZON.TIME" and n not in spans]
        if not times:
            return
        for name, (j, k) in list(spans.items()):
            if slot_types.get(name) not in NUMBER_TYPES or j == 0:
                continue
            said_before = self.keys[j - 1]
            if said_before in self._said_around(intent, name)[0]:
                continue  # the samples put the word before the number too: nothing says it is no number
            fits = [t for t in times if said_before in self._said_around(intent, t)[0]]
            if len(fits) == 1 and self.slot_cost("AMAZON.TIME", j, k) == 0.0:
                spans[fits[0]] = spans.pop(name)
                return

    def _count_after_a_value(self, intent: str, spans: dict[str, tuple[int, int]]) -> set[int]:
        """A count said after a listed value, right before a word the samples put after a number ("bounty paper
        towels, two packs each time", "wipes, three packs"): the value ends before it, and the number is left over for
        the intent's empty number slot. Not a number the type's own values say after that word ("size 2" of "pampers
        size two packs"). Returns the words set free."""
        slot_types = self.engine.intent_slots.get(intent, {})
        if sum(t in NUMBER_TYPES and n not in spans for n, t in slot_types.items()) != 1:
            return set()  # none to take the count, or two that nothing tells apart ("wipes and towels, two each")
        freed: set[int] = set()
        for name, (j, k) in list(spans.items()):
            custom = self.engine.types.get(slot_types.get(name, ""))
            if (
                custom is None
                or k - j < 2
                or k >= len(self.keys)
                or self.keys[k] not in self.engine.number_after
                or not (self.words[k - 1] in NUMBER_WORDS or self.keys[k - 1].isdigit())
            ):
                continue
            pair = f"{self.keys[k - 2]} {self.keys[k - 1]}"
            if any(pair in phrase for phrase in custom.phrases):
                continue
            spans[name] = (j, k - 1)
            freed.add(k - 1)
        return freed

    def _to_the_slot_that_fits(self, intent: str, spans: dict[str, tuple[int, int]]) -> None:
        """A value the sample put in a slot its samples always follow with one word that was not said, where another
        empty slot of the same type may end there: "for about twenty minutes" aligned with "... {ago} ago" is how
        long the feed took, not how long ago it was. Read off the samples' contexts (`_may_end_here`)."""
        slot_types = self.engine.intent_slots.get(intent, {})
        for name, (_, k) in list(spans.items()):
            slot_type = slot_types.get(name)
            said_next = self.keys[k] if k < len(self.keys) else None
            # Only a slot the samples always follow with one and the same word: its value is told by that word.
            # Where they follow it with several, a word not among them says little ("i need three of the").
            after = self._said_around(intent, name)[1]
            if slot_type is None or len(after) != 1 or self._may_end_here(intent, name, said_next):
                continue
            # The other slot must be one the samples end the request with, or follow with the word said: "two
            # putted that one" is still "{putts} putts", said another way, and no hole two.
            fits = [
                other
                for other, t in slot_types.items()
                if t == slot_type
                and other not in spans
                and self._may_end_here(intent, other, said_next)
                and (said_next is None or said_next in self._said_around(intent, other)[1])
            ]
            if len(fits) == 1:
                spans[fits[0]] = spans.pop(name)

    def _bare_number_time(self, intent: str, slot: str, slot_type: str, span: tuple[int, int]) -> bool:
        """A number alone is a time only where the samples say one comes ("at two"): in "log tylenol 2.5
        milliliters" it is the dose, and no one said when."""
        j, k = span
        if slot_type != "AMAZON.TIME" or not all(
            w in NUMBER_WORDS or w.replace(".", "", 1).isdigit() for w in self.words[j:k]
        ):
            return False
        before, _ = self._said_around(intent, slot)
        return not (j > 0 and self.keys[j - 1] in before)

    def _said_as_time(self, intent: str, empty: list[str], span: tuple[int, int]) -> bool:
        """Whether the word before the span is one the samples put before an empty time slot ("at"), or the span
        begins a clock time longer than the number ("half four" is half past four, not half an ounce)."""
        j = span[0]
        slot_types = self.engine.intent_slots.get(intent, {})
        times = [n for n in empty if slot_types[n] == "AMAZON.TIME"]
        if not times:
            return False
        for k in range(span[1] + 1, min(len(self.words), j + 4) + 1):
            if bv.parse_time(self.words[j:k]) is not None and bv.parse_number(self.words[j:k]) is None:
                return True
        if j == 0:
            return False
        return any(self.keys[j - 1] in self._said_around(intent, n)[0] for n in times)

    def _time_from(self, span: tuple[int, int]) -> tuple[int, int]:
        """The longest clock time that starts where the span does ("two o'clock" of "two o'clock four ounces"), or
        the span itself."""
        j, end = span
        for k in range(min(len(self.words), j + 4), span[1], -1):
            if bv.parse_time(self.words[j:k]) is not None:
                return (j, k)
        return (j, end)

    def _may_end_here(self, intent: str, slot: str, said_next: str | None) -> bool:
        """Whether the samples allow the slot's value to be followed by `said_next` (None: nothing)."""
        _, after = self._said_around(intent, slot)
        if not after or (intent, slot) in self.engine.slot_ends:
            return True  # some sample ends with it, or nothing is known of what follows it
        return said_next in after

    def _leftover_span(self, slot_type: str, free: set[int]) -> tuple[int, int] | None:
        custom = self.engine.types.get(slot_type)
        for length in range(4, 0, -1):
            for j in sorted(free):
                k = j + length
                if not all(i in free for i in range(j, k)):
                    continue
                if self.number_tail[j] or (k < len(self.words) and self.number_tail[k]):
                    continue  # part of a number: "two" of "two point five milliliters" is not a time
                if self._interjection_at(j, k) and (custom is None or self.keys[j] not in custom.phrases):
                    # A word said on its own before a pause as the turn opens is an interjection, not a value misheard:
                    # "oh wait, that was at 5 30" says no wet diaper.
                    continue
                counts = slot_type in NUMBER_TYPES and self.words[j] in NUMBER_HOMOPHONES  # "add to packs"
                # "a" of "a hundred ounces" begins the number.
                counts = counts or (self.number_end[j] > 0 and self.words[j] in ("a", "an"))
                # A soft word that is a listed value of the slot's type, said after the turn's first word, is that
                # value: "fed her again at half three, right side" is the right side (a turn that opens "right, …"
                # says nothing of a side).
                soft = self.words[j] in SOFT_WORDS and not counts
                if soft and not (j > 0 and custom is not None and self.keys[j] in custom.words):
                    continue
                cost = self.slot_cost(slot_type, j, k)
                if soft and cost != 0.0:
                    continue
                if cost is None:
                    continue
                if cost == 0.0:
                    return (j, k)
                if slot_type in NUMBER_TYPES and length == 1 and cost <= self.NUMBER_HOMOPHONE:
                    return (j, k)  # "add to packs of pampers": "to" is where the count was said
                # A name only where something says it is one: "for noah", "maya's", or in place of "she".
                named = (
                    (j > 0 and self.words[j - 1] == "for")
                    or (k < len(self.words) and self.words[k] == "'s")
                    or (length == 1 and j in self._named)
                )
                if custom is not None and custom.is_name and cost <= 0.3 and named:
                    return (j, k)
        return None

    _TRAILING_TYPES = ("AMAZON.DURATION", "AMAZON.TIME", "AMAZON.DATE")

    def _split_free_text(self, intent: str, spans: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
        """A free-text value does not swallow a time said after it: "remind me to pump in three hours".

        The tail goes to an empty date, time or duration slot of the intent when the samples introduce
        that slot the same way ("in {duration}", "at {time}", "{ago} ago").
        """
        slot_types = self.engine.intent_slots.get(intent, {})
        empty = [n for n, t in slot_types.items() if n not in spans and t in self._TRAILING_TYPES]
        if not empty:
            return spans
        for name, (j, k) in list(spans.items()):
            if slot_types[name] != "AMAZON.SearchQuery" or k - j < 3:
                continue
            for t in range(j, k - 1):  # the longest tail first
                found = None
                for other in empty:
                    before, after = self.engine.slot_context[(intent, other)]
                    if t > j and self.keys[t] in before:  # "in" + "three hours"
                        tail = (t + 1, k)
                    elif self.keys[k - 1] in after:  # "twenty minutes" + "ago"
                        tail = (t, k - 1)
                    else:
                        continue
                    cost = self.slot_cost(slot_types[other], *tail) if tail[1] > tail[0] else None
                    if cost is not None and cost <= self.NUMBER_HOMOPHONE:  # "in to hours" is a time too
                        found = other, tail
                        break
                if found:
                    other, tail = found
                    spans = {**spans, other: tail}
                    if t > j:
                        spans[name] = (j, t)
                    else:  # all of it was the time: "gave her gas drops twenty minutes ago"
                        del spans[name]
                    empty.remove(other)
                    break
        return self._free_text_heads(intent, spans, empty)

    def _free_text_heads(
        self, intent: str, spans: dict[str, tuple[int, int]], empty: list[str]
    ) -> dict[str, tuple[int, int]]:
        """Nor a time said before it, nor the word that leads into it: "give me a heads up in forty five minutes
        to warm up her bottle" aligned best with "give me a heads up at {time} to {task}", and the task had been
        all of "in forty five minutes to warm up her bottle"; "ping me at seven tonight to start her bath",
        aligned with "ping me at {time} about {task}", had the task "to start her bath" ("remind you to to start
        her bath"). The head goes to an empty date, time or duration slot the samples introduce with the word it
        starts with; a word the samples say right before the free text ("to", "about") is not part of it."""
        slot_types = self.engine.intent_slots.get(intent, {})
        for name, (j, k) in list(spans.items()):
            if slot_types.get(name) != "AMAZON.SearchQuery" or k - j < 3:
                continue
            lead_in = self.engine.slot_context[(intent, name)][0]
            for other in [o for o in empty if self.keys[j] in self.engine.slot_context[(intent, o)][0]]:
                end = self._head_end(slot_types[other], lead_in, j, k)
                if end is not None:
                    spans = {**spans, other: (j + 1, end), name: (end, k)}
                    empty.remove(other)
                    j = end
                    break
            said = self.keys[j]
            if k - j >= 3 and said in lead_in and said in FUNCTION_WORDS and said not in LEADING_KEPT:
                spans = {**spans, name: (j + 1, k)}
        return spans

    def value_spans(self, intent: str, alignment: Alignment) -> dict[str, tuple[int, int]]:
        """Where each slot's value is in the turn once the alignment's spans are completed: leftover words that
        are clear values, and a time said after free text split off it."""
        return self._split_free_text(intent, self._fill_leftovers(intent, alignment))

    def slots_of(self, intent: str, alignment: Alignment) -> dict[str, SlotMatch]:
        spans = self._time_out_of_free_text(intent, self.value_spans(intent, alignment))
        spans = self._listed_value_out_of_free_text(intent, spans, alignment.unsaid, alignment.skipped)
        spans = self._sample_word_as_value(intent, spans, alignment)
        alignment = Alignment(alignment.confidence, spans, alignment.skipped, alignment.named)
        out: dict[str, SlotMatch] = {}
        for name, slot_type in self.engine.intent_slots.get(intent, {}).items():
            span = alignment.spans.get(name)
            if span is None:
                out[name] = SlotMatch(name, slot_type, None)
                continue
            j, k = self._value_edges(slot_type, *self._within_a_sentence(slot_type, *span))
            if self._grammar_alone(slot_type, j, k):
                # No value is words of grammar alone: "the same ones we always get" names no product "always",
                # "fed her again around half three" no child "around". A pronoun stays: it points at something.
                out[name] = SlotMatch(name, slot_type, None)
                continue
            j, k = self._name_within(slot_type, j, k)
            out[name] = self._slot_match(name, slot_type, j, k)
        return out

    def _interjection_at(self, j: int, k: int) -> bool:
        """Whether words j..k are one word that opens the turn (after "oh", "no" and the like at most) and is
        followed by a written pause."""
        return (
            k == j + 1
            and j < len(self.pauses)
            and self.pauses[j]
            and all(self.words[x] in _BEFORE_AN_INTERJECTION for x in range(j))
        )

    def _minutes_before(self, j: int) -> bool:
        """Whether word j says the minutes of a clock time said as "… past" or "… to" the hour: "half", "quarter", or a
        number of minutes ("twenty past nine"; not "goes past a thousand")."""
        word = self.words[j]
        if word in ("half", "quarter"):
            return True
        minutes = int(word) if word.isdigit() else NUMBER_WORDS.get(word)
        return minutes is not None and 0 < minutes < 60

    def _sample_word_as_value(
        self, intent: str, spans: dict[str, tuple[int, int]], alignment: Alignment
    ) -> dict[str, tuple[int, int]]:
        """The one word a sample says besides its slots, where that word is a listed value of one of the intent's empty
        slots, fills it: "maya pooped" fits the sample "{child} pooped", and "pooped" is how a dirty diaper is said, so
        the skill need not ask whether it was wet or dirty. Closed lists only, never a soft word, and only where the
        turn says nothing else the sample says: in "log breastfeeding on the right side" the word is the sample's
        wording, and as Alexa does, no slot is filled (the development and test sets' slots say so)."""
        slot_types = self.engine.intent_slots.get(intent, {})
        empty = [n for n, t in slot_types.items() if n not in spans and t in self.engine.types]
        if not empty:
            return spans
        taken = set(alignment.skipped) | set(alignment.named)
        for j, k in spans.values():
            taken.update(range(j, k))
        said_of_the_sample = [
            j
            for j, word in enumerate(self.words)
            if j not in taken and word not in SOFT_WORDS and word not in FUNCTION_WORDS
        ]
        if len(said_of_the_sample) != 1:
            return spans
        found = dict(spans)
        for name in empty:
            slot_type = slot_types[name]
            if self.engine.types[slot_type].is_open:
                continue
            phrases = self.engine.types[slot_type].phrases
            # The listed phrase itself, never a word near one: "soon" sounds like "son" of "my son". And said as what
            # happened, not as a thing after an article or a preposition: "a dirty one before the bottle" logs no
            # bottle.
            said = [
                j
                for j in range(len(self.words))
                if j not in taken
                and self.words[j] not in SOFT_WORDS
                and self.keys[j] in phrases
                and not (j > 0 and self.words[j - 1] in _BEFORE_A_THING)
                and self.slot_cost(slot_type, j, j + 1) == 0.0
            ]
            if len(said) == 1:
                found[name] = (said[0], said[0] + 1)
                taken.add(said[0])
        return found

    def slots_of_span(self, name: str, slot_type: str, j: int, k: int) -> SlotMatch:
        """The slot `name` filled with words j..k, resolved as a value of the intent would be."""
        return self._slot_match(name, slot_type, j, k)

    def _time_out_of_free_text(self, intent: str, spans: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
        """A clock time said at the start of free text, where the intent has a time slot left empty, is the time:
        "remind me four o'clock afternoon give baby bath" is a reminder at 16:00 to give baby bath, not one whose
        task is "four o'clock afternoon give baby bath" and which asks when. Only a time said with a word of the
        time of day ("o'clock", "afternoon", "tonight"…): a bare number opens free text as often ("note two teeth
        came in")."""
        slot_types = self.engine.intent_slots.get(intent, {})
        empty_times = [n for n, t in slot_types.items() if t == "AMAZON.TIME" and n not in spans]
        free = [(n, span) for n, span in spans.items() if slot_types.get(n) == "AMAZON.SearchQuery"]
        if len(empty_times) != 1 or len(free) != 1:
            return spans
        name, (j, k) = free[0]
        for t in range(min(k - 1, j + 5), j, -1):  # the longest time that leaves free text after it
            if self._time_words[t] == self._time_words[j] or bv.parse_time(self.words[j:t]) is None:
                continue
            start = t + 1 if self.keys[t] == "to" and t + 1 < k else t  # "four o'clock to give her a bath"
            moved = dict(spans)
            moved[empty_times[0]] = (j, t)
            moved[name] = (start, k)
            return moved
        return spans

    def _listed_value_out_of_free_text(
        self, intent: str, spans: dict[str, tuple[int, int]], unsaid: list[str], skipped: list[int]
    ) -> dict[str, tuple[int, int]]:
        """A listed value of a closed list said inside free text, where the intent's slot of that list was left
        empty, is that slot's value: "i gave her one ml of vitamin d drops just now" gave the medicine to no one and
        a dose "ml of vitamin d drops just" (the sample "i gave her {medicine} {dose}", its medicine unsaid). Only a
        slot the aligned sample has and left unsaid: a note's sample has no child, and "the baby smiled" stays the
        note. The free text keeps the words said before the value (else after it), without the glue at their edges,
        and only where they measure it (a number); the longest listed value of several."""
        slot_types = self.engine.intent_slots.get(intent, {})
        free = [(n, span) for n, span in spans.items() if slot_types.get(n) == "AMAZON.SearchQuery"]
        if len(free) != 1:
            return spans
        name, (j, k) = free[0]
        empty: list[tuple[str, CustomType]] = []
        for slot, slot_type in slot_types.items():
            custom = self.engine.types.get(slot_type)
            if slot in unsaid and slot not in spans and custom is not None and not custom.is_open:
                empty.append((slot, custom))
        if not empty:
            return spans
        for size in range(min(k - j, 6), 0, -1):  # the longest listed value first
            for a in range(j, k - size + 1):
                phrase = " ".join(self.keys[a : a + size])
                for slot, custom in empty:
                    if phrase not in custom.phrases or (size == 1 and phrase in self.engine.vocabulary):
                        continue  # one word the samples also say ("dose") is no value said in passing
                    start = j
                    taken = self._taken_before(spans, start)
                    while (
                        start > 0
                        and start - 1 not in taken
                        and (start - 1 in skipped or self.keys[start - 1].isdigit())
                    ):
                        start -= 1  # "one" of "one ml of …", aligned with the sample's word ("… dose {dose}")
                    x, y = self._without_glue(start, a)  # what was said before the value first
                    if y <= x:
                        x, y = self._without_glue(a + size, k)
                    if not any(self.keys[p][:1].isdigit() for p in range(x, y)):
                        # Words left that measure nothing, or none: the value may be the free text's own ("call the tp
                        # button bathroom from now on" names it bathroom). A measure of the thing is how it gets
                        # there: "five mls of calpol", "a dose of two and a half mls of tylenol".
                        continue
                    moved = dict(spans)
                    moved[slot] = (a, a + size)
                    moved[name] = (x, y)
                    # A clock time said after the value is when ("… mls of infant ibuprofen around three").
                    tx, ty = self._without_glue(a + size, k)
                    times = [n for n, t in slot_types.items() if t == "AMAZON.TIME" and n not in spans]
                    if ty > tx and times and tx >= y and bv.parse_time(self.words[tx:ty]) is not None:
                        moved[times[0]] = (tx, ty)
                    return moved
        return spans

    def _within_a_sentence(self, slot_type: str, j: int, k: int) -> tuple[int, int]:
        """A value of words j..k within one written sentence: a name, a product or a number is said within one ("to
        the size fours. She is growing fast" names the size fours; "Hi! Maya drank a bottle" is Maya's). Of the
        sentences' parts, the one that is the best value of the type, the last of equals; the whole where all its
        words are the type's ("For the diapers. Pampers."). Free text may hold whole sentences (a note)."""
        if slot_type == "AMAZON.SearchQuery" or slot_type in bv.BUILTIN_PARSERS or k - j < 2:
            return j, k  # a number across sentences ("two? no, three") is left whole, for the engine to read apart
        cuts = [j]
        for p in range(j, k - 1):
            a, b = self.tokens[p], self.tokens[p + 1]
            if a.end <= b.start and any(c in ".!?" for c in self.text[a.end : b.start]):
                cuts.append(p + 1)
        if len(cuts) == 1:
            return j, k
        cuts.append(k)
        whole = self.slot_cost(slot_type, j, k)
        if whole is not None and whole <= KNOWN_WORDS_COST and not any(self.keys[c][:1].isdigit() for c in cuts[:-1]):
            return j, k  # every word a word of the type's values: one name said in two breaths ("diapers. pampers.")
        best, best_cost = (j, k), 1.0
        for x, y in zip(cuts, cuts[1:], strict=False):
            if self.keys[x][:1].isdigit():
                continue  # a count in front is a quantity's ("two? no, three. three packs" names no product)
            cost = self.slot_cost(slot_type, x, y)
            if cost is not None and cost <= best_cost:
                best, best_cost = (x, y), cost
        # No part is a value of the type (listed, near one, or a name): the value stays as aligned, across the
        # sentence end, and the engine reads the sentences apart (`cut_across_sentences`).
        return best

    def _without_glue(self, x: int, y: int) -> tuple[int, int]:
        """Words x..y without the function words at their edges."""
        while x < y and self.keys[x] in FUNCTION_WORDS:
            x += 1
        while y > x and self.keys[y - 1] in FUNCTION_WORDS:
            y -= 1
        return x, y

    @staticmethod
    def _taken_before(spans: dict[str, tuple[int, int]], j: int) -> set[int]:
        """The turn words before `j` some value holds."""
        return {p for a, b in spans.values() if a < j for p in range(a, b)}

    def _head_end(self, slot_type: str, lead_in: set[str], j: int, k: int) -> int | None:
        """Where the longest value of `slot_type` said after the word at `j` ends, at a lead-in word of the free
        text that leaves free text of its own after it; None when there is none."""
        for t in range(k - 2, j + 1, -1):
            if self.keys[t] in lead_in:
                cost = self.slot_cost(slot_type, j + 1, t)
                if cost is not None and cost <= self.NUMBER_HOMOPHONE:
                    return t
        return None

    def _name_within(self, slot_type: str, j: int, k: int) -> tuple[int, int]:
        """A value of a type of names that holds a household name among other words is that name: "ja,
        and at the clinic yesterday maya weighed six point two kilos" is Maya's weight, where the child had been
        "clinic yesterday maya" ("I don't know a child called clinic yesterday Maya")."""
        custom = self.engine.types.get(slot_type)
        household = self.dynamic.get(slot_type)
        if k - j < 2 or custom is None or household is None or not custom.is_name:
            return j, k
        # Only the household's own names (the children, the buttons): a misheard product keeps its words ("tied
        # pods" is not "pods").
        whole = " ".join(self.keys[j:k])
        if whole in household.phrases or whole in custom.phrases:
            return j, k
        for size in range(k - j - 1, 0, -1):  # the longest name within
            for a in range(j, k - size + 1):
                if " ".join(self.keys[a : a + size]) in household.phrases:
                    return a, a + size
        return j, k

    def _grammar_alone(self, slot_type: str, j: int, k: int) -> bool:
        if slot_type in bv.BUILTIN_PARSERS or slot_type in ("AMAZON.DATE", "AMAZON.SearchQuery"):
            return False
        custom = self.engine.types.get(slot_type)
        own = custom.words if custom is not None else frozenset()
        grammar = self.engine.value_end_words
        return all(key in grammar and key not in own and key not in _KEEPS_START for key in self.keys[j:k])

    def _value_edges(self, slot_type: str, j: int, k: int) -> tuple[int, int]:
        """The span of an open value without the request's words at its edges (the engine's value_start_words
        and value_end_words), never the type's own words, never all of it. Built-in numbers, dates, durations
        and times read their words themselves, and free text (AMAZON.SearchQuery) is the whole of what was said."""
        if slot_type in bv.BUILTIN_PARSERS or slot_type in ("AMAZON.DATE", "AMAZON.SearchQuery"):
            return j, k
        custom = self.engine.types.get(slot_type)
        if custom is not None and " ".join(self.keys[j:k]) in custom.phrases:
            return j, k
        starts, ends = self.engine.value_start_words, self.engine.value_end_words
        own = custom.words if custom is not None else frozenset()
        end = k
        while k - j > 1:
            if self.keys[k - 1] in ends and self.keys[k - 1] not in own:
                k -= 1
                continue
            # Nor does a name end with when ("a baseball game tonight", "the tires rotated this morning", "the
            # dentist for forty five minutes"): a date, time or length of time is its own slot's, or the request's.
            cut = self._trailing_when(j, k, own)
            if cut == k:
                break
            k = cut
        # A value that begins with a pronoun names what the conversation was about ("press it once more", "when
        # will they come"): the skill reads it as such, so it stays.
        while k - j > 1 and self.keys[j] in starts and self.keys[j] not in own and self.keys[j] not in _KEEPS_START:
            j += 1
        if k - j == 1 and self.keys[j] in _AUXILIARIES and k < end and self.keys[k] in _POINTED_AT:
            # Left with a verb that helps another ("would" of "when would they come"): no name is that, and the
            # pronoun after it, cut off as a value's last word, is what was asked about.
            j, k = k, k + 1
        return j, k

    def _trailing_when(self, j: int, k: int, own: AbstractSet[str]) -> int:
        """Where a value of words j..k ends once a date, time or duration said at its end is left out (k if none)."""
        today = self.engine.today()
        for m in range(max(j + 1, k - 3), k):
            words = self.words[m:k]
            if any(key in own for key in self.keys[m:k]) or all(key[:1].isdigit() for key in self.keys[m:k]):
                continue  # the type's own words, or a number alone ("toy story three"), are no "when"
            if bv.parse_date(words, today) or bv.parse_time(words) or bv.parse_duration(words):
                # The longest such ending is the when; what is left must still hold a word of a name ("better
                # than last week" is no deck called "than").
                named = any(key not in self.engine.value_end_words for key in self.keys[j:m])
                return m if named else k
        return k

    def _slot_match(self, name: str, slot_type: str, j: int, k: int) -> SlotMatch:
        span = self.tokens[j:k]
        if all(a.start <= b.start for a, b in zip(span, span[1:], strict=False)):
            said = self.text[span[0].start : span[-1].end].strip()
        else:  # words a self-repair put together ("three" said after "no wait"): as understood, not as said
            said = " ".join(self.words[j:k])
        words = self.words[j:k]
        if slot_type in bv.BUILTIN_PARSERS:
            value = bv.BUILTIN_PARSERS[slot_type](words)
            if value is None and slot_type in NUMBER_TYPES:
                read = self.number_reading(j, k)
                value = bv.BUILTIN_PARSERS[slot_type](read) if read else None
            elif value is None and slot_type == "AMAZON.DURATION":
                read = self.duration_reading(j, k)
                value = bv.BUILTIN_PARSERS[slot_type](read) if read else None
            return SlotMatch(name, slot_type, value or said)
        if slot_type == "AMAZON.DATE":
            return SlotMatch(name, slot_type, bv.parse_date(words, self.engine.today()) or said)
        custom = self.engine.types.get(slot_type)
        if custom is None:
            return SlotMatch(name, slot_type, said)
        query = " ".join(self.alts.get(i, self.keys[i]) for i in range(j, k))
        said_keys = " ".join(self.keys[j:k])
        if said_keys != query and custom.resolver is not None and custom.resolver.resolve(said_keys).status == "match":
            query = said_keys  # a value as said, where it resolves: "pee and poop" is no "pay and pop" misheard
        authorities = []
        dynamic = self.dynamic.get(slot_type)
        skill = self.engine.skill_id
        if dynamic is not None and dynamic.resolver is not None:
            res = _exactish(dynamic.resolver.resolve(query))
            authorities.append(res.to_alexa(f"amzn1.er-authority.echo-sdk.dynamic.{skill}.{slot_type}"))
        if custom.resolver is not None:
            res = _exactish(custom.resolver.resolve(query))
            authorities.append(res.to_alexa(f"amzn1.er-authority.echo-sdk.{skill}.{slot_type}"))
        resolutions = {"resolutionsPerAuthority": authorities} if authorities else None
        return SlotMatch(name, slot_type, said, resolutions)


def _nearest_score(said: str, keys: list[str], types: list[CustomType]) -> float:
    """The best `fuzz.ratio` of `said` (the keys) with a phrase of the types near one of its words, 80 or more;
    0.0 if none is.

    A ratio counts the characters the two strings do not share: it is never above 200 * shorter / (both
    lengths), so a phrase under two thirds or over one and a half times the length of `said` (a character of
    room either side) never scores 80, and is not compared. For an open list's span (`_custom_cost`) only the
    best score counts, not which phrase has it: the phrases are read by length, each word's apart, and a phrase
    near two of the words is compared twice."""
    shortest, longest = 2 * len(said) // 3 - 1, 3 * len(said) // 2 + 1
    best = 0.0
    for t in types:
        choices = [phrase for w in keys for phrase in t.phrases_near_sized(w, shortest, longest)]
        if choices:
            found = process.extract(said, choices, scorer=fuzz.ratio, score_cutoff=80, limit=1)
            if found:
                best = max(best, found[0][1])
    return best


def _word_by_word(said: list[str], phrase: list[str], score: float) -> bool:
    """A near spelling of a short listed value is one slip per word, not other words that look alike.

    "finally asleep" is not "fell asleep", "he woke up" is not "woke up", "finished pumping" is not
    "finished napping"; "wokeup" or "fel asleep" still are.
    """
    if len(said) != len(phrase):
        return score >= 88
    return all(
        a == b or phonetic(a) == phonetic(b) or fuzz.ratio(a, b) >= 75 for a, b in zip(said, phrase, strict=True)
    )


def _exactish(res: Resolution) -> Resolution:
    """Slot-type resolution reports only confident matches, as Alexa's does; ranked values stay."""
    if res.status == "no_match" or not res.candidates or res.candidates[0].score < 80:
        return Resolution("no_match", [])
    return res
