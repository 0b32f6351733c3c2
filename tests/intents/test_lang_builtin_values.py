import datetime as dt

import pytest

from intents.builtin_values import parse_date, parse_duration, parse_four_digit, parse_number, parse_time


@pytest.mark.parametrize(
    "said, value",
    [
        ("24", "24"),
        ("twenty four", "24"),
        ("a dozen", "12"),
        ("two dozen", "24"),
        ("half a dozen", "6"),
        ("one hundred and twenty", "120"),
        ("second", "2"),
        ("the", None),
        ("a", None),
        ("twenty first", "21"),
        ("three thousand", "3000"),
        ("banana", None),
        ("minus five", "-5"),
        ("negative 2 point 5", "-2.5"),
        ("minus", None),
        ("negative zero", "0"),
        ("forth", "4"),
    ],
)
def test_number(said, value):
    assert parse_number(said.split()) == value


@pytest.mark.parametrize(
    "said, value",
    [
        ("one two three four", "1234"),
        ("1234", "1234"),
        ("twelve thirty four", "1234"),
        ("oh four one nine", "0419"),
        ("1 2 3 4", "1234"),
        ("123", None),
        ("one two three four five", None),
        ("one two three x", None),
    ],
)
def test_four_digit_number(said, value):
    assert parse_four_digit(said.split()) == value


@pytest.mark.parametrize(
    "said, value",
    [
        ("in three hours", "PT3H"),
        ("20 minutes", "PT20M"),
        ("an hour and a half", "PT1H30M"),
        ("half an hour", "PT30M"),
        ("two and a half hours", "PT2H30M"),
        ("ten days", "P10D"),
        ("a week", "P1W"),
        ("two hours and fifteen minutes", "PT2H15M"),
        ("three", None),
        ("hours", "PT1H"),
        ("for hours", None),  # "she cried for hours"; "in for hours" is four, misheard
        ("for two hours", "PT2H"),
        ("blue minutes", None),
    ],
)
def test_duration(said, value):
    assert parse_duration(said.split()) == value


@pytest.mark.parametrize(
    "said, value",
    [
        ("3 pm", "15:00"),
        ("noon", "12:00"),
        ("midnight", "00:00"),
        ("three thirty", "03:30"),
        ("three thirty pm", "15:30"),
        ("quarter to five", "04:45"),
        ("half past two", "02:30"),
        ("7 o'clock", "07:00"),
        ("4:30", "04:30"),
        ("12 am", "00:00"),
        ("morning", "MO"),
        ("seven tonight", "19:00"),
        ("nine in the morning", "09:00"),
        ("four this afternoon", "16:00"),
        ("seven thirty in the evening", "19:30"),
        ("ten at night", "22:00"),
        ("twelve tonight", "00:00"),
        ("this morning", None),
        ("a", None),
        ("25 pm", None),
        ("banana", None),
    ],
)
def test_time(said, value):
    assert parse_time(said.split()) == value


@pytest.mark.parametrize(
    "said, value",
    [
        ("today", "2026-11-23"),
        ("tomorrow", "2026-11-24"),
        ("yesterday", "2026-11-22"),
        ("last tuesday", "2026-11-17"),
        ("next monday", "2026-11-30"),
        ("friday", "2026-11-27"),
        ("november twenty fifth", "2026-11-25"),
        ("the 3rd of december", "2026-12-03"),
        ("next week", "2026-W49"),
        ("in three days", "2026-11-26"),
        ("february thirtieth", None),
        ("someday", None),
    ],
)
def test_date_relative_to_injected_today(said, value):
    assert parse_date(said.split(), dt.date(2026, 11, 23)) == value


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("half five", "05:30"),  # British English: half past five
        ("half five this morning", "05:30"),
        ("about eleven last night", "23:00"),
        ("seven last night", "19:00"),
    ],
)
def test_british_half_hours_and_last_night_are_clock_times(said, value):
    assert parse_time(said.split()) == value


@pytest.mark.parametrize(
    ("said", "value"),
    [
        # Round 17: a night logged with loose times.
        ("a bit after three", "03:00"),
        ("just before six", "06:00"),
        ("like twenty to three", "02:40"),
        ("shortly after half four", "04:30"),
        ("just after", None),  # a hedge alone is no time
        ("like", None),
    ],
)
def test_a_time_said_loosely_is_the_time_it_is_near(said, value):
    assert parse_time(said.split()) == value


@pytest.mark.parametrize(("said", "value"), [("half four", None), ("one half", "0.5"), ("four and a half", "4.5")])
def test_a_fraction_is_said_after_the_whole(said, value):
    # "half four" is half past four in British English, never four and a half.
    assert parse_number(said.split()) == value


def test_a_feed_around_half_four_is_at_half_past_four_not_half_an_ounce(engine):
    # Round 17 (c10): "Logged a 4.5 ounce bottle for Maya" for a breastfeed at half past four.
    result = engine.parse("fed her on the left for about fifteen minutes around half four")
    values = {k: s.value for k, s in result.slots.items() if s.value}
    assert values == {"side": "left", "duration": "PT15M", "time": "04:30"}


def test_a_side_said_apart_is_still_the_side(engine):
    # Round 17 (c11): "right" is also a filler ("right, ..."), and as a word left over it was never the side.
    result = engine.parse("fed her again around half three, right side, ten minutes or so")
    values = {k: s.value for k, s in result.slots.items() if s.value}
    assert values == {"side": "right", "duration": "PT10M", "time": "03:30"}
    assert "side" not in {k for k, s in engine.parse("right, she had four ounces").slots.items() if s.value}


def test_ten_past_six_is_one_clock_time(engine):
    # Round 13 (c19): "the nap was ten past six" had read "ten" as the time and "six" as the waking, and a sleep of
    # eight hours was logged.
    assert engine.parse("she slept from ten past six till seven").slots["time"].value == "06:10"
    slots = engine.parse("the nap was ten past six").slots
    assert slots["until"].value is None and slots["time"].value in (None, "06:10")


def test_minutes_to_or_past_an_hour_are_said_in_fives_so_four_till_seven_is_a_span(engine):
    # Round 21 (c10): "then she slept from about four till seven" had logged a sleep ending at 6:56.
    assert parse_time("ten till seven".split()) == "06:50" and parse_time("twenty five past six".split()) == "06:25"
    assert parse_time("four till seven".split()) is None and parse_time("seven to nine".split()) is None
    slots = engine.parse("then she slept from about four till seven").slots
    assert (slots["time"].value, slots["until"].value) == ("04:00", "07:00")


def test_a_time_of_day_is_no_unlisted_value_of_a_closed_list(engine):
    # Round 21 (c10): the unit of "log a bottle at three this morning, five ounces of formula" had been "this
    # morning" (an unlisted unit, at a price the alignment paid rather than skip the words); the skill asked again
    # for the amount. A list's own value stays: "night time diapers" is a product.
    slots = engine.parse("log a bottle at three this morning, five ounces of formula").slots
    assert (slots["amount"].value, slots["volumeUnit"].value, slots["time"].value) == ("5", "ounces", "03:00")
    assert engine.parse("add night time diapers").slots["product"].value == "night time diapers"


def test_a_sleep_logged_a_bit_after_three(engine):
    result = engine.parse("she went back down a bit after three")
    assert (result.intent, result.slots["time"].value) == ("LogSleepIntent", "03:00")


@pytest.mark.parametrize(
    ("said", "intent", "slots"),
    [
        # Round 18, a parent at dawn in fragments: "like half five" alone had read as halving a count in the cart.
        ("and a dirty one before that. like half five.", "LogDiaperIntent", {"diaperType": "dirty", "time": "05:30"}),
        (
            "motrin. one and a half milliliters. around six too.",
            "LogMedicineIntent",
            {"medicine": "motrin", "dose": "one and a half milliliters", "time": "06:00"},
        ),
        ("she fell asleep. about ten past six.", "LogSleepIntent", {"sleepAction": "fell asleep", "time": "06:10"}),
        ("remind me to feed her, at six thirty", "SetReminderIntent", {"task": "feed her", "time": "06:30"}),
        # Round 22's night-shift nurse: "six thirty" alone reads as the number 630 too, and had been a choice.
        (
            "Tylenol. Two point five mls. Six thirty.",
            "LogMedicineIntent",
            {"medicine": "Tylenol", "dose": "Two point five mls", "time": "06:30"},
        ),
    ],
)
def test_a_clock_time_said_apart_is_when_the_request_happened(engine, said, intent, slots):
    result = engine.parse(said)
    assert result.intent == intent
    assert {k: s.value for k, s in result.slots.items() if s.value is not None} == slots


def test_a_part_that_is_a_count_or_one_word_is_no_time_said_apart(engine):
    time = engine.parse("wet one. two.").slots.get("time")
    assert time is None or time.value is None
    assert engine.parse("new routine, morning").slots["routine"].value == "morning"


@pytest.mark.parametrize(("said", "value"), [("a single", "1"), ("the single one", "1"), ("a single one", "1")])
def test_a_single_is_one(said, value):
    assert parse_number(said.split()) == value


@pytest.mark.parametrize(
    ("said", "time"),
    [
        ("oh six hundred", "06:00"),
        ("zero six thirty", "06:30"),
        ("six hundred hours", "06:00"),
        ("fourteen hundred hours", "14:00"),
        ("twenty three hundred", "23:00"),
        ("eighteen forty five", "18:45"),
    ],
)
def test_a_time_on_the_twenty_four_hour_clock(said, time):
    assert parse_time(said.split()) == time


@pytest.mark.parametrize("said", ["six hundred", "five hundred", "oh five"])
def test_a_number_in_hundreds_is_no_time(said):
    assert parse_time(said.split()) is None


@pytest.mark.parametrize(
    ("said", "time", "task"),
    [
        ("remind me four o'clock afternoon give baby bath", "16:00", "give baby bath"),
        ("reminder for 4 pm to pump", "16:00", "pump"),
        ("remind me tonight to buy wipes", "NI", "buy wipes"),
    ],
)
def test_a_time_said_at_the_start_of_free_text_is_the_time(engine, said, time, task):
    # Round 21 (c20): the task had been "four o'clock afternoon give baby bath", and the skill asked when.
    slots = engine.parse(said).slots
    assert (slots["time"].value, slots["task"].value) == (time, task)
    # A bare number opens free text as often: it stays there.
    assert engine.parse("note two teeth came in").slots["note"].value == "two teeth came in"
