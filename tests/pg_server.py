"""A PostgreSQL database for the store contract tests, checked (and started if need be) by the suite.

The server is the machine's own (127.0.0.1:5432, trust auth); the suite creates its own database and drops
it at the end. Set VOICECART_TEST_PG to another server's admin URL to use that one instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from pathlib import Path

ADMIN_URL = os.environ.get("VOICECART_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def _reachable() -> str | None:
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install -e '.[test]')"
    try:
        psycopg.connect(ADMIN_URL, connect_timeout=3).close()
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable", with its reason
        return f"PostgreSQL at {ADMIN_URL} is not reachable: {exc}"
    return None


def _try_start() -> None:
    if shutil.which("pg_ctlcluster") and Path("/etc/postgresql").is_dir():
        for version in sorted(os.listdir("/etc/postgresql")):
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
                capture_output=True,
                timeout=60,
                check=False,
            )


def ensure_server() -> str | None:
    """None when the server answers (starting the local cluster if it was stopped), else the reason."""
    problem = _reachable()
    if problem is not None:
        _try_start()
        # The suite runs on two processes (pytest -n 2): the other may be starting the cluster at this moment, and
        # this start then fails at once. Give the server the few seconds it takes to answer.
        for _ in range(20):
            problem = _reachable()
            if problem is None:
                break
            time.sleep(0.5)
    return problem


class TestDatabase:
    """One database for the whole test session; each test gets a fresh, empty schema."""

    def __init__(self) -> None:
        import psycopg

        self.name = f"voicecart_test_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        base = ADMIN_URL.rsplit("/", 1)[0]
        self.url = f"{base}/{self.name}"

    def reset(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
