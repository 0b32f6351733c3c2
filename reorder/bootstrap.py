"""Wires the backend once: the store a URL names, the catalog it sells, the demo household."""

from __future__ import annotations

from reorder.clock import Clock
from reorder.demo import ensure_demo_household
from reorder.services.backend import Backend
from reorder.store import open_store


def open_backend(store_url: str | None = None, *, clock: Clock | None = None, seed: bool = True) -> Backend:
    """Open the store (failing at once, with the reason, when it is wrong or unreachable), load the shipped
    catalog into an empty store, and give an empty store its demo household."""
    store = open_store(store_url)
    backend = Backend(store, clock)
    if seed:
        if backend.catalog.count() == 0:
            from reorder.catalog import load_default_catalog

            backend.catalog.load(load_default_catalog())
        ensure_demo_household(backend)
    return backend
