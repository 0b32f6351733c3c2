"""Fixtures that run a test folder against every store the backend supports; a folder's conftest imports
the ones it wants. PostgreSQL: a database the suite creates on 127.0.0.1:5432 (starting the local cluster
if it is stopped; in CI an unreachable server fails the run instead of skipping). DynamoDB: a local moto
server spoken to over HTTP by the real boto3 client (see dynamo_server.py)."""

from __future__ import annotations

import os

import pytest
from dynamo_server import DynamoServer
from pg_server import TestDatabase, ensure_server

STORES = ("sqlite", "postgresql", "dynamodb")


@pytest.fixture(scope="session")
def postgres_database():
    problem = ensure_server()
    if problem is not None:
        if os.environ.get("CI"):
            pytest.fail(f"the store tests need PostgreSQL in CI: {problem}")
        pytest.skip(problem)
    database = TestDatabase()
    yield database
    database.drop()


@pytest.fixture(scope="session")
def dynamo_server():
    server = DynamoServer()
    yield server
    server.stop()


def url_for(store: str, request: pytest.FixtureRequest, tmp_path) -> str:  # noqa: ANN001 - a path
    if store == "sqlite":
        return f"sqlite:///{tmp_path / 'voicecart.sqlite3'}"
    if store == "dynamodb":
        return request.getfixturevalue("dynamo_server").new_table_url()
    database = request.getfixturevalue("postgres_database")
    database.reset()
    return database.url


@pytest.fixture(params=STORES)
def store_url(request, tmp_path) -> str:
    return url_for(request.param, request, tmp_path)
