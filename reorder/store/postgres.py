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
from collections.abc import Callable, Iterator, Sequence
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
# A writer opens its transaction and takes the writers' lock in the round trip of its first statement (see
# PgConnection). That message is also the connection's liveness check: a connection that fails it has done
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


def _begin_statements(household: str | None) -> tuple[str, ...]:
    """A writer's BEGIN and its lock, as separate statements (to go in one batch with its first statement)."""
    return tuple(part.strip() for part in (_household_begin(household) if household else _WRITE_BEGIN).split(";"))


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
    # The column names straight from the result: `cursor.description` builds a Column object per column.
    result = cursor.pgresult
    if result is None or not result.nfields:
        return tuple
    return _row_class(tuple(result.fname(i) for i in range(result.nfields)))


@lru_cache(maxsize=512)
def _row_class(columns: tuple[bytes, ...]) -> type[Row]:
    # One class per column list, made once: a class per statement cost more than the statement's rows.
    return type("PgRow", (Row,), {"_index": {name.decode(): i for i, name in enumerate(columns)}})


def translate(statement: str) -> str:
    # Literal percent signs must be doubled for psycopg; our SQL puts wildcards in parameters only.
    return _PLACEHOLDER.sub("%s", statement.replace("%", "%%"))


class PgConnection:
    """The sqlite3-like surface the repositories use, over one pooled psycopg connection.

    A batch (`pipeline`) is not sent when its block ends but when a statement outside a batch needs the
    server, or with the unit of work's COMMIT (`finish`): an order's rows, its notification, the emptied
    cart and the COMMIT make one round trip. A writer's BEGIN and lock (`begin`) go in one batch with its
    first statement. A connection is not tried before it is used: when the first message finds it dead (a
    restarted server cut it), nothing has been done yet, so it is sent again on another connection
    (`replace`)."""

    def __init__(
        self,
        conn: psycopg.Connection,
        replace: Callable[[BaseException], Any] | None = None,
        begin: tuple[str, ...] = (),
    ) -> None:
        self._conn = conn
        self._replace = replace  # until the first message has been answered
        self._begin = begin  # until then too: a writer's BEGIN and lock
        self._began = not begin  # whether the writer's BEGIN has been sent (a reader has none to send)
        self._batch: Any = None  # the open pipeline's context manager, while a batch waits to be sent
        self._batch_depth = 0
        self._on_error: list[Callable[[Exception], None]] = []

    def execute(self, statement: str, params: Sequence[Any] = ()) -> psycopg.Cursor:
        if self._batch is not None:
            if not self._batch_depth:
                self.send()
            else:
                # In a batch, psycopg reads whatever answers have arrived while it sends, so an earlier
                # statement's error can surface here: the batch's `on_error` see it first, as in `send`.
                try:
                    cursor = self._conn.cursor(row_factory=_row_factory)
                    cursor.execute(translate(statement), tuple(params) if params else None)
                    return cursor
                except Exception as exc:
                    self._raise_for(exc)
                    raise
        query, args = translate(statement), tuple(params) if params else None
        if self._replace is None:
            cursor = self._conn.cursor(row_factory=_row_factory)
            cursor.execute(query, args)
            return cursor
        return self._first(query, args)

    def _first(self, query: str | None, args: tuple[Any, ...] | None = None) -> psycopg.Cursor:
        """The unit of work's first message: `query` (None: the writer's BEGIN and lock alone), behind the
        writer's BEGIN and lock in one round trip. Sent again on another connection when it finds this one
        dead, and only then: nothing has been done yet."""
        for attempt in range(2):
            self._began = True
            try:
                cursor = self._conn.cursor(row_factory=_row_factory)
                if query is None:
                    cursor.execute("; ".join(self._begin))
                elif self._begin:
                    with self._conn.pipeline():
                        for statement in self._begin:
                            self._conn.execute(statement)
                        cursor.execute(query, args)
                else:
                    cursor.execute(query, args)
            except psycopg.OperationalError as exc:
                if attempt or self._replace is None or not self._conn.broken:
                    raise
                self._conn = self._replace(exc)
                continue
            break
        self._replace, self._begin = None, ()
        return cursor

    @contextmanager
    def pipeline(self, on_error: Callable[[Exception], None] | None = None) -> Iterator[None]:
        """Statements sent in one batch (psycopg's pipeline mode): one round trip for writes that need no
        answer in between. Their errors surface when the batch is sent; `on_error` sees each first."""
        if self._batch is None:
            if self._replace is not None:
                # The first message tries the connection (see above); errors in a batch arrive too late.
                self._first(None) if self._begin else self.execute("")
            batch = self._conn.pipeline()
            batch.__enter__()
            self._batch = batch
        if on_error is not None:
            self._on_error.append(on_error)
        self._batch_depth += 1
        try:
            yield
        except BaseException as exc:
            self._batch_depth = 0
            batch, self._batch, self._on_error = self._batch, None, []
            batch.__exit__(type(exc), exc, exc.__traceback__)
            raise
        self._batch_depth -= 1

    def send(self) -> None:
        """Send the batch that is waiting, if any, and raise the first error of its statements."""
        if self._batch is None:
            return
        batch, self._batch, self._batch_depth = self._batch, None, 0
        on_error, self._on_error = self._on_error, []
        try:
            batch.__exit__(None, None, None)
        except Exception as exc:
            self._raise_for(exc, on_error)
            raise

    def _raise_for(self, exc: Exception, on_error: list[Callable[[Exception], None]] | None = None) -> None:
        """Give a batch's error to the `on_error` of its blocks, each of which may raise what it means."""
        for translate_error in self._on_error if on_error is None else on_error:
            translate_error(exc)

    def finish(self) -> None:
        """COMMIT the writer's transaction, in the waiting batch when there is one."""
        if self._begin:
            return  # nothing was sent: no transaction was opened
        if self._batch is not None:
            self._batch_depth += 1  # COMMIT joins the batch
            try:
                self._conn.execute("COMMIT")
            except Exception as exc:
                self._raise_for(exc)  # an earlier statement of the batch, as in `execute`
                raise
            self.send()
        else:
            self._conn.execute("COMMIT")

    def discard(self) -> None:
        """Leave pipeline mode after an error, without raising (the transaction is rolled back next)."""
        if self._batch is not None:
            batch, self._batch, self._batch_depth, self._on_error = self._batch, None, 0, []
            try:
                batch.__exit__(None, None, None)
            except psycopg.Error:
                pass

    @property
    def connection(self) -> psycopg.Connection:
        return self._conn

    @property
    def began(self) -> bool:
        """Whether a writer's BEGIN has been sent (until its first statement, nothing has)."""
        return self._began

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            if self._replace is not None:
                self._first(None) if self._begin else self.execute("")  # the first message tries the connection
            if self._batch is not None and not self._batch_depth:
                self.send()
            try:
                with self._conn.cursor() as cursor:
                    cursor.executemany(translate(statement), rows)
            except Exception as exc:
                if self._batch is not None:
                    self._raise_for(exc)  # an earlier statement of the batch, as in `execute`
                raise


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
        # The connection is tried by the unit of work's first message (PgConnection), not by a message of its
        # own: a dead one is swapped for another here, and the message sent again. A writer's BEGIN and lock
        # go with its first statement.
        held: list[Any] = [self._pool.connection()]
        try:
            held.append(held[0].__enter__())
        except Exception as exc:
            raise StoreUnavailable(f"The PostgreSQL store is unavailable: {exc}") from exc

        def replace(error: BaseException) -> psycopg.Connection:
            held[0].__exit__(type(error), error, error.__traceback__)  # the pool discards a broken one
            conn_cm, conn = self._checked()
            held[:] = [conn_cm, conn]
            return conn

        pg = PgConnection(held[1], replace, _begin_statements(household) if write else ())
        try:
            yield sql.SqliteUnitOfWork(pg)  # type: ignore[arg-type]  # sqlite3-like
            if write:
                pg.finish()
            else:
                pg.send()
        except BaseException as exc:
            conn = pg.connection
            pg.discard()
            if write and pg.began and not conn.closed:
                try:
                    conn.execute("ROLLBACK")
                except psycopg.Error:
                    pass  # a broken connection: the pool discards it on return
            held[0].__exit__(type(exc), exc, exc.__traceback__)
            if isinstance(exc, psycopg.OperationalError):
                raise StoreUnavailable(f"The PostgreSQL store is unavailable: {exc}") from exc
            raise
        else:
            held[0].__exit__(None, None, None)

    def _checked(self) -> tuple[Any, psycopg.Connection]:
        """A pooled connection that answers. One that fails its first message (a restarted server cut it)
        is returned broken, which the pool discards, and another is taken: as many tries as the pool holds
        connections, and one more for a fresh one."""
        error: Exception | None = None
        for _ in range(self._pool.max_size + 1):
            try:
                conn_cm = self._pool.connection()
                conn = conn_cm.__enter__()
            except Exception as exc:
                raise StoreUnavailable(f"The PostgreSQL store is unavailable: {exc}") from exc
            try:
                conn.execute("")  # an empty query is the cheapest answer a server gives (the pool's own check)
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
