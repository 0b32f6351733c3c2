"""The one object a capability module's handlers are built with."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from intents.resolver import EntityResolver
    from reorder.clock import Clock
    from reorder.services.backend import Backend


@dataclass
class SkillContext:
    """The backend, its clock, and a product resolver built on first use (the catalog index takes a
    moment to build, so a skill that never hears a product name never pays for it)."""

    backend: Backend
    clock: Clock | None = None
    _resolver: EntityResolver | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.clock is None:
            self.clock = self.backend.clock

    @property
    def resolver(self) -> EntityResolver:
        if self._resolver is None:
            with self._lock:  # the web server is threaded: build the index once
                if self._resolver is None:
                    from intents.resolver import catalog_resolver

                    self._resolver = catalog_resolver(self.backend.catalog.all())
        return self._resolver

    def forget_resolver(self) -> None:
        """Drop the index, e.g. after a catalog import, so the next question rebuilds it."""
        with self._lock:
            self._resolver = None
