"""Reading and loading the catalog the backend sells from."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

from reorder.domain.catalog import Product
from reorder.errors import UnknownProduct
from reorder.store.base import Store


class CatalogService:
    # How long a product read for naming it may be reused. A catalog import in this process clears the
    # cache at once; another process's import is seen within this time, as the resolver's index is.
    CACHE_SECONDS = 60.0
    CACHE_SIZE = 20_000

    def __init__(self, store: Store, *, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self._monotonic = monotonic
        self._cache: dict[str, tuple[float, Product]] = {}
        self._cache_lock = threading.Lock()

    def get(self, product_id: str) -> Product:
        with self.store.unit_of_work(write=False) as uow:
            product = uow.products.get(product_id)
        if product is None:
            raise UnknownProduct(f"There is no product with id {product_id!r}.", product_id=product_id)
        return product

    def get_many(self, product_ids: Iterable[str]) -> dict[str, Product]:
        with self.store.unit_of_work(write=False) as uow:
            return uow.products.get_many(product_ids)

    def cached_many(self, product_ids: Iterable[str]) -> dict[str, Product]:
        """Products for naming them in speech and cards, from a small in-process cache (at most
        CACHE_SECONDS old). Never for money: prices and availability that an order depends on are read
        in the use case's own transaction."""
        now = self._monotonic()
        found: dict[str, Product] = {}
        missing: list[str] = []
        for pid in product_ids:
            hit = self._cache.get(pid)
            if hit is not None and now - hit[0] < self.CACHE_SECONDS:
                found[pid] = hit[1]
            else:
                missing.append(pid)
        if missing:
            fresh = self.get_many(missing)
            with self._cache_lock:
                if len(self._cache) + len(fresh) > self.CACHE_SIZE:
                    self._cache.clear()
                for pid, product in fresh.items():
                    self._cache[pid] = (now, product)
            found.update(fresh)
        return found

    def search(self, text: str, limit: int = 10) -> list[Product]:
        with self.store.unit_of_work(write=False) as uow:
            return uow.products.search(text, limit)

    def all(self) -> list[Product]:
        with self.store.unit_of_work(write=False) as uow:
            return list(uow.products.iter_all())

    def count(self) -> int:
        with self.store.unit_of_work(write=False) as uow:
            return uow.products.count()

    def load(self, products: Iterable[Product]) -> int:
        try:
            with self.store.unit_of_work() as uow:
                return uow.products.upsert_many(products)
        finally:
            with self._cache_lock:
                self._cache.clear()
