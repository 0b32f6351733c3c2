"""Button tests run on SQLite and PostgreSQL (the feature contract in tests/contract adds DynamoDB)."""

from __future__ import annotations

import pytest
from store_fixtures import postgres_database, url_for  # noqa: F401


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    return url_for(request.param, request, tmp_path)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'buttons.sqlite3'}"
