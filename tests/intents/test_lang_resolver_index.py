"""The catalog index as arrays: the same index from products as from entries, saved, mapped and replaced."""

import numpy as np
import pytest

from intents.resolver import EntityResolver, catalog_resolver, product_entries, resolver_keys
from intents.resolver_files import KEEP, SharedResolver, folder_for_store, publish
from intents.resolver_index import build_from_entries, build_from_products
from reorder.catalog import load_default_catalog, synthetic_catalog
from reorder.domain.catalog import Product
from reorder.store import open_store


def _catalog(n_synthetic=3000):
    products = load_default_catalog() + list(synthetic_catalog(n_synthetic, seed=3))
    # Edge cases of the field-by-field reading: no line, no variant, one unit, a comma in a field.
    products += [
        Product("solo-1", "Solo", "", "soap", "household"),
        Product("solo-2", "Solo", "", "soap", "household", "", 2),
        Product("solo-3", "Solo", "Max", "hand soap", "household", "lemon, lime", 3, synonyms=("solo max",)),
        Product("solo-4", "Solo", "Max", "hand soap", "household", "lemon, lime", 1, discontinued=True),
    ]
    return products


def _phrases(resolver, entry_id):
    """The key phrases an entry is scored against, as strings."""
    idx = resolver._find(entry_id)
    set_no = int(resolver._entry_set[idx])
    keys = resolver._set_keys[resolver._set_off[set_no] : resolver._set_off[set_no + 1]].tolist()
    words = resolver._words
    return {
        " ".join(words[w] for w in resolver._key_words[resolver._key_off[k] : resolver._key_off[k + 1]].tolist())
        for k in keys
    }


def _postings(resolver):
    """feature (as text) → entry ids, for comparing two indexes whose numbering may differ."""
    out = {}
    words = resolver._words
    for f in range(len(resolver._post_off) - 1):
        if f < len(words):
            name = words[f]
        else:
            a, b = divmod(int(resolver._pair_code[f - len(words)]), max(1, len(words)))
            name = f"{words[a]} {words[b]}"
        out[name] = [resolver._id(int(i)) for i in resolver._postings(f)]
    return out


def test_products_read_field_by_field_give_the_index_their_entries_give():
    products = _catalog()
    fast = EntityResolver.from_products(products)
    slow = EntityResolver(product_entries(products))
    assert len(fast) == len(slow) == len({p.id for p in products})
    assert [fast._id(i) for i in range(len(fast))] == [slow._id(i) for i in range(len(slow))]
    for p in products:
        assert _phrases(fast, p.id) == _phrases(slow, p.id), p.id
    assert _postings(fast) == _postings(slow)
    assert fast._number_before == slow._number_before and "size" in fast._number_before


def test_discontinued_products_come_after_the_rest_as_lighter_entries():
    products = _catalog(0)
    resolver = catalog_resolver(products)
    order = [resolver._id(i) for i in range(len(resolver))]
    gone = {p.id for p in products if p.discontinued}
    assert gone and set(order[-len(gone) :]) == gone


def test_a_saved_index_is_memory_mapped_and_answers_the_same(tmp_path):
    products = _catalog(500)
    built = catalog_resolver(products)
    built.index.save(tmp_path / "ix")
    opened = EntityResolver.open(tmp_path / "ix")
    assert isinstance(opened._post.base, np.memmap) or not opened._post.flags.owndata
    for said in ["pampurs swadlers size four", "hug ease wipes", "bownty", "lego set", "diapers"]:
        assert opened.resolve(said) == built.resolve(said)
    pid = products[7].id
    assert pid in opened and opened.name_of(pid) == products[7].spoken_name
    assert "no-such-id" not in opened and opened.name_of("no-such-id") is None
    assert opened.resolve("diapers", prior={pid: 3}) == built.resolve("diapers", prior={pid: 3})


def test_an_empty_index_resolves_nothing(tmp_path):
    empty = EntityResolver([])
    assert len(empty) == 0 and empty.resolve("diapers").status == "no_match"
    build_from_entries([], lambda s: s.split()).save(tmp_path / "e")
    assert EntityResolver.open(tmp_path / "e").resolve("diapers").candidates == []


def _index_of(products):
    return build_from_products(products, resolver_keys)


def test_a_new_generation_is_seen_by_another_reader_without_a_restart(tmp_path):
    first = load_default_catalog()
    added = Product("zebra-cream-1", "Zebrana", "", "diaper cream", "baby", "stripes", 1)
    now = [0.0]
    reader = SharedResolver(tmp_path, lambda: _index_of(first), monotonic=lambda: now[0])
    assert "zebra-cream-1" not in reader.get()  # built on first use
    # Another process (the catalog import) publishes a generation with the new product.
    publish(tmp_path, _index_of([*first, added]))
    now[0] += SharedResolver.CHECK_SECONDS / 2
    assert "zebra-cream-1" not in reader.get()  # looked at most once a CHECK_SECONDS
    now[0] += SharedResolver.CHECK_SECONDS
    assert reader.get().resolve("zebrana diaper cream").best.id == "zebra-cream-1"


def test_old_generations_are_removed_after_the_next(tmp_path):
    for _ in range(KEEP + 2):
        publish(tmp_path, _index_of(load_default_catalog()[:20]))
    assert len([p for p in tmp_path.glob("gen-*") if p.is_dir()]) == KEEP
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_stale_index_is_rebuilt_on_open(tmp_path):
    publish(tmp_path, _index_of(load_default_catalog()[:20]))
    builds = []

    def build():
        builds.append(1)
        return _index_of(load_default_catalog())

    reader = SharedResolver(tmp_path, build, is_stale=lambda index: len(index.arrays["weight"]) < 100)
    assert len(reader.get()) == len(load_default_catalog()) and builds == [1]
    assert len(SharedResolver(tmp_path, build, is_stale=lambda index: False).get()) == len(reader.get())
    assert builds == [1]


def test_the_index_lives_beside_an_sqlite_file_or_where_configured(tmp_path, monkeypatch):
    monkeypatch.delenv("VOICECART_RESOLVER_DIR", raising=False)
    store = open_store(f"sqlite:///{tmp_path / 'shop.sqlite3'}")
    assert folder_for_store(store) == tmp_path / "shop.sqlite3.resolver"
    assert folder_for_store(open_store("sqlite:///:memory:")) is None
    monkeypatch.setenv("VOICECART_RESOLVER_DIR", str(tmp_path / "idx"))
    assert folder_for_store(store) == tmp_path / "idx"


@pytest.mark.parametrize("drop", [True, False])
def test_a_skill_context_sees_a_catalog_import_after_forget_resolver(tmp_path, monkeypatch, drop):
    from reorder.services.backend import Backend
    from skills.common.context import SkillContext

    monkeypatch.delenv("VOICECART_RESOLVER_DIR", raising=False)
    backend = Backend(open_store(f"sqlite:///{tmp_path / 'shop.sqlite3'}"))
    backend.catalog.load(load_default_catalog()[:50])
    ctx = SkillContext(backend)
    assert len(ctx.resolver) == 50 and (tmp_path / "shop.sqlite3.resolver" / "CURRENT").exists()
    backend.catalog.load([Product("zebra-cream-1", "Zebrana", "", "diaper cream", "baby", "stripes", 1)])
    if drop:
        ctx.forget_resolver()
        assert ctx.resolver.resolve("zebrana diaper cream").best.id == "zebra-cream-1"
    else:
        # A worker that was not told: a new context (a new process) sees the count moved and rebuilds.
        assert "zebra-cream-1" in SkillContext(backend).resolver
    backend.close()


def test_ids_hashed_together_hash_as_one_by_one():
    from intents.resolver_index import _blob, id_hash, id_hashes

    ids = ["pampers-swaddlers-size-3-84", "", "a", "café-crème-1", "x" * 90, "zebra-cream-1"]
    blob, off = _blob(ids)
    assert id_hashes(blob, off).tolist() == [id_hash(i) for i in ids]
    assert len(set(id_hashes(*_blob([f"p-{n}" for n in range(20000)])).tolist())) == 20000


def test_an_index_of_an_older_format_is_rebuilt_on_open(tmp_path):
    # An upgrade that changed the index format: the published generation is rebuilt, not an error.
    import json as _json

    from intents.resolver_files import current_generation

    publish(tmp_path, _index_of(load_default_catalog()[:20]))
    meta_path = current_generation(tmp_path) / "meta.json"
    meta = _json.loads(meta_path.read_text())
    meta_path.write_text(_json.dumps(dict(meta, format=1)))
    builds = []

    def build():
        builds.append(1)
        return _index_of(load_default_catalog())

    reader = SharedResolver(tmp_path, build)
    assert len(reader.get()) == len(load_default_catalog()) and builds == [1]
