"""`voicecart catalog import` rebuilds the product index only when the import changes what it indexes.

A price feed (same products, new prices) leaves every name as it was: the generation servers map stays, and
the new prices are in the store. A new product, a renamed one or one no longer sold gets a new generation.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from intents.resolver import EntityResolver
from intents.resolver_files import current_generation
from reorder.catalog import load_catalog_file, synthetic_catalog, write_catalog_file
from reorder.domain.catalog import Product
from reorder.services.backend import Backend
from reorder.store import open_store
from voicecart.cli import main


def _import(capsys, store: str, products: list[Product], path: Path, *flags: str) -> str:
    write_catalog_file(products, path)
    assert main(["--store", store, "catalog", "import", str(path), *flags]) == 0
    return capsys.readouterr().out


def _setup(tmp_path: Path, capsys) -> tuple[str, Path, list[Product]]:
    db = tmp_path / "shop.sqlite3"
    store = f"sqlite:///{db}"
    products = list(synthetic_catalog(400, 0))
    out = _import(capsys, store, products, tmp_path / "first.json")
    assert "product index rebuilt" in out
    return store, Path(str(db) + ".resolver"), products


def test_a_price_feed_keeps_the_index_and_updates_the_prices(tmp_path, capsys):
    store, folder, products = _setup(tmp_path, capsys)
    first = current_generation(folder)
    repriced = [dataclasses.replace(p, price_cents=p.price_cents + 100) for p in products[:50]]
    out = _import(capsys, store, repriced, tmp_path / "prices.csv")
    assert "product index unchanged" in out and "rebuilt" not in out
    assert current_generation(folder) == first
    backend = Backend(open_store(store))
    try:
        assert backend.catalog.get_many([products[0].id])[products[0].id].price_cents == products[0].price_cents + 100
    finally:
        backend.close()


def test_a_new_or_renamed_or_discontinued_product_rebuilds_it(tmp_path, capsys):
    store, folder, products = _setup(tmp_path, capsys)
    changes = [
        [Product("zebra-cream-1", "Zebrana", "", "diaper cream", "baby", "stripes", 1, price_cents=899)],
        [dataclasses.replace(products[3], synonyms=(*products[3].synonyms, "the striped one"))],
        [dataclasses.replace(products[4], discontinued=True)],
    ]
    for number, changed in enumerate(changes):
        before = current_generation(folder)
        out = _import(capsys, store, changed, tmp_path / f"change{number}.json")
        assert "product index rebuilt" in out, changed
        assert current_generation(folder) != before
    index = EntityResolver.open(current_generation(folder))
    assert index.resolve("zebrana diaper cream").best.id == "zebra-cream-1"


def test_rebuild_index_forces_a_rebuild(tmp_path, capsys):
    store, folder, products = _setup(tmp_path, capsys)
    first = current_generation(folder)
    out = _import(capsys, store, products[:10], tmp_path / "same.json", "--rebuild-index")
    assert "product index rebuilt" in out and current_generation(folder) != first


def test_the_first_import_into_a_store_without_an_index_builds_one(tmp_path, capsys):
    store, folder, products = _setup(tmp_path, capsys)
    for generation in folder.glob("gen-*"):
        for file in generation.iterdir():
            file.unlink()
        generation.rmdir()
    (folder / "CURRENT").unlink()
    out = _import(capsys, store, products[:10], tmp_path / "again.json")
    assert "product index rebuilt" in out and current_generation(folder) is not None
    assert len(load_catalog_file(tmp_path / "again.json")) == 10


def test_a_price_feed_over_an_index_of_an_older_format_rebuilds_it(tmp_path, capsys):
    store, folder, products = _setup(tmp_path, capsys)
    meta_path = current_generation(folder) / "meta.json"
    meta_path.write_text(meta_path.read_text().replace('"format": 2', '"format": 1'))
    repriced = [dataclasses.replace(p, price_cents=p.price_cents + 1) for p in products[:5]]
    assert "product index rebuilt" in _import(capsys, store, repriced, tmp_path / "prices.json")
