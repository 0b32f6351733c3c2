"""A store that is wrong, unreachable or restarted: a clear error naming what failed, and recovery after."""

from __future__ import annotations

import pytest

from reorder.errors import StoreUnavailable
from reorder.services.backend import Backend
from reorder.store import open_store


@pytest.mark.parametrize("url,says", [
    ("mysql://localhost/db", "Unsupported store URL"),
    ("sqlite://somehost/file.sqlite3", "no host"),
    ("sqlite:///", "names no file"),
    ("sqlite:////proc/voicecart/cannot/be/here.sqlite3", "Cannot create the folder"),
    ("postgresql://postgres@127.0.0.1:1/test", "Cannot reach the PostgreSQL store at 127.0.0.1:1/test"),
    ("postgresql://127.0.0.1:5432", "names no database"),
    ("dynamodb://?region=us-east-1", "names no table"),
    ("dynamodb://t?colour=blue", "Unknown DynamoDB store URL options"),
])
def test_a_wrong_store_url_fails_at_once_saying_what_is_wrong(url, says):
    with pytest.raises(StoreUnavailable, match=says):
        open_store(url)


def test_a_missing_dynamodb_table_says_how_to_create_it(dynamo_server):
    url = f"dynamodb://no_such_table?region=us-east-1&endpoint={dynamo_server.endpoint}"
    with pytest.raises(StoreUnavailable, match="store init"):
        open_store(url)


def test_postgresql_dropping_every_connection_fails_cleanly_then_recovers(postgres_database):
    """What a restarted server looks like to the pool: every open connection is gone."""
    import psycopg

    postgres_database.reset()
    backend = Backend(open_store(postgres_database.url))
    household = backend.households.create("restart-home", members=[("Alex", "adult")])
    with psycopg.connect(postgres_database.url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    outcomes = []
    for _ in range(3):
        try:
            outcomes.append(backend.households.get(household.id).name)
        except StoreUnavailable as exc:
            assert "PostgreSQL store is unavailable" in exc.message
            outcomes.append("unavailable")
    assert outcomes[0] == "unavailable"  # the request that met a dropped connection failed cleanly
    assert outcomes[-1] == "restart-home"  # the pool drops broken connections and the next request succeeds
    backend.close()
