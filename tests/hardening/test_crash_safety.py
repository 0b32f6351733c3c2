"""SIGKILL `voicecart serve` while orders, checkouts and button presses are in flight, restart it, and prove
that every acknowledged order exists exactly once and nothing is left half-done: no order without lines, no
ordering press without its order, no button order without its press, no cart half-cleared by a checkout.
Runs on an SQLite file, on PostgreSQL (tests/pg_server.py) and on a local DynamoDB server (tests/dynamo_server.py).
"""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from served_process import ServeProcess
from store_fixtures import dynamo_server, postgres_database, url_for  # noqa: F401 - fixtures

from reorder.bootstrap import open_backend

DIAPERS = "pampers-swaddlers-size-3-84"
TOWELS = "bounty-select-a-size-double-plus-rolls-12"
WIPES = "pampers-sensitive-wipes-336"
CHECKOUT_HOMES = 6


@pytest.fixture(params=["sqlite", "postgresql", "dynamodb"])
def store_url(request, tmp_path) -> str:
    return url_for(request.param, request, tmp_path)


def _prepare(store_url: str) -> dict:
    """A household that orders and presses, and households that each check out a two-line cart once."""
    backend = open_backend(store_url)
    try:
        home = backend.households.create(f"crash-{uuid.uuid4().hex[:6]}", members=[("Ann", "adult")])
        button = backend.buttons.create(home.id, "nursery diapers", DIAPERS, 1, allow_multiple=True)
        carts = []
        for i in range(CHECKOUT_HOMES):
            other = backend.households.create(f"cart-{i}-{uuid.uuid4().hex[:6]}", members=[("Bo", "adult")])
            backend.carts.add(other.id, TOWELS, 1)
            backend.carts.add(other.id, WIPES, 2)
            carts.append((other.id, backend.households.issue_token(other.id, "crash")))
        return {
            "home": home.id,
            "token": backend.households.issue_token(home.id, "crash"),
            "button": button.id,
            "carts": carts,
        }
    finally:
        backend.close()


class Storm:
    """Clients sending orders and presses, each with its own Idempotency-Key, recording every 201."""

    def __init__(self, url: str, setup: dict) -> None:
        self.url, self.setup = url, setup
        self.acked_orders: dict[str, str] = {}  # idempotency key -> order id
        self.acked_presses: dict[str, str] = {}
        self.sent_keys: set[str] = set()
        self.acked_checkouts: dict[str, str] = {}  # household id -> order id
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def _post(self, path: str, token: str, key: str, body: dict | None = None) -> dict | None:
        try:
            response = requests.post(
                self.url + path,
                json=body,
                timeout=5,
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
            )
        except requests.RequestException:
            return None  # the server died under this request: unacknowledged
        return response.json() if response.status_code == 201 else None

    def orders(self) -> None:
        while not self.stop.is_set():
            key = f"order-{uuid.uuid4()}"
            with self.lock:
                self.sent_keys.add(key)
            body = {"items": [{"product_id": DIAPERS, "quantity": 1}, {"product_id": TOWELS, "quantity": 2}]}
            answer = self._post("/api/orders", self.setup["token"], key, body)
            if answer is not None:
                with self.lock:
                    self.acked_orders[key] = answer["order"]["id"]

    def presses(self) -> None:
        while not self.stop.is_set():
            key = f"press-{uuid.uuid4()}"
            answer = self._post(f"/api/buttons/{self.setup['button']}/press", self.setup["token"], key)
            if answer is not None and answer.get("ordered"):
                with self.lock:
                    self.acked_presses[key] = answer["order"]["id"]

    def checkout(self, household_id: str, token: str) -> None:
        answer = self._post("/api/orders", token, f"checkout-{household_id}")
        if answer is not None:
            with self.lock:
                self.acked_checkouts[household_id] = answer["order"]["id"]


def _storm_and_kill(server: ServeProcess, setup: dict) -> Storm:
    storm = Storm(server.url, setup)
    with ThreadPoolExecutor(max_workers=10) as pool:
        for _ in range(3):
            pool.submit(storm.orders)
            pool.submit(storm.presses)
        deadline = time.monotonic() + 10
        while len(storm.acked_orders) + len(storm.acked_presses) < 40 and time.monotonic() < deadline:
            time.sleep(0.02)
        # The checkouts start just before the kill, so some are cut off mid-way.
        for household_id, token in setup["carts"]:
            pool.submit(storm.checkout, household_id, token)
        time.sleep(0.05)
        server.kill()
        storm.stop.set()
    return storm


def _orphans(store_url: str) -> dict[str, list]:
    """Half-done work, straight from the tables (what the services would never show). On DynamoDB an order is
    one item holding its lines, and a press and its order are written in one transaction: the checks through
    the services above are what can be checked there."""
    if store_url.startswith("dynamodb://"):
        return {}
    queries = {
        "order without lines": "SELECT o.id FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id "
        "WHERE l.order_id IS NULL",
        "ordering press without its order": "SELECT p.id FROM button_presses p LEFT JOIN orders o "
        "ON o.id = p.order_id WHERE p.outcome = 'ordered' AND o.id IS NULL",
        "button order without its press": "SELECT o.id FROM orders o LEFT JOIN button_presses p "
        "ON p.order_id = o.id WHERE o.button_id IS NOT NULL AND p.id IS NULL",
    }
    if store_url.startswith("sqlite:///"):
        import sqlite3

        conn = sqlite3.connect(store_url.removeprefix("sqlite:///"))
    else:
        import psycopg

        conn = psycopg.connect(store_url)
    try:
        return {name: conn.execute(sql).fetchall() for name, sql in queries.items()}
    finally:
        conn.close()


def test_a_killed_server_loses_and_doubles_nothing(store_url):
    setup = _prepare(store_url)
    server = ServeProcess(store_url).start()
    try:
        storm = _storm_and_kill(server, setup)
    finally:
        server.stop()
    assert storm.acked_orders and storm.acked_presses, "the storm acknowledged nothing before the kill"
    # Three clients send orders back to back, so the kill cuts at least one off mid-request.
    assert storm.sent_keys - storm.acked_orders.keys(), "the kill cut no order off: the test proved nothing"

    with ServeProcess(store_url) as restarted:
        # Every client retries what it never heard back about, with the same key, as a phone app would.
        auth = {"Authorization": f"Bearer {setup['token']}"}
        for key in storm.sent_keys - storm.acked_orders.keys():
            body = {"items": [{"product_id": DIAPERS, "quantity": 1}, {"product_id": TOWELS, "quantity": 2}]}
            response = requests.post(
                restarted.url + "/api/orders", json=body, timeout=10, headers={**auth, "Idempotency-Key": key}
            )
            assert response.status_code in (200, 201), response.text
        for key, order_id in storm.acked_orders.items():  # a retry of an acknowledged order is the same order
            response = requests.post(
                restarted.url + "/api/orders",
                json={"items": [{"product_id": DIAPERS, "quantity": 1}, {"product_id": TOWELS, "quantity": 2}]},
                timeout=10,
                headers={**auth, "Idempotency-Key": key},
            )
            assert response.status_code == 200 and response.json()["order"]["id"] == order_id

    backend = open_backend(store_url, seed=False)
    try:
        orders = backend.orders.recent(setup["home"], limit=100_000)
        ids = [o.id for o in orders]
        assert len(ids) == len(set(ids))
        by_id = {o.id: o for o in orders}
        for order_id in [*storm.acked_orders.values(), *storm.acked_presses.values()]:
            assert order_id in by_id, f"acknowledged order {order_id} was lost"
            assert by_id[order_id].lines, f"acknowledged order {order_id} has no lines"
        # Exactly one order per idempotency key sent, none twice: key-ordered orders are the keys sent.
        direct = [o for o in orders if o.button_id is None]
        assert len(direct) == len(storm.sent_keys)
        presses = backend.buttons.presses(setup["home"], setup["button"], limit=100_000)
        assert {p.order_id for p in presses if p.outcome.value == "ordered"} == {
            o.id for o in orders if o.button_id is not None
        }
        for key, order_id in storm.acked_presses.items():
            assert [p.order_id for p in presses if p.idempotency_key == key] == [order_id], key
        # Each checkout either happened whole (one order with both lines, cart empty) or not at all.
        for household_id, _ in setup["carts"]:
            cart = {line.product_id: line.quantity for line in backend.carts.get(household_id).lines}
            placed = backend.orders.recent(household_id, limit=10)
            if placed:
                assert len(placed) == 1 and cart == {}
                assert {(line.product_id, line.quantity) for line in placed[0].lines} == {(TOWELS, 1), (WIPES, 2)}
            else:
                assert household_id not in storm.acked_checkouts
                assert cart == {TOWELS: 1, WIPES: 2}, f"a checkout left the cart half-cleared: {cart}"
    finally:
        backend.close()
    assert _orphans(store_url) == {name: [] for name in _orphans(store_url)}
