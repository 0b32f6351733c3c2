"""Reading and loading the catalog the backend sells from."""

from __future__ import annotations

from collections.abc import Iterable

from reorder.domain.catalog import Product
from reorder.errors import UnknownProduct
from reorder.store.base import Store


class CatalogService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, product_id: str) -> Product:
        with self.store.unit_of_work(write=False) as uow:
            product = uow.products.get(product_id)
        if product is None:
            raise UnknownProduct(f"There is no product with id {product_id!r}.", product_id=product_id)
        return product

    def get_many(self, product_ids: Iterable[str]) -> dict[str, Product]:
        with self.store.unit_of_work(write=False) as uow:
            return uow.products.get_many(product_ids)

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
        with self.store.unit_of_work() as uow:
            return uow.products.upsert_many(products)
