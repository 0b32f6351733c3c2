"""A store that is wrong, unreachable or restarted: a clear error naming what failed, and recovery after."""

from __future__ import annotations

import pytest

from reorder.errors import StoreUnavailable
from reorder.services.backend import Backend
from reorder.store import open_store


@pytest.mark.parametrize(
    "url,says",
    [
        ("mysql://localhost/db", "Unsupported store URL"),
        ("sqlite://somehost/file.sqlite3", "no host"),
        ("sqlite:///", "names no file"),
        ("sqlite:////proc/voicecart/cannot/be/here.sqlite3", "Cannot create the folder"),
        ("postgresql://postgres@127.0.0.1:1/test", "Cannot reach the PostgreSQL store at 127.0.0.1:1/test"),
        ("postgresql://127.0.0.1:5432", "names no database"),
        ("dynamodb://?region=us-east-1", "names no table"),
        ("dynamodb://t?colour=blue", "Unknown DynamoDB store URL options"),
    ],
)
def test_a_wrong_store_url_fails_at_once_saying_what_is_wrong(url, says):
    with pytest.raises(StoreUnavailable, match=says):
        open_store(url)


def test_a_missing_dynamodb_table_says_how_to_create_it(dynamo_server):
    url = f"dynamodb://no_such_table?region=us-east-1&endpoint={dynamo_server.endpoint}"
    with pytest.raises(StoreUnavailable, match="store init"):
        open_store(url)


def _terminate_every_other_connection(url: str) -> int:
    import psycopg

    with psycopg.connect(url, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return len(rows)


def test_postgresql_dropping_every_connection_costs_no_request(postgres_database):
    """What a restarted server looks like to the pool: every open connection is gone. The pool tries each
    connection as it hands it out and replaces a dead one, so not even the first request fails."""
    import threading

    postgres_database.reset()
    backend = Backend(open_store(postgres_database.url))
    household = backend.households.create("restart-home", members=[("Alex", "adult")])
    # Fill the pool with several connections: concurrent requests each hold one.
    barrier = threading.Barrier(4)

    def hold() -> None:
        with backend.store.unit_of_work(write=False):
            barrier.wait(timeout=10)

    threads = [threading.Thread(target=hold) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for _ in range(2):  # twice: the connections made after the first termination die too
        assert _terminate_every_other_connection(postgres_database.url) >= 4
        outcomes = [backend.households.get(household.id).name for _ in range(6)]
        assert outcomes == ["restart-home"] * 6
        backend.households.add_member(household.id, "Sam")  # a write too
    backend.close()


def test_postgresql_dropped_connections_cost_no_api_request(postgres_database):
    from voicecart.app import create_app

    postgres_database.reset()
    backend = Backend(open_store(postgres_database.url))
    household = backend.households.create("restart-api", members=[("Alex", "adult")])
    client = create_app(backend).test_client()
    auth = {"Authorization": f"Bearer {backend.households.issue_token(household.id, 'restart')}"}
    assert client.get("/api/cart", headers=auth).status_code == 200
    _terminate_every_other_connection(postgres_database.url)
    assert [client.get("/api/cart", headers=auth).status_code for _ in range(3)] == [200, 200, 200]
    assert client.get("/healthz").status_code == 200
    backend.close()
