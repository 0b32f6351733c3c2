"""Saying things naturally: money, quantities, dates and lists, with every outside string made SSML-safe.

Everything here returns plain text that is already escaped for SSML, so handlers may drop the result
straight into `<speak>…</speak>`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date

_SMALL = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
)
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_IRREGULAR_PLURALS = {
    "box": "boxes",
    "bottle": "bottles",
    "bag": "bags",
    "can": "cans",
    "pack": "packs",
    "pouch": "pouches",
    "tub": "tubs",
    "jar": "jars",
    "case": "cases",
    "roll": "rolls",
}
# Control characters are not allowed in XML at all; SSML with one is rejected by the speaker.
_CONTROL = {c: None for c in range(32) if c not in (9, 10, 13)}
# The markup characters as xml.sax.saxutils.escape writes them (with quotes); one table, one pass, and no
# import of xml.sax, which brings urllib.request with it (~8 ms of every process that builds the skill).
_SSML_SAFE: dict[int, str | None] = {
    **_CONTROL,
    **{ord(c): e for c, e in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))},
}
_SSML_SAFE.update({ord('"'): "&quot;", ord("'"): "&apos;"})


def escape(text: object) -> str:
    """Any catalog or user string, safe inside SSML: markup characters escaped, control characters gone."""
    return str(text).translate(_SSML_SAFE)


def number(n: int) -> str:
    """Small counts as words ("two"), larger ones as digits, which speakers read well."""
    return _SMALL[n] if 0 <= n < len(_SMALL) else str(n)


def ordinal(n: int) -> str:
    """1 → "first"; beyond tenth, "11th"."""
    if 1 <= n <= len(_ORDINALS):
        return _ORDINALS[n - 1]
    return f"{n}{_suffix(n)}"


def _suffix(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def plural(word: str, count: int) -> str:
    if count == 1:
        return word
    if word in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[word]
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def money(cents: int) -> str:
    """4799 → "47 dollars and 99 cents"; 100 → "1 dollar"; 5 → "5 cents"."""
    cents = int(cents)
    sign = "minus " if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    parts = []
    if dollars:
        parts.append(f"{dollars} {plural('dollar', dollars)}")
    if rest or not dollars:
        parts.append(f"{rest} {plural('cent', rest)}")
    return sign + " and ".join(parts)


def quantity(count: int, unit: str = "pack") -> str:
    """(2, "pack") → "two packs of"; (1, "box") → "one box of"."""
    return f"{number(count)} {plural(unit or 'pack', count)} of"


def item(count: int, unit: str, name: str) -> str:
    """ "two packs of Bounty paper towels", escaped, sizes said naturally."""
    return f"{quantity(count, unit)} {escape(natural_sizes(name))}"


def spoken_date(day: date, today: date | None = None) -> str:
    """ "Wednesday, November 4th"; "today" and "tomorrow" when they are."""
    if today is not None:
        if day == today:
            return "today"
        if (day - today).days == 1:
            return "tomorrow"
    return f"{day:%A}, {day:%B} {day.day}{_suffix(day.day)}"


def spoken_day(day: date, today: date) -> str:
    """Within the coming week just the weekday ("Thursday"), else as spoken_date; today and tomorrow too."""
    if 2 <= (day - today).days <= 6:
        return f"{day:%A}"
    return spoken_date(day, today)


def join(items: Iterable[str], conjunction: str = "and") -> str:
    """["A", "B", "C"] → "A, B and C" (items are taken as already escaped)."""
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def options(names: Sequence[str]) -> str:
    """ "A or B" for a disambiguation question, escaped."""
    return join([escape(n) for n in names], "or")


LIST_LIMIT = 3  # items read from a list before "and 2 more" (the rest is on the card)


def join_some(items: Sequence[str], limit: int = LIST_LIMIT) -> str:
    """At most `limit` items, then how many more: "A, B, C and 2 more" (items already escaped)."""
    items = [i for i in items if i]
    if len(items) <= limit:
        return join(items)
    return f"{', '.join(items[:limit])} and {number(len(items) - limit)} more"


_PACKS_OF = re.compile(r"\b(\d+) packs? of (\d+)\b")
_MEASURES = (
    (re.compile(r"\b(\d+(?:\.\d+)?) ?fl\.? oz\b"), "fluid ounce"),
    (re.compile(r"\b(\d+(?:\.\d+)?) ?oz\b"), "ounce"),
    (re.compile(r"\b(\d+(?:\.\d+)?) ?lbs?\b"), "pound"),
    (re.compile(r"\b(\d+(?:\.\d+)?) ?ct\b"), "count"),
)


def natural_sizes(text: str) -> str:
    """Catalog sizes as people say them: "6 packs of 56" → "six 56-count packs", "30.8 oz" → "30.8 ounce"."""

    def packs(match: re.Match) -> str:
        count, each = int(match.group(1)), match.group(2)
        return f"a {each}-count pack" if count == 1 else f"{number(count)} {each}-count packs"

    text = _PACKS_OF.sub(packs, text)
    for pattern, word in _MEASURES:
        text = pattern.sub(rf"\1 {word}", text)
    return text
