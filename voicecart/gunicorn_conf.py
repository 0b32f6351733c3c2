"""gunicorn's configuration for `voicecart serve`, read from the VOICECART_* variables (voicecart/settings.py).

`voicecart serve` runs `gunicorn -c python:voicecart.gunicorn_conf 'voicecart.wsgi:create()'`; run the same
line yourself (under systemd, in the container) with the variables set. Any gunicorn option given on the
command line after `-c` overrides what is set here.
"""

from __future__ import annotations

import os
import shutil
import tempfile

from gunicorn.glogging import Logger

from voicecart.logs import JsonFormatter
from voicecart.settings import Settings

_settings = Settings.from_env()

bind = [f"{_settings.host}:{_settings.port}"]
workers = _settings.worker_count()
# Threads let a worker wait on the database or a certificate download while another request runs.
worker_class = "gthread"
threads = 4
timeout = 30
# On SIGTERM (systemd stop, docker stop, Kubernetes) workers finish the requests they hold, up to this long.
graceful_timeout = _settings.graceful_timeout
keepalive = 5
loglevel = _settings.log_level.lower()
errorlog = "-"
accesslog = "-" if _settings.access_log else None
# One JSON object per request; the path without its query string, no headers, so no tokens.
access_log_format = (
    '{"ts": "%(t)s", "logger": "gunicorn.access", "remote": "%(h)s", "method": "%(m)s", '
    '"path": "%(U)s", "status": %(s)s, "bytes": "%(B)s", "latency_ms": %(M)s, '
    '"request_id": "%({x-request-id}o)s"}'
)


class JsonErrorLogger(Logger):
    """gunicorn's own messages (start, workers, signals) as JSON lines on stderr, like the app's."""

    def setup(self, cfg) -> None:  # noqa: ANN001 - gunicorn's Config
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())


if _settings.log_format == "json":
    logger_class = JsonErrorLogger
# gunicorn would otherwise trust X-Forwarded-* only from 127.0.0.1, which is where the TLS proxy runs.
forwarded_allow_ips = "127.0.0.1"
proc_name = "voicecart"
# No control socket in the home directory: several servers on one host would fight over it.
control_socket_disable = True


def on_starting(server) -> None:  # noqa: ANN001 - gunicorn's Arbiter
    # Workers share Prometheus counters through files in one directory, made before any worker starts.
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="voicecart-metrics-")
        os.environ["VOICECART_OWNS_METRICS_DIR"] = "1"
    server.log.info("voicecart: %d workers on %s", workers, ", ".join(bind))


def child_exit(server, worker) -> None:  # noqa: ANN001
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def worker_exit(server, worker) -> None:  # noqa: ANN001
    from voicecart import wsgi

    wsgi.shutdown()


def on_exit(server) -> None:  # noqa: ANN001
    if os.environ.pop("VOICECART_OWNS_METRICS_DIR", None):
        shutil.rmtree(os.environ.get("PROMETHEUS_MULTIPROC_DIR", ""), ignore_errors=True)
