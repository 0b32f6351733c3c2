"""Entity resolution: spoken words → ranked catalog (or slot-type) entries, Alexa-shaped.

The resolver never scans: an inverted index of word and word-pair features (entries ordered by
weight, so a very common word yields its most popular entries first) proposes a few hundred
candidates, and rapidfuzz scores only those. Query words that are not in the vocabulary are
corrected first by a sound-alike key and by fuzzy lookup among words that share an initial,
which is how ASR slips ("pampurs", "hug ease") find their entries.
"""

from __future__ import annotations

import heapq
import re
import sys
from array import array
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process

from intents.normalize import NUMBER_HOMOPHONES, phonetic, tokenize

if TYPE_CHECKING:  # the catalog record only; reorder stays free of any language code
    from reorder.domain.catalog import Product

_WORD_RE = re.compile(r"\S+")
# Words that tell entries apart poorly and that people add or drop at will.
_RESOLVER_SOFT = frozenset(
    {
        "a",
        "an",
        "the",
        "of",
        "and",
        "for",
        "with",
        "my",
        "our",
        "some",
        "count",
        "ct",
        "pk",
        "'s",
        "s",
        "please",
        "usual",
        "same",
    }
)
_UNIT_ALIASES = {
    "oz": "ounce",
    "fl": "fluid",
    "lbs": "lb",
    "pound": "lb",
    "ml": "milliliter",
    "sz": "size",
    "pcs": "piece",
    "pc": "piece",
    "xl": "extra large",
}


def resolver_keys(text: str) -> list[str]:
    """Comparable words of a phrase: folded, singular, number words as digits, no glue words."""
    out: list[str] = []
    for raw in _WORD_RE.findall(text):
        out.extend(_resolver_word(raw))
    return out


@lru_cache(maxsize=262_144)
def _resolver_word(raw: str) -> tuple[str, ...]:
    out: list[str] = []
    for token in tokenize(raw):
        key = _UNIT_ALIASES.get(token.key, token.key)
        if key not in _RESOLVER_SOFT:
            out.extend(key.split())
    return tuple(out)


def _features(keys: list[str]) -> list[str]:
    # Interned: a million entries share a few hundred thousand feature strings, stored once.
    feats = [sys.intern(k) for k in dict.fromkeys(keys)]
    feats.extend(sys.intern(f"{a} {b}") for a, b in zip(keys, keys[1:], strict=False))
    return feats


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    name: str
    synonyms: tuple[str, ...] = ()
    weight: float = 1.0  # popularity; breaks ties and orders the index


@dataclass(frozen=True, slots=True)
class Candidate:
    id: str
    name: str
    score: float  # 0..100


@dataclass(frozen=True)
class Resolution:
    status: str  # "match" (act on best), "ambiguous" (ask "X or Y?"), "no_match" (say nothing was found)
    candidates: list[Candidate]

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    def to_alexa(self, authority: str) -> dict[str, Any]:
        """One `resolutionsPerAuthority` item as Alexa sends it."""
        if self.status == "no_match" or not self.candidates:
            return {"authority": authority, "status": {"code": "ER_SUCCESS_NO_MATCH"}}
        return {
            "authority": authority,
            "status": {"code": "ER_SUCCESS_MATCH"},
            "values": [{"value": {"name": c.name, "id": c.id}} for c in self.candidates],
        }


class EntityResolver:
    """Resolve spoken text to entries; `resolve` answers in about a millisecond at a million entries."""

    MATCH_SCORE = 85.0  # at or above, with a clear lead: act on the best
    MIN_SCORE = 60.0  # below: nothing was found
    CLEAR_LEAD = 5.0  # the best must beat the runner-up by this much to be a match
    CANDIDATES = 150  # entries scored per seed and query
    SEED_LIMIT = 30_000  # a feature this common does not seed the candidate set by itself
    SEED_SCAN = 8_000  # of a common seed, its heaviest entries are narrowed
    INTERSECT_LIMIT = 400_000  # nor narrows it (the intersection would cost more than it tells)
    PRIOR_BOOST = 20.0  # most a purchase history can add to a score

    def __init__(self, entries: Iterable[Entry]) -> None:
        ordered = sorted(entries, key=lambda e: -e.weight)
        self._ids: list[str] = []
        self._names: list[str] = []
        self._weights = array("d")
        self._phrases: list[tuple[str, ...]] = []  # key strings of name and synonyms, per entry
        self._index_of: dict[str, int] = {}
        postings: dict[str, array[int]] = defaultdict(lambda: array("I"))
        # Catalog phrases repeat a lot ("pampers swaddlers" in every size): normalise each once.
        seen_phrases: dict[str, tuple[str, list[str]] | None] = {}
        for entry in ordered:
            if entry.id in self._index_of:
                continue  # first (heaviest) entry with an id wins
            idx = len(self._ids)
            self._index_of[entry.id] = idx
            self._ids.append(entry.id)
            self._names.append(sys.intern(entry.name))  # pack sizes share a name
            self._weights.append(entry.weight)
            phrase_keys: list[str] = []
            feats: dict[str, None] = {}
            for phrase in (entry.name, *entry.synonyms):
                if phrase in seen_phrases:
                    known = seen_phrases[phrase]
                else:
                    keys = resolver_keys(phrase)
                    known = seen_phrases[phrase] = (sys.intern(" ".join(keys)), _features(keys)) if keys else None
                if known is None:
                    continue
                joined, phrase_feats = known
                if joined not in phrase_keys:
                    phrase_keys.append(joined)
                feats.update(dict.fromkeys(phrase_feats))
            self._phrases.append(tuple(phrase_keys))
            for feat in feats:
                postings[feat].append(idx)
        self._postings: dict[str, array[int]] = dict(postings)
        self._vocab: frozenset[str] = frozenset(f for f in self._postings if " " not in f)
        self._by_sound: dict[str, list[str]] = defaultdict(list)
        self._by_initial: dict[str, list[str]] = defaultdict(list)
        for word in sorted(self._vocab):  # one order, so ties between sound-alikes break the same way each run
            self._by_sound[phonetic(word)].append(word)
            self._by_initial[word[:1]].append(word)
        # Words the catalog puts right before a number ("size 3", "stage 2"): after one of them a number's
        # homophone is the number ("pampers size tree", "size for").
        self._number_before = frozenset(
            f.split()[0] for f in self._postings if " " in f and f.split()[1].isdigit() and not f.split()[0].isdigit()
        )
        self._n = max(1, len(self._ids))

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._index_of

    def name_of(self, entry_id: str) -> str | None:
        idx = self._index_of.get(entry_id)
        return None if idx is None else self._names[idx]

    # --- query side -------------------------------------------------------------------------------

    def _correct(self, word: str) -> str | None:
        """The vocabulary word a misheard word most likely was, or None."""
        if word in self._vocab or word.isdigit():
            return word if word in self._vocab else None
        sound_alikes = self._by_sound.get(phonetic(word))
        if sound_alikes:
            best = max(sound_alikes, key=lambda w: (fuzz.ratio(word, w), -len(w)))
            return best
        pool = self._by_initial.get(word[:1])
        if pool and len(word) >= 4:
            hit = process.extractOne(word, pool, scorer=fuzz.ratio, score_cutoff=75)
            if hit:
                return hit[0]
        return None

    def _numbers_heard(self, text: str) -> str:
        """The text with a number's homophone read as the number where the catalog has one."""
        words = [t.text for t in tokenize(text)]
        for i in range(1, len(words)):
            if (
                words[i] in NUMBER_HOMOPHONES
                and _resolver_word(words[i - 1])[:1]
                and _resolver_word(words[i - 1])[-1] in self._number_before
            ):
                words[i] = NUMBER_HOMOPHONES[words[i]]
        return " ".join(words)

    def _query_keys(self, text: str) -> list[str]:
        return self._heard(text)[0]

    def _heard(self, text: str) -> tuple[list[str], int, int]:
        """The query's keys, how many were said as the catalog has them, and how many fit no word of it."""
        raw = resolver_keys(self._numbers_heard(text))
        exact = sum(1 for w in raw if w in self._vocab)
        unexplained = 0
        keys: list[str] = []
        i = 0
        while i < len(raw):
            word = raw[i]
            fixed = self._correct(word)
            # "hug ease" → "huggies": two misheard words that sound like one known word.
            if fixed is None and i + 1 < len(raw) and raw[i + 1] not in self._vocab:
                merged = self._by_sound.get(phonetic(word + raw[i + 1]))
                if merged:
                    keys.append(max(merged, key=lambda w: fuzz.ratio(word + raw[i + 1], w)))
                    i += 2
                    continue
            keys.append(fixed or word)
            unexplained += fixed is None and not word.isdigit()
            i += 1
        return keys, exact, unexplained

    def _candidates(self, keys: list[str]) -> list[int]:
        """A few hundred entries worth scoring: set intersections of postings, rarest features first.

        Two seeds (the two rarest features) are narrowed separately and joined, so one misheard
        word cannot hide the right entry; a feature that would empty the set is ignored as noise.
        """
        feats = sorted((f for f in _features(keys) if f in self._postings), key=lambda f: len(self._postings[f]))
        pool: set[int] = set()
        noisy = True  # the second seed is only needed when the first met a word that fits nothing
        for seed in feats[:2]:
            if not noisy:
                break
            noisy = False
            plist = self._postings[seed][: self.SEED_SCAN]
            if len(self._postings[seed]) > self.SEED_LIMIT:
                # Only very common words were said ("diapers"): the most popular entries stand for them.
                pool.update(plist[: self.CANDIDATES])
                continue
            narrowed: set[int] | None = None
            for feat in feats:
                if feat == seed or len(self._postings[feat]) > self.INTERSECT_LIMIT:
                    continue
                if narrowed is not None and len(narrowed) <= self.CANDIDATES:
                    break
                smaller = (set(plist) if narrowed is None else narrowed).intersection(self._postings[feat])
                if smaller:
                    narrowed = smaller
                else:
                    noisy = True
            if narrowed is None:
                pool.update(plist[: self.CANDIDATES])  # postings are heaviest first
            else:
                pool.update(sorted(narrowed)[: self.CANDIDATES])  # lower index = heavier entry
        return list(pool)

    @staticmethod
    def _phrase_score(query: str, known: frozenset[str], digits: tuple[str, ...], phrase: str) -> float:
        """0..100: how much of what was said the phrase covers, how much of it was said, and order."""
        words = phrase.split()
        inter = len(known.intersection(words))
        score = 100.0 * (0.65 * inter / len(known) + 0.1 * inter / len(words))
        score += 0.25 * fuzz.token_sort_ratio(query, phrase)
        # A size or count that was said and is not this phrase's means a different product.
        for d in digits:
            if d not in words:
                score -= 8.0
        return score

    def _score(
        self, query: str, known: frozenset[str], digits: tuple[str, ...], cache: dict[str, float], idx: int
    ) -> float:
        best = 0.0
        for phrase in self._phrases[idx]:
            score = cache.get(phrase)
            if score is None:  # entries share most phrases ("pamper swaddler"), so score each once
                score = cache[phrase] = self._phrase_score(query, known, digits, phrase)
            if score > best:
                best = score
        return best

    def resolve(
        self,
        text: str,
        *,
        prior: Mapping[str, float] | None = None,
        limit: int = 5,
        restrict_to: Collection[str] | None = None,
    ) -> Resolution:
        """Rank entries for `text`.

        prior: how often the household bought each id; a bought entry gains up to PRIOR_BOOST points,
        so "diapers" means the diapers they buy. restrict_to: only these ids are considered
        ("reorder X" means something bought before).
        """
        keys, exact, unexplained = self._heard(text or "")
        if not keys:
            return Resolution("no_match", [])
        if not exact and unexplained and restrict_to is None:
            # A word no catalog word sounds like, and the rest only near other words ("a lego set" is not
            # "sweet", "barbie doll" not "dial"): something the shop does not sell, said plainly.
            return Resolution("no_match", [])
        if restrict_to is not None:
            pool = [self._index_of[i] for i in restrict_to if i in self._index_of]
        else:
            pool = self._candidates(keys)
            if prior:
                pool = list(dict.fromkeys(pool + [self._index_of[i] for i in prior if i in self._index_of]))
        query = " ".join(keys)
        known = frozenset(k for k in keys if k in self._vocab)
        if not known:
            return Resolution("no_match", [])
        # Words the catalog has never heard of leave some doubt, whatever entry they are heard with.
        doubt = 0.75 + 0.25 * sum(1 for k in keys if k in self._vocab) / len(keys)
        cache: dict[str, float] = {}
        digits = tuple(k for k in known if k.isdigit())
        scored: list[tuple[float, float, int]] = []
        for idx in pool:
            score = self._score(query, known, digits, cache, idx) * doubt
            if prior:
                bought = max(0.0, float(prior.get(self._ids[idx], 0.0)))
                score += self.PRIOR_BOOST * bought / (bought + 1.0)
            scored.append((min(100.0, max(0.0, score)), self._weights[idx], idx))
        top = heapq.nlargest(max(1, limit), scored)
        candidates = [Candidate(self._ids[i], self._names[i], round(s, 1)) for s, _, i in top if s > 0]
        return Resolution(self._status(candidates), candidates)

    def _status(self, candidates: list[Candidate]) -> str:
        if not candidates or candidates[0].score < self.MIN_SCORE:
            return "no_match"
        best = candidates[0]
        # Pack sizes of one product share a name: only a different product makes the answer unclear.
        runner_up = next((c.score for c in candidates[1:] if c.name != best.name), 0.0)
        if best.score >= self.MATCH_SCORE and best.score - runner_up >= self.CLEAR_LEAD:
            return "match"
        return "ambiguous"


def catalog_resolver(products: Iterable[Product]) -> EntityResolver:
    """A resolver over catalog products: spoken name, full name and the catalog's synonyms."""
    return EntityResolver(product_entries(products))


def product_entries(products: Iterable[Product]) -> Iterable[Entry]:
    """Entries for products; the short forms people say ("similac formula", "swaddlers size 3") are added."""
    for p in products:
        short = (
            [f"{p.brand} {p.kind}", f"{p.brand} {p.line}", f"{p.line} {p.kind}"] if p.line else [f"{p.brand} {p.kind}"]
        )
        if p.variant:
            short += [f"{p.brand} {p.variant}", f"{p.brand} {p.line} {p.variant}", f"{p.kind} {p.variant}"]
        yield Entry(
            id=p.id,
            name=p.spoken_name,
            synonyms=tuple(dict.fromkeys((p.name, *short, *p.synonyms))),
            weight=0.3 if p.discontinued else 1.0,
        )
