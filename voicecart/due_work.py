"""What runs on the real clock, in `voicecart serve` (a thread per worker, one runner per round across all
workers and hosts) and in `voicecart routines run-due` (cron, an EventBridge schedule):

- fulfilment: orders whose next status is due move on, each change with its outbox notification;
- routines: scheduled routines whose time has come run (missed ones are caught up, at most 14 per routine);
- proactive events: outbox notifications go to Alexa's Proactive Events API when the skill's Login-with-Amazon
  client credentials are configured (retried next round when the API fails).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the backend is imported by the commands that run, not by `voicecart --help`
    from datetime import datetime

    from reorder.clock import Clock
    from reorder.services.backend import Backend
    from reorder.services.scheduler import DueWorkScheduler, Job

LOGGER = "voicecart.due_work"  # logging is imported by the commands that run, not by `voicecart --help`


def due_jobs(backend: Backend, *, deliver_events: Job | None = None) -> list[tuple[str, Job]]:
    import logging

    from reorder import observe

    log = logging.getLogger(LOGGER)

    def routines(now: datetime) -> int:
        runs = backend.routines.run_due(now)
        for run in runs:
            observe.emit("routine_ran", household=run.routine.household_id)
            log.info(
                "routine %s ran for its %s schedule",
                run.routine.id,
                run.at.isoformat(),
                extra={"household": run.routine.household_id, "job": "routines"},
            )
        return len(runs)

    jobs: list[tuple[str, Job]] = [
        ("fulfilment", lambda now: backend.orders.advance_fulfilment(now)),
        ("routines", routines),
    ]
    if deliver_events is not None:
        jobs.append(("proactive_events", deliver_events))
    return jobs


def build_scheduler(
    backend: Backend, *, interval: float, clock: Clock | None = None, deliver_events: Job | None = None
) -> DueWorkScheduler:
    from reorder.services.scheduler import DueWorkScheduler

    return DueWorkScheduler(
        backend.store, clock or backend.clock, due_jobs(backend, deliver_events=deliver_events), interval=interval
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    routines = subparsers.add_parser("routines", help="run scheduled routines and other due work")
    rsub = routines.add_subparsers(dest="routines_command", metavar="ACTION")
    run_due = rsub.add_parser(
        "run-due",
        help="run every routine (and fulfilment step) due now, once; for cron or an EventBridge schedule",
        description="Runs the work that is due now: scheduled routines, order fulfilment and, when configured, "
        "proactive events. Safe to run from several hosts and beside `voicecart serve`: the store lets one "
        "process run each round of VOICECART_SCHEDULER_INTERVAL seconds.",
    )
    run_due.set_defaults(handler=cmd_run_due)
    routines.set_defaults(handler=lambda args: routines.print_help())


def cmd_run_due(args: argparse.Namespace) -> int:
    from intents.command_error import CommandError
    from reorder.bootstrap import open_backend
    from reorder.errors import BackendError
    from voicecart.settings import Settings, SettingsError

    try:
        settings = Settings.from_env()
        backend = open_backend(args.store, seed=False)
    except SettingsError as exc:
        raise CommandError(str(exc)) from exc
    except BackendError as exc:
        raise CommandError(exc.message) from exc
    scheduler = build_scheduler(
        backend, interval=settings.scheduler_interval, deliver_events=proactive_sender(backend, settings)
    )
    result = scheduler.tick()
    if not result.ran:
        print(f"round {result.number} was already run by another process; nothing to do", file=sys.stderr)
        return 0
    for name, value in result.results.items():
        print(f"{name}: {value}")
    for name, problem in result.failures.items():
        print(f"{name}: FAILED {problem}", file=sys.stderr)
    return 1 if result.failures else 0


def proactive_sender(backend: Backend, settings) -> Job | None:  # noqa: ANN001 - voicecart.settings.Settings
    """The outbox → Proactive Events API job when the skill's LWA client credentials are set, else None."""
    if not (settings.lwa_client_id and settings.lwa_client_secret):
        return None
    from skills.common.proactive import ProactiveEventSender

    return ProactiveEventSender(
        backend,
        client_id=settings.lwa_client_id,
        client_secret=settings.lwa_client_secret,
        api_url=settings.alexa_api_url,
        lwa_url=settings.lwa_url,
        stage=settings.proactive_stage,
    ).deliver_pending
