"""Timestamps as the stores keep them: ISO 8601 text in UTC with microseconds, so text order is time order."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload


@overload
def ts(value: datetime) -> str: ...
@overload
def ts(value: None) -> None: ...
@overload
def ts(value: datetime | None) -> str | None: ...
def ts(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime reached the store")
    # One fixed offset and precision, so text order is time order in indexes.
    return value.astimezone(UTC).isoformat(timespec="microseconds")


@overload
def parse_ts(value: str) -> datetime: ...
@overload
def parse_ts(value: None) -> None: ...
@overload
def parse_ts(value: str | None) -> datetime | None: ...
def parse_ts(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
