"""Text → intent, slots and a confidence, driven only by an Alexa interaction model.

How a turn is understood:
1. The words are tokenized and cleaned (fillers, polite openings, "ask <invocation> to").
2. An inverted index from sample words proposes the sample utterances that share words with the
   turn; each is aligned with the turn by dynamic programming: sample words must be matched (exact,
   or a sound-alike / near spelling at a small cost), articles and glue words are cheap to add or
   drop, and each {slot} captures a span whose cost says how good a value of its type it is
   (a number for AMAZON.NUMBER, a known value for a custom type, ...).
3. A TF-IDF classifier over the same samples scores every intent; it carries paraphrases that
   no sample matches closely. Both scores are blended; below a threshold the turn is
   AMAZON.FallbackIntent rather than a forced wrong guess.
4. Slot values are checked against what the model itself says: words no value of an open list has in
   that place stay outside it, free text hands a trailing time to the intent's own time slot.

The threshold and costs are tuned on bench/data/nlu_devset.yaml, never on the test set.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from intents import builtin_values as bv
from intents.confidence import Candidate, describe, is_question, probabilities
from intents.consent import THRESHOLD as CONSENT_THRESHOLD
from intents.consent import consent_detector
from intents.embedding import EmbeddingUnavailable, shared_embedder
from intents.normalize import (
    HOMOPHONES,
    NUMBER_HOMOPHONES,
    NUMBER_WORDS,
    SOFT_WORDS,
    Token,
    clean,
    key_of,
    lemma,
    phonetic,
    tokenize,
)
from intents.resolver import EntityResolver, Entry, Resolution
from intents.semantic import SemanticClassifier, model_key, seeded_rng
from intents.training_data import custom_values, filled, out_of_domain, paraphrase_groups, paraphrased

FALLBACK = "AMAZON.FallbackIntent"
MAX_TOKENS = 48  # a spoken request is short; anything longer is read up to here
_BUILTIN_SAMPLES = Path(__file__).parent / "data" / "builtin_intents.yaml"
_OTHER_DOMAINS = Path(__file__).parent / "data" / "other_domains.yaml"
_PRONOUNS = frozenset({"she", "he", "her", "him", "they", "them"})
_REFERRING = frozenset({"it", "that", "this", "them", "those", "these"})  # things, as slot values
_ARTICLES = frozenset({"the", "a", "an", "some"})
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
_SUBJECTS = frozenset({"i", "we"})  # left out when speaking of oneself: "just changed her diaper"
_COUNT_OR_CLOCK = frozenset({"AMAZON.NUMBER", "AMAZON.TIME"})
_NUMBER_TYPES = frozenset({"AMAZON.NUMBER", "AMAZON.FOUR_DIGIT_NUMBER"})
_NOT_WORDS = frozenset({"<s>", "</s>", "{}"})  # neighbours that are no word: a turn's edges, a slot value
_ARTICLES = frozenset({"a", "an", "the", "my", "our", "your", "some", "her", "his", "their"})


@dataclass
class SlotMatch:
    name: str
    slot_type: str
    value: str | None  # the words as said (built-in types: Alexa's normalised value), None if empty
    resolutions: dict[str, Any] | None = None  # {"resolutionsPerAuthority": [...]} or None

    def to_alexa(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "confirmationStatus": "NONE"}
        if self.value is not None:
            out["value"] = self.value
            out["source"] = "USER"
        if self.resolutions:
            out["resolutions"] = self.resolutions
        return out


@dataclass
class NluResult:
    intent: str
    slots: dict[str, SlotMatch]
    confidence: float

    def to_alexa_intent(self) -> dict[str, Any]:
        return {
            "name": self.intent,
            "confirmationStatus": "NONE",
            "slots": {name: slot.to_alexa() for name, slot in self.slots.items()},
        }


@dataclass(frozen=True, slots=True)
class _Element:
    key: str  # a sample word's key, or the slot name for a slot
    slot: bool = False
    soft: bool = False
    root: str = ""  # the word's lemma, for inflected matches

    def __post_init__(self) -> None:
        if not self.root:
            object.__setattr__(self, "root", lemma(self.key))


@dataclass(slots=True)
class _Sample:
    intent: str
    text: str
    elements: tuple[_Element, ...]
    hard: frozenset[str]  # keys of the words that carry meaning
    # For a quick upper bound on the alignment's confidence: the meaningful words as (key, root, whether
    # it is a leading "i" / "we", whether a slot comes right before it), and whether a slot of the
    # sample takes free text.
    hard_words: tuple[tuple[str, str, bool, bool], ...] = ()
    free_text: bool = False
    has_slot: bool = False
    next_to_slot: tuple[bool, ...] = ()  # per element, for `_Turn.align`
    carrier: tuple[bool, ...] = ()


@dataclass
class _CustomType:
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

    @classmethod
    def from_values(cls, name: str, values: Sequence[dict[str, Any]]) -> _CustomType:
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
        t.resolver = EntityResolver(entries) if entries else None
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

    def joined_alike(self, a: str, b: str) -> str | None:
        """A word of these values that two said words sound and look like together: "sim lack" → "similac"."""
        joined = a + b
        key = key_of(joined)
        if len(key) >= 5 and key in self.words and key not in (a, b):
            return key  # spelt the same once joined: "a wake", "bath room"
        if len(phonetic(key)) < 3:
            return None
        for alike in self.by_sound.get(phonetic(key), ()):
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


@cache
def _builtin_samples(locale: str) -> dict[str, list[str]]:
    data = yaml.safe_load(_BUILTIN_SAMPLES.read_text(encoding="utf-8")) or {}
    return data.get(locale) or data.get("en-US") or {}


@lru_cache(maxsize=65_536)
def _builtin_value(slot_type: str, words: tuple[str, ...]) -> str | None:
    """The value of a built-in slot type the words say, if any: a function of the words alone."""
    return bv.BUILTIN_PARSERS[slot_type](list(words))


@cache
def _other_domain_words(locale: str) -> frozenset[str]:
    """Keys of the words that say a request is for another domain (a device, a timer, music, a trip)."""
    data = yaml.safe_load(_OTHER_DOMAINS.read_text(encoding="utf-8")) or {}
    domains = data.get(locale) or data.get("en-US") or {}
    return frozenset(key_of(word) for words in domains.values() for word in words)


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


def semantic_text(tokens: Sequence[Token]) -> str:
    """The words the embeddings read: the cleaned turn, contractions expanded."""
    return " ".join(t.text for t in tokens)


def _strip_slot(text: str) -> str:
    return text[1:-1]


class NluEngine:
    """Understands turns for any Alexa interaction model (the JSON the console accepts)."""

    THRESHOLD = 0.5  # below this blended score a turn is AMAZON.FallbackIntent
    # A yes can place an order: a doubtful one ("scratch that" near "that's right") is not a yes. Fallback
    # lets the skill ask its question again.
    CONSENT = "AMAZON.YesIntent"
    CONSENT_THRESHOLD = 0.6
    EXPECTED_BOOST = 0.12  # a dialog's expected intents gain this much, never more
    CANDIDATE_SAMPLES = 32
    # The learnt stage overrules a sure alignment only when it is this sure of another intent (chosen on
    # the development sets)...
    OVERRULE = 0.6
    OVERRULE_MARGIN = 0.4  # ...and gives the aligner's intent this much less
    ALIGNED_SURELY = 0.8  # an alignment this close to a sample is never overruled ("five five five one")
    # Where the aligner found nothing sure, the learnt stage alone must be this sure.
    RESCUE = 0.45
    RESCUE_SPARSE = 0.25  # the bar for a model whose intents have a handful of samples
    RESCUE_DENSE_SAMPLES = 20  # from this many samples per intent on, the full bar
    SURELY_ELSEWHERE = 0.85  # the semantic stage's out-of-domain probability that no rescue overrides
    LOOSE_SAMPLES = 6  # samples aligned for the slots of an intent only the learnt stage chose

    # Alignment costs: a mismatched meaningful word costs 1, glue words and near matches far less.
    SKIP_WORD = 1.0
    SKIP_EDGE_WORD = 0.6  # words before or after the request ("any idea", "for the baby")
    SKIP_SOFT = 0.2
    DROP_WORD = 1.0
    DROP_SOFT = 0.2
    NEAR_MATCH = 0.35
    SOUND_ALIKE = 0.4  # a sound-alike the neighbouring words support ("war is my order")
    SLOT_UNSAID = 0.6
    SUBSTITUTE = 1.2  # cheaper than dropping one word and adding another
    SUBSTITUTE_VALUE = 0.7
    DROP_SUBJECT = 0.3
    UNLISTED_VALUE = 0.8  # a slot of a listed type holding no value of the list
    NAME_FOR_PRONOUN = 0.5  # "maya woke up" for "she woke up"
    INFLECTED = 0.15
    GLUE_HOMOPHONE = 0.1  # "two" said for a sample's "to"
    # Each word of another domain said outside free text ("set the thermostat to seventy") scales the score.
    OTHER_DOMAIN = 0.6

    def __init__(
        self,
        interaction_model: dict[str, Any],
        *,
        locale: str = "en-US",
        today: Callable[[], dt.date] | dt.date | None = None,
        skill_id: str = "voicecart",
        semantic: bool = True,
    ) -> None:
        model = interaction_model.get("interactionModel", interaction_model)
        self.semantic = semantic
        language = model["languageModel"]
        self._language = language
        self.locale = locale
        self.skill_id = skill_id
        self.invocation = tuple(t.text for t in tokenize(language.get("invocationName") or ""))
        self._today = today
        self.intent_slots: dict[str, dict[str, str]] = {}
        self.types: dict[str, _CustomType] = {
            t["name"]: _CustomType.from_values(t["name"], t.get("values") or []) for t in language.get("types") or []
        }
        self.samples: list[_Sample] = []
        builtin = _builtin_samples(locale)
        for intent in language.get("intents") or []:
            name = intent["name"]
            self.intent_slots[name] = {s["name"]: s["type"] for s in intent.get("slots") or []}
            texts = list(intent.get("samples") or [])
            if name.startswith("AMAZON."):
                texts = builtin.get(name, []) + texts
            for text in dict.fromkeys(texts):
                sample = self._compile(name, text)
                if sample is not None:
                    self.samples.append(sample)
        self._join_compounds()
        for s in self.samples:
            self._prepare_bound(s)
        self._index: dict[str, list[int]] = defaultdict(list)
        self._pure: list[int] = []  # samples of slots and glue words only, e.g. "{code}"
        for i, s in enumerate(self.samples):
            for key in s.hard:
                self._index[key].append(i)
            if not s.hard:
                self._pure.append(i)
        self.vocabulary = frozenset(self._index)
        self._bigrams = {
            (a.key, b.key)
            for s in self.samples
            for a, b in zip(s.elements, s.elements[1:], strict=False)
            if not a.slot and not b.slot
        }
        # Neighbours as the samples have them, with "<s>" / "</s>" for where a sample starts and ends and
        # "{}" for a slot: the context that says what a misheard word was ("war is" → "where is").
        self._contexts: set[tuple[str, str]] = set()
        for s in self.samples:
            keys = ["<s>", *("{}" if e.slot else e.key for e in s.elements), "</s>"]
            self._contexts.update(zip(keys, keys[1:], strict=False))
        self._vocab_by_sound: dict[str, list[str]] = defaultdict(list)
        self._vocab_by_near_sound: dict[str, set[str]] = defaultdict(set)
        # Sample words by their sounds without a final t or d, which a recogniser often does not hear in
        # running speech ("my car" for "my cart", "lass" for "last").
        self._vocab_by_dropped_stop: dict[str, list[str]] = defaultdict(list)
        for word in sorted(self.vocabulary):  # in one order, so ties between sound-alikes break the same way
            self._vocab_by_sound[phonetic(word)].append(word)
            for variant in _near_sounds(phonetic(word)):
                self._vocab_by_near_sound[variant].add(word)
            dropped = _final_stop_dropped(phonetic(word))
            if dropped:
                self._vocab_by_dropped_stop[dropped].append(word)
        self._sound_alikes: dict[str, frozenset[str]] = {}
        # Where samples expect a number: the words right before a number slot ("to {quantity}") and the
        # words or listed values right after one ("{quantity} packs", "{amount} {volumeUnit}").
        self.number_before: set[str] = set()
        self.number_after: set[str] = set()
        self._vocab_list = sorted(self.vocabulary)
        self._types_of_word: dict[str, list[str]] = defaultdict(list)
        for type_name, custom in self.types.items():
            for word in custom.words:
                if word not in SOFT_WORDS:
                    self._types_of_word[word].append(type_name)
        # The model's own words are never another domain's: a product "lock", a sample "switch to {routine}".
        type_words = {w for custom in self.types.values() for w in custom.words}
        self.other_domain_words = _other_domain_words(locale) - self.vocabulary - type_words
        # A listed type counts when its slot mostly comes right after a number: a unit ("{amount} {unit}"),
        # not an item that samples also name on its own ("add {n} {item}", "add {item}").
        after_number: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for s in self.samples:
            slot_types = self.intent_slots[s.intent]
            for i, e in enumerate(s.elements):
                if not e.slot:
                    continue
                counted = i > 0 and s.elements[i - 1].slot and slot_types[s.elements[i - 1].key] in _NUMBER_TYPES
                after_number[slot_types[e.key]][0] += counted
                after_number[slot_types[e.key]][1] += 1
                if slot_types[e.key] not in _NUMBER_TYPES:
                    continue
                if i > 0 and not s.elements[i - 1].slot and s.elements[i - 1].key not in _ARTICLES:
                    self.number_before.add(s.elements[i - 1].key)
                nxt = s.elements[i + 1] if i + 1 < len(s.elements) else None
                if nxt is not None and not nxt.slot and not nxt.soft and not nxt.key.isdigit():
                    self.number_after.add(nxt.key)
        for type_name, (after_count, total) in after_number.items():
            if type_name in self.types and after_count * 2 > total:
                self.number_after.update(self.types[type_name].words - SOFT_WORDS)
        self._intent_words: dict[str, frozenset[str]] = {}
        # The words samples put before and after each slot: "in {duration}", "at {time}", "{ago} ago".
        self.slot_context: dict[tuple[str, str], tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
        for s in self.samples:
            for i, e in enumerate(s.elements):
                if e.slot:
                    before, after = self.slot_context[(s.intent, e.key)]
                    if i > 0 and not s.elements[i - 1].slot:
                        before.add(s.elements[i - 1].key)
                    if i + 1 < len(s.elements) and not s.elements[i + 1].slot:
                        after.add(s.elements[i + 1].key)
        self._build_classifier()
        # How many of each intent's samples are questions: a question said to a statement intent (a log, an
        # order) is unlikely to mean it, and the other way round.
        asked: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for s in self.samples:
            asked[s.intent][0] += is_question([t.text for t in clean(tokenize(s.text, sample=True))])
            asked[s.intent][1] += 1
        self._question_share = {intent: q / n for intent, (q, n) in asked.items()}
        own = [n for intent, (_, n) in asked.items() if not intent.startswith("AMAZON.")]
        self._samples_per_intent = sum(own) / len(own) if own else 1.0
        # The learnt stage's probabilities run lower where a model gives each intent few samples: the bar a
        # rescue must clear scales with how many samples the intents have (chosen on the development sets).
        self.rescue_floor = self.RESCUE_SPARSE + (self.RESCUE - self.RESCUE_SPARSE) * min(
            1.0, self._samples_per_intent / self.RESCUE_DENSE_SAMPLES
        )
        self._semantic = self._build_semantic() if semantic else None

    def _build_semantic(self) -> SemanticClassifier | None:
        """The learnt stage (intents/semantic.py), trained on this model's samples; None without the vectors."""
        try:
            embedder = shared_embedder()
        except EmbeddingUnavailable:
            return None
        values = custom_values(self._language.get("types") or [])
        key = model_key(
            self.locale,
            [(s.intent, s.text) for s in self.samples],
            self.intent_slots,
            values,
            paraphrase_groups(self.locale),
            out_of_domain(self.locale),
        )
        cached = SemanticClassifier.cached(embedder, key)
        if cached is not None:
            return cached
        rng = seeded_rng([s.text for s in self.samples])
        texts: list[str] = []
        labels: list[str] = []
        for s in self.samples:
            if s.intent == FALLBACK:
                continue
            for variant in [s.text, *paraphrased(s.text, self.locale, rng)]:
                for text in filled(variant, self.intent_slots[s.intent], values, rng):
                    texts.append(semantic_text(clean(tokenize(text))))
                    labels.append(s.intent)
        negatives = [semantic_text(clean(tokenize(t))) for t in out_of_domain(self.locale)]
        return SemanticClassifier(embedder, texts, labels, negatives, key=key)

    @property
    def semantic_stage(self) -> SemanticClassifier | None:
        """The learnt semantic classifier, or None when the sentence vectors are not installed."""
        return self._semantic

    @classmethod
    def from_file(cls, path: str | Path, **kwargs: Any) -> NluEngine:
        return cls(json.loads(Path(path).read_text(encoding="utf-8")), **kwargs)

    # --- compiling the model --------------------------------------------------------------------

    def _compile(self, intent: str, text: str) -> _Sample | None:
        slots = self.intent_slots.get(intent, {})
        elements: list[_Element] = []
        for tok in clean(tokenize(text, sample=True)):
            if tok.is_slot:
                name = _strip_slot(tok.text)
                if name not in slots:
                    return None  # a sample naming an undefined slot is a model error; validate reports it
                elements.append(_Element(name, slot=True))
            else:
                elements.append(_Element(tok.key, soft=tok.text in SOFT_WORDS))
        if not elements:
            return None
        hard = frozenset(e.key for e in elements if not e.slot and not e.soft)
        return _Sample(intent, text, tuple(elements), hard)

    def _join_compounds(self) -> None:
        """One spelling per compound: where samples say both "checkout" and "check out", keep "checkout"."""
        words = {e.key for s in self.samples for e in s.elements if not e.slot}
        self._compounds = words
        for s in self.samples:
            els = list(s.elements)
            i = 0
            changed = False
            while i + 1 < len(els):
                a, b = els[i], els[i + 1]
                if not a.slot and not b.slot and a.key + b.key in words:
                    els[i : i + 2] = [_Element(a.key + b.key)]
                    changed = True
                i += 1
            if changed:
                s.elements = tuple(els)
                s.hard = frozenset(e.key for e in els if not e.slot and not e.soft)

    def _prepare_bound(self, s: _Sample) -> None:
        """What `_Turn.confidence_bound` needs of a sample, computed once."""
        els = s.elements
        slot_types = self.intent_slots[s.intent]
        s.hard_words = tuple(
            (e.key, e.root, i == 0 and e.key in _SUBJECTS, i > 0 and els[i - 1].slot)
            for i, e in enumerate(els)
            if not e.slot and not e.soft
        )
        s.free_text = any(e.slot and slot_types[e.key] == "AMAZON.SearchQuery" for e in els)
        m = len(els)
        s.has_slot = any(e.slot for e in els)
        s.next_to_slot = tuple((i > 0 and els[i - 1].slot) or (i + 1 < m and els[i + 1].slot) for i in range(m))
        # The word right before a free-text slot marks where the text starts ("give him for {question}");
        # leaving it out would let the text swallow what comes before it.
        s.carrier = tuple(
            i + 1 < m and els[i + 1].slot and slot_types[els[i + 1].key] == "AMAZON.SearchQuery" for i in range(m)
        )

    def _build_classifier(self) -> None:
        """TF-IDF vectors per intent over sample words and word pairs; slots count as their type."""
        counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for s in self.samples:
            feats = self._sample_features(s)
            for f in feats:
                counts[s.intent][f] += 1.0
        df: dict[str, int] = defaultdict(int)
        for intent_counts in counts.values():
            for f in intent_counts:
                df[f] += 1
        n = max(1, len(counts))
        self._idf = {f: math.log(1 + n / d) for f, d in df.items()}
        self._intent_vectors: dict[str, dict[str, float]] = {}
        for intent, intent_counts in counts.items():
            vec = {f: (1 + math.log(c)) * self._idf[f] for f, c in intent_counts.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            self._intent_vectors[intent] = {f: v / norm for f, v in vec.items()}
        # feature → (intent, weight) in the order of the intents, so a turn touches only its own features
        self._postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for intent, ivec in self._intent_vectors.items():
            for f, v in ivec.items():
                self._postings[f].append((intent, v))

    def _sample_features(self, s: _Sample) -> list[str]:
        words = [f"<{self.intent_slots[s.intent][e.key]}>" if e.slot else e.key for e in s.elements if not e.soft]
        return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]

    # --- understanding a turn -------------------------------------------------------------------

    def today(self) -> dt.date:
        if callable(self._today):
            return self._today()
        return self._today or dt.date.today()

    def _strip_invocation(self, tokens: list[Token]) -> list[Token]:
        """ "ask voice cart to reorder diapers" → "reorder diapers"."""
        n = len(self.invocation)
        if not n:
            return tokens
        words = [t.text for t in tokens]
        for i in range(min(3, len(words))):
            if words[i : i + n] == list(self.invocation) and (
                i == 0 or words[0] in ("ask", "tell", "open", "use", "launch", "start")
            ):
                rest = tokens[i + n :]
                if rest and rest[0].text in ("to", "for", "and", "if", "about", "that", "whether"):
                    rest = rest[1:]
                return rest or tokens
        return tokens

    def intent_type_words(self, intent: str) -> frozenset[str]:
        """Words of the custom slot types an intent's slots use."""
        cached = self._intent_words.get(intent)
        if cached is None:
            words: set[str] = set()
            for slot_type in self.intent_slots.get(intent, {}).values():
                if slot_type in self.types:
                    words |= self.types[slot_type].words
            cached = self._intent_words[intent] = frozenset(words - SOFT_WORDS)
        return cached

    def is_model_word(self, key: str) -> bool:
        """A sample word or a word of a slot type's values."""
        return key in self.vocabulary or key in self._types_of_word

    def could_be_name(self, word: str) -> bool:
        """A word never used by the model itself: not a sample word nor a value of any slot type."""
        key = key_of(word)
        return (
            word.isalpha()
            and not key.isdigit()
            and word not in SOFT_WORDS
            and key not in self.vocabulary
            and key not in self._types_of_word
        )

    def _fix_compounds(self, tokens: list[Token]) -> list[Token]:
        """ "checkout" → "check out" and "re order" → "reorder" when the model's samples say it so."""
        out: list[Token] = []
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            # A number homophone before a unit stays a number: "in to hours" is not "into hours".
            counted = (
                nxt is not None
                and nxt.text in NUMBER_HOMOPHONES
                and i + 2 < len(tokens)
                and (tokens[i + 2].text in bv.DURATION_UNITS or tokens[i + 2].key in self.number_after)
            )
            if nxt is not None and tok.key + nxt.key in self._compounds and not counted:
                out.append(Token(tok.text + nxt.text, tok.key + nxt.key, tok.start, nxt.end))
                i += 2
                continue
            merged = self._merge_split(tok, nxt) if nxt is not None else None
            if merged is not None:
                before = out[-1].key if out else "<s>"
                after = tokens[i + 2].key if i + 2 < len(tokens) else "</s>"
                if not any(
                    (b, w) in self._contexts or (w, a) in self._contexts
                    for w in self._vocab_by_sound.get(phonetic(merged.text), ())
                    for b in (before, "{}")
                    for a in (after, "{}")
                ):
                    merged = None
            if merged is not None:  # "can sell" → "cancel", "but in" → "button"
                out.append(merged)
                i += 2
                continue
            if tok.key not in self.vocabulary and tok.key.isalpha() and len(tok.key) >= 5:
                for cut in range(2, len(tok.key) - 1):
                    head, tail = tok.key[:cut], tok.key[cut:]
                    if (head, tail) in self._bigrams:
                        out += [Token(head, head, tok.start, tok.end), Token(tail, tail, tok.start, tok.end)]
                        break
                else:
                    out += self._split_merged(tok) or [tok]
            else:
                out.append(tok)
            i += 1
        return out

    def _split_merged(self, tok: Token) -> list[Token] | None:
        """Two words a recogniser wrote as one ("addtwo", "whatsin"): sample words (a number counts as a slot
        value) that samples have next to each other. The first such cut from the left wins."""
        text = tok.text
        for cut in range(2, len(text) - 1):
            parts = [*tokenize(text[:cut]), *tokenize(text[cut:])]
            head_end = len(tokenize(text[:cut]))
            # The first part carries meaning ("add", "what"): "someone" is not "some {number}".
            if (
                len(parts) < 2
                or parts[0].key not in self.vocabulary
                or not all(p.key.isdigit() or p.key in self.vocabulary or p.text in SOFT_WORDS for p in parts)
            ):
                continue
            sides = ["{}" if p.key.isdigit() else p.key for p in parts]
            if all((a, b) in self._contexts for a, b in zip(sides, sides[1:], strict=False)):
                return [Token(p.text, p.key, tok.start, tok.end) for p in parts[:head_end]] + [
                    Token(p.text, p.key, tok.start, tok.end) for p in parts[head_end:]
                ]
        return None

    def _merge_split(self, a: Token, b: Token) -> Token | None:
        """Two words that sound and look like one longer word of the samples, one of them no sample word.

        A recogniser splits a word it did not expect into words it knows ("dye per", "never mined").
        Articles and glue words stay apart ("the weather" is not "there"), and so do the parts of one
        written word ("we're").
        """
        if (
            a.start == b.start
            or not (a.text.isalpha() and b.text.isalpha())
            or a.text in SOFT_WORDS
            or b.text in SOFT_WORDS
            or a.key.isdigit()
            or b.key.isdigit()
            or (a.key in self.vocabulary and b.key in self.vocabulary)
        ):
            return None
        joined = a.text + b.text
        if len(phonetic(joined)) < 3:
            return None
        for w in self._vocab_by_sound.get(phonetic(joined), ()):
            if (
                len(w) >= 5
                and w not in (a.key, b.key)
                and abs(len(w) - len(joined)) <= 1
                and fuzz.ratio(joined, w) >= 65
            ):
                return Token(joined, key_of(joined), a.start, b.end)
        return None

    def sound_alikes(self, word: str) -> frozenset[str]:
        """Sample words that sound the same as `word`, or differ from it by one sound ("odor"/"order")."""
        found = self._sound_alikes.get(word)
        if found is None:
            alikes: set[str] = set()
            if word.isalpha():
                key = phonetic(word)
                alikes.update(self._vocab_by_sound.get(key, ()))
                alikes.update(self._vocab_by_dropped_stop.get(key, ()))
                alikes.update(w for w in HOMOPHONES.get(key_of(word), ()) if w in self.vocabulary)
                for variant in _near_sounds(key):
                    # One sound more or less: only between words that also look alike ("odor"/"order").
                    alikes.update(w for w in self._vocab_by_near_sound.get(variant, ()) if fuzz.ratio(word, w) >= 60)
            found = self._sound_alikes[word] = frozenset(alikes - {word})
        return found

    def _correct(self, key: str) -> str | None:
        """The model word a misheard or inflected word most likely was ("card" → "cart"), or None."""
        if key in self.vocabulary or not key.isalpha() or len(key) < 3:
            return None
        for variant in _inflections(key):  # "shipped" → "ship", "finished" → "finish"
            if variant in self.vocabulary:
                return variant
        if lemma(key) in self.vocabulary:  # irregular forms: "bought" → "buy"
            return lemma(key)
        alikes = self._vocab_by_sound.get(phonetic(key))
        if alikes:
            return max(alikes, key=lambda w: fuzz.ratio(key, w))
        if len(key) >= 4:
            hit = process.extractOne(key, self._vocab_list, scorer=fuzz.ratio, score_cutoff=75)
            if hit:
                return hit[0]
        return None

    def parse(
        self,
        text: str,
        *,
        dynamic_entities: list[dict[str, Any]] | None = None,
        expected_intents: Collection[str] | None = None,
        explain: bool = False,
    ) -> NluResult:
        tokens = self._strip_invocation(clean(tokenize(text or "")))[:MAX_TOKENS]
        if not tokens:
            return [] if explain else self._fallback(1.0)  # type: ignore[return-value]
        turn = _Turn(self, text, self._fix_compounds(tokens), dynamic_entities)
        expected = frozenset(expected_intents or ())
        cls_scores = self._classify(turn)
        best_by_intent: dict[str, tuple[float, _Alignment]] = {}
        best_any = 0.0
        top = 0.0  # the best blended score so far: the answer's score can only be higher

        def blended(intent: str, conf: float, other_domain: float = 1.0) -> float:
            # The classifier can lift a loose alignment (a paraphrase), never sink a good one, nor lift what
            # words of another domain speak against.
            score = max(conf, 0.65 * conf + 0.35 * cls_scores.get(intent, 0.0) * other_domain)
            if intent in expected:
                score = min(1.0, score + self.EXPECTED_BOOST)
            return score

        heard = set(turn.keys) | set(turn.alts.values()) | turn.heard_as
        for idx in self._candidate_samples(turn, cls_scores, expected):
            sample = self.samples[idx]
            # Words of the sample that were not said cost at least DROP_WORD each: skip samples that
            # cannot beat the best alignment found so far.
            missing = len(sample.hard - heard)
            reachable = len(sample.hard) - missing + len(sample.elements)
            if missing and reachable / (reachable + missing * self.DROP_WORD) + 0.05 < best_any:
                continue
            # Samples that cannot change the answer are not aligned: their confidence can reach neither
            # the best of their intent, nor (leaving the best so far as it is) the best score of any intent.
            bound = turn.confidence_bound(sample)
            current = best_by_intent.get(sample.intent)
            if current is not None and bound + 1e-9 <= current[0]:
                continue
            if bound + 1e-9 <= best_any and blended(sample.intent, bound) + 1e-9 < top:
                continue
            alignment = turn.align(sample)
            if alignment is None:
                continue
            best_any = max(best_any, alignment.confidence)
            if current is None or alignment.confidence > current[0]:
                best_by_intent[sample.intent] = (alignment.confidence, alignment)
                top = max(top, blended(sample.intent, alignment.confidence, alignment.other_domain))
        ranked = [(blended(intent, conf, a.other_domain), intent) for intent, (conf, a) in best_by_intent.items()]
        ranked.sort(reverse=True)
        if self._semantic is not None:
            if explain:
                return self._candidates(turn, tokens, best_by_intent, cls_scores, expected)[0]  # type: ignore[return-value]
            lexical = ranked[0] if ranked and ranked[0][0] >= self.THRESHOLD and ranked[0][1] != FALLBACK else None
            return self._decide(turn, tokens, best_by_intent, cls_scores, expected, lexical)
        if not ranked:
            return self._fallback(1.0)
        score, intent = ranked[0]
        if score < self.THRESHOLD or intent == FALLBACK or (intent == self.CONSENT and score < self.CONSENT_THRESHOLD):
            return self._fallback(round(1.0 - score, 3))
        return NluResult(intent, turn.slots_of(intent, best_by_intent[intent][1]), round(score, 3))

    def explain(self, text: str, *, expected_intents: Collection[str] | None = None) -> list[Candidate]:
        """The candidate intents of a turn as the confidence stage sees them (bench/train_confidence.py)."""
        return self.parse(text, expected_intents=expected_intents, explain=True)  # type: ignore[return-value]

    def _candidates(
        self,
        turn: _Turn,
        tokens: list[Token],
        best_by_intent: dict[str, tuple[float, _Alignment]],
        cls_scores: dict[str, float],
        expected: frozenset[str],
    ) -> tuple[list[Candidate], float]:
        """Every intent some stage proposes, described for the confidence stage, and the semantic stage's
        probability that the turn is out of domain."""
        assert self._semantic is not None
        sem = self._semantic.scores(semantic_text(tokens))
        proposed = set(best_by_intent) | set(expected)
        for view in (sem.probabilities, sem.nearest, cls_scores):
            proposed.update(sorted(view, key=lambda k: (-view[k], k))[:3])
        proposed.discard(FALLBACK)
        proposed &= set(self.intent_slots)

        def top_two(view: dict[str, float]) -> tuple[tuple[float, str], tuple[float, str]]:
            first = second = (0.0, "")
            for k, v in view.items():
                if k == FALLBACK:
                    continue
                if v > first[0]:
                    first, second = (v, k), first
                elif v > second[0]:
                    second = (v, k)
            return first, second

        tops = {id(view): top_two(view) for view in (sem.probabilities, sem.nearest)}

        def best_other(view: dict[str, float], intent: str) -> float:
            first, second = tops.get(id(view)) or top_two(view)
            return second[0] if first[1] == intent else first[0]

        aligned = {k: v[0] for k, v in best_by_intent.items()}
        foreign = sum(1 for t in tokens if t.key in self.other_domain_words or t.text in self.other_domain_words)
        asked = 1.0 if is_question([t.text for t in tokens]) else 0.0
        out = []
        for intent in sorted(proposed):
            alignment = best_by_intent.get(intent)
            out.append(
                describe(
                    intent,
                    aligned=alignment[0] if alignment else None,
                    tfidf=cls_scores.get(intent, 0.0),
                    semantic=sem.probabilities.get(intent, 0.0),
                    nearest=sem.nearest.get(intent, 0.0),
                    out_of_domain=sem.fallback,
                    semantic_within=sem.within_domain(intent),
                    nearest_out=sem.nearest_out,
                    other_domain=alignment[1].other_domain if alignment else 1.0,
                    best_other=(
                        best_other(aligned, intent),
                        best_other(sem.probabilities, intent),
                        best_other(sem.nearest, intent),
                    ),
                    words=len(tokens),
                    foreign_words=foreign,
                    question_mismatch=abs(asked - self._question_share.get(intent, 0.0)),
                    samples_per_intent=self._samples_per_intent,
                )
            )
        return out, sem.fallback

    def _decide(
        self,
        turn: _Turn,
        tokens: list[Token],
        best_by_intent: dict[str, tuple[float, _Alignment]],
        cls_scores: dict[str, float],
        expected: frozenset[str],
        lexical: tuple[float, str] | None,
    ) -> NluResult:
        """The learnt confidence stage, after the lexical stages.

        Where the aligner is sure (its blended score passes the threshold) its reading stands, unless the
        learnt stage is near certain of another intent and gives the aligner's almost no chance; where the
        aligner is not sure (a paraphrase, another way of saying it), the learnt stage decides."""
        # A dialog's expected intents gain a little, as in Alexa's dialog model: never enough to force one.
        candidates, out_of_domain = self._candidates(turn, tokens, best_by_intent, cls_scores, expected)
        scored = sorted(
            (
                (min(1.0, p + (self.EXPECTED_BOOST if c.intent in expected else 0.0)), c.intent)
                for c, p in zip(candidates, probabilities(candidates), strict=True)
            ),
            key=lambda pair: (-pair[0], pair[1]),
        )
        if lexical is not None:
            learnt = dict((i, p) for p, i in scored)
            top_p, top_intent = scored[0] if scored else (0.0, lexical[1])
            overruled = (
                top_intent != lexical[1]
                and lexical[0] < self.ALIGNED_SURELY
                and top_p >= self.OVERRULE
                and top_p - learnt.get(lexical[1], 0.0) >= self.OVERRULE_MARGIN
            )
            if not overruled:
                if lexical[1] == self.CONSENT and lexical[0] < self.CONSENT_THRESHOLD:
                    lexical = (self.CONSENT_THRESHOLD, self.CONSENT)  # the consent detector below decides
                scored = [lexical] + [(p, i) for p, i in scored if i != lexical[1]]
        rescued = lexical is None
        yes_in_play = (scored and scored[0][1] == self.CONSENT) or self.CONSENT in expected
        if self.CONSENT in self.intent_slots and yes_in_play:
            # A yes spends money: it is a yes only when the consent detector hears plain consent. Asked
            # for a yes or no, clear consent is a yes whatever else its words are near ("go ahead and buy it").
            if consent_detector(self.locale).probability(turn.text) >= CONSENT_THRESHOLD:
                return NluResult(self.CONSENT, {}, round(max(self.THRESHOLD, scored[0][0] if scored else 0.0), 3))
            if scored and scored[0][1] == self.CONSENT:
                rescued = True  # what is left was not the aligner's reading
            scored = [(p, i) for p, i in scored if i != self.CONSENT]
        floor = self.rescue_floor if rescued else self.THRESHOLD
        if rescued and out_of_domain >= self.SURELY_ELSEWHERE:
            # The learnt stage alone decides, and its own out-of-domain class is near certain.
            return self._fallback(round(out_of_domain, 3))
        if rescued and is_question([t.text for t in tokens]):
            # Without a sure alignment, a question is never read as an intent no sample of which is a
            # question: "what's the best diaper" is not a diaper to log, whatever its words are near.
            scored = [(p, i) for p, i in scored if self._question_share.get(i, 0.0) > 0.0]
        if rescued and any(t.key in self.other_domain_words for t in tokens):
            # The aligner's rule holds for the learnt stage too: a word of another domain said outside any
            # slot ("set the tv to four") is that domain's request, however near the rest is to a sample.
            return self._fallback(0.5)
        if not scored or scored[0][0] < floor:
            return self._fallback(round(1.0 - (scored[0][0] if scored else 0.0), 3))
        score, intent = scored[0]
        alignment = best_by_intent.get(intent)
        found = alignment[1] if alignment else self._loose_alignment(turn, intent)
        return NluResult(intent, turn.slots_of(intent, found), round(score, 3))

    def _loose_alignment(self, turn: _Turn, intent: str) -> _Alignment:
        """Slots for an intent only the learnt stage chose: its best sample, however loose, or else every
        word free for the clear values (a number, a listed value) that leftover filling takes."""
        best: _Alignment | None = None
        heard = set(turn.keys)
        own = sorted(
            (i for i, s in enumerate(self.samples) if s.intent == intent),
            key=lambda i: (-len(self.samples[i].hard & heard), i),
        )[: self.LOOSE_SAMPLES]
        for sample in (self.samples[i] for i in own):
            found = turn.align(sample)
            if found is not None and (best is None or found.confidence > best.confidence):
                best = found
        return best or _Alignment(0.0, {}, list(range(len(turn.words))))

    def _fallback(self, confidence: float) -> NluResult:
        slots = {n: SlotMatch(n, t, None) for n, t in self.intent_slots.get(FALLBACK, {}).items()}
        return NluResult(FALLBACK, slots, confidence)

    def _classify(self, turn: _Turn) -> dict[str, float]:
        words = [turn.alts.get(i, k) for i, k in enumerate(turn.keys) if turn.words[i] not in SOFT_WORDS]
        feats = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
        # A word that is a value of a slot type also counts as that type, as the samples' {slots} do.
        feats += [f"<{name}>" for w in words for name in self._types_of_word.get(w, ())]
        feats += [f"<{t}>" for t in sorted(turn.builtin_types())]
        vec: dict[str, float] = defaultdict(float)
        for f in feats:
            if f in self._idf:
                vec[f] += self._idf[f]
        norm = math.sqrt(sum(v * v for v in vec.values()))
        if not norm:
            return {}
        terms: dict[str, list[float]] = {}
        for f, v in vec.items():
            for intent, weight in self._postings.get(f, ()):
                terms.setdefault(intent, []).append(v * weight)
        scores = {}
        for intent in self._intent_vectors:
            if intent in terms:
                dot = sum(terms[intent])
                if dot > 0:
                    scores[intent] = dot / norm
        return scores

    def _candidate_samples(self, turn: _Turn, cls_scores: dict[str, float], expected: frozenset[str]) -> list[int]:
        overlap: dict[int, int] = defaultdict(int)
        for key in set(turn.keys) | set(turn.alts.values()):
            for idx in self._index.get(key, ()):
                overlap[idx] += 1
        # Every ordering ends on a name or an index: ties never fall to set order (the hash seed).
        top_intents = {i for i, _ in sorted(cls_scores.items(), key=lambda kv: (-kv[1], kv[0]))[:3]} | expected
        ranked = sorted(overlap, key=lambda i: (-overlap[i] / len(self.samples[i].hard), -overlap[i], i))
        chosen = ranked[: self.CANDIDATE_SAMPLES]
        chosen += [i for i in ranked[self.CANDIDATE_SAMPLES :] if self.samples[i].intent in top_intents][:24]
        if turn.heard_as:
            # Samples the sound-alikes reach come after, so they never reorder what the words said reach.
            heard: dict[int, int] = defaultdict(int)
            for key in set(turn.keys) | set(turn.alts.values()) | turn.heard_as:
                for idx in self._index.get(key, ()):
                    heard[idx] += 1
            taken = set(chosen)
            extra = sorted(
                (i for i in heard if i not in taken and heard[i] > overlap.get(i, 0)),
                key=lambda i: (-heard[i] / len(self.samples[i].hard), -heard[i], i),
            )
            chosen += extra[: self.CANDIDATE_SAMPLES // 2]
        return chosen + self._pure


@dataclass(slots=True)
class _Alignment:
    confidence: float
    spans: dict[str, tuple[int, int]]
    skipped: list[int] = field(default_factory=list)  # turn words no sample word or slot took
    named: list[int] = field(default_factory=list)  # turn words said in place of a sample's pronoun
    other_domain: float = 1.0  # what words of other domains outside free text scaled the confidence by


class _Turn:
    """One turn being understood: its tokens, corrections and a cache of slot-value checks."""

    def __init__(self, engine: NluEngine, text: str, tokens: list[Token], dynamic: list[dict[str, Any]] | None) -> None:
        self.engine = engine
        self.text = text
        self.tokens = tokens
        self.words = [t.text for t in tokens]
        self.keys = [t.key for t in tokens]
        self.roots = [lemma(k) for k in self.keys]
        self.alts: dict[int, str] = {}
        for i, key in enumerate(self.keys):
            fixed = engine._correct(key)
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
            contexts = engine._contexts
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
                | {w for s in same for w in engine._vocab_by_dropped_stop.get(s, ())}
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
        self.dynamic: dict[str, _CustomType] = {}
        for item in dynamic or []:
            if isinstance(item, dict) and item.get("name"):
                self.dynamic[item["name"]] = _CustomType.from_values(item["name"], item.get("values") or [])
        household = {w for t in self.dynamic.values() for w in t.words}
        self.other_domain = [k in engine.other_domain_words and k not in household for k in self.keys]
        self._slot_costs: dict[tuple[str, int, int], float | None] = {}
        self._spans: dict[tuple[str, int], list[tuple[int, float, float]]] = {}
        # Per slot type: words no value has, two words that join into a value's word, words sounding like one.
        self._slips_in: dict[tuple[int, ...], tuple[list[bool], list[str | None], list[bool]]] = {}
        self._named: set[int] = set()
        self.could_be_name = [engine.could_be_name(w) for w in self.words]
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
        # What skipping the x cheapest words of the turn costs at least, for x = 0, 1, ...
        skip_costs = sorted(
            engine.SKIP_SOFT if w in SOFT_WORDS else min(engine.SKIP_EDGE_WORD, engine.SKIP_WORD) for w in self.words
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

    def confidence_bound(self, sample: _Sample) -> float:
        """A confidence `align(sample)` can never exceed (0.0 when it finds no alignment).

        Each sample element adds at most 1 to the gain and takes at least one word for it; a meaningful
        word no word of the turn matches adds nothing, costs at least what dropping or replacing it
        does, and counts as not said. Without slots, a sample of m words leaves all but m words of the
        turn to be skipped.
        """
        hard = sample.hard_words
        unmatched = 0
        floor = 0.0
        reach, roots = self._reach, self._root_set
        for key, root, subject, after_slot in hard:
            if key in reach or root in roots or (after_slot and self._has_one) or (key in _PRONOUNS and self._may_name):
                continue
            unmatched += 1
            floor += self._subject_floor if subject else self._word_floor
        m, n = len(sample.elements), len(self.keys)
        gain = min(m - unmatched, n)
        if gain <= 0:
            return 0.0
        if n > m and not sample.has_slot:
            floor += self._skip_floor[n - m]  # each sample word takes one turn word at most: the rest is skipped
        bound = gain / (gain + floor)
        if hard:
            said = (len(hard) - unmatched) / len(hard)
            bound *= said if sample.free_text else 0.6 + 0.4 * said
        else:
            bound *= 0.85
        return bound

    def _context_keys(self, i: int, edge: str) -> set[str]:
        """What the word at i is as a neighbour: its key, its correction, "{}" if it may be a slot value."""
        if i < 0 or i >= len(self.keys):
            return {edge}
        key = self.keys[i]
        out = {key, self.alts.get(i, key)}
        if key in _ARTICLES:
            out |= _ARTICLES  # "the" for "my": said interchangeably
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
        found = self._spans.get((slot_type, j))
        if found is None:
            found = []
            for k in range(j + 1, len(self.tokens) + 1):
                sc = self.slot_cost(slot_type, j, k)
                if sc is None:
                    if slot_type != "AMAZON.SearchQuery" and k - j >= 8:
                        break
                    continue
                found.append((k, sc, max(0.0, 1.0 - sc)))
            self._spans[(slot_type, j)] = found
        return found

    def _slot_cost(self, slot_type: str, j: int, k: int) -> float | None:
        words = self.words[j:k]
        n = k - j
        if slot_type == "AMAZON.SearchQuery":
            return 0.1 + 0.02 * n if n <= 30 else None
        if n > 8:
            return None
        if slot_type in bv.BUILTIN_PARSERS:
            cost = 0.0
            if _builtin_value(slot_type, tuple(words)) is None:
                read = (
                    self.number_reading(j, k)
                    if slot_type in _NUMBER_TYPES
                    else self.duration_reading(j, k)
                    if slot_type == "AMAZON.DURATION"
                    else None
                )
                if read is None or _builtin_value(slot_type, tuple(read)) is None:
                    return None
                # Before a unit of time a homophone is a number all but certainly: "in to hours".
                each = self.NUMBER_HOMOPHONE if slot_type in _NUMBER_TYPES else self.engine.GLUE_HOMOPHONE
                cost = each * sum(w in NUMBER_HOMOPHONES for w in words)
            if slot_type in _COUNT_OR_CLOCK and k < len(self.words) and self.words[k] in bv.DURATION_UNITS:
                return None  # "ten" of "ten minutes" is a length of time, not a count nor a clock time
            return cost
        if slot_type == "AMAZON.DATE":
            return 0.0 if bv.parse_date(words, self.engine.today()) is not None else None
        if slot_type == "AMAZON.FirstName":
            return 0.1 if bv.parse_first_name(words, self.engine.vocabulary) else None
        custom = self.engine.types.get(slot_type)
        if custom is None:  # another built-in type: any short phrase, at a price
            return 0.4 + 0.05 * n if n <= 6 else None
        if words[0] in _ARTICLES:
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
        return self._custom_cost(custom, self.dynamic.get(slot_type), j, k)

    def _custom_cost(self, custom: _CustomType, dynamic: _CustomType | None, j: int, k: int) -> float | None:
        alts = self.alts
        variants = [" ".join(self.keys[j:k])]
        if alts and any(i in alts for i in range(j, k)):
            variants.append(" ".join(alts.get(i, self.keys[i]) for i in range(j, k)))
        types = [custom] if dynamic is None else [dynamic, custom]
        for phrase in variants:
            if phrase in custom.phrases or (dynamic is not None and phrase in dynamic.phrases):
                return 0.0
        n = k - j
        is_open = custom.is_open
        if is_open and n == 1 and self.keys[j] in _REFERRING:
            # "add it", "remove that": the value is whatever the conversation was about, for the skill to
            # look up, as Alexa sends it; no value of an open list is needed to say so.
            return 0.15
        if not is_open and n > custom.max_words + (1 if custom.is_name else 2) and not (custom.is_name and n <= 3):
            return None
        # Each word as said when the type knows it ("size"), else as corrected ("pampurs" → "pampers").
        heard, where, misheard = self._heard_values(types, j, k)
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
        # A count in front belongs to a quantity: "two boxes of wipes" is not a product name.
        counted = 0.4 if keys[0].isdigit() else 0.0
        counted += self.MISHEARD_VALUE_WORD * misheard
        if is_open:
            foreign, loose = self._foreign_words(heard, types)
            counted += self.FOREIGN_WORD * foreign + self.LOOSE_WORD * loose
        if is_open and covered == 1.0:
            return 0.15 + counted  # known words in a new combination: "pampers swaddlers size 3"
        best = 0.0
        for t in types:
            # Fuzzy comparison only against phrases sharing a word, or a sound, with the span.
            pool: dict[str, None] = {}
            for w in keys:
                pool.update(t.phrases_near(w))
            if pool:
                said = " ".join(keys)
                for phrase, score, _ in process.extract(said, list(pool), scorer=fuzz.ratio, score_cutoff=80, limit=3):
                    if custom.is_open or _word_by_word(keys, phrase.split(), score):
                        best = max(best, score)
                        break
        if best:
            return (100.0 - best) / 100.0 * 2.0 + (counted if custom.is_open else 0.0)
        if custom.is_open:
            return 0.5 + 0.6 * (1.0 - covered) + counted
        if custom.is_name and n <= 3 and all(self.engine.could_be_name(w) for w in self.words[j:k]):
            return 0.3
        return 1.2 + 0.5 * (1.0 - covered)

    def _heard_values(self, types: list[_CustomType], j: int, k: int) -> tuple[list[str], list[int], int]:
        """Words j..k as values of `types` were likely said: two words that sound like one word of the values
        are that word ("hug ease" → "huggies"), and a word that sounds like a value's word next to its
        neighbour is that word ("dish soup"). Returns the keys, their turn positions (-1 for two words
        joined) and how many words were read so."""
        tkey = tuple(id(t) for t in types)
        found = self._slips_in.get(tkey)
        if found is None:
            keys = self.keys
            unknown = [key.isalpha() and not any(key in t.words for t in types) for key in keys]
            # Two words join into one word of the values when at most one of them is a value word and they are
            # no pair of a value: "bath room" is "bathroom", "laundry room" stays; "a wake" is "awake".
            joins = [
                next(
                    (
                        w
                        for t in types
                        if (keys[x], keys[x + 1]) not in t.pairs
                        and (w := t.joined_alike(self.words[x], self.words[x + 1]))
                    ),
                    None,
                )
                if x + 1 < len(keys) and (unknown[x] or unknown[x + 1]) and keys[x + 1].isalpha()
                else None
                for x in range(len(keys))
            ]
            alikes = [
                unknown[x] and any(t.by_sound.get(phonetic(self.keys[x])) or t.by_sound.get(phonetic(w)) for t in types)
                for x, w in enumerate(self.words)
            ]
            found = self._slips_in[tkey] = (unknown, joins, alikes)
        _, joined_at, alike_at = found
        if not any(alike_at[j:k]) and not any(joined_at[j : k - 1]):
            return list(self.keys[j:k]), list(range(j, k)), 0
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
                        if a in t.singles
                    ),
                    None,
                )
            if alike:
                heard[x] = alike
                misheard += 1
        return heard, where, misheard

    FOREIGN_WORD = 0.9  # about what skipping the word would cost
    NUMBER_HOMOPHONE = 0.3  # each "tree" read as "three" where a number is expected
    MISHEARD_VALUE_WORD = 0.1  # "soup" read as "soap" after "dish"
    LOOSE_WORD = 0.3  # a known word that is no value alone nor next to its neighbours ("rolls")

    def _foreign_words(self, keys: list[str], types: list[_CustomType]) -> tuple[int, int]:
        """Words of a span that no phrase of the type attaches, but that the model's requests use.

        An open list (products) takes unlisted words freely ("organic bananas"), but a glue word or a
        word of the intents' own phrasing that no value holds in that place is most likely not part of
        the value: "boxes of wipes", "the wipes going to", "my usual coffee", "good night".
        """
        vocabulary = self.engine.vocabulary
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
            if w in SOFT_WORDS or w in vocabulary or partitive:
                foreign += 1
            elif any(w in t.words for t in types):
                loose += 1
        return foreign, loose

    # -- alignment --

    def align(self, sample: _Sample) -> _Alignment | None:
        """Cheapest alignment of the sample with the turn, by dynamic programming."""
        eng = self.engine
        els = sample.elements
        m, n = len(els), len(self.tokens)
        inf = math.inf
        cost = [[inf] * (n + 1) for _ in range(m + 1)]
        back: list[list[tuple[int, int, str, float] | None]] = [[None] * (n + 1) for _ in range(m + 1)]
        cost[0][0] = 0.0
        slot_types = eng.intent_slots[sample.intent]
        type_words = eng.intent_type_words(sample.intent)
        soft_tokens = self.soft_tokens
        could_be_name = self.could_be_name
        peers = self.peers
        keys, alts, sounds, roots, words = self.keys, self.alts, self.sounds, self.roots, self.words
        next_to_slot = sample.next_to_slot
        carrier = sample.carrier
        slot_spans = self.slot_spans
        skip_soft, skip_edge, skip_word = eng.SKIP_SOFT, eng.SKIP_EDGE_WORD, eng.SKIP_WORD
        drop_soft, drop_word, drop_subject = eng.DROP_SOFT, eng.DROP_WORD, eng.DROP_SUBJECT
        near_match, sound_alike, inflected = eng.NEAR_MATCH, eng.SOUND_ALIKE, eng.INFLECTED
        name_for_pronoun, substitute, substitute_value = eng.NAME_FOR_PRONOUN, eng.SUBSTITUTE, eng.SUBSTITUTE_VALUE
        slot_unsaid = eng.SLOT_UNSAID
        glue, glue_homophone = self.glue, eng.GLUE_HOMOPHONE
        no_sounds: frozenset[str] = frozenset()
        for i in range(m + 1):
            row, nrow = cost[i], cost[i + 1] if i < m else None
            brow, bnrow = back[i], back[i + 1] if i < m else None
            el = els[i] if i < m else None
            skip_other = skip_edge if i == 0 or i == m else skip_word
            for j in range(n + 1):
                c = row[j]
                if c == inf:
                    continue
                if j < n:  # a word of the turn the sample does not have
                    step = skip_soft if soft_tokens[j] else skip_other
                    if c + step < row[j + 1]:
                        row[j + 1] = c + step
                        brow[j + 1] = (i, j, "skip", 0.0)
                if el is None or nrow is None or bnrow is None:
                    continue  # the last row: no sample element left to match
                if not el.slot:
                    step = drop_soft if el.soft and not carrier[i] else drop_word
                    if i == 0 and el.key in _SUBJECTS:
                        step = drop_subject  # "changed a dirty one" for "i changed a {diaperType} diaper"
                    if c + step < nrow[j]:
                        nrow[j] = c + step
                        bnrow[j] = (i, j, "drop", 0.0)
                    if j < n:
                        if keys[j] == el.key:
                            step, gain = 0.0, (0.3 if el.soft else 1.0)
                        elif alts.get(j) == el.key:
                            step, gain = near_match, 0.7
                        elif el.key in sounds.get(j, no_sounds):
                            step, gain = sound_alike, 0.7  # "odor" where the sample has "my order"
                        elif roots[j] == el.root and not el.soft:
                            step, gain = inflected, 0.9  # "pumping" for "pumped", "bought" for "buy"
                        elif el.soft and el.key in glue[j]:
                            step, gain = glue_homophone, 0.3  # "button two supplies" for "button to {newName}"
                        elif el.key in peers[j]:
                            step, gain = inflected, 0.9  # "he" for "she"
                        elif words[j] in ("one", "ones") and not el.soft and i > 0 and els[i - 1].slot:
                            step, gain = inflected, 0.6  # "a dirty one" for "a {diaperType} diaper"
                        elif el.key in _PRONOUNS and could_be_name[j]:
                            # A name where the sample has "she" ("maya woke up") is remembered: it may be
                            # a value for the intent's name slot.
                            if c + name_for_pronoun < nrow[j + 1]:
                                nrow[j + 1] = c + name_for_pronoun
                                bnrow[j + 1] = (i, j, "name", 0.8)
                            continue
                        elif not el.soft and not soft_tokens[j]:
                            # One word said in place of another. A value of one of the intent's slot types
                            # in place of a word ("has the formula shipped" for "has my order shipped") is
                            # a smaller change.
                            # Next to a slot, the value word belongs in the slot: "get the dish soap again"
                            # is not "get the same {product} again" with "dish" for "same".
                            cheap = keys[j] in type_words and not next_to_slot[i]
                            step = substitute_value if cheap else substitute
                            gain = 0.0
                        elif el.soft and soft_tokens[j]:
                            step, gain = skip_soft, 0.0  # "are" for "is", "the" for "my"
                        else:
                            continue
                        if c + step < nrow[j + 1]:
                            nrow[j + 1] = c + step
                            bnrow[j + 1] = (i, j, "word", gain)
                    continue
                if c + slot_unsaid < nrow[j]:
                    nrow[j] = c + slot_unsaid
                    bnrow[j] = (i, j, "unsaid", 0.0)
                for k, sc, gain in slot_spans(slot_types[el.key], j):
                    if k == j + 1 and keys[j] in _REFERRING and i > 0 and els[i - 1].key in _ARTICLES:
                        # "scratch the {product}" is not "scratch that": no one says "the it".
                        sc, gain = sc + 1.0, 0.0
                    if c + sc < nrow[k]:
                        nrow[k] = c + sc
                        bnrow[k] = (i, j, "slot", gain)
        total = cost[m][n]
        if total == inf:
            return None
        gain = 0.0
        hard_matched = 0
        skipped: list[int] = []
        named: list[int] = []  # turn words said where the sample has a pronoun
        spans: dict[str, tuple[int, int]] = {}
        number_words: list[tuple[int, int]] = []  # sample words such as "one" matched right after a slot
        i, j = m, n
        while (i, j) != (0, 0):
            link = back[i][j]
            if link is None:
                return None
            pi, pj, kind, g = link
            gain += max(0.0, g)
            if kind == "word" and not els[pi].soft and g > 0:
                hard_matched += 1
                if els[pi].key.isdigit() and pi > 0 and els[pi - 1].slot:
                    number_words.append((pi, pj))
            elif kind == "skip":
                skipped.append(pj)
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
            i, j = pi, pj
        for pi, pj in number_words:
            # "the {option} one" said as "five five five one": the "one" may as well end the number.
            before = els[pi - 1].key
            if (
                before in spans
                and spans[before][1] == pj
                and slot_types[before] in _NUMBER_TYPES
                and self.slot_cost(slot_types[before], spans[before][0], pj + 1) == 0.0
            ):
                gain -= 0.7
                hard_matched -= 1
        if gain <= 0:
            return None
        confidence = gain / (gain + total)
        hard_total = sum(1 for e in els if not e.slot and not e.soft)
        if hard_total:
            # Most of an intent's own words must be there: "set the thermostat to seventy" is not a button.
            # Around a free-text slot the carrier phrase is all the evidence there is, so all of it counts.
            said = hard_matched / hard_total
            free_text = any(e.slot and slot_types[e.key] == "AMAZON.SearchQuery" for e in els)
            confidence *= said if free_text else 0.6 + 0.4 * said
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
        return _Alignment(confidence, spans, sorted(skipped), named, other_domain)

    # -- the answer --

    def _fill_leftovers(self, intent: str, alignment: _Alignment) -> dict[str, tuple[int, int]]:
        """Slots the sample did not place, found among the words it skipped ("log a feeding for noah").

        Only clear cases: a built-in value or a listed value of the slot's type, or a name after "for";
        a type two empty slots share is left alone, since nothing says which of them it is.
        """
        spans = dict(alignment.spans)
        slot_types = self.engine.intent_slots.get(intent, {})
        empty = [n for n, t in slot_types.items() if n not in spans and t != "AMAZON.SearchQuery"]
        if not empty or not (alignment.skipped or alignment.named):
            return spans
        free = set(alignment.skipped) | set(alignment.named)
        self._named = set(alignment.named)
        shared = {t for t in (slot_types[n] for n in empty) if sum(slot_types[m] == t for m in empty) > 1}
        for name in empty:
            slot_type = slot_types[name]
            if slot_type in shared:
                continue
            found = self._leftover_span(slot_type, free)
            if found:
                spans[name] = found
                free.difference_update(range(*found))
        return spans

    def _leftover_span(self, slot_type: str, free: set[int]) -> tuple[int, int] | None:
        custom = self.engine.types.get(slot_type)
        for length in range(4, 0, -1):
            for j in sorted(free):
                k = j + length
                if not all(i in free for i in range(j, k)):
                    continue
                counts = slot_type in _NUMBER_TYPES and self.words[j] in NUMBER_HOMOPHONES  # "add to packs"
                if self.words[j] in SOFT_WORDS and not counts:
                    continue
                cost = self.slot_cost(slot_type, j, k)
                if cost is None:
                    continue
                if cost == 0.0:
                    return (j, k)
                if slot_type in _NUMBER_TYPES and length == 1 and cost <= self.NUMBER_HOMOPHONE:
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
        return spans

    def slots_of(self, intent: str, alignment: _Alignment) -> dict[str, SlotMatch]:
        spans = self._split_free_text(intent, self._fill_leftovers(intent, alignment))
        alignment = _Alignment(alignment.confidence, spans, alignment.skipped, alignment.named)
        out: dict[str, SlotMatch] = {}
        for name, slot_type in self.engine.intent_slots.get(intent, {}).items():
            span = alignment.spans.get(name)
            if span is None:
                out[name] = SlotMatch(name, slot_type, None)
                continue
            j, k = span
            out[name] = self._slot_match(name, slot_type, j, k)
        return out

    def _slot_match(self, name: str, slot_type: str, j: int, k: int) -> SlotMatch:
        said = self.text[self.tokens[j].start : self.tokens[k - 1].end].strip()
        words = self.words[j:k]
        if slot_type in bv.BUILTIN_PARSERS:
            value = bv.BUILTIN_PARSERS[slot_type](words)
            if value is None and slot_type in _NUMBER_TYPES:
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


def _near_sounds(key: str) -> set[str]:
    """A phonetic key and, when it stays three sounds long, the keys one later sound shorter:
    "ordr" → "odr", "orr", "ord"."""
    out = {key}
    if len(key) >= 4:
        out.update(key[:i] + key[i + 1 :] for i in range(1, len(key)))
    return out


def _final_stop_dropped(key: str) -> str | None:
    """A phonetic key without its final t or d, when two sounds stay: "krt" (cart) → "kr" (car)."""
    return key[:-1] if len(key) >= 3 and key[-1] in "td" else None


def _inflections(word: str) -> list[str]:
    """Base forms an -ed / -ing / -s word may come from, most likely first."""
    out = []
    for suffix in ("ing", "ed", "es", "s", "d"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            out.append(base)
            out.append(base + "e")
            if len(base) >= 4 and base[-1] == base[-2]:
                out.append(base[:-1])  # "shipped" → "shipp" → "ship"
    return out


def _exactish(res: Resolution) -> Resolution:
    """Slot-type resolution reports only confident matches, as Alexa's does; ranked values stay."""
    if res.status == "no_match" or not res.candidates or res.candidates[0].score < 80:
        return Resolution("no_match", [])
    return res
