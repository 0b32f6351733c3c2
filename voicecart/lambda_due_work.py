"""The scheduled Lambda function (an EventBridge rule, every minute in the SAM template): one round of due
work, exactly what `voicecart routines run-due` does. The store lets one invocation run each round."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("voicecart.lambda_due_work")
_state: dict[str, Any] = {}


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from reorder.bootstrap import open_backend
    from voicecart.due_work import build_scheduler, proactive_sender
    from voicecart.settings import Settings

    if "scheduler" not in _state:  # built once per container, like the skill's handler
        settings = Settings.from_env()
        backend = open_backend(settings.store, seed=False)
        _state["scheduler"] = build_scheduler(
            backend, interval=settings.scheduler_interval, deliver_events=proactive_sender(backend, settings)
        )
    result = _state["scheduler"].tick()
    summary = {"round": result.number, "ran": result.ran, "results": result.results, "failures": result.failures}
    log.info("due work round %s: %s", result.number, summary)
    if result.failures:
        raise RuntimeError(f"due work failed: {result.failures}")  # Lambda retries and reports it
    return summary
