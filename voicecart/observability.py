"""Request logging and Prometheus metrics for the Flask app.

Every request gets an id (the caller's `X-Request-Id` when it is a sane token, else a new one), returned in
the `X-Request-Id` header and written on its log line with the household, status and latency. `/metrics`
serves the Prometheus text format; under gunicorn the workers share their counters through
PROMETHEUS_MULTIPROC_DIR (set by `voicecart serve`), so any worker answers for all of them.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import time
from typing import Any

from flask import Flask, Response, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

from reorder import observe

log = logging.getLogger("voicecart.requests")

REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUESTS = Counter("voicecart_http_requests", "HTTP requests answered", ["method", "endpoint", "status"])
LATENCY = Histogram(
    "voicecart_http_request_seconds", "time to answer an HTTP request", ["method", "endpoint"], buckets=LATENCY_BUCKETS
)
ORDERS = Counter("voicecart_orders_placed", "orders placed", ["channel"])
PRESSES = Counter("voicecart_button_presses", "button presses, by outcome", ["outcome"])
REFUSALS = Counter("voicecart_alexa_verification_refusals", "Alexa requests refused by verification", ["reason"])
ROUTINE_RUNS = Counter("voicecart_scheduled_routine_runs", "routines run by the scheduler")


_ORDER_CHANNELS: dict[str, Any] = {}  # channel → its ORDERS child (a handful of channels)


def _on_business_event(event: str, labels: dict[str, str]) -> None:
    if event == "order_placed":
        channel = labels.get("channel", "unknown")
        counter = _ORDER_CHANNELS.get(channel)
        if counter is None:
            counter = _ORDER_CHANNELS[channel] = ORDERS.labels(channel)
        counter.inc()
    elif event == "button_pressed":
        PRESSES.labels(labels.get("outcome", "unknown")).inc()
    elif event == "routine_ran":
        ROUTINE_RUNS.inc()


observe.subscribe(_on_business_event)


def metrics_text() -> bytes:
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=directory)
        return generate_latest(registry)
    return generate_latest()


# The counter and histogram children of each (method, endpoint, status): prometheus_client checks and looks
# up labels on every `labels()` call, the larger part of the cost of counting a request. Bounded: methods,
# routes and status codes are each a small fixed set ("unmatched" for every path no route has).
_CHILDREN: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def _children(method: str, endpoint: str, status: int) -> tuple[Any, Any]:
    key = (method, endpoint, status)
    found = _CHILDREN.get(key)
    if found is None:
        found = _CHILDREN[key] = (REQUESTS.labels(method, endpoint, str(status)), LATENCY.labels(method, endpoint))
    return found


def install(app: Flask) -> None:
    @app.before_request
    def _start() -> None:
        context = g._get_current_object()  # the proxy looked through once
        context.started = time.perf_counter()
        given = request.headers.get("X-Request-Id", "")
        context.request_id = given if REQUEST_ID.fullmatch(given) else secrets.token_hex(8)

    @app.after_request
    def _finish(response: Response) -> Response:
        context = g._get_current_object()
        answered = request._get_current_object()  # type: ignore[attr-defined]
        elapsed = time.perf_counter() - context.get("started", time.perf_counter())
        rule = answered.url_rule
        endpoint = rule.rule if rule is not None else "unmatched"
        status = response.status_code
        requests, latency = _children(answered.method, endpoint, status)
        requests.inc()
        latency.observe(elapsed)
        refused = context.get("verification_refused")
        if refused:
            REFUSALS.labels(refused).inc()
        response.headers["X-Request-Id"] = context.get("request_id", "")
        if endpoint != "/metrics" and log.isEnabledFor(logging.INFO):
            log.info(
                "%s %s %s",
                answered.method,
                answered.path,
                status,
                extra={
                    "request_id": context.get("request_id"),
                    "household": context.get("household_id"),
                    "method": answered.method,
                    "path": answered.path,
                    "status": status,
                    "latency_ms": round(elapsed * 1000, 2),
                },
            )
        return response

    @app.get("/metrics")
    def metrics() -> Response:
        return Response(metrics_text(), mimetype=CONTENT_TYPE_LATEST)
