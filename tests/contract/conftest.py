"""The feature contract: buttons, devices, the baby log and routines behave the same on every store.

Every test in this folder runs on SQLite (a temp file), PostgreSQL (a database the suite creates) and
DynamoDB (a local moto server spoken to over HTTP by the real boto3 client), like tests/reorder. The
moto server here handles one request at a time, so its transactions are atomic as DynamoDB's are (see
serial_dynamo.py): the two-process tests then test the store's conditional writes, not a race in moto.
"""

from __future__ import annotations

import os

import pytest
from pg_server import TestDatabase, ensure_server
from serial_dynamo import SerialDynamoServer


@pytest.fixture(scope="session")
def postgres_database():
    problem = ensure_server()
    if problem is not None:
        if os.environ.get("CI"):
            pytest.fail(f"the feature contract needs PostgreSQL in CI: {problem}")
        pytest.skip(problem)
    database = TestDatabase()
    yield database
    database.drop()


@pytest.fixture(scope="session")
def dynamo_server():
    server = SerialDynamoServer()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql", "dynamodb"])
def store_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'voicecart.sqlite3'}"
    if request.param == "dynamodb":
        return request.getfixturevalue("dynamo_server").new_table_url()
    database = request.getfixturevalue("postgres_database")
    database.reset()
    return database.url
