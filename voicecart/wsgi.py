"""The WSGI entry point for production servers such as gunicorn, configured by the VOICECART_* variables
(voicecart/settings.py):

    gunicorn -c python:voicecart.gunicorn_conf 'voicecart.wsgi:create()'

`voicecart serve` runs exactly that. Each worker opens the store, builds the app, configures logging and,
unless VOICECART_SCHEDULER=0, starts the due-work scheduler (the store lets one process run each round).
VOICECART_TRUST_CA (a local test CA's directory) or VOICECART_TRUST_LOCAL_CA=1 also trust a local CA.
"""

from __future__ import annotations

import logging

from flask import Flask

from reorder.services.scheduler import DueWorkScheduler

log = logging.getLogger("voicecart.wsgi")
_scheduler: DueWorkScheduler | None = None


def create() -> Flask:
    from reorder.bootstrap import open_backend
    from voicecart.due_work import build_scheduler, proactive_sender
    from voicecart.logs import configure_logging
    from voicecart.replay_guard import replay_store_for
    from voicecart.server import build_server_app
    from voicecart.settings import Settings
    from voicecart.trust_config import trust_ca_directory

    global _scheduler
    settings = Settings.from_env()
    configure_logging(settings.log_level, settings.log_format)
    # The parent process has loaded the catalog and the demo household already; workers only open the store.
    backend = open_backend(settings.store, seed=False)
    app = build_server_app(
        backend,
        verify=settings.verify,
        trust_ca=trust_ca_directory(settings.trust_ca, settings.trust_local_ca),
        skill_ids=list(settings.skill_ids),
        replay_store=replay_store_for(settings, backend),
    )
    if settings.scheduler and _scheduler is None:
        _scheduler = build_scheduler(
            backend, interval=settings.scheduler_interval, deliver_events=proactive_sender(backend, settings)
        )
        _scheduler.start()
    return app


def shutdown() -> None:
    """Stop this worker's scheduler (gunicorn's worker_exit hook calls this)."""
    global _scheduler
    if _scheduler is not None:
        _scheduler.stop()
        _scheduler = None
