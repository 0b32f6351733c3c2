"""Baby-care conversations as parents have them: two children with similar names, answers to the skill's
own questions, impossible values and everyday slips."""

from __future__ import annotations

from datetime import timedelta

from reorder.domain.babylog import EventKind


def _events(shop, demo, child, kind=None):
    kinds = (kind,) if kind else ()
    return shop.babycare.events(demo.id, child, start=shop.clock.now() - timedelta(days=7), kinds=kinds)


def test_which_child_is_a_question_the_answer_completes(parent, shop, demo):
    mia = shop.babycare.add_child(demo.id, "Mia")
    echo = parent()
    turn = echo.say("log a wet diaper")
    assert turn.speech == "Which child, Maya or Mia?", turn.speech
    assert turn.reprompt == "Which child, Maya or Mia?"
    turn = echo.say("mia")
    assert turn.speech.startswith("Logged a wet diaper for Mia."), turn.speech
    assert [e.get("diaper_type") for e in _events(shop, demo, mia.id)] == ["wet"]
    assert _events(shop, demo, "Maya") == []

    turn = echo.say("how many diapers today")
    assert turn.speech == "Which child, Maya or Mia?", turn.speech
    assert "Mia has had one diaper change today" in echo.say("mia").speech


def test_a_name_heard_slightly_wrong_is_the_child_it_resolves_to(parent, shop, demo):
    shop.babycare.add_child(demo.id, "Mia")
    echo = parent()
    turn = echo.say("log a wet diaper for mya")
    assert turn.slot_id("child") == demo.children[0].id  # entity resolution heard Maya
    assert turn.speech.startswith("Logged a wet diaper for Maya."), turn.speech
    assert len(_events(shop, demo, "Maya", EventKind.DIAPER)) == 1


def test_an_unknown_child_is_asked_about_again(parent, shop, demo):
    shop.babycare.add_child(demo.id, "Mia")
    echo = parent()
    turn = echo.say("log a dirty diaper for zoe")
    assert "I don't know a child called zoe" in turn.speech and "Which child, Maya or Mia?" in turn.speech
    assert "What would you like to do" not in turn.speech
    turn = echo.say("maya")
    assert turn.speech.startswith("Logged a dirty diaper for Maya."), turn.speech
    assert [e.get("diaper_type") for e in _events(shop, demo, "Maya")] == ["dirty"]


def test_a_name_that_starts_with_she_is_the_child_spoken_about(parent, shop, demo):
    # The recogniser ran the pronoun and what she did into the name ("she went back down …" asked about a child called
    # "She went"): with one child, she is meant; with two, which one is asked, never a child called "She went".
    echo = parent()
    turn = echo.say("She went back down about twenty minutes ago.")
    assert turn.speech.startswith("Got it, Maya fell asleep 20 minutes ago"), turn.speech
    assert [e.kind for e in _events(shop, demo, "Maya")] == [EventKind.SLEEP]
    shop.babycare.add_child(demo.id, "Mia")
    turn = parent().say("She went back down about twenty minutes ago.")
    assert turn.speech == "Which child, Maya or Mia?", turn.speech


def test_an_impossible_amount_is_said_in_words_and_nothing_is_logged(parent, shop, demo):
    echo = parent()
    turn = echo.say("she ate 400 ounces")
    assert turn.speech.startswith(
        "400 ounces is not possible for a bottle; it must be more than 0 and at most 12 ounces."
    ), turn.speech
    turn = echo.say("she weighs 500 pounds")
    assert turn.speech.startswith(
        "500 pounds is not possible for a weight; it must be more than 0.5 and at most 80 pounds."
    ), turn.speech
    assert " oz" not in turn.speech and " lb" not in turn.speech
    assert _events(shop, demo, None) == []


def test_a_negative_weight_keeps_its_sign_and_is_refused(parent, shop, demo):
    echo = parent()
    turn = echo.say("she weighs negative five pounds")  # once heard as five pounds, and logged
    assert turn.slots["weight"]["value"] == "-5"
    assert "is not possible for a weight" in turn.speech, turn.speech
    assert _events(shop, demo, None) == []


def test_a_feeding_said_with_how_long_ago_is_a_feeding(parent, shop, demo):
    echo = parent()
    turn = echo.say("she ate 4 ounces 30 minutes ago")  # once a pumping session for the parent
    assert turn.intent == "LogFeedingIntent" and turn.slots["ago"]["value"] == "PT30M"
    [feeding] = _events(shop, demo, "Maya", EventKind.FEEDING)
    assert feeding.at == shop.clock.now() - timedelta(minutes=30)
    assert _events(shop, demo, None, EventKind.PUMPING) == []


def test_a_new_routine_with_one_step_is_said_in_the_singular(parent, shop, demo):
    echo = parent()
    turn = echo.say("create a routine")
    assert "What should the routine be called" in turn.speech
    turn = echo.say("morning")
    assert "I created the morning routine with one step." in turn.speech, turn.speech
    assert [s.kind.value for s in shop.routines.find(demo.id, "morning").steps] == ["say"]


def test_a_reminder_weeks_ahead_is_refused_with_the_limit(parent):
    echo = parent()
    turn = echo.say("remind me in 2 weeks to call the doctor")
    assert "from one minute to a week ahead" in turn.speech, turn.speech
    assert "didn't understand" not in turn.speech


def test_a_note_reads_who_it_is_for_before_what_it_says(parent, shop, demo):
    echo = parent()
    assert "What should the note say?" in echo.say("log a note").speech
    turn = echo.say("she rolled over")
    assert turn.speech.startswith("Logged a note for Maya: she rolled over."), turn.speech
    [note] = _events(shop, demo, "Maya", EventKind.NOTE)
    assert note.get("note") == "she rolled over"


def test_a_back_dated_sleep_says_when(parent, shop, demo, clock):
    echo = parent()
    clock.advance(timedelta(hours=3))
    now = clock.now()
    turn = echo.say("she fell asleep 2 hours ago")
    assert turn.speech.startswith("Got it, Maya fell asleep 2 hours ago."), turn.speech
    assert "Sleep well" not in turn.speech
    [start] = _events(shop, demo, "Maya", EventKind.SLEEP)
    assert start.at == now - timedelta(hours=2)


def test_a_sleep_said_around_a_listed_phrase_and_a_clock_time_without_pm(parent, shop, demo, clock):
    # "went down for her nap" holds "went down" (fell asleep); "quarter to two" said in the afternoon is 1:45 p.m.
    echo = parent()
    clock.advance(timedelta(hours=5))  # the demo's clock starts at 9 a.m. in the household's zone: 2 p.m. now
    turn = echo.say("she finally went down for her nap at quarter to two")
    assert "fell asleep" in turn.speech and "asleep, or wake up" not in turn.speech, turn.speech
    [start] = _events(shop, demo, "Maya", EventKind.SLEEP)
    assert start.at == clock.now() - timedelta(minutes=15), (start.at, clock.now())
    clock.advance(timedelta(minutes=35))
    turn = echo.say("and she's up again already, that was a short one")
    assert "woke up" in turn.speech and "50 minutes" in turn.speech, turn.speech


def test_asleep_since_a_while_ago_is_a_sleep_started_then(parent, shop, demo, clock):
    echo = parent()
    turn = echo.say("she's been asleep since about twenty minutes ago")
    assert "fell asleep" in turn.speech, turn.speech
    [start] = _events(shop, demo, "Maya", EventKind.SLEEP)
    assert start.at == clock.now() - timedelta(minutes=20)


def test_what_to_note_said_first_is_the_note_and_no_sleep_ends(parent, shop, demo, clock):
    # "sleeper" is near "sleep": the note must not end the nap the log has going.
    echo = parent()
    echo.say("she's been asleep since about twenty minutes ago")
    turn = echo.say("she spit up all over her sleeper before that, can you jot that down")
    [note] = _events(shop, demo, "Maya", EventKind.NOTE)
    assert note.get("note") == "she spit up all over her sleeper before that", turn.speech
    assert len(_events(shop, demo, "Maya", EventKind.SLEEP)) == 1


def test_the_last_thing_logged_is_read_back_whatever_it_was(parent, shop, demo, clock):
    echo = parent()
    assert "nothing in Maya's log" in echo.say("what's the last thing I logged for her").speech
    echo.say("log a wet diaper")
    clock.advance(timedelta(minutes=5))
    echo.say("she had four ounces of formula")
    clock.advance(timedelta(minutes=10))
    turn = echo.say("what's the last thing I logged for her")
    assert turn.intent == "LastEventQueryIntent"
    assert turn.speech.startswith("The last entry for Maya is") and "formula" in turn.speech, turn.speech
    assert "10 minutes ago" in turn.speech, turn.speech
    assert len(_events(shop, demo, "Maya", EventKind.FEEDING)) == 1  # a question writes nothing


def test_a_diaper_told_as_a_correction_with_no_diaper_to_correct_is_logged(parent, shop, demo):
    echo = parent()
    turn = echo.say("changed her, it was just pee")
    assert "nothing in the log to correct" not in turn.speech, turn.speech
    [diaper] = _events(shop, demo, "Maya", EventKind.DIAPER)
    assert diaper.get("diaper_type") == "wet"
    echo.say("she had four ounces of formula")
    turn = echo.say("oh and it was dirty")  # the last entry is a feeding: a diaper of its own
    diapers = _events(shop, demo, "Maya", EventKind.DIAPER)
    assert len(diapers) == 2 and len(_events(shop, demo, "Maya", EventKind.FEEDING)) == 1, turn.speech


def test_help_or_a_slip_during_a_slot_question_asks_it_again_and_the_answer_still_logs(parent, shop, demo):
    echo = parent()
    assert echo.say("log a diaper for maya").speech == "Was it wet, dirty, or both?"
    turn = echo.say("help")
    assert turn.speech == "You can answer my question, or say stop to leave it. Was it wet, dirty, or both?"
    turn = echo.say("banana phone")
    assert turn.speech == "Sorry, I didn't get that. Was it wet, dirty, or both?"
    turn = echo.say("wet")
    assert turn.intent == "LogDiaperIntent" and turn.speech.startswith("Logged a wet diaper for Maya.")
    assert [e.get("diaper_type") for e in _events(shop, demo, "Maya", EventKind.DIAPER)] == ["wet"]
    assert "feedings, diapers and sleep" in echo.say("help").speech  # nothing open: the skill's own help


def test_a_question_about_diapers_logs_no_diaper(parent, shop, demo):
    echo = parent()
    for said in ("what's the cheapest diapers", "which diapers are cheapest"):
        turn = echo.say(said)
        assert turn.intent != "LogDiaperIntent", turn.speech
    assert _events(shop, demo, None) == []


def test_when_a_child_woke_up_is_the_end_of_the_last_sleep(parent, shop, demo, clock):
    echo = parent()
    echo.say("she fell asleep 3 hours ago")
    clock.advance(timedelta(minutes=10))
    turn = echo.say("what time did she wake up")
    assert turn.intent == "LastEventQueryIntent", turn.intent
    assert "I don't have a time when Maya woke up" in turn.speech, turn.speech
    echo.say("she woke up 40 minutes ago")
    [_, end] = sorted(_events(shop, demo, "Maya", EventKind.SLEEP), key=lambda e: e.at)
    assert end.get("action") == "end"
    for said in ("what time did she wake up", "when did maya last wake up"):
        turn = echo.say(said)
        assert turn.speech.startswith("Maya last woke up 40 minutes ago"), (said, turn.speech)
    assert echo.say("when did she last fall asleep").speech.startswith("Maya last fell asleep"), "sleep unchanged"


def test_a_milk_named_after_a_feeding_corrects_the_bottle_and_buys_nothing(parent, shop, demo):
    # "formula" is a product too; right after a bottle was logged the correction is the bottle's.
    echo = parent()
    echo.say("she had a bottle, three ounces")
    turn = echo.say("no it was formula, the formula")  # heard with a product as well as a milk
    assert turn.slot_value("product") == "formula"
    assert "formula" in turn.speech and "Added" not in turn.speech, turn.speech
    assert not shop.carts.get(demo.id).lines
    [feeding] = _events(shop, demo, "Maya", EventKind.FEEDING)
    assert feeding.get("milk_type") == "formula"


def test_a_question_while_a_slot_is_asked_for_is_answered_and_the_slot_asked_again(parent, shop, demo):
    echo = parent()
    turn = echo.say("log a bottle")
    question = turn.reprompt
    assert question and "ounces" in question.lower(), turn.speech
    turn = echo.say("hmm, when did she last eat?")
    assert turn.intent == "LastEventQueryIntent"
    assert turn.speech.endswith(question) and turn.reprompt == question
    turn = echo.say("five ounces of formula")
    assert turn.speech.startswith("Logged"), turn.speech
    feeds = _events(shop, demo, "Maya", EventKind.FEEDING)
    assert len(feeds) == 1 and feeds[0].get("amount") == 5


def test_details_of_another_kind_of_entry_never_move_the_last_one(parent, shop, demo, clock):
    # Round 18's grandmother: a feeding told in a correction's words after a diaper had moved the diaper to the
    # bottle's time and dropped the bottle. The details fit no diaper, so they are a feeding of their own.
    echo = parent()
    echo.say("she had a wet diaper just now")
    [diaper] = _events(shop, demo, "Maya", EventKind.DIAPER)
    turn = echo.say("she took about four ounces. i believe it was formula. that was at around half past nine.")
    assert "changed" not in turn.speech.lower(), turn.speech
    [still] = _events(shop, demo, "Maya", EventKind.DIAPER)
    assert still.at == diaper.at and still.get("diaper_type") == "wet"
    [feeding] = _events(shop, demo, "Maya", EventKind.FEEDING)
    assert feeding.get("amount") == 4 and feeding.get("milk_type") == "formula"
    # A correction whose details fit neither the last entry nor a new feeding changes nothing, and says so.
    echo.say("she's asleep")
    sleeps = _events(shop, demo, "Maya", EventKind.SLEEP)
    turn = echo.say("no, it was the left side")
    assert "left it as it is" in turn.speech, turn.speech
    assert _events(shop, demo, "Maya", EventKind.SLEEP) == sleeps


def test_the_last_bottle_is_the_last_bottle_not_the_last_meal(parent, shop, demo, clock):
    # Round 18: "when was her last bottle?" after peas at dinner was answered with the peas.
    echo = parent()
    echo.say("she had a four ounce bottle of breast milk")
    clock.advance(timedelta(minutes=30))
    echo.say("she had half a jar of peas")
    turn = echo.say("when was her last bottle?")
    assert "30 minutes ago" in turn.speech and "breast milk" in turn.speech and "peas" not in turn.speech, turn.speech
    assert "one bottle" in echo.say("how many bottles has she had today").speech
    assert "peas" in echo.say("when did she last eat").speech


def test_words_misheard_as_another_kinds_details_leave_the_time_said_as_the_correction(parent, shop, demo, clock):
    # Round 11: "half" heard as an amount and "wait" as a diaper are no feeding; the time said is the correction.
    echo = parent()
    echo.say("and she had her gas drops, 0.3, point three of a ml")
    [dose] = _events(shop, demo, "Maya", EventKind.MEDICINE)
    turn = echo.say("oh wait, the gas drops weren't just now, that was at 5 30, half past five")
    assert "changed" in turn.speech.lower() and "Logged" not in turn.speech, turn.speech
    [moved] = _events(shop, demo, "Maya", EventKind.MEDICINE)
    assert moved.at != dose.at
    assert not _events(shop, demo, "Maya", EventKind.FEEDING) and not _events(shop, demo, "Maya", EventKind.DIAPER)


def test_a_medicine_named_as_a_correction_after_a_diaper_corrects_the_last_dose(parent, shop, demo, clock):
    # Round 19: the dose was logged, then a diaper; "it was panadol, not calpol" is about the dose (it had been read
    # as an undo, which deleted the diaper).
    echo = parent()
    echo.say("she had two and a half mls of calpol")
    clock.advance(timedelta(minutes=20))
    echo.say("and a wet diaper")
    turn = echo.say("I made a mistake. It was Panadol, not Calpol.")
    assert "panadol" in turn.speech.lower(), turn.speech
    [dose] = _events(shop, demo, "Maya", EventKind.MEDICINE)
    assert "panadol" in str(dose.get("medicine")).lower()
    [diaper] = _events(shop, demo, "Maya", EventKind.DIAPER)
    assert diaper.get("diaper_type") == "wet"


def test_an_amount_corrected_with_no_unit_keeps_the_entrys_unit(parent, shop, demo):
    # "No, it was one hundred fifty" after 120 ml had been read as 150 ounces, and refused as no possible bottle.
    echo = parent()
    turn = echo.say("Maya drank a bottle now, one hundred and twenty ml of formula.")
    assert turn.speech.startswith("Logged 120 milliliters of formula for Maya"), turn.speech
    turn = echo.say("Ah, sorry, no, it was one hundred fifty.")
    assert "150 milliliters" in turn.speech and "not possible" not in turn.speech, turn.speech
    assert [(e.get("amount"), e.get("unit")) for e in _events(shop, demo, "Maya")] == [(150.0, "ml")]
    turn = echo.say("no, it was five ounces")  # a unit said is the unit
    assert [(e.get("amount"), e.get("unit")) for e in _events(shop, demo, "Maya")] == [(5.0, "oz")]


def test_a_measure_said_right_after_a_growth_entry_corrects_it(parent, shop, demo):
    # Persona round 22's Jamaican grandmother: the second weight had logged a second growth entry (or fallen back).
    echo = parent()
    echo.say("she weighs fourteen pounds and she is twenty four inches long")
    turn = echo.say("sorry, I mean fifteen pounds, not fourteen")
    assert turn.speech.startswith("Okay, I changed it to"), turn.speech
    [growth] = _events(shop, demo, "Maya", EventKind.GROWTH)
    assert (growth.get("weight"), growth.get("length")) == (15.0, 24.0)
    echo.say("she had four ounces of formula")
    echo.say("she weighs sixteen pounds")  # after another entry: a new measure, not a correction
    assert len(_events(shop, demo, "Maya", EventKind.GROWTH)) == 2
    echo.say("and her length was sixty-three centimetres")  # a measure the entry lacks: one of its own (round 8)
    assert len(_events(shop, demo, "Maya", EventKind.GROWTH)) == 3
