"""The catalog index on disk, shared by every worker of a server and replaced without a restart.

A folder holds generations (`gen-<time>-<pid>/`, each one complete set of arrays) and a file `CURRENT`
naming the newest. A new generation is written beside the old one and published by replacing CURRENT
in one rename, so a reader sees either the old index or the new one, never half of each. Readers map
the arrays (the page cache holds one copy for all processes) and look at CURRENT's change time at most
once a CHECK_SECONDS; when it moved they open the new generation. Old generations are removed after
the next publication: a process that still maps one keeps its pages until it lets go (POSIX unlink).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from intents.resolver import EntityResolver, resolver_keys
from intents.resolver_index import IndexArrays, build_from_products

if TYPE_CHECKING:
    from reorder.domain.catalog import Product
    from reorder.services.catalog import CatalogService

CURRENT = "CURRENT"
KEEP = 2  # generations kept: the newest and the one before it (readers may still be opening it)


def _stamp(folder: Path) -> tuple[int, int] | None:
    try:
        st = (folder / CURRENT).stat()
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_ino)


@contextmanager
def _build_lock(folder: Path) -> Iterator[None]:
    """One builder at a time across processes: two workers starting together build the index once."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "build.lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def current_generation(folder: Path) -> Path | None:
    try:
        name = (folder / CURRENT).read_text().strip()
    except FileNotFoundError:
        return None
    path = folder / name
    return path if name and (path / "meta.json").exists() else None


def publish(folder: Path, index: IndexArrays) -> Path:
    """Write `index` as a new generation and make it the current one."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"gen-{time.time_ns()}-{os.getpid()}"
    tmp = folder / f".{name}.tmp"
    index.save(tmp)
    tmp.rename(folder / name)
    pointer = folder / f".{CURRENT}.{os.getpid()}.tmp"
    pointer.write_text(name + "\n")
    os.replace(pointer, folder / CURRENT)
    gens = sorted((p for p in folder.glob("gen-*") if p.is_dir()), key=lambda p: int(p.name.split("-")[1]))
    for old in gens[:-KEEP]:
        shutil.rmtree(old, ignore_errors=True)
    return folder / name


class SharedResolver:
    """The resolver of the index in `folder`, reopened when another process publishes a new generation.

    `build` makes the index when the folder has none yet (or `is_stale` says the catalog moved on);
    it runs under a file lock, so of several workers starting at once one builds and the others map.
    """

    CHECK_SECONDS = 1.0

    def __init__(
        self,
        folder: str | os.PathLike[str],
        build: Callable[[], IndexArrays],
        *,
        is_stale: Callable[[IndexArrays], bool] = lambda index: False,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.folder = Path(folder)
        self._build = build
        self._is_stale = is_stale
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._resolver: EntityResolver | None = None
        self._stamp: tuple[int, int] | None = None
        self._checked = float("-inf")

    def get(self) -> EntityResolver:
        now = self._monotonic()
        if self._resolver is not None and now - self._checked < self.CHECK_SECONDS:
            return self._resolver
        with self._lock:
            stamp = _stamp(self.folder)
            if self._resolver is None or stamp != self._stamp:
                self._open()
            self._checked = now
            assert self._resolver is not None
            return self._resolver

    def rebuild(self) -> EntityResolver:
        """Build the index from the catalog now and publish it (after a catalog import)."""
        with self._lock, _build_lock(self.folder):
            publish(self.folder, self._build())
            self._load()
            assert self._resolver is not None
            return self._resolver

    def _open(self) -> None:
        index = current_index(self.folder)
        if index is not None and not self._is_stale(index):
            self._stamp = _stamp(self.folder)
            self._resolver = EntityResolver(index=index)
            return
        with _build_lock(self.folder):
            # Another process may have built it while this one waited for the lock.
            index = current_index(self.folder)
            if index is None or self._is_stale(index):
                publish(self.folder, self._build())
            self._load()

    def _load(self) -> None:
        gen = current_generation(self.folder)
        if gen is None:
            raise FileNotFoundError(f"no resolver index in {self.folder}")
        self._stamp = _stamp(self.folder)
        self._resolver = EntityResolver(index=IndexArrays.load(gen))


def current_index(folder: Path) -> IndexArrays | None:
    """The published index, or None when there is none, it was removed under us, or it is an older format
    (an upgrade): the caller builds one."""
    gen = current_generation(folder)
    if gen is None:
        return None
    try:
        return IndexArrays.load(gen)
    except (OSError, ValueError):
        return None


def folder_for_store(store: object) -> Path | None:
    """Where a store's catalog index lives: VOICECART_RESOLVER_DIR, else beside an SQLite file.

    None (an index built in each process, as before) for an in-memory database, or for PostgreSQL and
    DynamoDB without VOICECART_RESOLVER_DIR: their catalog is not a file this host can sit an index by.
    """
    configured = os.environ.get("VOICECART_RESOLVER_DIR")
    if configured:
        return Path(configured)
    path = getattr(store, "path", None)
    if isinstance(path, str) and path not in ("", ":memory:") and not path.startswith("file::memory:"):
        return Path(os.path.normpath(path).replace("//", "/", 1) + ".resolver")
    return None


def catalog_index(catalog: CatalogService) -> IndexArrays:
    """The index of everything `catalog` sells, stamped with its product count (see `catalog_is_stale`)."""
    count = catalog.count()
    index = build_from_products(catalog.all(), resolver_keys)
    index.meta["catalog_products"] = count
    return index


def catalog_is_stale(catalog: CatalogService) -> Callable[[IndexArrays], bool]:
    """An index built for another catalog (the store was replaced, or imported into elsewhere) is stale.

    The product count is the cheap check at open; an import through `voicecart catalog import` or the
    skill context's `forget_resolver` publishes a new generation whatever the count.
    """
    return lambda index: index.meta.get("catalog_products") != catalog.count()


def shared_catalog_resolver(catalog: CatalogService, folder: Path) -> SharedResolver:
    return SharedResolver(folder, lambda: catalog_index(catalog), is_stale=catalog_is_stale(catalog))


def index_fields(product: Product) -> tuple[object, ...]:
    """What the product index reads of a product (resolver_index.add_products): its id, the parts of its
    names, its pack size and whether it is still sold. Its price, stock and unit are not indexed."""
    p = product
    return (p.id, p.brand, p.line, p.kind, p.variant, tuple(p.synonyms), p.pack_count, p.discontinued)


def changes_index(catalog: CatalogService, products: Sequence[Product], *, batch: int = 500) -> bool:
    """Whether loading `products` into `catalog` changes what its index holds: a product it does not have
    yet, or one whose names, pack size or availability differ. A price or stock update changes nothing there,
    so the index built before stays right (a nightly price feed need not rebuild a million-product index)."""
    for start in range(0, len(products), batch):
        chunk = products[start : start + batch]
        known = catalog.get_many([p.id for p in chunk])
        for product in chunk:
            old = known.get(product.id)
            if old is None or index_fields(old) != index_fields(product):
                return True
    return False
