"""Button tests run against every store the backend supports, like the store contract in tests/reorder."""

from __future__ import annotations

import os

import pytest
from pg_server import TestDatabase, ensure_server


@pytest.fixture(scope="session")
def postgres_database():
    problem = ensure_server()
    if problem is not None:
        if os.environ.get("CI"):
            pytest.fail(f"button tests need PostgreSQL in CI: {problem}")
        pytest.skip(problem)
    database = TestDatabase()
    yield database
    database.drop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'voicecart.sqlite3'}"
    database = request.getfixturevalue("postgres_database")
    database.reset()
    return database.url


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'buttons.sqlite3'}"
