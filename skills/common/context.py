"""The one object a capability module's handlers are built with."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from intents.resolver import EntityResolver
    from intents.resolver_files import SharedResolver
    from reorder.clock import Clock
    from reorder.services.backend import Backend


@dataclass
class SkillContext:
    """The backend, its clock, and a product resolver opened on first use (the catalog index takes a
    moment to build, so a skill that never hears a product name never pays for it).

    Where the store is a file (or VOICECART_RESOLVER_DIR names a folder) the index is saved beside it and
    memory-mapped: every worker shares one copy, and a new generation published by a catalog import in
    any process is picked up within a second, without a restart (intents/resolver_files.py).
    """

    backend: Backend
    clock: Clock | None = None
    _resolver: EntityResolver | None = field(default=None, init=False, repr=False)
    _shared: SharedResolver | None = field(default=None, init=False, repr=False)
    _stale: bool = field(default=False, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.clock is None:
            self.clock = self.backend.clock

    @property
    def resolver(self) -> EntityResolver:
        if self._shared is not None and self._resolver is None:
            if self._stale:
                with self._lock:
                    if self._stale:
                        self._stale = False
                        return self._shared.rebuild()
            return self._shared.get()
        if self._resolver is None:
            with self._lock:  # the web server is threaded: build the index once
                if self._resolver is None and self._shared is None:
                    from intents.resolver import catalog_resolver
                    from intents.resolver_files import folder_for_store, shared_catalog_resolver

                    folder = folder_for_store(self.backend.store)
                    if folder is None:
                        self._resolver = catalog_resolver(self.backend.catalog.all())
                    else:
                        self._shared = shared_catalog_resolver(self.backend.catalog, folder)
            if self._resolver is None:
                return self.resolver
        return self._resolver

    def forget_resolver(self) -> None:
        """Drop the index, e.g. after a catalog import, so the next question rebuilds it (and, where the
        index is shared, publishes the new one to every worker)."""
        with self._lock:
            self._resolver = None
            if self._shared is not None:
                self._stale = True
