"""The replay guard `voicecart serve` uses, chosen by VOICECART_REPLAY_GUARD (see docs/request-verification.md).

Every mode puts this process's in-memory window first, so a copy it has seen is refused without I/O:
- `host` (default): the workers of one host share a SQLite file written without fsync;
- `store`: the order store, shared by every host (one transaction per request: use it only when several
  hosts serve one endpoint);
- `process`: the window alone, right only when one worker process serves.
"""

from __future__ import annotations

from reorder.services.backend import Backend
from reorder.services.seen_requests import StoreReplayGuard
from skills.hosting.replay import (
    HostReplayStore,
    InMemoryReplayStore,
    LayeredReplayStore,
    ReplayStore,
    host_replay_path,
)
from voicecart.settings import Settings, SettingsError


def replay_store_for(settings: Settings, backend: Backend) -> ReplayStore:
    window = InMemoryReplayStore(now=backend.clock.now)
    if settings.replay_guard == "process":
        if settings.worker_count() > 1:
            raise SettingsError(
                "VOICECART_REPLAY_GUARD=process keeps request ids in one process; with "
                f"{settings.worker_count()} workers use `host` (or set VOICECART_WORKERS=1)"
            )
        return window
    if settings.replay_guard == "store":
        return LayeredReplayStore(window, StoreReplayGuard(backend.store, backend.clock))
    # One file per deployment: the workers of one server share it, two servers on other stores do not.
    scope = f"{backend.store.url}|{','.join(sorted(settings.skill_ids))}"
    path = host_replay_path(settings.replay_dir, scope)
    return LayeredReplayStore(window, HostReplayStore(path, now=backend.clock.now))
