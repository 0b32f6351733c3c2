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


def _on_business_event(event: str, labels: dict[str, str]) -> None:
    if event == "order_placed":
        ORDERS.labels(labels.get("channel", "unknown")).inc()
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


def install(app: Flask) -> None:
    @app.before_request
    def _start() -> None:
        g.started = time.perf_counter()
        given = request.headers.get("X-Request-Id", "")
        g.request_id = given if REQUEST_ID.fullmatch(given) else secrets.token_hex(8)

    @app.after_request
    def _finish(response: Response) -> Response:
        elapsed = time.perf_counter() - g.get("started", time.perf_counter())
        endpoint = request.url_rule.rule if request.url_rule is not None else "unmatched"
        REQUESTS.labels(request.method, endpoint, str(response.status_code)).inc()
        LATENCY.labels(request.method, endpoint).observe(elapsed)
        refused = g.get("verification_refused")
        if refused:
            REFUSALS.labels(refused).inc()
        response.headers["X-Request-Id"] = g.get("request_id", "")
        if endpoint != "/metrics":
            log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "request_id": g.get("request_id"),
                    "household": g.get("household_id"),
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "latency_ms": round(elapsed * 1000, 2),
                },
            )
        return response

    @app.get("/metrics")
    def metrics() -> Response:
        return Response(metrics_text(), mimetype=CONTENT_TYPE_LATEST)
