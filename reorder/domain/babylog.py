"""The baby log: what a caregiver records about a child, and the rules an entry must meet.

Amounts are stored in the unit the caregiver used (a bottle of 4 oz stays 4 oz); conversions happen
only when entries are added up. Medicine doses are kept as said, never computed or checked against a
dosing table: the log is a record, not advice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum

from reorder.errors import InvalidInput

ML_PER_OZ = 29.5735
LB_PER_KG = 2.20462
CM_PER_IN = 2.54

# The largest values a real entry can carry; anything above is a mishearing, not a bottle.
MAX_BOTTLE_OZ = 12.0
MAX_PUMP_OZ = 20.0
MAX_FEED_MINUTES = 120
MAX_SLEEP_HOURS = 20
MAX_WEIGHT_LB = 80.0
# Below this no baby weighs (the smallest born are about 0.6 lb): "five ounces" as a weight is a bottle misheard.
MIN_WEIGHT_LB = 0.5
MAX_LENGTH_IN = 50.0
MAX_TEXT = 500
# A past time further back than this is almost certainly a mistaken date.
MAX_BACKDATE = timedelta(days=7)
# Small clock differences between devices must not turn "now" into "the future".
FUTURE_TOLERANCE = timedelta(minutes=2)
# Two caregivers logging the same diaper: same kind and detail this close together is one event.
DUPLICATE_WINDOW = timedelta(minutes=3)


class EventKind(StrEnum):
    FEEDING = "feeding"
    DIAPER = "diaper"
    SLEEP = "sleep"
    MEDICINE = "medicine"
    PUMPING = "pumping"
    GROWTH = "growth"
    NOTE = "note"


class FeedingKind(StrEnum):
    BREAST = "breast"
    BOTTLE = "bottle"
    SOLIDS = "solids"


class MilkType(StrEnum):
    BREAST_MILK = "breast_milk"
    FORMULA = "formula"
    WHOLE_MILK = "whole_milk"  # a toddler's cup
    WATER = "water"


class DiaperType(StrEnum):
    WET = "wet"
    DIRTY = "dirty"
    BOTH = "both"


class SleepAction(StrEnum):
    START = "start"
    END = "end"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


VOLUME_UNITS = ("oz", "ml")
WEIGHT_UNITS = ("lb", "kg")
LENGTH_UNITS = ("in", "cm")


@dataclass(frozen=True, slots=True)
class BabyEvent:
    id: str
    household_id: str
    child_id: str | None  # None only for pumping, which is about the caregiver
    kind: EventKind
    at: datetime  # when it happened (UTC)
    logged_at: datetime  # when it was recorded
    logged_by: str | None  # member id of the caregiver
    channel: str
    data: dict[str, object] = field(default_factory=dict)
    duplicate_of: str | None = None  # a second caregiver's entry of the same event

    def get(self, key: str, default: object = None) -> object:
        return self.data.get(key, default)

    @property
    def amount_oz(self) -> float | None:
        """A bottle or pumping amount in ounces, whatever unit it was logged in."""
        amount = self.data.get("amount")
        if amount is None:
            return None
        unit = self.data.get("unit", "oz")
        value = float(str(amount))
        return value / ML_PER_OZ if unit == "ml" else value

    @property
    def weight_lb(self) -> float | None:
        weight = self.data.get("weight")
        if weight is None:
            return None
        value = float(str(weight))
        return value * LB_PER_KG if self.data.get("weight_unit") == "kg" else value


def _choice(value: object, allowed: type[StrEnum] | tuple[str, ...], what: str) -> str:
    options = [m.value for m in allowed] if isinstance(allowed, type) else list(allowed)
    text = str(value).strip().lower().replace(" ", "_") if value is not None else ""
    if text not in options:
        raise InvalidInput(f"{what} must be one of {', '.join(options)}, not {value!r}.")
    return text


# Units as a parent says them: the refusal is spoken, and "oz" read aloud is not a word.
_UNIT_WORDS = {
    "oz": "ounces",
    "ml": "milliliters",
    "lb": "pounds",
    "kg": "kilograms",
    "in": "inches",
    "cm": "centimeters",
    "min": "minutes",
}


def _number(value: object, what: str, low: float, high: float, unit: str) -> float:
    """`what` names the entry ("a bottle"), `unit` the unit of `value` ("oz")."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"The amount for {what} must be a number.")
    if value != value or not low < value <= high:  # NaN fails every comparison
        words = _UNIT_WORDS.get(unit, unit)
        said = "That amount" if value != value else f"{value:g} {words}"
        raise InvalidInput(
            f"{said} is not possible for {what}; it must be more than {low:g} and at most {high:g} {words}."
        )
    return float(value)


def _text(value: object, what: str, *, required: bool) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(f"{what} is required.")
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text.")
    text = " ".join(value.split())
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"{what} is too long ({MAX_TEXT} characters at most).")
    return text


def _minutes(value: object, what: str, high: float) -> float:
    return _number(value, what, 0, high, "min")


def validate_event_data(kind: EventKind, data: dict[str, object]) -> dict[str, object]:
    """The entry's details, checked and normalised; raises InvalidInput with a sentence a parent can hear."""
    clean: dict[str, object] = {}
    if kind is EventKind.FEEDING:
        feeding = _choice(data.get("feeding_kind") or _guess_feeding_kind(data), FeedingKind, "The feeding kind")
        clean["feeding_kind"] = feeding
        if feeding == FeedingKind.BREAST:
            if data.get("side") is not None:
                clean["side"] = _choice(data["side"], Side, "The side")
            if data.get("duration_min") is not None:
                clean["duration_min"] = _minutes(data["duration_min"], "a breastfeed", MAX_FEED_MINUTES)
        elif feeding == FeedingKind.BOTTLE:
            unit = _choice(data.get("unit", "oz"), VOLUME_UNITS, "The volume unit")
            top = MAX_BOTTLE_OZ if unit == "oz" else MAX_BOTTLE_OZ * ML_PER_OZ
            if data.get("amount") is None:
                raise InvalidInput("A bottle feeding needs an amount, like 4 ounces.")
            clean["amount"] = _number(data["amount"], "a bottle", 0, round(top), unit)
            clean["unit"] = unit
            if data.get("milk_type"):  # what was not said is not assumed ("she drank five ounces")
                clean["milk_type"] = _choice(data["milk_type"], MilkType, "The milk type")
        else:
            food = _text(data.get("food"), "The food", required=False)
            if food:
                clean["food"] = food
    elif kind is EventKind.DIAPER:
        clean["diaper_type"] = _choice(data.get("diaper_type"), DiaperType, "The diaper type")
    elif kind is EventKind.SLEEP:
        clean["action"] = _choice(data.get("action"), SleepAction, "The sleep action")
    elif kind is EventKind.MEDICINE:
        clean["medicine"] = _text(data.get("medicine"), "The medicine name", required=True)
        dose = _text(data.get("dose"), "The dose", required=False)
        if dose:
            clean["dose"] = dose  # kept exactly as said; never parsed into a number
    elif kind is EventKind.PUMPING:
        unit = _choice(data.get("unit", "oz"), VOLUME_UNITS, "The volume unit")
        top = MAX_PUMP_OZ if unit == "oz" else MAX_PUMP_OZ * ML_PER_OZ
        if data.get("amount") is None:
            raise InvalidInput("A pumping entry needs an amount, like 3 ounces.")
        clean["amount"] = _number(data["amount"], "pumping", 0, round(top), unit)
        clean["unit"] = unit
        if data.get("side") is not None:
            clean["side"] = _choice(data["side"], Side, "The side")
    elif kind is EventKind.GROWTH:
        if data.get("weight") is None and data.get("length") is None:
            raise InvalidInput("A growth entry needs a weight or a length.")
        if data.get("weight") is not None:
            unit = _choice(data.get("weight_unit", "lb"), WEIGHT_UNITS, "The weight unit")
            top = MAX_WEIGHT_LB if unit == "lb" else MAX_WEIGHT_LB / LB_PER_KG
            low = MIN_WEIGHT_LB if unit == "lb" else round(MIN_WEIGHT_LB / LB_PER_KG, 2)
            clean["weight"] = _number(data["weight"], "a weight", low, round(top), unit)
            clean["weight_unit"] = unit
        if data.get("length") is not None:
            unit = _choice(data.get("length_unit", "in"), LENGTH_UNITS, "The length unit")
            top = MAX_LENGTH_IN if unit == "in" else MAX_LENGTH_IN * CM_PER_IN
            clean["length"] = _number(data["length"], "a length", 0, round(top), unit)
            clean["length_unit"] = unit
    elif kind is EventKind.NOTE:
        clean["note"] = _text(data.get("note"), "The note", required=True)
    return clean


def _guess_feeding_kind(data: dict[str, object]) -> str | None:
    # "She ate 4 ounces" names no kind, but an amount only fits a bottle; a side only fits the breast.
    if data.get("amount") is not None:
        return FeedingKind.BOTTLE
    if data.get("side") is not None or data.get("duration_min") is not None:
        return FeedingKind.BREAST
    if data.get("food"):
        return FeedingKind.SOLIDS
    return None


def validate_event_time(at: datetime, now: datetime) -> datetime:
    if at.tzinfo is None:
        raise InvalidInput("An entry's time needs a time zone.")
    if at > now + FUTURE_TOLERANCE:
        raise InvalidInput("That time is in the future; I can only log things that have happened.")
    if at < now - MAX_BACKDATE:
        raise InvalidInput("That is more than a week ago; I can only log the last seven days.")
    return at


def same_event(a: BabyEvent, kind: EventKind, child_id: str | None, at: datetime, data: dict[str, object]) -> bool:
    """Whether a new entry repeats `a`: two caregivers logging one diaper change a minute apart."""
    if a.kind is not kind or a.child_id != child_id or a.duplicate_of is not None:
        return False
    if abs(a.at - at) > DUPLICATE_WINDOW:
        return False
    keys = {
        EventKind.DIAPER: ("diaper_type",),
        EventKind.SLEEP: ("action",),
        EventKind.FEEDING: ("feeding_kind", "amount", "unit", "milk_type", "side", "food"),
        EventKind.MEDICINE: ("medicine",),
        EventKind.PUMPING: ("amount", "unit"),
    }.get(kind)
    if keys is None:
        return False  # notes and growth are never merged; two notes are two notes
    return all(a.data.get(k) == data.get(k) for k in keys)


def sleep_sessions(events: list[BabyEvent], until: datetime) -> list[tuple[datetime, datetime | None]]:
    """Pair starts and ends (oldest first) into (start, end) intervals; an open one ends None."""
    sessions: list[tuple[datetime, datetime | None]] = []
    open_start: datetime | None = None
    for event in sorted(events, key=lambda e: e.at):
        if event.kind is not EventKind.SLEEP or event.duplicate_of:
            continue
        if event.get("action") == SleepAction.START:
            if open_start is None:
                open_start = event.at
        elif open_start is not None:
            sessions.append((open_start, event.at))
            open_start = None
    if open_start is not None:
        sessions.append((open_start, None))
    return sessions


def slept_minutes(sessions: list[tuple[datetime, datetime | None]], start: datetime, end: datetime) -> float:
    """Minutes asleep within [start, end), counting an open session up to `end`."""
    total = 0.0
    for begin, finish in sessions:
        finish = finish or end
        overlap = min(finish, end) - max(begin, start)
        if overlap > timedelta(0):
            total += overlap.total_seconds() / 60
    return total


class StepKind(StrEnum):
    LOG = "log"  # record an event: {"event": "diaper", "data": {...}}
    SLEEP_START = "sleep_start"
    SLEEP_STOP = "sleep_stop"
    REMINDER = "reminder"  # {"text": "...", "minutes": 30}
    SOUND = "sound"  # {"sound": "white noise"} played through an AudioPlayer directive
    SAY = "say"  # {"text": "..."}
    ADD_TO_CART = "add_to_cart"  # {"product_id": "...", "quantity": 1}


MAX_ROUTINE_STEPS = 20
MAX_ROUTINE_NAME = 60


@dataclass(frozen=True, slots=True)
class RoutineStep:
    kind: StepKind
    params: dict[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind.value, **self.params}


@dataclass(frozen=True, slots=True)
class Routine:
    id: str
    household_id: str
    name: str  # as people say it: "bedtime"
    steps: tuple[RoutineStep, ...]
    child_id: str | None = None
    schedule_time: str | None = None  # "19:00" household-local, every day; None = run by voice only
    created_at: datetime | None = None
    last_run_at: datetime | None = None


def routine_key(name: str) -> str:
    """The name a routine is found by: "the Bedtime routine" and "bedtime" are one routine."""
    words = [w for w in name.lower().replace("-", " ").split() if w not in ("the", "my", "routine")]
    return " ".join(words)


def validate_schedule_time(value: object) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidInput('A schedule time is text like "19:00".')
    hours, sep, minutes = value.strip().partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        raise InvalidInput(f"A schedule time is HH:MM in 24-hour form, not {value!r}.")
    if not (0 <= int(hours) < 24 and 0 <= int(minutes) < 60):
        raise InvalidInput(f"{value!r} is not a time of day.")
    return f"{int(hours):02d}:{minutes}"


def spoken_time(now: datetime, tz: tzinfo, time_of_day: str | None = None, ago: timedelta | None = None) -> datetime:
    """The moment a caregiver means by "at 3 p.m." (the latest such moment that is not ahead: today, or yesterday,
    and for an hour said without a.m. or p.m. either half of the day) or by "20 minutes ago"; `now` when neither
    is given. Raises InvalidInput for a negative or odd time."""
    if ago is not None:
        if ago < timedelta(0):
            raise InvalidInput("A time ago can't be negative.")
        return now - ago
    if not time_of_day:
        return now
    text = time_of_day.strip().upper()
    # Alexa's AMAZON.TIME also says MO, AF, EV, NI for "this morning", "afternoon", "evening", "night".
    vague = {"MO": "08:00", "AF": "14:00", "EV": "19:00", "NI": "22:00"}
    text = vague.get(text, text)
    hours, sep, minutes = text.partition(":")
    if not sep or not hours.isdigit() or not minutes[:2].isdigit():
        raise InvalidInput(f"I didn't understand the time {time_of_day!r}.")
    h, m = int(hours), int(minutes[:2])
    if not (0 <= h < 24 and 0 <= m < 60):
        raise InvalidInput(f"{time_of_day!r} is not a time of day.")
    local_now = now.astimezone(tz)
    # An hour from 1 to 11 is what a clock time said without "a.m." or "p.m." comes as ("half past three" is
    # 03:30), so it may as well be the afternoon's: a log is of what just happened, so the time meant is the
    # latest of its readings today or yesterday that is not ahead. "At half past three" said at 4:10 p.m. is
    # forty minutes ago, not 3:30 that morning; "she ate at 11" said at 1 a.m. is last night.
    either_half = (h, h + 12) if 1 <= h <= 11 else (h,)
    readings = []
    for hour in either_half:
        today = local_now.replace(hour=hour, minute=m, second=0, microsecond=0)
        readings += [today, (today - timedelta(days=1)).replace(tzinfo=None).replace(tzinfo=tz)]
    candidate = max(r for r in readings if r <= local_now + FUTURE_TOLERANCE)
    return candidate.astimezone(now.tzinfo)


MAX_SLEEP_SPAN = timedelta(hours=16)


def slept_between(now: datetime, tz: tzinfo, fell_asleep: str, woke: str) -> tuple[datetime, datetime]:
    """The sleep a caregiver tells whole ("from eleven last night till half five this morning"): the waking is
    the latest such moment that is not ahead, the falling asleep the latest such moment before it. Raises
    InvalidInput for a span of no time or longer than a child sleeps at a stretch."""
    end = spoken_time(now, tz, woke)
    # Before the waking by more than the tolerance for "now": "from seven to seven" is a night of twelve hours.
    start = spoken_time(end - FUTURE_TOLERANCE - timedelta(minutes=1), tz, fell_asleep)
    if start >= end:
        raise InvalidInput("The sleep has to end after it starts; please say each time again.")
    if end - start > MAX_SLEEP_SPAN:
        raise InvalidInput(
            f"From {start.astimezone(tz):%H:%M} to {end.astimezone(tz):%H:%M} is more than "
            f"{MAX_SLEEP_SPAN.seconds // 3600} hours of sleep; please say each time again."
        )
    return start, end
