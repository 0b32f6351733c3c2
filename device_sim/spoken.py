"""Spoken numbers, durations and times turned into the values Alexa puts in built-in slots
(AMAZON.NUMBER "2", AMAZON.FOUR_DIGIT_NUMBER "1234", AMAZON.DURATION "PT10M", AMAZON.TIME "19:00")."""

from __future__ import annotations

import re

UNITS = {
    "zero": 0,
    "oh": 0,
    "one": 1,
    "a": 1,
    "an": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "couple": 2,
    "half": 0.5,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "last": -1,
}
DIGITS = {
    "zero": "0",
    "oh": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}


def to_number(text: str) -> str | None:
    """'two' -> '2', 'twenty five' -> '25', '3' -> '3', 'the second' -> '2'; None if not a number."""
    words = [w for w in re.split(r"[\s-]+", text.lower().strip()) if w and w not in {"and", "the", "of"}]
    if not words:
        return None
    if len(words) == 1 and re.fullmatch(r"\d+(\.\d+)?", words[0]):
        return words[0]
    if len(words) == 1 and re.fullmatch(r"\d+(st|nd|rd|th)", words[0]):
        return words[0][:-2]
    if len(words) == 1 and words[0] in ORDINALS:
        return str(ORDINALS[words[0]])
    if len(words) > 1 and words[0] in {"a", "an"}:
        words = words[1:]  # "a dozen", "a hundred", "a couple"
    total, current = 0.0, 0.0
    for word in words:
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "dozen":
            current = (current or 1) * 12
        elif word == "hundred":
            current = (current or 1) * 100
        elif word == "thousand":
            total += (current or 1) * 1000
            current = 0
        elif re.fullmatch(r"\d+", word):
            current += int(word)
        else:
            return None
    value = total + current
    return str(int(value)) if value == int(value) else str(value)


def to_digits(text: str) -> str | None:
    """'one two three four' or '1234' -> '1234' (AMAZON.FOUR_DIGIT_NUMBER); None otherwise."""
    compact = re.sub(r"[\s-]+", "", text)
    if re.fullmatch(r"\d{4}", compact):
        return compact
    words = text.lower().split()
    if len(words) == 4 and all(w in DIGITS for w in words):
        return "".join(DIGITS[w] for w in words)
    return None


DURATION_UNITS = {"second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "month": "M", "year": "Y"}


def to_duration(text: str) -> str | None:
    """'ten minutes' -> 'PT10M', 'an hour and a half' -> 'PT1H30M', '2 days' -> 'P2D'."""
    words = text.lower().replace("-", " ").split()
    if "half" in words and ("hour" in words or "an" in words) and "and" in words:
        hours = to_number(" ".join(words[: words.index("hour")])) if "hour" in words else "1"
        return f"PT{hours}H30M" if hours else None
    date_part, time_part = "", ""
    pending: list[str] = []
    for word in words:
        unit = word[:-1] if word.endswith("s") and word[:-1] in DURATION_UNITS else word
        if unit in DURATION_UNITS:
            amount = to_number(" ".join(pending)) if pending else "1"
            if amount is None:
                return None
            code = DURATION_UNITS[unit]
            if unit in {"second", "minute", "hour"}:
                time_part += f"{amount}{code}"
            else:
                date_part += f"{amount}{code}"
            pending = []
        elif word != "and":
            pending.append(word)
    if pending or not (date_part or time_part):
        return None
    return "P" + date_part + (f"T{time_part}" if time_part else "")


TIME_WORDS = {
    "noon": "12:00",
    "midnight": "00:00",
    "morning": "MO",
    "afternoon": "AF",
    "evening": "EV",
    "night": "NI",
    "tonight": "NI",
}


def to_time(text: str) -> str | None:
    """'7 pm' -> '19:00', 'seven thirty am' -> '07:30', '14:05' -> '14:05', 'noon' -> '12:00'."""
    text = " ".join(text.lower().replace(".", "").replace("o'clock", "").split())
    if text in TIME_WORDS:
        return TIME_WORDS[text]
    meridian = None
    part_of_day = re.search(r"\s+(in the morning|in the afternoon|in the evening|at night|tonight)$", text)
    if part_of_day:
        meridian = "am" if part_of_day.group(1).endswith("morning") else "pm"
        text = text[: part_of_day.start()]
    words = text.split()
    if words and words[-1] in {"am", "pm"}:
        meridian = words.pop()
    if not words:
        return None
    if len(words) == 1 and re.fullmatch(r"\d{1,2}:\d{2}", words[0]):
        hour, minute = (int(p) for p in words[0].split(":"))
    else:
        hour_text = to_number(words[0])
        minute_text = to_number(" ".join(words[1:])) if len(words) > 1 else "0"
        if hour_text is None or minute_text is None:
            return None
        hour, minute = int(float(hour_text)), int(float(minute_text))
    if meridian == "pm" and hour < 12:
        hour += 12
    if meridian == "am" and hour == 12:
        hour = 0
    if not (0 <= hour < 24 and 0 <= minute < 60):
        return None
    return f"{hour:02d}:{minute:02d}"
