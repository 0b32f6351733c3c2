"""The one object a capability module's handlers are built with."""

from __future__ import annotations

import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from intents.resolver import EntityResolver, Resolution, Scored
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
        resolver = self._current_resolver()
        if getattr(_turn, "scores", None) is None:
            return resolver
        return cast("EntityResolver", _TurnResolver(resolver))

    def _current_resolver(self) -> EntityResolver:
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
                return self._current_resolver()
        return self._resolver

    def forget_resolver(self) -> None:
        """Drop the index, e.g. after a catalog import, so the next question rebuilds it (and, where the
        index is shared, publishes the new one to every worker)."""
        with self._lock:
            self._resolver = None
            if self._shared is not None:
                self._stale = True


# What the product resolver scored during the voice turn this thread is answering (None outside a turn).
_turn = threading.local()


def begin_turn() -> None:
    """A voice turn starts on this thread (skills.common.interceptors.TurnScope): nothing scored yet."""
    _turn.scores = {}


def end_turn() -> None:
    _turn.scores = None


class _TurnResolver:
    """The resolver as one turn sees it: the same words scored with the same purchase history and restriction
    again in the same turn (a product turn asks for the words alone twice, to weigh the history against
    them) are the scores worked out the first time, as scoring is a pure function of those and the index.
    Kept for the turn only: the next turn scores afresh."""

    __slots__ = ("_resolver",)

    def __init__(self, resolver: EntityResolver) -> None:
        self._resolver = resolver

    def score(
        self, text: str, *, prior: Mapping[str, float] | None = None, restrict_to: Collection[str] | None = None
    ) -> Scored:
        scores = getattr(_turn, "scores", None)
        if scores is None:
            return self._resolver.score(text, prior=prior, restrict_to=restrict_to)
        if restrict_to is not None:
            restrict_to = tuple(restrict_to)
        key = (self._resolver, text, None if prior is None else tuple(prior.items()), restrict_to)
        scored = scores.get(key)
        if scored is None:
            scored = scores[key] = self._resolver.score(text, prior=prior, restrict_to=restrict_to)
        return scored

    def resolve(
        self,
        text: str,
        *,
        prior: Mapping[str, float] | None = None,
        limit: int = 5,
        restrict_to: Collection[str] | None = None,
    ) -> Resolution:
        return self.score(text, prior=prior, restrict_to=restrict_to).top(limit)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._resolver, name)
