"""Durations people type to move the simulated clock: "2 days", "90 minutes", "1h30m", "PT2H"."""

from __future__ import annotations

import re
from datetime import timedelta

UNITS = {
    "s": "seconds",
    "sec": "seconds",
    "secs": "seconds",
    "second": "seconds",
    "seconds": "seconds",
    "m": "minutes",
    "min": "minutes",
    "mins": "minutes",
    "minute": "minutes",
    "minutes": "minutes",
    "h": "hours",
    "hr": "hours",
    "hrs": "hours",
    "hour": "hours",
    "hours": "hours",
    "d": "days",
    "day": "days",
    "days": "days",
    "w": "weeks",
    "week": "weeks",
    "weeks": "weeks",
}
ISO = re.compile(r"P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?", re.IGNORECASE)


def parse_duration(text: str) -> timedelta:
    """A positive duration; raises ValueError with an example of what is accepted."""
    cleaned = text.strip().lower()
    iso = ISO.fullmatch(cleaned.upper()) if cleaned.startswith("p") else None
    if iso and any(iso.groups()):
        weeks, days, hours, minutes, seconds = (int(g or 0) for g in iso.groups())
        total = timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)
    else:
        parts = re.findall(r"(\d+(?:\.\d+)?)\s*([a-z]+)", cleaned.replace(" and ", " "))
        leftover = re.sub(r"(\d+(?:\.\d+)?)\s*([a-z]+)|,|\band\b|\s", "", cleaned)
        if not parts or leftover or any(unit not in UNITS for _, unit in parts):
            raise ValueError(f"cannot read {text!r} as a duration; try '2 days', '90 minutes' or '1h30m'")
        total = timedelta()
        for amount, unit in parts:
            total += timedelta(**{UNITS[unit]: float(amount)})
    if total <= timedelta(0):
        raise ValueError(f"{text!r} is not a positive duration")
    return total
