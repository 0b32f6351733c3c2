"""Entity resolution: spoken words → ranked catalog (or slot-type) entries, Alexa-shaped.

The resolver never scans: an inverted index of word and word-pair features (entries ordered by
weight, so a very common word yields its most popular entries first) proposes a few hundred
candidates, and rapidfuzz scores only those. The index is flat arrays (intents/resolver_index.py),
memory-mapped from files when a server's workers share it (intents/resolver_files.py). Query words
that are not in the vocabulary are corrected first by a sound-alike key and by fuzzy lookup among
words that share an initial, which is how ASR slips ("pampurs", "hug ease") find their entries.
"""

from __future__ import annotations

import bisect
import heapq
import os
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from intents.normalize import NUMBER_HOMOPHONES, phonetic, tokenize
from intents.resolver_index import IndexArrays, build_from_entries, build_from_products, id_hash, iter_strings

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
    """Resolve spoken text to entries; `resolve` answers in a few milliseconds at a million entries.

    The index is a set of flat arrays (intents/resolver_index.py): built here from entries, or opened
    memory-mapped from files that every worker of a server shares (`EntityResolver.open`).
    """

    MATCH_SCORE = 85.0  # at or above, with a clear lead: act on the best
    MIN_SCORE = 60.0  # below: nothing was found
    CLEAR_LEAD = 5.0  # the best must beat the runner-up by this much to be a match
    CANDIDATES = 150  # entries scored per seed and query
    SEED_LIMIT = 30_000  # a feature this common does not seed the candidate set by itself
    SEED_SCAN = 8_000  # of a common seed, its heaviest entries are narrowed
    INTERSECT_LIMIT = 400_000  # nor narrows it (the intersection would cost more than it tells)
    PRIOR_BOOST = 20.0  # most a purchase history can add to a score

    def __init__(self, entries: Iterable[Entry] | None = None, *, index: IndexArrays | None = None) -> None:
        if index is None:
            index = build_from_entries(entries or (), resolver_keys)
        self.index = index
        a = index.arrays
        self._id_blob, self._id_off = a["id_blob"], a["id_off"]
        self._id_hash, self._id_order = a["id_hash"], a["id_order"]
        self._name_of, self._weights, self._entry_set = a["name_of"], a["weight"], a["entry_set"]
        self._set_off, self._set_keys = a["set_off"], a["set_keys"]
        self._key_off, self._key_words = a["key_off"], a["key_words"]
        self._pair_code, self._post_off, self._post = a["pair_code"], a["post_off"], a["post"]
        self._names = list(iter_strings(a["name_blob"], a["name_off"]))
        self._words = list(iter_strings(a["word_blob"], a["word_off"]))
        self._word_id = {w: i for i, w in enumerate(self._words)}
        self._vocab = self._word_id.keys()
        self._nw = max(1, len(self._words))
        self._by_sound: dict[str, list[str]] = defaultdict(list)
        self._by_initial: dict[str, list[str]] = defaultdict(list)
        for word in self._words:  # sorted, so ties between sound-alikes break the same way each run
            self._by_sound[phonetic(word)].append(word)
            self._by_initial[word[:1]].append(word)
        # Words the catalog puts right before a number ("size 3", "stage 2"): after one of them a number's
        # homophone is the number ("pampers size tree", "size for").
        digit = np.array([w.isdigit() for w in self._words], dtype=bool)
        first, second = np.divmod(np.asarray(self._pair_code, dtype=np.int64), self._nw)
        before = first[digit[second] & ~digit[first]] if len(first) else first
        self._number_before = frozenset(self._words[i] for i in before.tolist())  # not np.unique: see _candidates
        self._n = len(self._id_off) - 1
        self._phrases: dict[int, tuple[frozenset[str], int, str]] = {}
        self._found_ids: dict[str, int | None] = {}
        self._views()

    def _views(self) -> None:
        # Buffer views of the id arrays: an element reads as a Python int, so finding an id (a binary search)
        # and reading one back cost no NumPy scalar per step (several microseconds per id otherwise).
        self._id_hash_v = np.ascontiguousarray(self._id_hash).data
        self._id_order_v = np.ascontiguousarray(self._id_order).data
        self._id_off_v = np.ascontiguousarray(self._id_off).data
        self._id_blob_v = np.ascontiguousarray(self._id_blob).data

    def __getstate__(self) -> dict[str, Any]:
        # A view of a dict's keys cannot be pickled (a built language engine is cached whole), nor a buffer
        # view: they are made again on load.
        state = dict(self.__dict__)
        for name in ("_vocab", "_id_hash_v", "_id_order_v", "_id_off_v", "_id_blob_v"):
            state.pop(name, None)
        state["_phrases"] = {}  # worked out again as phrases are said
        state["_found_ids"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.__dict__.setdefault("_phrases", {})
        self.__dict__.setdefault("_found_ids", {})
        self._vocab = self._word_id.keys()
        self._views()

    @classmethod
    def from_products(cls, products: Iterable[Product]) -> EntityResolver:
        """The index `catalog_resolver` builds, read field by field (several times faster at scale)."""
        return cls(index=build_from_products(products, resolver_keys))

    @classmethod
    def open(cls, folder: str | os.PathLike[str]) -> EntityResolver:
        """The index saved in `folder` (IndexArrays.save), memory-mapped: processes share its pages."""
        return cls(index=IndexArrays.load(Path(folder)))

    def __len__(self) -> int:
        return self._n

    def __contains__(self, entry_id: object) -> bool:
        return isinstance(entry_id, str) and self._find(entry_id) is not None

    def _id(self, idx: int) -> str:
        off = self._id_off_v
        return str(self._id_blob_v[off[idx] : off[idx + 1]], "utf-8")

    FOUND_CACHE = 10_000  # ids looked up (a household's purchases, every product turn), kept found

    def _find(self, entry_id: str) -> int | None:
        found = self._found_ids
        if entry_id in found:
            return found[entry_id]
        if len(found) >= self.FOUND_CACHE:
            found.clear()
        idx = found[entry_id] = self._search(entry_id)
        return idx

    def _search(self, entry_id: str) -> int | None:
        h = id_hash(entry_id)
        hashes = self._id_hash_v
        pos = bisect.bisect_left(hashes, h)  # a buffer view is a sequence
        while pos < self._n and hashes[pos] == h:
            idx = int(self._id_order_v[pos])
            if self._id(idx) == entry_id:
                return idx
            pos += 1
        return None

    def name_of(self, entry_id: str) -> str | None:
        idx = self._find(entry_id)
        return None if idx is None else self._names[self._name_of[idx]]

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

    def _feature_ids(self, keys: list[str]) -> list[int]:
        """The index's features among the query's words and word pairs (as `_features` lists them)."""
        wid = self._word_id
        out = [wid[k] for k in dict.fromkeys(keys) if k in wid]
        for a, b in zip(keys, keys[1:], strict=False):
            if a in wid and b in wid:
                code = wid[a] * self._nw + wid[b]
                pos = int(np.searchsorted(self._pair_code, code))
                if pos < len(self._pair_code) and self._pair_code[pos] == code:
                    out.append(len(self._words) + pos)
        return out

    def _postings(self, feat: int) -> npt.NDArray[np.uint32]:
        return self._post[self._post_off[feat] : self._post_off[feat + 1]]

    def _candidates(self, keys: list[str]) -> list[int]:
        """A few hundred entries worth scoring: intersections of postings, rarest features first.

        Two seeds (the two rarest features) are narrowed separately and joined, so one misheard
        word cannot hide the right entry; a feature that would empty the set is ignored as noise.
        Postings are ascending entry numbers (heaviest first), so an intersection is a binary search.
        """
        found = self._feature_ids(keys)
        at = np.asarray(found, dtype=np.int64)
        size = dict(zip(found, (self._post_off[at + 1] - self._post_off[at]).tolist(), strict=True))
        feats = sorted(found, key=size.__getitem__)
        pool: list[npt.NDArray[np.uint32]] = []
        noisy = True  # the second seed is only needed when the first met a word that fits nothing
        for seed in feats[:2]:
            if not noisy:
                break
            noisy = False
            plist = self._postings(seed)[: self.SEED_SCAN]
            if size[seed] > self.SEED_LIMIT:
                # Only very common words were said ("diapers"): the most popular entries stand for them.
                pool.append(plist[: self.CANDIDATES])
                continue
            narrowed: npt.NDArray[np.uint32] | None = None
            for feat in feats:
                if feat == seed or size[feat] > self.INTERSECT_LIMIT:
                    continue
                if narrowed is not None and len(narrowed) <= self.CANDIDATES:
                    break
                small = plist if narrowed is None else narrowed
                other = self._postings(feat)
                at = np.searchsorted(other, small)
                smaller = small[other[np.minimum(at, len(other) - 1)] == small] if len(other) else small[:0]
                if len(smaller):
                    narrowed = smaller
                else:
                    noisy = True
            pool.append((plist if narrowed is None else narrowed)[: self.CANDIDATES])
        if not pool:
            return []
        # A few hundred numbers: a set is as quick as np.unique, which would import numpy.ma (8-20 ms) on a
        # process's first turn.
        out: list[int] = sorted(set(np.concatenate(pool).tolist()))
        return out

    def _scores(self, query: str, known: frozenset[str], digits: tuple[str, ...], pool: list[int]) -> list[float]:
        """Each pooled entry's best phrase score (at least 0); entries share most phrases, each is scored once."""
        if not pool:
            return []
        sets = self._entry_set[np.asarray(pool, dtype=np.int64)].astype(np.int64)
        starts = self._set_off[sets]
        lens = self._set_off[sets + 1] - starts
        keys = self._set_keys[_ranges(starts, lens)].tolist()
        unique = list(dict.fromkeys(keys))
        phrases = self._phrases_of(unique)
        # A phrase's score, 0..100: how much of what was said it covers, how much of it was said, and order
        # (token_sort_ratio, i.e. ratio of the sorted words: the query's are sorted once, a phrase's when it
        # is first scored). A product has a dozen phrases, so this is most of a product turn's work: the
        # ratios are one call for all phrases.
        sorted_query = " ".join(sorted(query.split()))
        ratios = process.cdist(
            [sorted_query], [sorted_words for _, _, sorted_words in phrases], scorer=fuzz.ratio, dtype=np.float64
        )[0].tolist()
        n_known = len(known)
        score_of: dict[int, float] = {}
        for key, (words, length, _), ratio in zip(unique, phrases, ratios, strict=True):
            inter = len(known & words)
            score = 100.0 * (0.65 * inter / n_known + 0.1 * inter / length) + 0.25 * ratio
            for d in digits:  # a size or count that was said and is not this phrase's: a different product
                if d not in words:
                    score -= 8.0
            score_of[key] = score
        out: list[float] = []
        pos = 0
        for length in lens.tolist():
            best = 0.0
            for key in keys[pos : pos + length]:
                score = score_of[key]
                if score > best:
                    best = score
            out.append(best)
            pos += length
        return out

    # Key phrases kept worked out (about 600 bytes each, so at most ~30 MB); the shipped catalog has ~2,400,
    # a 1M-product index ~1.7M, most never said: the cache starts again when full.
    PHRASE_CACHE = 50_000

    def _phrases_of(self, keys: list[int]) -> list[tuple[frozenset[str], int, str]]:
        """Each key phrase's words, their number and the words sorted and joined (for the order ratio),
        worked out once per phrase and kept: the same products come up turn after turn."""
        cache = self._phrases
        missing = [k for k in keys if k not in cache]
        if missing:
            if len(cache) + len(missing) > self.PHRASE_CACHE:
                cache.clear()
            at = np.asarray(missing, dtype=np.int64)
            k_starts = self._key_off[at]
            k_lens = (self._key_off[at + 1] - k_starts).tolist()
            words = self._words
            said = [words[w] for w in self._key_words[_ranges(k_starts, np.asarray(k_lens, dtype=np.int64))].tolist()]
            pos = 0
            for key, length in zip(missing, k_lens, strict=True):
                phrase = said[pos : pos + length]
                pos += length
                cache[key] = (frozenset(phrase), length, " ".join(sorted(phrase)))
        return [cache[k] for k in keys]

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
        return self.score(text, prior=prior, restrict_to=restrict_to).top(limit)

    def score(
        self, text: str, *, prior: Mapping[str, float] | None = None, restrict_to: Collection[str] | None = None
    ) -> Scored:
        """What `resolve` ranks: every considered entry's score, to read one or more rankings from.

        An entry's score depends on the text and the prior only, so the ranking among some of the ids
        (`Scored.top(limit, among=...)`) is what `resolve` restricted to those ids would answer, when they
        were considered here (the prior's ids always are).
        """
        keys, exact, unexplained = self._heard(text or "")
        if not keys:
            return Scored(self, [], {}, {})
        if not exact and unexplained and restrict_to is None:
            # A word no catalog word sounds like, and the rest only near other words ("a lego set" is not
            # "sweet", "barbie doll" not "dial"): something the shop does not sell, said plainly.
            return Scored(self, [], {}, {})
        # The prior by entry number: each id is found once, and no pooled entry's id is read back to look it up.
        bought_of: dict[int, float] = {}
        found: dict[str, int] = {}  # the prior's ids that are in the index: a restriction to them finds them here
        if prior:
            for entry_id, times in prior.items():
                idx = self._find(entry_id)
                if idx is not None:
                    found[entry_id] = idx
                    bought_of[idx] = times
        if restrict_to is not None:
            restricted = (found[i] if i in found else self._find(i) for i in restrict_to)
            pool = [idx for idx in restricted if idx is not None]
        else:
            pool = self._candidates(keys)
            if prior:
                pool = list(dict.fromkeys(pool + list(bought_of)))
        query = " ".join(keys)
        known = frozenset(k for k in keys if k in self._vocab)
        if not known:
            return Scored(self, [], {}, {})
        # Words the catalog has never heard of leave some doubt, whatever entry they are heard with; a word
        # only heard as a catalog word by its sound leaves half as much ("set" is a catalog's "sheet" only
        # by sound: alone, it does not name a full-sheet paper towel).
        in_catalog = sum(1 for k in keys if k in self._vocab)
        doubt = 0.75 + 0.25 * (in_catalog - 0.5 * max(0, in_catalog - exact)) / len(keys)
        digits = tuple(k for k in known if k.isdigit())
        weights = self._weights[np.asarray(pool, dtype=np.int64)].tolist() if pool else []
        scored: list[tuple[float, float, int]] = []
        words: dict[int, float] = {}  # each entry's fit of the words alone, before the prior
        for idx, best, weight in zip(pool, self._scores(query, known, digits, pool), weights, strict=True):
            score = best * doubt
            words[idx] = min(100.0, max(0.0, score))
            if prior:
                bought = max(0.0, float(bought_of.get(idx, 0.0)))
                score += self.PRIOR_BOOST * bought / (bought + 1.0)
            scored.append((min(100.0, max(0.0, score)), weight, idx))
        return Scored(self, scored, found, words)

    def _ranked(self, scored: list[tuple[float, float, int]], limit: int) -> Resolution:
        top = heapq.nlargest(max(1, limit), scored)
        candidates = [Candidate(self._id(i), self._names[self._name_of[i]], round(s, 1)) for s, _, i in top if s > 0]
        return Resolution(self._status(candidates), candidates)

    def resolution_of(self, candidates: list[Candidate]) -> Resolution:
        """A resolution of these candidates (best first), its status judged as `resolve` judges it: for a
        caller that set some of a resolution's candidates aside."""
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


@dataclass(frozen=True, slots=True)
class Scored:
    """One query's scored entries (score, weight, entry number); rankings are read from it without scoring again."""

    resolver: EntityResolver
    scored: list[tuple[float, float, int]]
    found: dict[str, int]  # the prior's ids by entry number, found once
    words: dict[int, float]  # each scored entry's fit of the words alone, before any prior

    def best_words(self) -> float:
        """The best fit of the words alone among the scored entries (with a prior, its ids are among them)."""
        return max(self.words.values(), default=0.0)

    def words_of(self, entry_id: str) -> float:
        """This id's fit of the words alone, 0 when it was not scored."""
        idx = self.found[entry_id] if entry_id in self.found else self.resolver._find(entry_id)
        return self.words.get(idx, 0.0) if idx is not None else 0.0

    def top(self, limit: int = 5, among: Collection[str] | None = None) -> Resolution:
        """The best `limit` entries, as `resolve` answers; `among`: only these ids."""
        scored = self.scored
        if among is not None:
            found = self.found
            wanted = {
                idx for idx in (found[i] if i in found else self.resolver._find(i) for i in among) if idx is not None
            }
            scored = [s for s in scored if s[2] in wanted]
        return self.resolver._ranked(scored, limit)


def _ranges(starts: npt.NDArray[np.int64], lens: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The positions starts[i] .. starts[i] + lens[i] - 1 of every i, in order."""
    firsts = np.cumsum(lens) - lens
    return np.repeat(starts - firsts, lens) + np.arange(int(lens.sum()), dtype=np.int64)


def catalog_resolver(products: Iterable[Product]) -> EntityResolver:
    """A resolver over catalog products: spoken name, full name, short forms and the catalog's synonyms."""
    return EntityResolver.from_products(products)


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
