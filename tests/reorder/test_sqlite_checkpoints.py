"""The SQLite log is checkpointed by a background thread, not by the commit that finds it full."""

import sqlite3
import threading

from reorder.store import open_store
from reorder.store.sqlite_checkpoint import BACKSTOP_PAGES, CHECKPOINTER, Checkpointer, checkpoint


def test_request_connections_leave_the_log_to_the_background(tmp_path):
    store = open_store(f"sqlite:///{tmp_path}/shop.sqlite3")
    try:
        conn = store._connection()
        assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == BACKSTOP_PAGES
    finally:
        store.close()


def test_a_written_database_is_checkpointed_within_a_round_on_another_thread(tmp_path, monkeypatch):
    seen: list[tuple[str, str]] = []
    done = threading.Event()
    from reorder.store import sqlite_checkpoint

    real = sqlite_checkpoint.checkpoint

    store = open_store(f"sqlite:///{tmp_path}/shop.sqlite3")

    def spy(path: str) -> bool:
        seen.append((path, threading.current_thread().name))
        if path == store.path:  # other tests' databases may be in the same round
            done.set()
        return real(path)

    monkeypatch.setattr(sqlite_checkpoint, "checkpoint", spy)
    try:
        with store.unit_of_work():  # any write commit marks the database
            store._connection().execute("CREATE TABLE IF NOT EXISTS scratch (x)")
        CHECKPOINTER.wake()
        assert done.wait(5 * CHECKPOINTER.interval), "the database was not checkpointed"
        assert {name for path, name in seen if path == store.path} == {"voicecart-sqlite-checkpoint"}
    finally:
        store.close()


def test_a_round_copies_the_log_back_into_the_file(tmp_path):
    path = tmp_path / "log.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA wal_autocheckpoint = {BACKSTOP_PAGES}")
    conn.execute("CREATE TABLE t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [("x" * 3000,) for _ in range(200)])
    assert path.stat().st_size < 100_000  # the rows are only in the log so far
    checkpointer = Checkpointer(interval=3600)  # rounds run only when asked here
    checkpointer.written(str(path))
    assert checkpointer.round() == [str(path)]
    assert path.stat().st_size > 600_000  # copied into the database file
    assert checkpointer.round() == []  # nothing written since
    conn.close()


def test_a_removed_database_is_not_created_again(tmp_path):
    gone = tmp_path / "gone.sqlite3"
    assert checkpoint(str(gone)) is False
    assert not gone.exists()


def test_the_thread_starts_again_in_a_new_process_id(tmp_path, monkeypatch):
    checkpointer = Checkpointer(interval=3600)
    checkpointer.written(str(tmp_path / "a.sqlite3"))
    first = checkpointer._thread
    assert first is not None and first.is_alive()
    monkeypatch.setattr("os.getpid", lambda: checkpointer._pid + 1)  # as after a fork
    checkpointer.written(str(tmp_path / "b.sqlite3"))
    assert checkpointer._thread is not first and checkpointer._thread.is_alive()
