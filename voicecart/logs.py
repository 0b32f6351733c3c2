"""Logging configured once at start-up: one JSON object per line (or plain text), at the chosen level.

Request lines carry the request id, the household (when the request named one), method, path, status
and latency. Nothing here logs headers, query strings or bodies, so tokens, purchase codes and what
people said stay out of the logs.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

# Fields a log call may attach with `extra=` and the JSON line carries.
CONTEXT_FIELDS = (
    "request_id",
    "household",
    "method",
    "path",
    "status",
    "latency_ms",
    "worker",
    "job",
    "count",
    "event",
)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        context = " ".join(f"{n}={getattr(record, n)}" for n in CONTEXT_FIELDS if getattr(record, n, None) is not None)
        return f"{text} [{context}]" if context else text


def configure_logging(level: str = "INFO", fmt: str = "json", stream=None) -> None:  # noqa: ANN001 - a text stream
    """Route every logger (ours, Flask's, gunicorn's error log) through one handler on stderr."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # Werkzeug's own request lines would repeat ours (and carry query strings); keep its warnings.
    logging.getLogger("werkzeug").setLevel(max(logging.WARNING, root.level))
