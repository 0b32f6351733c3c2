"""The embedded SQLite store: WAL, foreign keys, versioned migrations, one transaction per use case.

Writers take the database lock at the start of their unit of work (BEGIN IMMEDIATE), so a check and
the write that follows it (an idempotency key, a button's order in flight) cannot interleave with
another process's; the unique constraints are the last line of defence.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import operator
import sqlite3
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from reorder.domain.catalog import Product
from reorder.domain.model import (
    CartLine,
    Household,
    Member,
    Order,
    OrderLine,
    OrderStatus,
    Role,
    StatusChange,
)
from reorder.errors import StoreUnavailable
from reorder.store import sql_errors
from reorder.store.base import (
    DuplicateIdempotencyKey,
    Identity,
    Notification,
    PurchasedItem,
    PurchaseSecurity,
    TokenRecord,
)
from reorder.store.sqlite_babycare import SqliteBabyEvents, SqliteRoutines
from reorder.store.sqlite_buttons import SqliteButtons, SqliteDevices
from reorder.store.sqlite_checkpoint import BACKSTOP_PAGES, CHECKPOINTER
from reorder.store.sqlite_schema import MIGRATIONS
from reorder.store.timestamps import parse_ts, ts

BUSY_TIMEOUT_MS = 30_000


def path_from_url(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme != "sqlite":
        raise StoreUnavailable(f"Not an SQLite store URL: {url!r}")
    if parsed.netloc not in ("", "localhost"):
        raise StoreUnavailable(f"SQLite store URLs have no host: use sqlite:///absolute/path, not {url!r}")
    path = unquote(parsed.path)
    if path in ("", "/"):
        raise StoreUnavailable(f"The SQLite store URL {url!r} names no file.")
    if path == "/:memory:":
        return ":memory:"
    return path


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _product_row(p: Product) -> tuple[object, ...]:
    search_text = " ".join([p.name.lower(), *(s.lower() for s in p.synonyms)])
    return (
        p.id,
        p.brand,
        p.line,
        p.kind,
        p.category,
        p.variant,
        p.pack_count,
        p.unit,
        p.price_cents,
        json.dumps(list(p.synonyms)),
        p.water_oz_per_scoop,
        p.weight_min_lb,
        p.weight_max_lb,
        int(p.discontinued),
        json.dumps(p.extra),
        search_text,
    )


def _product(row: sqlite3.Row) -> Product:
    return Product(
        id=row["id"],
        brand=row["brand"],
        line=row["line"],
        kind=row["kind"],
        category=row["category"],
        variant=row["variant"],
        pack_count=row["pack_count"],
        unit=row["unit"],
        price_cents=row["price_cents"],
        synonyms=tuple(json.loads(row["synonyms"])),
        water_oz_per_scoop=row["water_oz_per_scoop"],
        weight_min_lb=row["weight_min_lb"],
        weight_max_lb=row["weight_max_lb"],
        discontinued=bool(row["discontinued"]),
        extra=json.loads(row["extra"]),
    )


# Products read by id, by the columns they were read with: a turn reads one or two products in its own
# transaction (prices and availability are never taken from a cache), and building the frozen Product from
# the row (two JSON columns, fifteen fields) cost more than the statement. Keyed by every column, an entry
# can never be stale: a changed row is a new key. Bounded; it starts again when full.
_PRODUCTS_BY_ROW: dict[tuple[Any, ...], Product] = {}
_PRODUCTS_BY_ROW_MAX = 4096


def _product_of_row(row: sqlite3.Row) -> Product:
    key = tuple(row)
    product = _PRODUCTS_BY_ROW.get(key)
    if product is None:
        product = _product(row)
        if len(_PRODUCTS_BY_ROW) >= _PRODUCTS_BY_ROW_MAX:
            _PRODUCTS_BY_ROW.clear()
        _PRODUCTS_BY_ROW[key] = product
    return product


PRODUCT_COLUMNS = (
    "id, brand, line, kind, category, variant, pack_count, unit, price_cents, synonyms, "
    "water_oz_per_scoop, weight_min_lb, weight_max_lb, discontinued, extra"
)


class SqliteProducts:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def get(self, product_id: str) -> Product | None:
        return self.get_many((product_id,)).get(product_id)

    def get_many(self, product_ids: Iterable[str]) -> dict[str, Product]:
        ids = list(dict.fromkeys(product_ids))
        # The products a turn prices (the cart's add, the read-back, the order) were mostly read by the turn
        # before: kept while the products table is unchanged (see _Connection), so still what this
        # transaction would read.
        kept = self.conn.kept("products") if isinstance(self.conn, _Connection) else None
        found: dict[str, Product] = {}
        missing = ids
        if kept is not None:
            missing = [pid for pid in ids if pid not in kept]
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(f"SELECT {PRODUCT_COLUMNS} FROM products WHERE id IN ({marks})", chunk):
                found[row["id"]] = _product_of_row(row)
        if kept is None:
            return found
        if len(kept) + len(found) > KEPT_PRODUCTS:
            kept.clear()
        kept.update(found)
        return {pid: product for pid in ids if (product := found.get(pid) or kept.get(pid)) is not None}

    def upsert_many(self, products: Iterable[Product]) -> int:
        count = 0
        batch: list[tuple[object, ...]] = []
        sql = (
            "INSERT INTO products (id, brand, line, kind, category, variant, pack_count, unit, price_cents, "
            "synonyms, water_oz_per_scoop, weight_min_lb, weight_max_lb, discontinued, extra, search_text) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET "
            "brand=excluded.brand, line=excluded.line, kind=excluded.kind, category=excluded.category, "
            "variant=excluded.variant, pack_count=excluded.pack_count, unit=excluded.unit, "
            "price_cents=excluded.price_cents, synonyms=excluded.synonyms, "
            "water_oz_per_scoop=excluded.water_oz_per_scoop, weight_min_lb=excluded.weight_min_lb, "
            "weight_max_lb=excluded.weight_max_lb, discontinued=excluded.discontinued, "
            "extra=excluded.extra, search_text=excluded.search_text"
        )
        for product in products:
            batch.append(_product_row(product))
            if len(batch) >= 5000:
                self.conn.executemany(sql, batch)
                count += len(batch)
                batch.clear()
        if batch:
            self.conn.executemany(sql, batch)
            count += len(batch)
        return count

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM products").fetchone()[0])

    def iter_all(self) -> Iterator[Product]:
        for row in self.conn.execute(f"SELECT {PRODUCT_COLUMNS} FROM products ORDER BY id"):
            yield _product(row)

    def search(self, text: str, limit: int = 10) -> list[Product]:
        words = [w for w in text.lower().split() if w][:8]
        if not words:
            return []
        where = " AND ".join("search_text LIKE ? ESCAPE '\\'" for _ in words)
        params = [f"%{_escape_like(w)}%" for w in words]
        rows = self.conn.execute(
            f"SELECT {PRODUCT_COLUMNS} FROM products WHERE discontinued = 0 AND {where} ORDER BY id LIMIT ?",
            [*params, limit],
        )
        return [_product(row) for row in rows]


_HOUSEHOLD_WITH_MEMBERS = (
    "h.*, m.id AS member_id, m.name AS member_name, m.role AS member_role, m.birth_date AS member_birth_date "
    "FROM households h LEFT JOIN members m ON m.household_id = h.id"
)


class SqliteHouseholds:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def _members(self, household_id: str) -> list[Member]:
        rows = self.conn.execute(
            "SELECT id, name, role, birth_date FROM members WHERE household_id = ? ORDER BY position",
            (household_id,),
        )
        return [
            Member(
                r["id"], r["name"], Role(r["role"]), date.fromisoformat(r["birth_date"]) if r["birth_date"] else None
            )
            for r in rows
        ]

    def _household(self, row: sqlite3.Row | None, members: list[Member] | None = None) -> Household | None:
        if row is None:
            return None
        return Household(
            id=row["id"],
            name=row["name"],
            timezone=row["timezone"],
            address_label=row["address_label"],
            member_pricing=bool(row["member_pricing"]),
            member_discount_pct=row["member_discount_pct"],
            purchase_code_hash=row["purchase_code_hash"],
            spending_limit_cents=row["spending_limit_cents"],
            preferred_delivery_day=row["preferred_delivery_day"],
            is_demo=bool(row["is_demo"]),
            members=self._members(row["id"]) if members is None else members,
        )

    def _write_members(self, household: Household) -> None:
        # Upsert rather than delete-and-insert: rows that point at a member (identities, log entries) must
        # keep pointing at it when the household's settings are saved.
        self.conn.executemany(
            "INSERT INTO members (id, household_id, name, role, birth_date, position) VALUES (?,?,?,?,?,?) "
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, "
            "birth_date = excluded.birth_date, position = excluded.position",
            [
                (m.id, household.id, m.name, m.role.value, m.birth_date.isoformat() if m.birth_date else None, i)
                for i, m in enumerate(household.members)
            ],
        )
        keep = [m.id for m in household.members]
        marks = ",".join("?" * len(keep)) or "''"
        self.conn.execute(f"DELETE FROM members WHERE household_id = ? AND id NOT IN ({marks})", (household.id, *keep))

    def add(self, household: Household) -> None:
        self.conn.execute(
            "INSERT INTO households (id, name, timezone, address_label, member_pricing, member_discount_pct, "
            "purchase_code_hash, spending_limit_cents, preferred_delivery_day, is_demo) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                household.id,
                household.name,
                household.timezone,
                household.address_label,
                int(household.member_pricing),
                household.member_discount_pct,
                household.purchase_code_hash,
                household.spending_limit_cents,
                household.preferred_delivery_day,
                int(household.is_demo),
            ),
        )
        self._write_members(household)

    def get(self, household_id: str) -> Household | None:
        # Nearly every use case starts here, several times in one voice turn: a household read while the
        # database is unchanged is not read again (a copy: callers change what they get, then update it).
        kept = self.conn.kept("households") if isinstance(self.conn, _Connection) else None
        if kept is not None:
            seen = kept.get(household_id)
            if seen is not None:
                return _copy(seen)
        household = self._read(household_id)
        if kept is not None and household is not None:
            kept[household_id] = _copy(household)
        return household

    def _read(self, household_id: str) -> Household | None:
        # One statement for the household and its members.
        rows = self.conn.execute(
            f"SELECT {_HOUSEHOLD_WITH_MEMBERS} WHERE h.id = ? ORDER BY m.position", (household_id,)
        ).fetchall()
        return self._from_rows(rows)

    def get_with_keyed_order(self, household_id: str, key: str) -> tuple[Household | None, str | None]:
        """The household, and the id of its order placed with idempotency key `key` if there is one: the two
        reads an order starts with, in one statement."""
        rows = self.conn.execute(
            "SELECT (SELECT o.id FROM orders o WHERE o.household_id = h.id AND o.idempotency_key = ?) "
            f"AS keyed_order_id, {_HOUSEHOLD_WITH_MEMBERS} WHERE h.id = ? ORDER BY m.position",
            (key, household_id),
        ).fetchall()
        return self._from_rows(rows), rows[0]["keyed_order_id"] if rows else None

    def _from_rows(self, rows: list[Any]) -> Household | None:
        if not rows:
            return None
        members = [
            Member(
                r["member_id"],
                r["member_name"],
                Role(r["member_role"]),
                date.fromisoformat(r["member_birth_date"]) if r["member_birth_date"] else None,
            )
            for r in rows
            if r["member_id"] is not None
        ]
        return self._household(rows[0], members)

    def get_by_name(self, name: str) -> Household | None:
        return self._household(self.conn.execute("SELECT * FROM households WHERE name = ?", (name,)).fetchone())

    def update(self, household: Household) -> None:
        self.conn.execute(
            "UPDATE households SET name=?, timezone=?, address_label=?, member_pricing=?, member_discount_pct=?, "
            "purchase_code_hash=?, spending_limit_cents=?, preferred_delivery_day=?, is_demo=? WHERE id=?",
            (
                household.name,
                household.timezone,
                household.address_label,
                int(household.member_pricing),
                household.member_discount_pct,
                household.purchase_code_hash,
                household.spending_limit_cents,
                household.preferred_delivery_day,
                int(household.is_demo),
                household.id,
            ),
        )
        self._write_members(household)

    def list(self) -> list[Household]:
        rows = self.conn.execute("SELECT * FROM households ORDER BY name").fetchall()
        return [h for h in (self._household(r) for r in rows) if h is not None]

    def link_identity(self, identity: Identity) -> None:
        self.conn.execute(
            "INSERT INTO identities (kind, external_id, household_id, member_id) VALUES (?,?,?,?) "
            "ON CONFLICT(kind, external_id) DO UPDATE SET household_id=excluded.household_id, "
            "member_id=excluded.member_id",
            (identity.kind, identity.external_id, identity.household_id, identity.member_id),
        )

    def find_identity(self, kind: str, external_id: str) -> Identity | None:
        row = self.conn.execute(
            "SELECT * FROM identities WHERE kind = ? AND external_id = ?", (kind, external_id)
        ).fetchone()
        return Identity(row["kind"], row["external_id"], row["household_id"], row["member_id"]) if row else None

    def get_security(self, household_id: str) -> PurchaseSecurity:
        row = self.conn.execute(
            "SELECT failed_code_attempts, purchasing_locked_until FROM households WHERE id = ?", (household_id,)
        ).fetchone()
        if row is None:
            return PurchaseSecurity()
        return PurchaseSecurity(row[0], parse_ts(row[1]))

    def set_security(self, household_id: str, security: PurchaseSecurity) -> None:
        self.conn.execute(
            "UPDATE households SET failed_code_attempts = ?, purchasing_locked_until = ? WHERE id = ?",
            (security.failed_attempts, ts(security.locked_until), household_id),
        )


_HOUSEHOLD_FIELDS = operator.attrgetter(*(f.name for f in dataclasses.fields(Household)))


def _copy(household: Household) -> Household:
    """A household of its own: every field as it is, the members in a list of their own (members are frozen)."""
    copy = Household(*_HOUSEHOLD_FIELDS(household))
    copy.members = list(copy.members)
    return copy


class SqliteTokens:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def add(self, record: TokenRecord) -> None:
        self.conn.execute(
            "INSERT INTO tokens (token_hash, household_id, label, device_id, created_at) VALUES (?,?,?,?,?)",
            (record.token_hash, record.household_id, record.label, record.device_id, ts(record.created_at)),
        )

    def find(self, token_hash: str) -> TokenRecord | None:
        row = self.conn.execute("SELECT * FROM tokens WHERE token_hash = ?", (token_hash,)).fetchone()
        return None if row is None else self._record(row)

    def list(self, household_id: str) -> list[TokenRecord]:
        rows = self.conn.execute(
            "SELECT * FROM tokens WHERE household_id = ? ORDER BY created_at, token_hash", (household_id,)
        ).fetchall()
        return [self._record(row) for row in rows]

    def delete(self, record: TokenRecord) -> None:
        self.conn.execute("DELETE FROM tokens WHERE token_hash = ?", (record.token_hash,))

    @staticmethod
    def _record(row: Any) -> TokenRecord:
        return TokenRecord(
            row["token_hash"], row["household_id"], row["label"], parse_ts(row["created_at"]), row["device_id"]
        )


@functools.lru_cache(maxsize=4096)
def _line_name(product_id: str, brand: str, line: str, kind: str, variant: str, pack_count: int) -> str:
    """A cart line's product name (Product.name), worked out once per product as the cart has it."""
    return Product(
        id=product_id, brand=brand, line=line, kind=kind, category="", variant=variant, pack_count=pack_count
    ).name


class SqliteCarts:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def lines(self, household_id: str) -> list[CartLine]:
        rows = self.conn.execute(
            "SELECT c.id, c.product_id, c.quantity, c.added_by, c.channel, c.added_at, p.price_cents, "
            "p.brand, p.line, p.kind, p.variant, p.pack_count FROM cart_lines c JOIN products p ON p.id = c.product_id "
            "WHERE c.household_id = ? ORDER BY c.added_at, c.id",
            (household_id,),
        )
        out = []
        for r in rows:
            name = _line_name(r["product_id"], r["brand"], r["line"], r["kind"], r["variant"], r["pack_count"])
            out.append(
                CartLine(
                    r["id"],
                    r["product_id"],
                    r["quantity"],
                    r["price_cents"],
                    name,
                    r["added_by"],
                    r["channel"],
                    parse_ts(r["added_at"]),
                )
            )
        return out

    def add_line(self, household_id: str, line: CartLine) -> None:
        self.conn.execute(
            "INSERT INTO cart_lines (id, household_id, product_id, quantity, added_by, channel, added_at) "
            "VALUES (?,?,?,?,?,?,?)",
            (line.id, household_id, line.product_id, line.quantity, line.added_by, line.channel, ts(line.added_at)),
        )

    def set_quantity(self, household_id: str, line_id: str, quantity: int) -> None:
        self.conn.execute(
            "UPDATE cart_lines SET quantity = ? WHERE household_id = ? AND id = ?", (quantity, household_id, line_id)
        )

    def remove_line(self, household_id: str, line_id: str) -> None:
        self.conn.execute("DELETE FROM cart_lines WHERE household_id = ? AND id = ?", (household_id, line_id))

    def clear(self, household_id: str) -> None:
        # Batched: a checkout empties the cart in the same batch as the order's rows (and its COMMIT).
        with batched(self.conn):
            self.conn.execute("DELETE FROM cart_lines WHERE household_id = ?", (household_id,))


def batched(conn: Any, on_error: Callable[[Exception], None] | None = None) -> contextlib.AbstractContextManager[Any]:
    """Statements sent together where the connection can batch them (PostgreSQL's pipeline mode, see
    reorder/store/postgres.py); for sqlite3, which runs in process, each statement runs as it comes.

    On PostgreSQL a batch is sent when the next statement outside a batch needs the server, or with the
    unit of work's COMMIT, so consecutive batches and the COMMIT after them make one round trip. A statement's
    error then surfaces there, not at the end of the block: `on_error` is given it first, to raise what the
    repository means by it (sqlite3 raises at once, inside the block, so the caller's own `except` sees it)."""
    pipeline = getattr(conn, "pipeline", None)
    return pipeline(on_error) if pipeline is not None else contextlib.nullcontext()


# Written into the query, not bound: only then can SQLite and PostgreSQL use the partial index on open orders.
OPEN_STATUS_LIST = ", ".join(f"'{s.value}'" for s in OrderStatus if s.in_flight)


class SqliteOrders:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def add(self, order: Order) -> None:
        # The order's rows are written as one batch where the connection can (PostgreSQL's pipeline: one
        # round trip for all of them, and for the outbox row, the emptied cart and the COMMIT that follow);
        # a duplicate key then surfaces when the batch is sent, which `duplicate_key` turns into what it
        # means wherever that is.
        def duplicate_key(exc: Exception) -> None:
            if isinstance(exc, sql_errors.INTEGRITY_ERRORS) and "idempotency_key" in str(exc):
                raise DuplicateIdempotencyKey(
                    "An order with this idempotency key exists already.", key=order.idempotency_key
                ) from exc

        try:
            with batched(self.conn, duplicate_key):
                self._insert(order)
        except sql_errors.INTEGRITY_ERRORS as exc:
            duplicate_key(exc)
            raise

    def _insert(self, order: Order) -> None:
        self.conn.execute(
            "INSERT INTO orders (id, household_id, status, channel, member_id, subtotal_cents, savings_cents, "
            "placed_at, estimated_delivery, idempotency_key, button_id, next_transition_at, request_digest) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                order.id,
                order.household_id,
                order.status.value,
                order.channel,
                order.member_id,
                order.subtotal_cents,
                order.savings_cents,
                ts(order.placed_at),
                order.estimated_delivery.isoformat(),
                order.idempotency_key,
                order.button_id,
                ts(order.next_transition_at),
                order.request_digest,
            ),
        )
        self.conn.executemany(
            "INSERT INTO order_lines (order_id, position, product_id, name, quantity, unit_price_cents) "
            "VALUES (?,?,?,?,?,?)",
            [
                (order.id, i, ln.product_id, ln.name, ln.quantity, ln.unit_price_cents)
                for i, ln in enumerate(order.lines)
            ],
        )
        self.conn.executemany(
            "INSERT INTO order_history (order_id, seq, status, at, note) VALUES (?,?,?,?,?)",
            [(order.id, i, c.status.value, ts(c.at), c.note) for i, c in enumerate(order.history)],
        )
        if order.status is not OrderStatus.CANCELLED:
            self._count_purchases(order)

    def _load(self, rows: list[sqlite3.Row]) -> list[Order]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        lines: dict[str, list[OrderLine]] = {i: [] for i in ids}
        history: dict[str, list[StatusChange]] = {i: [] for i in ids}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for r in self.conn.execute(
                f"SELECT * FROM order_lines WHERE order_id IN ({marks}) ORDER BY order_id, position", chunk
            ):
                lines[r["order_id"]].append(OrderLine(r["product_id"], r["name"], r["quantity"], r["unit_price_cents"]))
            for r in self.conn.execute(
                f"SELECT * FROM order_history WHERE order_id IN ({marks}) ORDER BY order_id, seq", chunk
            ):
                history[r["order_id"]].append(StatusChange(OrderStatus(r["status"]), parse_ts(r["at"]), r["note"]))
        return [
            Order(
                id=r["id"],
                household_id=r["household_id"],
                lines=lines[r["id"]],
                subtotal_cents=r["subtotal_cents"],
                savings_cents=r["savings_cents"],
                status=OrderStatus(r["status"]),
                channel=r["channel"],
                placed_at=parse_ts(r["placed_at"]),
                estimated_delivery=date.fromisoformat(r["estimated_delivery"]),
                member_id=r["member_id"],
                idempotency_key=r["idempotency_key"],
                button_id=r["button_id"],
                history=history[r["id"]],
                next_transition_at=parse_ts(r["next_transition_at"]),
                request_digest=r["request_digest"],
            )
            for r in rows
        ]

    def get(self, order_id: str) -> Order | None:
        found = self._load(self.conn.execute("SELECT * FROM orders WHERE id = ?", (order_id,)).fetchall())
        return found[0] if found else None

    def get_by_idempotency_key(self, household_id: str, key: str) -> Order | None:
        rows = self.conn.execute(
            "SELECT * FROM orders WHERE household_id = ? AND idempotency_key = ?", (household_id, key)
        ).fetchall()
        found = self._load(rows)
        return found[0] if found else None

    def list_for_household(self, household_id: str, limit: int = 20) -> list[Order]:
        rows = self.conn.execute(
            "SELECT * FROM orders WHERE household_id = ? ORDER BY placed_at DESC, id DESC LIMIT ?",
            (household_id, limit),
        ).fetchall()
        return self._load(rows)

    def open_orders(self, household_id: str, limit: int = 20) -> list[Order]:
        rows = self.conn.execute(
            f"SELECT * FROM orders WHERE household_id = ? AND status IN ({OPEN_STATUS_LIST}) "
            "ORDER BY placed_at DESC, id DESC LIMIT ?",
            (household_id, limit),
        ).fetchall()
        return self._load(rows)

    def recent_with_products(
        self, household_id: str, product_ids: Collection[str], since: datetime, limit: int = 50
    ) -> list[Order]:
        wanted = set(product_ids)
        if not wanted:
            return []
        # The household's orders a new one could repeat (placed since `since`, or still on their way: usually
        # none or a few), each part read through its own index, so neither the household's whole history nor
        # the product's lines in every household's orders (what a subquery on order_lines read) are gone
        # through on every add and reorder; then the products of those orders only.
        rows = self.conn.execute(
            "SELECT * FROM orders WHERE household_id = ? AND status != 'cancelled' AND placed_at >= ? "
            f"UNION ALL SELECT * FROM orders WHERE household_id = ? AND status IN ({OPEN_STATUS_LIST}) "
            "AND placed_at < ? ORDER BY placed_at DESC, id DESC",
            (household_id, ts(since), household_id, ts(since)),
        ).fetchall()
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        having: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for order_id, product_id in self.conn.execute(
                f"SELECT order_id, product_id FROM order_lines WHERE order_id IN ({marks})", chunk
            ):
                if product_id in wanted:
                    having.add(order_id)
        return self._load([r for r in rows if r["id"] in having][:limit])

    def purchase_counts(self, household_id: str) -> dict[str, int]:
        # Every product turn reads these for the resolver: kept while the household's purchases are unchanged
        # (see _Connection), as is the history (a reorder reads it for the quantity last ordered).
        kept = self.conn.kept("purchases") if isinstance(self.conn, _Connection) else None
        if kept is not None:
            counts = kept.get(("counts", household_id))
            if counts is not None:
                return dict(counts)
        rows = self.conn.execute(
            "SELECT product_id, times_ordered FROM purchase_stats WHERE household_id = ?", (household_id,)
        )
        counts = {r[0]: r[1] for r in rows}
        if kept is not None:
            kept[("counts", household_id)] = dict(counts)
        return counts

    def _count_purchases(self, order: Order) -> None:
        """Add a newly placed order to the household's purchase stats (same transaction as the order)."""
        per_product: dict[str, list[int]] = {}
        for line in order.lines:
            per_product.setdefault(line.product_id, []).append(line.quantity)
        self.conn.executemany(
            "INSERT INTO purchase_stats (household_id, product_id, times_ordered, total_quantity, last_quantity, "
            "last_ordered_at) VALUES (?, ?, 1, ?, ?, ?) ON CONFLICT (household_id, product_id) DO UPDATE SET "
            "times_ordered = purchase_stats.times_ordered + 1, "
            "total_quantity = purchase_stats.total_quantity + excluded.total_quantity, "
            "last_quantity = CASE WHEN excluded.last_ordered_at >= purchase_stats.last_ordered_at "
            "THEN excluded.last_quantity ELSE purchase_stats.last_quantity END, "
            "last_ordered_at = CASE WHEN excluded.last_ordered_at >= purchase_stats.last_ordered_at "
            "THEN excluded.last_ordered_at ELSE purchase_stats.last_ordered_at END",
            [(order.household_id, pid, sum(qty), qty[-1], ts(order.placed_at)) for pid, qty in per_product.items()],
        )

    def _uncount_purchases(self, order: Order) -> None:
        """Take a cancelled order out of the purchase stats. Where it was the newest purchase of a product,
        the last quantity and time go back to the newest order still standing (found newest first by index)."""
        per_product: dict[str, int] = {}
        for line in order.lines:
            per_product[line.product_id] = per_product.get(line.product_id, 0) + line.quantity
        placed_at = ts(order.placed_at)
        for product_id, quantity in per_product.items():
            row = self.conn.execute(
                "UPDATE purchase_stats SET times_ordered = times_ordered - 1, total_quantity = total_quantity - ? "
                "WHERE household_id = ? AND product_id = ? RETURNING times_ordered, last_ordered_at",
                (quantity, order.household_id, product_id),
            ).fetchone()
            if row is None:
                continue
            if row[0] <= 0:
                self.conn.execute(
                    "DELETE FROM purchase_stats WHERE household_id = ? AND product_id = ?",
                    (order.household_id, product_id),
                )
            elif row[1] == placed_at:
                # CROSS JOIN keeps SQLite walking this household's standing orders newest first (an index),
                # stopping at the first with the product, rather than every line of the product ever sold.
                newest = self.conn.execute(
                    "SELECT o.placed_at, l.quantity FROM orders o CROSS JOIN order_lines l "
                    "WHERE l.order_id = o.id AND o.household_id = ? AND o.status != 'cancelled' AND l.product_id = ? "
                    "ORDER BY o.placed_at DESC, l.position DESC LIMIT 1",
                    (order.household_id, product_id),
                ).fetchone()
                if newest is not None:
                    self.conn.execute(
                        "UPDATE purchase_stats SET last_ordered_at = ?, last_quantity = ? "
                        "WHERE household_id = ? AND product_id = ?",
                        (newest[0], newest[1], order.household_id, product_id),
                    )

    def record_change(self, order: Order, change: StatusChange) -> None:
        self.conn.execute(
            "UPDATE orders SET status = ?, next_transition_at = ? WHERE id = ?",
            (order.status.value, ts(order.next_transition_at), order.id),
        )
        self.conn.execute(
            "INSERT INTO order_history (order_id, seq, status, at, note) VALUES "
            "(?, (SELECT coalesce(max(seq), -1) + 1 FROM order_history WHERE order_id = ?), ?, ?, ?)",
            (order.id, order.id, change.status.value, ts(change.at), change.note),
        )
        if change.status is OrderStatus.CANCELLED:
            self._uncount_purchases(order)

    def due(self, now: datetime, limit: int = 500, household_id: str | None = None) -> list[Order]:
        if household_id is None:
            rows = self.conn.execute(
                "SELECT * FROM orders WHERE next_transition_at IS NOT NULL AND next_transition_at <= ? "
                "ORDER BY next_transition_at LIMIT ?",
                (ts(now), limit),
            ).fetchall()
        else:
            rows = self.conn.execute(
                "SELECT * FROM orders WHERE household_id = ? AND next_transition_at IS NOT NULL "
                "AND next_transition_at <= ? ORDER BY next_transition_at LIMIT ?",
                (household_id, ts(now), limit),
            ).fetchall()
        return self._load(rows)

    def last_quantity(self, household_id: str, product_id: str) -> int | None:
        # One row by its key: a reorder without a number read the household's whole purchase history for it.
        row = self.conn.execute(
            "SELECT last_quantity FROM purchase_stats WHERE household_id = ? AND product_id = ?",
            (household_id, product_id),
        ).fetchone()
        return None if row is None else row[0]

    def purchase_history(self, household_id: str) -> list[PurchasedItem]:
        kept = self.conn.kept("purchases") if isinstance(self.conn, _Connection) else None
        if kept is not None:
            history = kept.get(("history", household_id))
            if history is not None:
                return list(history)
        rows = self.conn.execute(
            "SELECT product_id, times_ordered, total_quantity, last_quantity, last_ordered_at FROM purchase_stats "
            "WHERE household_id = ?",
            (household_id,),
        )
        history = [PurchasedItem(r[0], r[1], r[2], r[3], parse_ts(r[4])) for r in rows]
        if kept is not None:
            kept[("history", household_id)] = tuple(history)
        return history


class SqliteOutbox:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def add(self, notification: Notification) -> None:
        # Batched: an order's notification goes with the order's rows (see SqliteOrders.add).
        with batched(self.conn):
            self.conn.execute(
                "INSERT INTO outbox (id, household_id, order_id, kind, message, created_at, delivered_at) "
                "VALUES (?,?,?,?,?,?,?)",
                (
                    notification.id,
                    notification.household_id,
                    notification.order_id,
                    notification.kind,
                    notification.message,
                    ts(notification.created_at),
                    ts(notification.delivered_at),
                ),
            )

    def pending(self, household_id: str | None = None, limit: int = 100) -> list[Notification]:
        if household_id is None:
            rows = self.conn.execute(
                "SELECT * FROM outbox WHERE delivered_at IS NULL ORDER BY created_at, id LIMIT ?", (limit,)
            )
        else:
            rows = self.conn.execute(
                "SELECT * FROM outbox WHERE household_id = ? AND delivered_at IS NULL ORDER BY created_at, id LIMIT ?",
                (household_id, limit),
            )
        return [
            Notification(
                r["id"],
                r["household_id"],
                r["kind"],
                r["message"],
                parse_ts(r["created_at"]),
                r["order_id"],
                parse_ts(r["delivered_at"]),
            )
            for r in rows
        ]

    def mark_delivered(self, notification_ids: Iterable[str], at: datetime) -> None:
        self.conn.executemany(
            "UPDATE outbox SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL",
            [(ts(at), i) for i in notification_ids],
        )


class SqliteAttributes:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def get(self, key: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT data FROM skill_attributes WHERE id = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, key: str, data: dict[str, Any], at: datetime) -> None:
        self.conn.execute(
            "INSERT INTO skill_attributes (id, data, updated_at) VALUES (?,?,?) "
            "ON CONFLICT(id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            (key, json.dumps(data), ts(at)),
        )

    def delete(self, key: str) -> None:
        self.conn.execute("DELETE FROM skill_attributes WHERE id = ?", (key,))


class SqliteSeenRequests:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def claim(self, request_id: str, expires_at: datetime, now: datetime) -> bool:
        self.conn.execute("DELETE FROM seen_requests WHERE request_id = ? AND expires_at <= ?", (request_id, ts(now)))
        cursor = self.conn.execute(
            "INSERT INTO seen_requests (request_id, expires_at) VALUES (?, ?) ON CONFLICT (request_id) DO NOTHING",
            (request_id, ts(expires_at)),
        )
        if cursor.rowcount == 1 and hash(request_id) % 64 == 0:
            # Now and then, forget ids whose window has passed, so the table stays small.
            self.conn.execute("DELETE FROM seen_requests WHERE expires_at <= ?", (ts(now),))
        return cursor.rowcount == 1


class SqliteUnitOfWork:
    """The repositories over one transaction. Each is made when first used: a voice turn opens several
    short transactions and most touch two or three repositories, so building all eleven every time
    would be a measurable share of the turn."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    @cached_property
    def products(self) -> SqliteProducts:
        return SqliteProducts(self.conn)

    @cached_property
    def households(self) -> SqliteHouseholds:
        return SqliteHouseholds(self.conn)

    @cached_property
    def tokens(self) -> SqliteTokens:
        return SqliteTokens(self.conn)

    @cached_property
    def carts(self) -> SqliteCarts:
        return SqliteCarts(self.conn)

    @cached_property
    def orders(self) -> SqliteOrders:
        return SqliteOrders(self.conn)

    @cached_property
    def outbox(self) -> SqliteOutbox:
        return SqliteOutbox(self.conn)

    @cached_property
    def attributes(self) -> SqliteAttributes:
        return SqliteAttributes(self.conn)

    @cached_property
    def seen_requests(self) -> SqliteSeenRequests:
        return SqliteSeenRequests(self.conn)

    @cached_property
    def buttons(self) -> SqliteButtons:
        return SqliteButtons(self.conn)

    @cached_property
    def devices(self) -> SqliteDevices:
        return SqliteDevices(self.conn)

    @cached_property
    def baby_events(self) -> SqliteBabyEvents:
        return SqliteBabyEvents(self.conn)

    @cached_property
    def routines(self) -> SqliteRoutines:
        return SqliteRoutines(self.conn)


# What a connection keeps of its reads, by group, and the tables whose rows each group is made of.
KEPT_GROUPS = {
    "households": ("households", "members"),
    "purchases": ("purchase_stats",),
    "products": ("products",),
}
KEPT_PRODUCTS = 4096  # products kept by one connection; it starts again when full


class _Connection(sqlite3.Connection):
    """A connection that keeps what it read of a few tables while those tables are unchanged.

    A voice turn runs several short transactions and most start by reading the household (a reorder read it
    four times, an add twice, with the cart written in between). A group's rows are the ones read before when
    no other connection has committed (`PRAGMA data_version`) and this one has written none of the group's
    tables (temporary triggers count this connection's writes to them, whatever statement made them). The
    stamp is taken inside the reader's transaction (the pragma starts its snapshot), so what is kept is never
    older than what a read would find there. A rollback forgets everything: a write counted may be undone,
    and triggers made in the transaction are gone with it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept: dict[str, tuple[tuple[int, int], dict[Any, Any]]] = {}
        self._writes = dict.fromkeys(KEPT_GROUPS, 0)
        self._watching = False
        # The unit of work in progress (numbered by _Transaction; 0: none), and the data_version read in it:
        # fixed for the rest of a transaction once read (its snapshot is taken; a writer holds the lock).
        self.transactions = 0
        self.transaction = 0
        self._version_in = (0, 0)

    def kept(self, group: str) -> dict[Any, Any] | None:
        """What was read and kept of `group` (by key) while its tables are unchanged; empty after a change,
        None when writes to them cannot be watched. Call it inside a transaction, before the reads it stands
        for."""
        if not self._watching and not self._watch():
            return None
        stamp = (self._data_version(), self._writes[group])
        at, rows = self._kept.get(group) or ((-1, -1), {})
        if at != stamp:
            rows = {}
            self._kept[group] = (stamp, rows)
        return rows

    def _data_version(self) -> int:
        transaction = self.transaction
        if transaction and self._version_in[0] == transaction:
            return self._version_in[1]
        version: int = self.execute("PRAGMA data_version").fetchone()[0]
        if transaction:
            self._version_in = (transaction, version)
        return version

    def forget(self) -> None:
        self._kept.clear()
        self._watching = False

    def _watch(self) -> bool:
        writes = self._writes

        def written(group: str) -> None:
            writes[group] += 1

        try:
            self.create_function("voicecart_kept_written", 1, written)
            for group, tables in KEPT_GROUPS.items():
                for table in tables:
                    for event in ("INSERT", "UPDATE", "DELETE"):
                        self.execute(
                            f"CREATE TEMP TRIGGER IF NOT EXISTS voicecart_kept_{table}_{event.lower()} "
                            f"AFTER {event} ON main.{table} BEGIN SELECT voicecart_kept_written('{group}'); END"
                        )
        except sqlite3.Error:  # no such table yet: nothing is kept until the schema is there
            return False
        self._watching = True
        return True


def _forget_reads(conn: sqlite3.Connection) -> None:
    if isinstance(conn, _Connection):
        conn.forget()


class _Transaction:
    """One unit of work (SqliteStore.unit_of_work): BEGIN, or BEGIN IMMEDIATE for a writer; COMMIT when the
    block ends normally, ROLLBACK on any exception. A class rather than a generator: a voice turn opens
    several, and a generator-based context manager cost more than the BEGIN it wraps."""

    __slots__ = ("store", "write", "lock", "conn")

    def __init__(self, store: SqliteStore, write: bool, lock: threading.RLock | None) -> None:
        self.store = store
        self.write = write
        self.lock = lock
        self.conn: sqlite3.Connection | None = None

    def __enter__(self) -> SqliteUnitOfWork:
        lock = self.lock
        if lock:
            lock.acquire()
        try:
            conn = self.store._connection()
            try:
                conn.execute("BEGIN IMMEDIATE" if self.write else "BEGIN")
            except sqlite3.OperationalError as exc:
                raise StoreUnavailable(f"The SQLite store {self.store.path} is unavailable: {exc}") from exc
        except BaseException:
            if lock:
                lock.release()
            raise
        self.conn = conn
        if isinstance(conn, _Connection):
            conn.transactions += 1
            conn.transaction = conn.transactions
        return SqliteUnitOfWork(conn)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: Any) -> None:
        conn = self.conn
        assert conn is not None
        try:
            if kind is not None:
                conn.execute("ROLLBACK")
                _forget_reads(conn)
                return
            conn.execute("COMMIT")
            if self.write and self.store.path != ":memory:":
                CHECKPOINTER.written(self.store.path)
        finally:
            if isinstance(conn, _Connection):
                conn.transaction = 0
            if self.lock:
                self.lock.release()


class SqliteStore:
    """An SQLite database file. Safe to share between threads (one connection per thread) and processes."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.path = path_from_url(url)
        self._local = threading.local()
        self._memory_conn: sqlite3.Connection | None = None
        self._memory_lock = threading.RLock()
        # Writer threads of this process queue here rather than in SQLite's busy handler, which sleeps in
        # growing steps (up to 100 ms) and so turns a burst of concurrent writes into a long latency tail.
        # Other processes still wait on the database lock (busy_timeout).
        self._write_lock = threading.RLock()
        if self.path != ":memory:":
            directory = Path(self.path).parent
            try:
                directory.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreUnavailable(f"Cannot create the folder {directory} for the SQLite store: {exc}") from exc
        try:
            self._connection().execute("SELECT 1")
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"Cannot open the SQLite store {self.path}: {exc}") from exc

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=self.path != ":memory:",
            factory=_Connection,
        )
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if self.path != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            # The log is copied back by a background thread (sqlite_checkpoint.py), not by the commit
            # that happens to find it full.
            conn.execute(f"PRAGMA wal_autocheckpoint = {BACKSTOP_PAGES}")
        return conn

    def _connection(self) -> sqlite3.Connection:
        if self.path == ":memory:":
            if self._memory_conn is None:
                self._memory_conn = self._open()
            return self._memory_conn
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._open()
        return conn

    def unit_of_work(self, *, write: bool = True, household: str | None = None) -> _Transaction:
        # SQLite has one writer at a time whatever the household: `household` changes nothing here.
        lock = self._memory_lock if self.path == ":memory:" else self._write_lock if write else None
        return _Transaction(self, write, lock)

    def migrate(self) -> int:
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in script.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        finally:
            _forget_reads(conn)
        return len(MIGRATIONS)

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
        if self._memory_conn is not None:
            self._memory_conn.close()
            self._memory_conn = None
