"""How baby-care answers sound: times as a parent says them, amounts with their units, one-line summaries.

Everything returned is already SSML-safe (names and free text pass through speech.escape).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from reorder.domain.babylog import BabyEvent, EventKind
from reorder.services.babycare import DaySummary
from skills.common import speech

_UNIT_WORDS = {
    "oz": ("ounce", "ounces"),
    "ml": ("milliliter", "milliliters"),
    "lb": ("pound", "pounds"),
    "kg": ("kilogram", "kilograms"),
    "in": ("inch", "inches"),
    "cm": ("centimeter", "centimeters"),
}
_MILK = {"formula": "formula", "breast_milk": "breast milk"}


def num(value: float) -> str:
    """4.0 → "4", 2.5 → "2.5", 2.04 → "2" (one decimal at most, none when whole)."""
    rounded = round(float(value), 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


def measure(value: float, unit: str) -> str:
    one, many = _UNIT_WORDS.get(unit, (unit, unit))
    return f"{num(value)} {one if round(float(value), 1) == 1 else many}"


def span(minutes: float) -> str:
    """95 → "1 hour and 35 minutes"; 0.4 → "less than a minute"."""
    total = int(round(minutes))
    if total < 1:
        return "less than a minute"
    hours, mins = divmod(total, 60)
    parts = []
    if hours:
        parts.append(f"{hours} {speech.plural('hour', hours)}")
    if mins:
        parts.append(f"{mins} {speech.plural('minute', mins)}")
    return " and ".join(parts)


def clock_time(at: datetime, tz) -> str:  # noqa: ANN001 - a tzinfo
    local = at.astimezone(tz)
    return f"{local.hour % 12 or 12}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"


def ago(at: datetime, now: datetime, tz) -> str:  # noqa: ANN001 - a tzinfo
    """ "2 hours and 10 minutes ago"; older than a day: "yesterday at 9:15 PM" / "on Monday at 9:15 PM"."""
    delta = now - at
    if delta < timedelta(minutes=1):
        return "just now"
    if delta < timedelta(hours=24):
        return f"{span(delta.total_seconds() / 60)} ago"
    days = (now.astimezone(tz).date() - at.astimezone(tz).date()).days
    day = "yesterday" if days == 1 else f"on {at.astimezone(tz):%A}"
    return f"{day} at {clock_time(at, tz)}"


def entry(event: BabyEvent) -> str:
    """What an entry was, in a few words: "4 ounces of formula", "a wet diaper", "infant Tylenol"."""
    data = event.data
    if event.kind is EventKind.FEEDING:
        kind = data.get("feeding_kind")
        if kind == "bottle":
            amount = cast(float, data["amount"])
            if not data.get("milk_type"):  # the milk was not said: "a 5 ounce bottle"
                return f"a {num(amount)} {_UNIT_WORDS.get(str(data['unit']), ('', ''))[0]} bottle"
            milk = _MILK.get(str(data.get("milk_type")), "milk")
            return f"{measure(amount, str(data['unit']))} of {milk}"
        if kind == "breast":
            side = data.get("side")
            length = f"{span(float(cast(float, data['duration_min'])))} " if data.get("duration_min") else ""
            where = "on both sides" if side == "both" else f"on the {side} side" if side else ""
            return f"a breastfeed {length}{where}".strip()
        food = data.get("food")
        return f"solids, {speech.escape(food)}" if food else "solids"
    if event.kind is EventKind.DIAPER:
        kind = data.get("diaper_type")
        return "a wet and dirty diaper" if kind == "both" else f"a {kind} diaper"
    if event.kind is EventKind.SLEEP:
        return "falling asleep" if data.get("action") == "start" else "waking up"
    if event.kind is EventKind.MEDICINE:
        dose = f", {speech.escape(data['dose'])}" if data.get("dose") else ""
        return f"{speech.escape(data['medicine'])}{dose}"
    if event.kind is EventKind.PUMPING:
        return f"{measure(cast(float, data['amount']), str(data['unit']))} pumped"
    if event.kind is EventKind.GROWTH:
        parts = []
        if data.get("weight") is not None:
            parts.append(measure(cast(float, data["weight"]), str(data["weight_unit"])))
        if data.get("length") is not None:
            parts.append(measure(cast(float, data["length"]), str(data["length_unit"])) + " long")
        return speech.join(parts)
    return f"a note: {speech.escape(data.get('note', ''))}"


def summary(s: DaySummary, today: bool) -> str:
    who = speech.escape(s.child.name)
    when = "today" if today else f"on {s.day:%A}"
    parts = []
    if s.feedings:
        feeds = [f"{speech.number(s.feedings)} {speech.plural('feeding', s.feedings)}"]
        if s.bottle_oz:
            feeds.append(f"{measure(s.bottle_oz, 'oz')} from bottles")
        if s.breast_feeds:
            feeds.append(f"{speech.number(s.breast_feeds)} at the breast")
        parts.append(", ".join(feeds))
    if s.diaper_changes:
        kinds = [f"{speech.number(n)} {word}" for n, word in ((s.wet_diapers, "wet"), (s.dirty_diapers, "dirty")) if n]
        parts.append(
            f"{speech.number(s.diaper_changes)} {speech.plural('diaper', s.diaper_changes)}, {speech.join(kinds)}"
        )
    if s.sleep_minutes >= 1:
        naps = f", with {speech.number(s.naps)} {speech.plural('nap', s.naps)}" if s.naps else ""
        parts.append(f"{span(s.sleep_minutes)} of sleep{naps}")
    if s.medicines:
        parts.append("medicine: " + speech.join(entry(m) for m in s.medicines))
    if not parts:
        return f"I have nothing logged for {who} {when} yet."
    return f"{who} {when}: " + "; ".join(parts) + "."
