"""The resolver's index as a few flat NumPy arrays: built fast, saved as .npy files, memory-mapped.

A million products make about fifteen million (feature, entry) postings. Held as Python lists and dicts
they cost gigabytes per process and a minute to build; as arrays they are a few hundred megabytes that
every worker maps from the same files (the page cache holds them once), and building them is mostly
NumPy sorting. Words are numbered in alphabetical order; a word pair is a feature too, numbered after
the words in the order of its code (first word × vocabulary size + second word).

Arrays (n entries, V words, F = V + pairs features, K distinct key phrases, S key-phrase sets):
  id_blob/id_off        entry ids, UTF-8, back to back        id_hash/id_order  ids by 64-bit hash, sorted
  name_blob/name_off    distinct spoken names                 name_of           entry → name
  weight                entry → popularity                    entry_set         entry → key-phrase set
  set_off/set_keys      key-phrase set → key phrases          key_off/key_words key phrase → word ids
  word_blob/word_off    the vocabulary, sorted                pair_code         pair features, sorted codes
  post_off/post         feature → entries, ascending (heaviest first)
"""

from __future__ import annotations

import gc
import json
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from reorder.domain.catalog import Product

FORMAT = 2  # 2: ids hashed with FNV-1a (vectorised), not blake2b
ARRAYS = (
    "id_blob",
    "id_off",
    "id_hash",
    "id_order",
    "name_blob",
    "name_off",
    "name_of",
    "weight",
    "entry_set",
    "set_off",
    "set_keys",
    "key_off",
    "key_words",
    "word_blob",
    "word_off",
    "pair_code",
    "post_off",
    "post",
)

Array = npt.NDArray[Any]


_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3
_MASK64 = (1 << 64) - 1


def id_hash(entry_id: str) -> int:
    """A 64-bit FNV-1a hash of an id's UTF-8 bytes, the same in every process (Python's own hash is salted
    per process). A lookup compares the id itself after the hash, so only the spread matters."""
    h = _FNV_OFFSET
    for byte in entry_id.encode():
        h = ((h ^ byte) * _FNV_PRIME) & _MASK64
    return h


def id_hashes(blob: Array, off: Array) -> Array:
    """`id_hash` of every id of a blob at once: one vector step per byte position rather than a Python call
    per id (a million ids took 1.5 s one by one)."""
    lens = off[1:] - off[:-1]
    hashes = np.full(len(lens), _FNV_OFFSET, dtype=np.uint64)
    prime = np.uint64(_FNV_PRIME)
    starts = off[:-1]
    rows = np.arange(len(lens))
    for position in range(int(lens.max()) if len(lens) else 0):
        rows = rows[lens[rows] > position]  # ids still that long
        hashes[rows] = (hashes[rows] ^ blob[starts[rows] + position].astype(np.uint64)) * prime
    return hashes


def _blob(strings: list[str]) -> tuple[Array, Array]:
    off = np.zeros(len(strings) + 1, dtype=np.int64)
    joined = "".join(strings).encode()
    if len(joined) == sum(map(len, strings)):  # ASCII (catalog ids nearly always): characters are bytes
        np.cumsum(np.fromiter(map(len, strings), dtype=np.int64, count=len(strings)), out=off[1:])
        return np.frombuffer(joined, dtype=np.uint8).copy(), off
    encoded = list(map(str.encode, strings))
    np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)), out=off[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8).copy(), off


def _csr(rows: Sequence[tuple[int, ...]]) -> tuple[Array, Array]:
    # map and chain run in C: a Python generator over a million rows' values cost a second of the build.
    off = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, rows), dtype=np.int64, count=len(rows)), out=off[1:])
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=int(off[-1]))
    return off, flat


@dataclass
class IndexArrays:
    """The arrays named in ARRAYS, plus what a few lines of JSON hold."""

    arrays: dict[str, Array]
    meta: dict[str, Any]

    @property
    def nbytes(self) -> int:
        return sum(int(a.nbytes) for a in self.arrays.values())

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name in ARRAYS:
            np.save(folder / f"{name}.npy", self.arrays[name], allow_pickle=False)
        (folder / "meta.json").write_text(json.dumps(self.meta))

    @classmethod
    def load(cls, folder: Path, *, mmap: bool = True) -> IndexArrays:
        meta = json.loads((folder / "meta.json").read_text())
        if meta.get("format") != FORMAT:
            raise ValueError(f"{folder}: index format {meta.get('format')!r}, expected {FORMAT}")
        mode: Literal["r"] | None = "r" if mmap else None
        # Plain ndarray views of the maps: np.memmap's Python-level hooks cost a microsecond per slice.
        arrays = {
            name: np.load(folder / f"{name}.npy", mmap_mode=mode, allow_pickle=False).view(np.ndarray)
            for name in ARRAYS
        }
        return cls(arrays, meta)


class IndexBuilder:
    """Collects entries (heaviest first, first id wins) and turns them into IndexArrays.

    Key phrases are tuples of word ids. An entry's features are the union of two shared feature
    groups and one word pair, so catalog rows that differ only in pack size or id cost a few dict
    look-ups each; NumPy sorts the (feature, entry) pairs and drops repeats in `finish`.

    A feature group is held as the phrases whose words and adjacent pairs it has: key ids (≥ 0) and
    other phrases (`head`, numbered ~0, ~1, …). `finish` works out every phrase's features once, in
    NumPy, and merges each group's; doing that in Python, set by set, was half of a large build.
    """

    NO_PAIR = 1 << 62  # an entry without an extra word pair

    def __init__(self, keys_of: Callable[[str], list[str]]) -> None:
        self._keys_of = keys_of  # resolver_keys, passed in to keep one definition
        self.words: dict[str, int] = {}
        self._raw: dict[str, tuple[int, ...]] = {}  # phrase → its key phrase as word ids
        self.keys: dict[tuple[int, ...], int] = {}
        self._groups: list[tuple[int, ...]] = [()]  # feature groups as phrase refs; 0 is the empty one
        self.heads: dict[tuple[int, ...], int] = {}  # phrases in feature groups that need not be keys
        # Per-entry and per-set numbers go straight into typed arrays: NumPy reads those without a copy,
        # where a list of millions of ints took seconds to convert in `finish`.
        # A key set is a shared row of key ids and at most one key more (a pack size's full name), put
        # together in `finish`, not copied row by row for each pack size of a line.
        self._bases: list[tuple[int, ...]] = []
        self._set_base = array("q")  # key set → its row in _bases
        self._set_extra = array("q")  # key set → the key after the row, or -1
        self.ids: list[str] = []
        self._seen: set[str] = set()
        self.names: dict[str, int] = {}
        self.name_of = array("q")
        self.weight = array("d")
        self.entry_set = array("q")
        self.entry_groups = array("q")  # per entry, back to back: two feature groups and an extra pair
        # Keys numbered as met, to be renumbered by first use (add_products): temporary id → final id.
        self.key_final: Array | None = None
        self.counts: dict[int, tuple[tuple[int, ...], int]] = {}  # pack count → key of "N count", its group
        # (kind, variant) → the keys of kind and variant and of the name's words after brand and line, said
        # and written out with one pack and with several: the same for every brand that sells the kind.
        self.kinds: dict[tuple[str, str], tuple[tuple[int, ...], ...]] = {}

    def phrase_key(self, phrase: str) -> tuple[int, ...]:
        """The phrase's comparable words as word ids; () when nothing comparable is left."""
        known = self._raw.get(phrase)
        if known is None:
            words = self.words
            known = self._raw[phrase] = tuple(words.setdefault(w, len(words)) for w in self._keys_of(phrase))
        return known

    def key_id(self, key: tuple[int, ...]) -> int:
        return self.keys.setdefault(key, len(self.keys))

    @staticmethod
    def pair_feature(a: int, b: int) -> int:
        # Raw pair features are negative codes of the two word ids; `finish` numbers the ones that occur.
        return ~((a << 32) | b)

    def head(self, phrase: tuple[int, ...]) -> int:
        """A phrase ref for a feature group: ~(its number among the heads)."""
        return ~self.heads.setdefault(phrase, len(self.heads))

    def group(self, refs: Iterable[int]) -> int:
        """A feature group: the words and adjacent word pairs of these phrase refs (key ids or heads)."""
        self._groups.append(tuple(refs))
        return len(self._groups) - 1

    def base(self, key_ids: Iterable[int]) -> int:
        """A row of key sets: these key ids, each once, in order."""
        self._bases.append(tuple(dict.fromkeys(key_ids)))
        return len(self._bases) - 1

    def key_set(self, key_ids: Iterable[int]) -> int:
        self._set_base.append(self.base(key_ids))
        self._set_extra.append(-1)
        return len(self._set_base) - 1

    def add(self, entry_id: str, name: str, weight: float, set_id: int, groups: tuple[int, int, int]) -> None:
        """One entry; callers add heaviest first. A repeated id is ignored (the heavier one was first)."""
        if entry_id in self._seen:
            return
        self._seen.add(entry_id)
        self.ids.append(entry_id)
        self.name_of.append(self.names.setdefault(name, len(self.names)))
        self.weight.append(weight)
        self.entry_set.append(set_id)
        self.entry_groups.extend(groups)

    def finish(self) -> IndexArrays:
        # (Making the entries' own arrays in a second thread while this one made the postings was tried and
        # was not faster: at 1M on two cores, 4.3-4.9 s against 3.9-4.3 s in one thread.)
        index = self._postings()
        arrays = {**index.arrays, **self._entry_arrays()}
        return IndexArrays({name: arrays[name] for name in ARRAYS}, index.meta)

    def _entry_arrays(self) -> dict[str, Array]:
        # Key sets: each its row, then its extra key if it has one.
        b_off, b_keys = _csr(self._bases)
        set_base = np.frombuffer(self._set_base, dtype=np.int64)
        set_extra = np.frombuffer(self._set_extra, dtype=np.int64)
        has_extra = set_extra >= 0
        set_off = np.zeros(len(set_base) + 1, dtype=np.int64)
        np.cumsum(b_off[set_base + 1] - b_off[set_base] + has_extra, out=set_off[1:])
        is_extra = np.zeros(int(set_off[-1]), dtype=bool)
        is_extra[set_off[1:][has_extra] - 1] = True
        set_keys = np.empty(int(set_off[-1]), dtype=np.int64)
        set_keys[~is_extra] = _gather(b_off, b_keys, set_base)[0]
        set_keys[is_extra] = set_extra[has_extra]
        if self.key_final is not None:
            set_keys = self.key_final[set_keys]
        id_blob, id_off = _blob(self.ids)
        hashes = id_hashes(id_blob, id_off)
        id_order = np.argsort(hashes, kind="stable")
        name_blob, name_off = _blob(list(self.names))
        return {
            "id_blob": id_blob,
            "id_off": id_off,
            "id_hash": hashes[id_order],
            "id_order": id_order.astype(np.uint32),
            "name_blob": name_blob,
            "name_off": name_off,
            "name_of": np.frombuffer(self.name_of, dtype=np.int64).astype(np.uint32),
            "weight": np.frombuffer(self.weight, dtype=np.float64).copy(),
            "entry_set": np.frombuffer(self.entry_set, dtype=np.int64).astype(np.uint32),
            "set_off": set_off,
            "set_keys": set_keys.astype(np.uint32),
        }

    def _postings(self) -> IndexArrays:
        vocab = sorted(self.words)
        n_words = len(vocab)
        word_rank = np.zeros(len(self.words), dtype=np.int64)
        for rank, word in enumerate(vocab):
            word_rank[self.words[word]] = rank
        # Every phrase a feature group may name, as raw word ids: the keys, then the heads.
        key_off, key_raw = _csr(list(self.keys))
        head_off, head_raw = _csr(list(self.heads))
        ph_off = np.concatenate((key_off, key_off[-1] + head_off[1:]))
        ph_raw = np.concatenate((key_raw, head_raw))
        n_phrases = len(ph_off) - 1
        g_off, g_ref = _csr(self._groups)
        g_ref = np.where(g_ref >= 0, g_ref, len(self.keys) + ~g_ref)  # head ~h is phrase n_keys + h
        # Adjacent word pairs: a word followed by the next word of the same phrase.
        phrase_of = np.repeat(np.arange(n_phrases, dtype=np.int64), np.diff(ph_off))
        starts = np.flatnonzero(phrase_of[:-1] == phrase_of[1:])
        pair_raw_all = (ph_raw[starts] << 32) | ph_raw[starts + 1]
        # Phrase p's pairs are pair_raw_all[pp_off[p]:pp_off[p + 1]]: one fewer than its words, if any.
        pp_off = ph_off - np.concatenate(([0], np.cumsum(np.diff(ph_off) > 0)))
        in_group = np.zeros(n_phrases, dtype=bool)
        in_group[g_ref] = True
        groups = np.frombuffer(self.entry_groups, dtype=np.int64).reshape(-1, 3)
        extra = groups[:, 2] != self.NO_PAIR
        # Only pairs some group or entry has are features (a full name's key is in no group).
        raw_pairs = np.concatenate((pair_raw_all[in_group[phrase_of[starts]]], ~groups[extra, 2]))
        # Pair features, numbered by code in the sorted vocabulary (first word × vocabulary size + second).
        pair_raw = _distinct(raw_pairs)
        codes = word_rank[pair_raw >> 32] * max(1, n_words) + word_rank[pair_raw & 0xFFFFFFFF]
        code_order = np.argsort(codes, kind="stable")
        pair_code = codes[code_order]
        pair_rank = np.empty(len(pair_raw), dtype=np.int64)
        pair_rank[code_order] = np.arange(len(pair_raw)) + n_words

        def pair_ids(raw: Array) -> Array:
            # A pair of a phrase in no group may have no number: clipped, as it is never read.
            return pair_rank[np.minimum(np.searchsorted(pair_raw, raw), max(0, len(pair_raw) - 1))]

        n = len(self.ids)
        n_feats = n_words + len(pair_raw)
        # Each group's features: its phrases' words and pairs, without repeats (sorted by group, feature).
        ref_group = np.repeat(np.arange(len(self._groups), dtype=np.int64), np.diff(g_off))
        word_part = _expand(ph_off, word_rank[ph_raw], g_ref, ref_group)
        pair_part = _expand(pp_off, pair_ids(pair_raw_all) if len(pair_raw) else pair_raw_all, g_ref, ref_group)
        # Codes high part << shift | low part: ordered as (high, low), and split again without a division.
        shift = n_feats.bit_length()
        merged = _distinct(_packed(word_part, pair_part, shift=shift, high=1))
        g_flat = merged & ((1 << shift) - 1)
        g_off = np.zeros(len(self._groups) + 1, dtype=np.int64)
        np.cumsum(np.bincount(merged >> shift, minlength=len(self._groups)), out=g_off[1:])
        entry_no = np.arange(n, dtype=np.int64)
        parts = [_expand(g_off, g_flat, groups[:, 0], entry_no), _expand(g_off, g_flat, groups[:, 1], entry_no)]
        parts.append((pair_ids(~groups[extra, 2]), entry_no[extra]))
        # Postings: (feature, entry) pairs sorted and without repeats; entries stay ascending per feature.
        shift = n.bit_length()
        combined = _distinct(_packed(*parts, shift=shift, high=0))
        post = (combined & ((1 << shift) - 1)).astype(np.uint32)
        post_off = np.zeros(n_feats + 1, dtype=np.int64)
        np.cumsum(np.bincount(combined >> shift, minlength=n_feats), out=post_off[1:])

        word_blob, word_off = _blob(vocab)
        if self.key_final is not None:  # the keys in their final order
            by_final = np.argsort(self.key_final)
            key_raw, key_lens = _gather(key_off, key_raw, by_final)
            key_off = np.zeros(len(by_final) + 1, dtype=np.int64)
            np.cumsum(key_lens, out=key_off[1:])
        arrays = {
            "key_off": key_off,
            "key_words": word_rank[key_raw].astype(np.uint32),
            "word_blob": word_blob,
            "word_off": word_off,
            "pair_code": pair_code,
            "post_off": post_off,
            "post": post,
        }
        return IndexArrays(arrays, {"format": FORMAT, "entries": n, "words": n_words, "features": n_feats})


def _packed(*parts: tuple[Array, Array], shift: int, high: int) -> Array:
    """The pairs of `parts` as codes part[high] << shift | part[1 - high], in one new array (made in
    place: at 1M products these are over a hundred megabytes each)."""
    out = np.empty(sum(len(part[0]) for part in parts), dtype=np.int64)
    at = 0
    for part in parts:
        chunk = out[at : at + len(part[0])]
        np.left_shift(part[high], shift, out=chunk)
        np.bitwise_or(chunk, part[1 - high], out=chunk)
        at += len(chunk)
    return out


def _distinct(values: Array) -> Array:
    """np.unique of int64 values: sorting and dropping repeats is several times faster than the hashing
    np.unique does on tens of millions of values. Sorts `values` in place (callers pass a temporary)."""
    values.sort()
    if not len(values):
        return values
    first = np.empty(len(values), dtype=bool)
    first[0] = True
    np.not_equal(values[1:], values[:-1], out=first[1:])
    return values[first]


def _gather(off: Array, flat: Array, rows: Array) -> tuple[Array, Array]:
    """The values of these rows of a CSR table, back to back, and each row's length."""
    lens = off[rows + 1] - off[rows]
    total = int(lens.sum())
    firsts = np.concatenate(([0], np.cumsum(lens)[:-1]))
    at = np.repeat(off[rows] - firsts, lens) + np.arange(total, dtype=np.int64)
    return flat[at], lens


def _expand(off: Array, flat: Array, rows: Array, owners: Array) -> tuple[Array, Array]:
    """The (value, owner) pairs of a CSR table looked up by each owner's row (owners[i] has row rows[i])."""
    values, lens = _gather(off, flat, rows)
    return values, np.repeat(owners, lens)


@dataclass
class _Line:
    """What the pack sizes of one product line share."""

    base: int  # the row (builder.base) of key ids of the spoken name, short forms and synonyms
    base_set: frozenset[int]  # the same key ids, to see whether a pack size's full name is one of them
    heads: tuple[tuple[int, ...], tuple[int, ...]]  # the full name before its count: one pack, several
    groups: tuple[int, int]  # features of the base keys and the head, for one pack and for several
    spoken_name: str
    number: int = -1  # add_products: the line's number as met
    spoken_name_no: int = -1  # add_products: the spoken name's number as met


def add_entries(builder: IndexBuilder, entries: Iterable[Any]) -> None:
    """Generic entries (id, name, synonyms, weight): every phrase is read on its own."""
    for entry in sorted(entries, key=lambda e: -e.weight):
        if entry.id in builder._seen:
            continue
        keys = [k for k in dict.fromkeys(builder.phrase_key(p) for p in (entry.name, *entry.synonyms)) if k]
        key_ids = [builder.key_id(k) for k in keys]
        groups = (builder.group(key_ids), 0, IndexBuilder.NO_PAIR)
        sid = builder.key_set(key_ids)
        builder.add(entry.id, entry.name, entry.weight, sid, groups)


def add_products(builder: IndexBuilder, products: Iterable[Product]) -> None:
    """Catalog products, with the same phrases as `product_entries` gives them, read field by field.

    A phrase's keys are its whitespace-separated words' keys in order, so the keys of "Brand Line Kind"
    are the keys of "Brand", "Line" and "Kind" put together: each field is read once per distinct value,
    and the phrases of a product line are worked out once for all its pack sizes. Entries are ordered as
    `EntityResolver` orders them: by weight (a discontinued product weighs 0.3), then as given.

    The products are read in memory order (by address), not in their given order: a catalog in another
    order than it was made in (the bench shuffles its million) has its products, and so their lines'
    state, scattered in memory, and reading them in the given order waited on memory at every step (at
    1M products 12 s, against 5.5 s for the same products in memory order). What depends on the given
    order is only numbering: key phrases, key sets and names are numbered by first use, as adding the
    products one by one in the given order numbers them; NumPy renumbers them after (`_renumber`).
    Only for a fresh builder: the numbering assumes nothing was added before.
    """
    if builder.ids or builder.keys or len(builder._set_base):
        raise ValueError("add_products needs a fresh builder")
    products = products if isinstance(products, list) else list(products)
    n = len(products)
    order = np.argsort(np.fromiter(map(id, products), dtype=np.uint64, count=n), kind="stable")
    lines: dict[tuple[Any, ...], _Line] = {}
    lines_get = lines.get
    packs: dict[tuple[int, int], int] = {}  # (line, pack count) → pack (key set) number, as met
    packs_get = packs.get
    counts_get = builder.counts.get
    keys = builder.keys
    keys_setdefault = keys.setdefault
    set_base = builder._set_base
    set_base_append = set_base.append
    set_extra_append = builder._set_extra.append
    line_names: dict[str, int] = {}  # spoken name → number, as met
    pack_feats = array("q")  # pack → its two feature groups and extra pair, back to back
    pack_feats_extend = pack_feats.extend
    pack_line = array("q")  # pack → its line's number, as met
    pack_line_append = pack_line.append
    pack_name = array("q")  # pack → its line's spoken name's number, as met
    pack_name_append = pack_name.append
    line_rows = array("q")  # line → its row of key ids (builder.base)
    of_product = array("q")  # product (memory order) → pack
    of_product_append = of_product.append
    gone = bytearray(n)  # discontinued, by position in memory order
    ids: list[str] = []
    ids_append = ids.append
    all_ids: set[str] = set()
    all_ids_add = all_ids.add
    twice: set[str] = set()  # ids met more than once: only these need the first-id-wins check
    no_pair = IndexBuilder.NO_PAIR
    for at, i in enumerate(order.tolist()):
        p = products[i]
        line_key = (p.brand, p.line, p.kind, p.variant, p.synonyms)
        line = lines_get(line_key)
        if line is None:
            line = lines[line_key] = _new_line(builder, p)
            line.number = len(line_rows)
            line_rows.append(line.base)
            line.spoken_name_no = line_names.setdefault(line.spoken_name, len(line_names))
        pack_count = p.pack_count
        pack = packs_get((line.number, pack_count))
        if pack is None:
            pack = packs[line.number, pack_count] = len(set_base)
            if pack_count > 1:
                count = counts_get(pack_count)
                if count is None:
                    tail = builder.phrase_key(f"{pack_count} count")
                    count = builder.counts[pack_count] = (
                        tail,
                        builder.group((builder.head(tail),)) if tail else 0,
                    )
                tail, tail_group = count
                head = line.heads[1]
                full = head + tail
                # builder.pair_feature, inlined
                pack_feats_extend(
                    (line.groups[1], tail_group, ~((head[-1] << 32) | tail[0]) if head and tail else no_pair)
                )
            else:
                full = line.heads[0]
                pack_feats_extend((line.groups[0], 0, no_pair))
            key = keys_setdefault(full, len(keys)) if full else -1
            set_base_append(line.base)
            set_extra_append(-1 if key in line.base_set else key)  # a key is in a set once
            pack_line_append(line.number)
            pack_name_append(line.spoken_name_no)
        of_product_append(pack)
        if p.discontinued:
            gone[at] = 1
        entry_id = p.id
        ids_append(entry_id)
        if entry_id in all_ids:
            twice.add(entry_id)
        all_ids_add(entry_id)
    builder._seen = all_ids
    _renumber(builder, order, of_product, gone, ids, twice, line_rows, pack_line, pack_feats, pack_name, line_names)


def _first_seen(values: Array, size: int) -> Array:
    """For each of `size` numbers, where it first occurs in `values` (len(values) if never)."""
    first = np.full(size, len(values), dtype=np.int64)
    np.minimum.at(first, values[::-1], np.arange(len(values) - 1, -1, -1, dtype=np.int64))
    return first


def _renumber(
    builder: IndexBuilder,
    order: Array,
    of_product: array[int],
    gone: bytearray,
    ids: list[str],
    twice: set[str],
    line_rows: array[int],
    pack_line: array[int],
    pack_feats: array[int],
    pack_name: array[int],
    line_names: dict[str, int],
) -> None:
    """Numbers keys, key sets and names as adding the products in their given order would have, and
    fills in the entries, from what add_products noted in memory order."""
    n = len(order)
    pack_of = np.empty(n, dtype=np.int64)
    pack_of[order] = np.frombuffer(of_product, dtype=np.int64)
    is_gone = np.empty(n, dtype=bool)
    is_gone[order] = np.frombuffer(gone, dtype=bool)
    # The given order, the discontinued ones last: what is added, in the order it is added.
    given = np.concatenate((np.flatnonzero(~is_gone), np.flatnonzero(is_gone)))
    packs = pack_of[given]
    pack_lines = np.frombuffer(pack_line, dtype=np.int64)
    lines = pack_lines[packs]
    n_packs, n_lines = len(pack_lines), len(line_rows)
    # Where each line and each pack is first met: a line's keys are numbered there, then the pack's
    # full name's key.
    line_at = _first_seen(lines, n_lines)
    pack_at = _first_seen(packs, n_packs)
    b_off, b_keys = _csr(builder._bases)
    rows = np.frombuffer(line_rows, dtype=np.int64)
    new_lines = np.argsort(line_at, kind="stable")  # lines in the order first met
    new_packs = np.argsort(pack_at, kind="stable")
    line_keys, line_lens = _gather(b_off, b_keys, rows[new_lines])
    extra = np.frombuffer(builder._set_extra, dtype=np.int64)
    # Each key use as (where met, 0 for a line's keys in their order or 1 for a full name), sorted.
    line_when = np.repeat(line_at[new_lines], line_lens)
    pack_keys = extra[new_packs]
    # A full name that is one of its line's keys adds nothing new (its line's keys came just before).
    has_key = pack_keys >= 0
    uses = np.concatenate((line_keys, pack_keys[has_key]))
    when = np.concatenate((line_when * 2, pack_at[new_packs][has_key] * 2 + 1))
    uses = uses[np.argsort(when, kind="stable")]  # stable: a line's keys keep their order
    n_keys = len(builder.keys)
    key_at = _first_seen(uses, n_keys)
    key_final = np.empty(n_keys, dtype=np.int64)
    key_final[np.argsort(key_at, kind="stable")] = np.arange(n_keys, dtype=np.int64)
    builder.key_final = key_final
    # Key sets: numbered as their packs are first met.
    set_final = np.empty(n_packs, dtype=np.int64)
    set_final[new_packs] = np.arange(n_packs, dtype=np.int64)
    builder._set_base = array("q", np.frombuffer(builder._set_base, dtype=np.int64)[new_packs].tobytes())
    builder._set_extra = array("q", extra[new_packs].tobytes())
    # Entries: the first of each id (the heavier one, or the earlier one).
    id_of = np.empty(n, dtype=object)
    id_of[order] = ids
    keep = np.ones(n, dtype=bool)
    if twice:
        seen: set[str] = set()
        for j, entry_id in enumerate(id_of[given].tolist()):
            if entry_id in twice:
                keep[j] = entry_id not in seen
                seen.add(entry_id)
    added = given[keep]
    packs = packs[keep]
    builder.ids = id_of[added].tolist()
    # Names: numbered as first added.
    names = np.frombuffer(pack_name, dtype=np.int64)[packs]
    name_at = _first_seen(names, len(line_names))
    by_name = np.argsort(name_at, kind="stable")
    used = name_at[by_name] < len(names)
    spoken = list(line_names)
    builder.names = {spoken[i]: rank for rank, i in enumerate(by_name[used].tolist())}
    name_final = np.empty(len(line_names), dtype=np.int64)
    name_final[by_name] = np.arange(len(line_names), dtype=np.int64)
    builder.name_of = array("q", name_final[names].tobytes())
    weights = np.where(is_gone[added], 0.3, 1.0)
    builder.weight = array("d", weights.tobytes())
    builder.entry_set = array("q", set_final[packs].tobytes())
    feats = np.frombuffer(pack_feats, dtype=np.int64).reshape(-1, 3)
    builder.entry_groups = array("q", feats[packs].tobytes())


def _new_line(builder: IndexBuilder, p: Product) -> _Line:
    """What all pack sizes of `p`'s product line share: their key phrases and feature groups."""
    k = builder.phrase_key
    brand, pline = k(p.brand), k(p.line)
    by_kind = builder.kinds.get((p.kind, p.variant))
    if by_kind is None:
        by_kind = builder.kinds[p.kind, p.variant] = _kind_keys(k, p.kind, p.variant)
    kind, variant, said, written_one, written_several = by_kind
    spoken = brand + pline + said
    short = [brand + kind, brand + pline, pline + kind] if p.line else [brand + kind]
    if p.variant:
        short += [brand + variant, brand + pline + variant, kind + variant]
    # The line's key phrases in order, each once. Numbered as met here; add_products renumbers them by
    # first use in the given order, so this row's order is what counts.
    keys = builder.keys
    key_ids = tuple(dict.fromkeys([keys.setdefault(x, len(keys)) for x in (spoken, *short, *map(k, p.synonyms)) if x]))
    # The full name's words before the count ("Brand Line Kind, variant"), with and without a count.
    one = spoken if written_one == said else brand + pline + written_one
    several = one if written_several == written_one else brand + pline + written_several
    # The groups hold the line's phrases; `finish` turns them into words and pairs. The head is nearly
    # always the spoken name again (commas and case fold away): then it adds nothing, and one group
    # serves both. (A group for several that adds nothing new is not made: its pairs are the first's.)
    first = builder.group(key_ids if one == spoken or not one else (*key_ids, builder.head(one)))
    if several == one or not several:
        second = first if several == one else builder.group(key_ids)
    else:
        second = builder.group((*key_ids, builder.head(several)))
    return _Line(builder.base(key_ids), frozenset(key_ids), (one, several), (first, second), p.spoken_name)


def _kind_keys(k: Callable[[str], tuple[int, ...]], kind: str, variant: str) -> tuple[tuple[int, ...], ...]:
    """For IndexBuilder.kinds: kind, variant, and the spoken and the written name after brand and line."""
    said = k(kind + ",") + k(variant) if variant else k(kind)
    one, several = (
        k(kind.title() + ("," if variant or many else "")) + (k(variant + ("," if many else "")) if variant else ())
        for many in (False, True)
    )
    return k(kind), k(variant), said, one, several


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The builder makes millions of small tuples and no cycles; left on, the cycle collector would
    walk every live object (a million products among them) again and again, half of a large build."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def build_from_products(products: Iterable[Product], keys_of: Any) -> IndexArrays:
    with _no_cycle_collection():
        builder = IndexBuilder(keys_of)
        add_products(builder, products)
        index = builder.finish()
        # Freed while the collector is still off: left alive, its millions of tuples (all young, as nothing
        # was collected during the build) would be walked by the first collection after it is back on.
        del builder
    return index


def build_from_entries(entries: Iterable[Any], keys_of: Any) -> IndexArrays:
    with _no_cycle_collection():
        builder = IndexBuilder(keys_of)
        add_entries(builder, entries)
        index = builder.finish()
        del builder  # as in build_from_products
    return index


def iter_strings(blob: Array, off: Array) -> Iterator[str]:
    data = bytes(blob)
    bounds = off.tolist()
    for a, b in zip(bounds, bounds[1:], strict=False):
        yield data[a:b].decode()
