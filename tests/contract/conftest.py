"""The feature contract: buttons, devices, the baby log and routines behave the same on every store.

Every test in this folder runs on SQLite (a temp file), PostgreSQL (a database the suite creates) and
DynamoDB (a local moto server spoken to over HTTP by the real boto3 client), like tests/reorder. The
moto server here handles one request at a time, so its transactions are atomic as DynamoDB's are (see
dynamo_server.py): the two-process tests then test the store's conditional writes, not a race in moto.
"""

from __future__ import annotations

import pytest
from store_fixtures import dynamo_server, postgres_database, store_url  # noqa: F401


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'buttons.sqlite3'}"
