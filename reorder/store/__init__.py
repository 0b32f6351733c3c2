"""Stores of the order backend, chosen by URL: sqlite:///path (embedded default), postgresql://…"""

from __future__ import annotations

from pathlib import Path

from reorder.errors import StoreUnavailable
from reorder.store.base import Store


def default_store_url() -> str:
    import platformdirs

    return "sqlite:///" + str(Path(platformdirs.user_data_dir("voicecart")) / "voicecart.sqlite3")


def open_store(url: str | None = None) -> Store:
    """Open (and migrate) the store a URL names; a wrong or unreachable URL fails here, not later."""
    url = url or default_store_url()
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "sqlite":
        from reorder.store.sqlite import SqliteStore

        store: Store = SqliteStore(url)
    elif scheme in ("postgresql", "postgres"):
        from reorder.store.postgres import PostgresStore

        store = PostgresStore(url)
    elif scheme == "dynamodb":
        from reorder.store.dynamodb import DynamoStore

        store = DynamoStore(url)
    else:
        raise StoreUnavailable(
            f"Unsupported store URL {url!r}: expected sqlite:///path/to/file.sqlite3, "
            "postgresql://user@host:5432/dbname or dynamodb://TABLE?region=REGION&endpoint=URL",
        )
    store.migrate()
    return store
