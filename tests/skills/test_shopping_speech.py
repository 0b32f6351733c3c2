"""Speech helpers: money, quantities, dates and lists said naturally, outside strings SSML-safe."""

from __future__ import annotations

from datetime import date

import pytest

from skills.common import speech
from skills.common.slots import parse_number
from skills.shopping.dialog import spoken_code


@pytest.mark.parametrize(
    ("cents", "said"),
    [
        (4799, "47 dollars and 99 cents"),
        (100, "1 dollar"),
        (101, "1 dollar and 1 cent"),
        (5, "5 cents"),
        (0, "0 cents"),
        (250_00, "250 dollars"),
        (-150, "minus 1 dollar and 50 cents"),
    ],
)
def test_money(cents, said):
    assert speech.money(cents) == said


def test_quantities_and_items():
    assert speech.quantity(2, "pack") == "two packs of"
    assert speech.quantity(1, "box") == "one box of"
    assert speech.quantity(3, "pouch") == "three pouches of"
    assert speech.quantity(42, "can") == "42 cans of"
    assert speech.item(2, "bag", "Tide & <Pods>") == "two bags of Tide &amp; &lt;Pods&gt;"


def test_dates():
    assert speech.spoken_date(date(2026, 11, 4)) == "Wednesday, November 4th"
    assert speech.spoken_date(date(2026, 11, 1)) == "Sunday, November 1st"
    assert speech.spoken_date(date(2026, 11, 22)) == "Sunday, November 22nd"
    assert speech.spoken_date(date(2026, 11, 13)) == "Friday, November 13th"
    assert speech.spoken_date(date(2026, 11, 3), today=date(2026, 11, 2)) == "tomorrow"
    assert speech.spoken_date(date(2026, 11, 2), today=date(2026, 11, 2)) == "today"


def test_lists():
    assert speech.join([]) == ""
    assert speech.join(["A"]) == "A"
    assert speech.join(["A", "B"]) == "A and B"
    assert speech.join(["A", "B", "C"]) == "A, B and C"
    assert speech.options(["A&B", "C"]) == "A&amp;B or C"


def test_escape_removes_control_characters_and_markup():
    assert speech.escape("<speak>\x00'\"&") == "&lt;speak&gt;&apos;&quot;&amp;"


def test_escape_writes_what_xml_sax_escape_writes():
    import random
    from xml.sax.saxutils import escape as sax_escape

    rng = random.Random(0)
    alphabet = "&<>\"'ab é\x01\x1f\t\n\r;amp"
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        expected = sax_escape(text.translate(speech._CONTROL), {'"': "&quot;", "'": "&apos;"})
        assert speech.escape(text) == expected, repr(text)


@pytest.mark.parametrize(
    ("said", "number"),
    [
        ("3", 3),
        ("three", 3),
        ("a dozen", 12),
        ("the second one", 2),
        ("2nd", 2),
        ("last", -1),
        ("many", None),
        (None, None),
        ("", None),
        ("9" * 50, int("9" * 12)),
    ],
)
def test_spoken_numbers(said, number):
    assert parse_number(said) == number


@pytest.mark.parametrize(
    ("said", "code"),
    [
        ("1234", "1234"),
        ("one two three four", "1234"),
        ("12 34", "1234"),
        ("oh one two three", "0123"),
        ("123", None),
        ("12345", None),
        ("١٢٣٤", None),
        (None, None),
        ("abcd", None),
    ],
)
def test_spoken_codes(said, code):
    assert spoken_code(said) == code
