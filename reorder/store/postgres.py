"""The PostgreSQL store: the same repositories as SQLite, over psycopg 3 and a connection pool.

The repositories are written in the SQL both databases share; this adapter gives them a connection with
the same small interface as sqlite3's (`execute`, `executemany`, rows readable by name and position) and
translates `?` placeholders. Writers serialise on transaction-scoped advisory locks, the equivalent of
SQLite's BEGIN IMMEDIATE, so a check and the write that follows it cannot interleave with another
process or host; the unique constraints remain the last line of defence. A writer confined to one household
(an order, a cart change) takes the application-wide lock shared and its household's lock alone, so
households do not wait for each other; any other writer takes the application-wide lock alone and waits for
all of them.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any
from urllib.parse import urlparse

from reorder.errors import StoreUnavailable
from reorder.store import sql_errors
from reorder.store import sqlite as sql
from reorder.store.sqlite_schema import MIGRATIONS

try:
    import psycopg
    from psycopg_pool import ConnectionPool
except ImportError as exc:  # pragma: no cover - depends on the install
    raise StoreUnavailable(
        "PostgreSQL stores need psycopg: pip install 'voicecart[postgres]'", missing=str(exc)
    ) from exc

# Unique-constraint violations from PostgreSQL are handled where SQLite's are.
sql_errors.INTEGRITY_ERRORS = (*sql_errors.INTEGRITY_ERRORS, psycopg.errors.IntegrityError)

WRITE_LOCK_KEY = 0x766F6963  # "voic": one application-wide advisory lock for writers
HOUSEHOLD_LOCKS = 0x76636868  # "vchh": the first key of a household's (two-key) advisory lock
# A writer's first message: open the transaction and take the writers' lock in one round trip (two statements
# in one simple query). It is also the connection's liveness check: a connection that fails it has done
# nothing yet and is replaced.
_WRITE_BEGIN = f"BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})"


def household_lock_key(household: str) -> int:
    """The second key of a household's lock: a signed 32-bit CRC of its id, the same in every process. Two
    households sharing one only wait for each other, as all writers did before."""
    value = zlib.crc32(household.encode())
    return value - (1 << 32) if value >= 1 << 31 else value


def _household_begin(household: str) -> str:
    # Numbers only in the text (no quoting of the id): a computed key, never user input, in the query.
    return (
        f"BEGIN; SELECT pg_advisory_xact_lock_shared({WRITE_LOCK_KEY}), "
        f"pg_advisory_xact_lock({HOUSEHOLD_LOCKS}, {household_lock_key(household)})"
    )


_PLACEHOLDER = re.compile(r"\?")


class Row(tuple[Any, ...]):
    """A result row readable by column name and by position, like sqlite3.Row."""

    _index: dict[str, int]

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


def _row_factory(cursor: Any) -> Any:  # psycopg's RowFactory protocol
    description = cursor.description
    if description is None:
        return tuple
    return _row_class(tuple(column.name for column in description))


@lru_cache(maxsize=512)
def _row_class(columns: tuple[str, ...]) -> type[Row]:
    # One class per column list, made once: a class per statement cost more than the statement's rows.
    return type("PgRow", (Row,), {"_index": {name: i for i, name in enumerate(columns)}})


def translate(statement: str) -> str:
    # Literal percent signs must be doubled for psycopg; our SQL puts wildcards in parameters only.
    return _PLACEHOLDER.sub("%s", statement.replace("%", "%%"))


class PgConnection:
    """The sqlite3-like surface the repositories use, over one pooled psycopg connection."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self._conn = conn

    def execute(self, statement: str, params: Sequence[Any] = ()) -> psycopg.Cursor:
        cursor = self._conn.cursor(row_factory=_row_factory)
        cursor.execute(translate(statement), tuple(params) if params else None)
        return cursor

    def pipeline(self) -> Any:
        """Statements sent in one batch until the block ends (psycopg's pipeline mode): one round trip for
        writes that need no answer in between; an error surfaces when the block ends."""
        return self._conn.pipeline()

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            with self._conn.cursor() as cursor:
                cursor.executemany(translate(statement), rows)


def _conninfo(url: str) -> str:
    parsed = urlparse(url)
    if parsed.scheme not in ("postgresql", "postgres"):
        raise StoreUnavailable(f"Not a PostgreSQL store URL: {url!r}")
    if not parsed.path.strip("/"):
        raise StoreUnavailable(f"The PostgreSQL store URL {url!r} names no database (postgresql://host/dbname).")
    return url


class PostgresStore:
    def __init__(self, url: str, *, min_size: int = 1, max_size: int = 10, timeout: float = 10.0) -> None:
        self.url = url
        conninfo = _conninfo(url)
        where = urlparse(url)
        try:
            # One direct connection first: a wrong URL fails now, with the server's own reason.
            psycopg.connect(conninfo, connect_timeout=5).close()
        except psycopg.Error as exc:
            raise StoreUnavailable(
                f"Cannot reach the PostgreSQL store at {where.hostname or 'localhost'}:{where.port or 5432}"
                f"/{where.path.strip('/')}: {' '.join(str(exc).split())}"  # one line, as the CLI prints it
            ) from exc
        # Connections are in autocommit mode and units of work open their transactions themselves: a reader
        # needs none (each statement reads committed data, as in a READ COMMITTED transaction), and a writer
        # opens its transaction and takes the writers' lock in one round trip. Each connection is tried as it
        # leaves the pool (`_start`), and a broken one (the server restarted, an idle connection was cut) is
        # replaced there, so no request after a restart meets a dead connection.
        self._pool = ConnectionPool(
            conninfo,
            min_size=min_size,
            max_size=max_size,
            timeout=timeout,
            kwargs={"autocommit": True},
            open=False,
        )
        try:
            self._pool.open(wait=True, timeout=timeout)
        except Exception as exc:
            self._pool.close()
            raise StoreUnavailable(
                f"Cannot reach the PostgreSQL store at {where.hostname or 'localhost'}:{where.port or 5432}"
                f"/{where.path.strip('/')}: {exc}"
            ) from exc

    @contextmanager
    def unit_of_work(self, *, write: bool = True, household: str | None = None) -> Iterator[sql.SqliteUnitOfWork]:
        conn_cm, conn = self._start(write, household)
        try:
            yield sql.SqliteUnitOfWork(PgConnection(conn))  # type: ignore[arg-type]  # sqlite3-like
            if write:
                conn.execute("COMMIT")
        except BaseException as exc:
            if write and not conn.closed:
                try:
                    conn.execute("ROLLBACK")
                except psycopg.Error:
                    pass  # a broken connection: the pool discards it on return
            conn_cm.__exit__(type(exc), exc, exc.__traceback__)
            if isinstance(exc, psycopg.OperationalError):
                raise StoreUnavailable(f"The PostgreSQL store is unavailable: {exc}") from exc
            raise
        else:
            conn_cm.__exit__(None, None, None)

    def _start(self, write: bool, household: str | None = None) -> tuple[Any, psycopg.Connection]:
        """A live pooled connection, a writer's transaction opened on it. A connection that fails its first
        message (a restarted server cut it) is returned broken, which the pool discards, and another is
        taken: as many tries as the pool holds connections, and one more for a fresh one."""
        error: Exception | None = None
        for _ in range(self._pool.max_size + 1):
            try:
                conn_cm = self._pool.connection()
                conn = conn_cm.__enter__()
            except Exception as exc:
                raise StoreUnavailable(f"The PostgreSQL store is unavailable: {exc}") from exc
            try:
                # An empty query is the cheapest answer a server gives (the pool's own check).
                conn.execute((_household_begin(household) if household else _WRITE_BEGIN) if write else "")
            except psycopg.OperationalError as exc:
                error = exc
                conn_cm.__exit__(type(exc), exc, exc.__traceback__)
                continue
            return conn_cm, conn
        raise StoreUnavailable(f"The PostgreSQL store is unavailable: {error}") from error

    def migrate(self) -> int:
        with self._pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
            version = (row[0] if row is not None else None) or 0
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in script.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (number,))
        return len(MIGRATIONS)

    def close(self) -> None:
        self._pool.close()
