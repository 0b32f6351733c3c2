"""Alexa's built-in slot types: words as said → the value Alexa sends to a skill.

Each parser takes the lower-cased words of a span and returns the slot value string
(AMAZON.NUMBER "24", AMAZON.DURATION "PT3H", AMAZON.TIME "15:00", AMAZON.DATE "2026-11-24")
or None when the words are not a value of that type. Nothing here raises on odd input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from intents.normalize import NUMBER_WORDS, ORDINAL_WORDS

_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_FRACTIONS = {"half": 0.5, "quarter": 0.25}


def _is_number_token(word: str) -> bool:
    return word.replace(".", "", 1).isdigit()


_PHRASES = (
    (("half", "a", "dozen"), "6"),
    (("a", "dozen"), "12"),
    (("a", "couple", "of"), "2"),
    (("a", "couple"), "2"),
    # "Just the single pack", "a single box": one, said as a size of a count.
    (("a", "single", "one"), "1"),
    (("the", "single", "one"), "1"),
    (("a", "single"), "1"),
    (("the", "single"), "1"),
    (("couple", "of"), "2"),
    (("a", "hundred"), "100"),
    (("a", "thousand"), "1000"),
    (("a", "half"), "0.5"),
    (("an", "half"), "0.5"),
    (("a", "quarter"), "0.25"),
)
_PHRASE_STARTS = frozenset(phrase[0] for phrase, _ in _PHRASES)


def _rewrite_phrases(words: Sequence[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(words):
        if words[i] not in _PHRASE_STARTS:
            out.append(words[i])
            i += 1
            continue
        for phrase, digits in _PHRASES:
            if tuple(words[i : i + len(phrase)]) == phrase:
                out.append(digits)
                i += len(phrase)
                break
        else:
            out.append(words[i])
            i += 1
    return out


def words_to_number(words: Sequence[str]) -> float | None:
    """ "twenty four" → 24, "a dozen" → 12, "two and a half" → 2.5, "two dozen" → 24; None if not a number."""
    words = [w for w in _rewrite_phrases(list(words)) if w != "and"]
    if not words:
        return None
    total = 0.0
    current = 0.0
    for i, w in enumerate(words):
        prev = words[i - 1] if i else None
        if w in NUMBER_WORDS and prev in NUMBER_WORDS and NUMBER_WORDS[prev] < 20:
            # Digits said one by one ("five five five" → 555, "nineteen ninety" → 1990), as Alexa reads them.
            n = NUMBER_WORDS[w]
            current = current * 10 ** len(str(n)) + n
            continue
        if w == "dozen":
            current = (current or 1) * 12
        elif w in _FRACTIONS:
            if i + 1 < len(words):
                # A fraction is said after the whole ("four and a half"): "half four" is a clock time in British
                # English (half past four), never four and a half ounces.
                return None
            # "one half" is a half, "two and a half" two more.
            current = _FRACTIONS[w] if (i == 1 and prev == "one" and not total) else current + _FRACTIONS[w]
        elif w in NUMBER_WORDS and w != "oh":
            current += NUMBER_WORDS[w]
        elif _is_number_token(w):
            current += float(w)
        elif w in _SCALES:
            if _SCALES[w] == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * _SCALES[w]
                current = 0
        elif w == "point" and i + 1 < len(words):
            digits = []
            for d in words[i + 1 :]:
                if d in NUMBER_WORDS and NUMBER_WORDS[d] < 10:
                    digits.append(str(NUMBER_WORDS[d]))
                elif d.isdigit():
                    digits.append(d)
                else:
                    return None
            return total + current + float("0." + "".join(digits))
        else:
            return None
    return total + current


def _fmt(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else f"{n:g}"


# Words a reading of AMAZON.NUMBER takes besides number words, ordinals, fractions, scales and digits
# (`words_to_number`, `parse_number`).
_NUMBER_GLUE = frozenset({"and", "point", "dozen", "minus", "negative"} | {w for phrase, _ in _PHRASES for w in phrase})


def may_be_number_word(word: str, *, four_digit: bool = False) -> bool:
    """Whether a value of AMAZON.NUMBER (with `four_digit`, of AMAZON.FOUR_DIGIT_NUMBER) may have the word: words
    with one that may not are no value of the type, whatever the others are."""
    if four_digit:
        return word.isdigit() or word in NUMBER_WORDS
    return (
        word in NUMBER_WORDS
        or word in ORDINAL_WORDS
        or word in _FRACTIONS
        or word in _SCALES
        or word in _NUMBER_GLUE
        or any(c.isdigit() for c in word)
    )


def parse_number(words: Sequence[str]) -> str | None:
    """AMAZON.NUMBER: cardinals in digits or words, and ordinals ("the second" → 2)."""
    if list(words) in (["a"], ["an"]):
        return None  # an article alone is not a quantity
    if len(words) > 1 and words[0] in ("minus", "negative"):
        # Kept negative, as Alexa sends it, so a skill can refuse it: dropping the sign would record
        # "negative five pounds" as five.
        rest = parse_number(words[1:])
        return None if rest is None or rest.startswith("-") else ("-" + rest if rest != "0" else "0")
    if len(words) == 1:
        w = words[0]
        if w in ORDINAL_WORDS and ORDINAL_WORDS[w] > 0:
            return str(ORDINAL_WORDS[w])
        if len(w) > 2 and w[:-2].isdigit() and w[-2:] in ("st", "nd", "rd", "th"):
            return w[:-2]
    if len(words) == 2 and words[0] in NUMBER_WORDS and words[1] in ORDINAL_WORDS:
        tens = NUMBER_WORDS[words[0]]
        if tens % 10 == 0 and tens >= 20 and 0 < ORDINAL_WORDS[words[1]] < 10:
            return str(tens + ORDINAL_WORDS[words[1]])
    value = words_to_number(words)
    if value is None or value > 1e12:
        return None
    return _fmt(value)


def parse_four_digit(words: Sequence[str]) -> str | None:
    """AMAZON.FOUR_DIGIT_NUMBER: "one two three four", "twelve thirty four", "1234" → "1234"."""
    for w in words:
        if not (w.isdigit() or w in NUMBER_WORDS):
            return None
    # "thirty four" spoken as one number: 30 followed by 4 → "34", not "304".
    merged = ""
    i = 0
    seq = [w for w in words]
    for j, w in enumerate(seq):
        if j < i:
            continue
        n = NUMBER_WORDS.get(w) if w != "oh" else 0
        nxt = seq[j + 1] if j + 1 < len(seq) else None
        if n is not None and n >= 20 and n % 10 == 0 and nxt in NUMBER_WORDS and 0 < NUMBER_WORDS[nxt] < 10:
            merged += str(n + NUMBER_WORDS[nxt])
            i = j + 2
        elif n is not None:
            merged += str(n)
        else:
            merged += w
    return merged if len(merged) == 4 and merged.isdigit() else None


DURATION_UNITS = _DURATION_UNITS = {
    "second": "S",
    "seconds": "S",
    "sec": "S",
    "secs": "S",
    "minute": "MIN",
    "minutes": "MIN",
    "min": "MIN",
    "mins": "MIN",
    "hour": "H",
    "hours": "H",
    "hr": "H",
    "hrs": "H",
    "day": "D",
    "days": "D",
    "week": "W",
    "weeks": "W",
    "month": "MON",
    "months": "MON",
    "year": "Y",
    "years": "Y",
}


def parse_duration(words: Sequence[str]) -> str | None:
    """AMAZON.DURATION as ISO-8601: "in three hours" → PT3H, "an hour and a half" → PT1H30M."""
    words = list(words)
    said_for = bool(words) and words[0] == "for"
    if words and words[0] in ("in", "for", "about", "around"):
        words = words[1:]
    if not words:
        return None
    parts: dict[str, float] = {}
    pending: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w in _DURATION_UNITS:
            unit = _DURATION_UNITS[w]
            # "an hour", "a week": the article is one unit.
            amount = 1.0 if pending in (["a"], ["an"]) else (words_to_number(pending) if pending else None)
            if pending and amount is None:
                return None
            if amount is None and w.endswith("s") and w[:-1] in _DURATION_UNITS and said_for:
                # "For" and a unit in the plural, no number: "she cried for hours" is not an hour, and "remind me in
                # for hours" (four, misheard) is read with its number (Turn.duration_reading).
                return None
            parts[unit] = parts.get(unit, 0) + (1 if amount is None else amount)
            pending = []
            # "an hour and a half": the half belongs to the unit just said.
            if words[i + 1 : i + 4] in (["and", "a", "half"], ["and", "an", "half"]):
                parts[unit] += 0.5
                i += 3
        elif w == "half" and i + 2 < len(words) and words[i + 1] in ("a", "an") and words[i + 2] in _DURATION_UNITS:
            parts[_DURATION_UNITS[words[i + 2]]] = parts.get(_DURATION_UNITS[words[i + 2]], 0) + 0.5
            i += 2
        elif w == "and" and not pending:
            pass
        else:
            pending.append(w)
        i += 1
    if pending or not parts:
        return None
    # Carry fractions down so the value stays in whole units where Alexa would ("1.5 hours" → PT1H30M).
    carry = {"H": ("MIN", 60), "MIN": ("S", 60), "D": ("H", 24), "W": ("D", 7)}
    for unit in ("W", "D", "H", "MIN"):
        if unit in parts and not float(parts[unit]).is_integer():
            whole = int(parts[unit])
            lower, factor = carry[unit]
            parts[lower] = parts.get(lower, 0) + (parts[unit] - whole) * factor
            parts[unit] = whole
    date = "".join(
        f"{_fmt(parts[u])}{c}" for u, c in (("Y", "Y"), ("MON", "M"), ("W", "W"), ("D", "D")) if parts.get(u)
    )
    time = "".join(f"{_fmt(parts[u])}{c}" for u, c in (("H", "H"), ("MIN", "M"), ("S", "S")) if parts.get(u))
    if not date and not time:
        return None
    return "P" + date + ("T" + time if time else "")


_TIME_WORDS = {
    "noon": "12:00",
    "midday": "12:00",
    "midnight": "00:00",
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
    "tonight": "NI",
}


_DAY_PARTS = {"tonight": "pm", "night": "pm", "evening": "pm", "afternoon": "pm", "morning": "am"}


def _twenty_four_hour(words: Sequence[str]) -> str | None:
    """A time said on the twenty-four hour clock, as nurses and the forces say it: "oh six hundred" (06:00), "zero
    six thirty" (06:30), "fourteen hundred hours" (14:00), "six hundred hours", "eighteen forty five". None for
    anything else: "six thirty" is a clock time that may be either half of the day, read by `parse_time`, and
    "six hundred" a number."""
    words = list(words)
    said_hours = bool(words) and words[-1] == "hours"
    if said_hours:
        words = words[:-1]
    leading = bool(words) and words[0] in ("oh", "zero", "o")
    if leading:
        words = words[1:]
    if not words or words[0] not in NUMBER_WORDS:
        return None
    if words[-1] == "hundred":
        hour_said = words_to_number(words[:-1])
        if hour_said is None or not float(hour_said).is_integer():
            return None
        hour, minute = int(hour_said), 0
        if not (leading or said_hours or hour >= 13):
            return None
    else:
        hour = NUMBER_WORDS[words[0]]
        said = words_to_number(words[1:]) if len(words) > 1 else None
        if said is None or not float(said).is_integer() or not (leading or hour >= 13):
            return None
        minute = int(said)
    if not (0 <= hour < 24 and 0 <= minute < 60):
        return None
    return f"{hour:02d}:{minute:02d}"


# A time said loosely is the time it is said near, as "around three" is three: "a bit after three", "just before
# six", "like twenty to three" (a tired parent logging the night rarely knows the minute).
_TIME_HEDGES = (
    ("a", "bit", "after"),
    ("a", "bit", "before"),
    ("a", "little", "after"),
    ("a", "little", "before"),
    ("just", "after"),
    ("just", "before"),
    ("shortly", "after"),
    ("shortly", "before"),
    ("roughly",),
    ("approximately",),
    ("like",),
)


def _unhedged(words: list[str]) -> list[str]:
    for hedge in _TIME_HEDGES:
        if tuple(words[: len(hedge)]) == hedge and len(words) > len(hedge):
            return words[len(hedge) :]
    return words


def parse_time(words: Sequence[str]) -> str | None:
    """AMAZON.TIME: "3 p.m." → "15:00", "three thirty" → "03:30", "noon" → "12:00", "quarter to five"."""
    words = [w for w in words if w not in ("at", "around", "about", "the", "in")]
    words = _unhedged(words)
    if not words:
        return None
    if len(words) == 1 and words[0] in _TIME_WORDS:
        return _TIME_WORDS[words[0]]
    meridiem = None
    night = False
    if len(words) >= 2 and words[-1] in _DAY_PARTS:
        # "seven tonight", "nine in the morning", "four this afternoon": the part of the day says am or pm.
        meridiem, night = _DAY_PARTS[words[-1]], words[-1] in ("night", "tonight")
        words = words[:-2] if words[-2] in ("this", "last") else words[:-1]  # "eleven last night"
        if not words:
            return None
    if words[-1] in ("am", "pm"):
        meridiem = words[-1]
        words = words[:-1]
    if words and words[-1] in ("o'clock", "oclock"):
        words = words[:-1]
    if not words:
        return None
    military = _twenty_four_hour(words)
    if military is not None:
        return military
    head = words[0]
    if not (head in NUMBER_WORDS or head[0].isdigit() or head in ("half", "quarter")):
        return None
    hour: int | None = None
    minute = 0
    if len(words) == 1 and ":" in words[0]:
        h, m = words[0].split(":")
        hour, minute = int(h), int(m)
    elif words[0] == "half" and len(words) == 2 and _whole_hour(words[1:]) is not None:
        hour, minute = _whole_hour(words[1:]), 30  # "half five": half past five, as in British English
    elif words[0] in ("half", "quarter") and len(words) >= 3 and words[1] in ("past", "after", "to", "till"):
        base = words_to_number(words[2:])
        if base is None:
            return None
        delta = 30 if words[0] == "half" else 15
        if words[1] in ("to", "till"):
            hour, minute = int(base) - 1, 60 - delta
        else:
            hour, minute = int(base), delta
    elif len(words) >= 3 and words[-2] in ("past", "after", "to", "till"):
        mins = words_to_number(words[:-2])
        base = words_to_number(words[-1:])
        if mins is None or base is None:
            return None
        if float(mins) % 5:
            # Minutes before or after an hour are said in fives ("ten till seven", "twenty past six"); "from four
            # till seven" is a span of three hours, not 6:56.
            return None
        hour, minute = (int(base) - 1, 60 - int(mins)) if words[-2] in ("to", "till") else (int(base), int(mins))
    elif (len(words) == 1 or NUMBER_WORDS.get(words[0], 0) >= 20) and _whole_hour(words) is not None:
        hour = _whole_hour(words)  # "seven", "twenty two"
    else:
        first = words_to_number(words[:1])
        if first is None:
            return None
        hour = int(first)
        rest = words[1:]
        if rest:
            if rest[0] == "oh" and len(rest) == 2:
                rest = rest[1:]
            said_minute = words_to_number(rest)
            if said_minute is None or not float(said_minute).is_integer():
                return None
            minute = int(said_minute)
    if hour is None or not (0 <= hour <= 24 and 0 <= minute < 60):
        return None
    if night and hour == 12:
        hour = 0  # "twelve tonight" is midnight
    elif meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    if hour > 23:
        return None
    return f"{hour:02d}:{minute:02d}"


def _whole_hour(words: Sequence[str]) -> int | None:
    value = words_to_number(words)
    return int(value) if value is not None and float(value).is_integer() and value <= 24 else None


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def parse_date(words: Sequence[str], today: dt.date) -> str | None:
    """AMAZON.DATE relative to `today`: "tomorrow", "last tuesday", "november twenty fifth", "next week"."""
    words = [w for w in words if w not in ("on", "the", "of")]
    if not words:
        return None
    phrase = " ".join(words)
    fixed = {
        "today": 0,
        "tonight": 0,
        "tomorrow": 1,
        "yesterday": -1,
        "day after tomorrow": 2,
        "day before yesterday": -2,
    }
    if phrase in fixed:
        return (today + dt.timedelta(days=fixed[phrase])).isoformat()
    if phrase in ("this week", "next week", "last week"):
        shift = {"this week": 0, "next week": 7, "last week": -7}[phrase]
        year, week, _ = (today + dt.timedelta(days=shift)).isocalendar()
        return f"{year}-W{week:02d}"
    if phrase == "this weekend":
        year, week, _ = today.isocalendar()
        return f"{year}-W{week:02d}-WE"
    lead = words[0] if words[0] in ("last", "next", "this", "coming", "past") else None
    rest = words[1:] if lead else words
    if len(rest) == 1 and rest[0] in _WEEKDAYS:
        target = _WEEKDAYS.index(rest[0])
        delta = (target - today.weekday()) % 7
        if lead in ("last", "past"):
            delta = delta - 7 if delta else -7
        elif lead == "next" and delta == 0:
            delta = 7
        return (today + dt.timedelta(days=delta)).isoformat()
    if words[0] == "in" and len(words) >= 3 and words[-1] in ("day", "days", "week", "weeks"):
        n = words_to_number(words[1:-1])
        if n is None:
            return None
        days = int(n) * (7 if words[-1].startswith("week") else 1)
        return (today + dt.timedelta(days=days)).isoformat()
    # "november twenty fifth", "the 3rd of december", "december 3 2027"
    month = next((i for i, w in enumerate(words) if w in _MONTHS), None)
    if month is None:
        return None
    others = words[:month] + words[month + 1 :]
    year = today.year
    if len(others) >= 2 and others[-1].isdigit() and len(others[-1]) == 4:
        year = int(others[-1])
        others = others[:-1]
    day_text = parse_number(others) if others else None
    if day_text is None or not day_text.isdigit():
        return None
    try:
        return dt.date(year, _MONTHS.index(words[month]) + 1, int(day_text)).isoformat()
    except ValueError:
        return None


# Words that are never a first name (pronouns, glue words); the NLU adds every word of the model.
_NOT_NAMES = frozenset(
    {
        "i",
        "me",
        "you",
        "he",
        "she",
        "it",
        "we",
        "they",
        "her",
        "him",
        "his",
        "them",
        "my",
        "your",
        "our",
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "to",
        "for",
        "of",
        "at",
        "in",
        "on",
        "is",
        "was",
        "did",
        "do",
        "what",
        "when",
        "where",
        "who",
        "how",
        "why",
        "yes",
        "no",
        "not",
        "this",
        "that",
        "today",
        "now",
    }
)


def parse_first_name(words: Sequence[str], extra_stopwords: frozenset[str] = frozenset()) -> str | None:
    if not 1 <= len(words) <= 2:
        return None
    for w in words:
        if not w.isalpha() or w in _NOT_NAMES or w in extra_stopwords or len(w) < 2:
            return None
    return " ".join(words)


BUILTIN_PARSERS: dict[str, Callable[[Sequence[str]], str | None]] = {
    "AMAZON.NUMBER": parse_number,
    "AMAZON.FOUR_DIGIT_NUMBER": parse_four_digit,
    "AMAZON.DURATION": parse_duration,
    "AMAZON.TIME": parse_time,
}
