"""Baby-care conversations through the device simulator: every log type, the questions, routines, reminders
and the supply offer, with the clock fast-forwarded across days and a time-zone change."""

from __future__ import annotations

from datetime import timedelta

from reorder.domain.babylog import EventKind


def _events(shop, demo, kind=None):
    kinds = (kind,) if kind else ()
    return shop.babycare.events(demo.id, None, start=shop.clock.now() - timedelta(days=7), kinds=kinds)


def test_every_log_type_by_voice(parent, shop, demo, clock):
    echo = parent()
    said = {
        "log a wet diaper": "Logged a wet diaper for Maya",
        "she ate 4 ounces of formula": "Logged 4 ounces of formula for Maya",
        "she nursed on the left side for 15 minutes": "15 minutes on the left side",
        "i gave her infant tylenol two point five milliliters": "infant tylenol, two point five milliliters",
        "i pumped 3 ounces": "Logged 3 ounces pumped",
        "she weighs 17 pounds": "Logged 17 pounds for Maya",
        "note that she smiled": "a note for Maya: she smiled",
        "log a dirty diaper at 3 pm": "a dirty diaper",
    }
    clock.advance(timedelta(hours=8))  # 5 p.m. in New York, so "3 pm" is earlier today
    for utterance, expected in said.items():
        turn = echo.say(utterance)
        assert expected.lower() in turn.speech.lower(), (utterance, turn.speech)
        clock.advance(timedelta(minutes=5))
    kinds = [e.kind for e in _events(shop, demo)]
    for kind in (EventKind.DIAPER, EventKind.FEEDING, EventKind.MEDICINE, EventKind.GROWTH, EventKind.NOTE):
        assert kind in kinds
    dirty = _events(shop, demo, EventKind.DIAPER)[0]
    assert dirty.get("diaper_type") == "dirty" and dirty.at.astimezone(demo.tz).hour == 15
    assert all(e.logged_by == demo.members[0].id and e.channel == "voice" for e in _events(shop, demo))


def test_sleep_questions_and_undo(parent, shop, demo, clock):
    echo = parent()
    assert "fell asleep" in echo.say("she fell asleep").speech
    clock.advance(timedelta(hours=1, minutes=10))
    assert "asleep for 1 hour and 10 minutes" in echo.say("how long has she been asleep").speech
    assert "after 1 hour and 10 minutes of sleep" in echo.say("she woke up").speech
    assert "deleted the wake-up" in echo.say("undo that").speech
    assert "asleep for" in echo.say("how long has she been asleep").speech


def test_questions_are_answered_as_a_parent_would_say_them(parent, shop, demo, clock):
    echo = parent()
    echo.say("she ate 4 ounces of formula")
    echo.say("log a wet diaper")
    clock.advance(timedelta(hours=2, minutes=10))
    turn = echo.say("when did maya last eat")
    assert "Maya last ate 2 hours and 10 minutes ago, 4 ounces of formula" in turn.speech
    assert "one wet diaper today" in echo.say("how many wet diapers today").speech
    assert "4 ounces from bottles" in echo.say("how much did she drink today").speech
    assert "Maya today" in echo.say("give me today's summary").speech


def test_bad_input_gets_a_clear_answer_and_no_entry(parent, shop, demo):
    echo = parent()
    turn = echo.say("she ate 90 ounces of formula")
    assert "not possible" in turn.speech and not turn.session_ended
    assert _events(shop, demo) == []


def test_a_second_caregivers_diaper_is_flagged_not_doubled(parent, shop, demo, clock):
    alex, sam = parent(0), parent(1)
    alex.say("log a wet diaper")
    clock.advance(timedelta(seconds=40))
    assert "already logged" in sam.say("log a wet diaper").speech
    assert shop.babycare.day_summary(demo.id, None).diaper_changes == 1


def test_formula_guidance_and_medical_referral(parent):
    echo = parent()
    turn = echo.say("how do i make 6 ounces of formula")
    assert "6 ounces of water" in turn.speech and "3 level scoops" in turn.speech and "safe water" in turn.speech
    turn = echo.say("she has a fever what should i give her")
    assert "pediatrician" in turn.speech and "9 1 1" in turn.speech
    # The thermometer read in degrees celsius, as outside the united states: the same worry, the same referral.
    turn = echo.say("her temperature is thirty eight point five, is that a fever")
    assert "pediatrician" in turn.speech, turn.speech


def test_bedtime_routine_plays_white_noise_and_runs_on_schedule(parent, shop, demo, clock):
    echo = parent()
    turn = echo.say("start the bedtime routine")
    assert "Starting the bedtime routine" in turn.speech
    assert any(d.get("type") == "AudioPlayer.Play" for d in turn.directives)
    assert shop.babycare.sleep_state(demo.id, None)[1] is not None

    echo = parent()
    assert "every day at 7:00 PM" in echo.say("create a morning routine at 7 pm").speech
    notes = len(shop.notifications.pending(demo.id))
    clock.advance(timedelta(days=2))  # Monday 9 a.m. to Wednesday 9 a.m.: two evenings
    ran = [n for n in shop.notifications.pending(demo.id) if n.kind == "routine_ran"]
    assert len(ran) == 2 and len(shop.notifications.pending(demo.id)) >= notes + 2


def test_reminders_use_the_alexa_api_and_fire_on_the_simulated_clock(parent, clock):
    echo = parent()
    turn = echo.say("remind me to feed her in 3 hours")
    assert "remind you to feed her in 3 hours" in turn.speech  # what was understood, said back
    assert echo.advance(timedelta(hours=2, minutes=59)) == []
    fired = echo.advance(timedelta(minutes=2))
    assert any("Time to feed her" in f for f in fired)


def test_without_permission_the_skill_sends_the_consent_card(parent):
    echo = parent()
    echo.revoke("reminders")
    turn = echo.say("remind me to feed her in 3 hours")
    assert "permission" in turn.speech
    assert turn.card and turn.card.get("type") == "AskForPermissionsConsent"


def test_supply_offer_goes_through_the_shopping_confirmation_once_a_day(parent, shop, demo, clock):
    # Yesterday's eight changes, logged from the web page: a day of log gives a daily rate.
    for hours_ago in range(3, 27, 3):
        shop.babycare.log(
            demo.id, "diaper", {"diaper_type": "wet"}, at=clock.now() - timedelta(hours=hours_ago), channel="web"
        )
    echo = parent()
    turn = echo.say("log a wet diaper")
    estimates = {e.kind: e for e in shop.babycare.supplies(demo.id)}
    soonest = min(estimates.values(), key=lambda e: e.days_left)
    assert soonest.days_left <= 3, "the demo family's last deliveries are running low"
    assert "Logged a wet diaper for Maya" in turn.speech and " left." in turn.speech
    assert "Should I place the order?" in turn.speech and soonest.product.brand in turn.speech
    before = len(shop.orders.recent(demo.id, limit=50))
    turn = echo.say("yes")
    assert "Done. I ordered" in turn.speech
    orders = shop.orders.recent(demo.id, limit=50)
    assert len(orders) == before + 1 and orders[0].lines[0].product_id == soonest.product.id
    # Once a day: the next logging turn today says nothing about supplies.
    clock.advance(timedelta(hours=1))
    assert " left." not in echo.say("log a dirty diaper").speech
    clock.advance(timedelta(days=1))
    # Another day of changes keeps the rate up while the new box is still on its way.
    for hours_ago in range(3, 24, 3):
        shop.babycare.log(
            demo.id, "diaper", {"diaper_type": "wet"}, at=clock.now() - timedelta(hours=hours_ago), channel="web"
        )
    echo = parent()
    turn = echo.say("log a wet diaper")
    assert "Logged a wet diaper" in turn.speech and " left." in turn.speech  # a new day, a new offer
    assert "won't order" in echo.say("no").speech
    assert len(shop.orders.recent(demo.id, limit=50)) == before + 1


def test_days_and_a_move_across_time_zones_keep_today_local(parent, shop, demo, clock):
    echo = parent()
    echo.say("log a wet diaper")
    clock.advance(timedelta(days=2))
    echo = parent()
    assert "no wet diapers" in echo.say("how many wet diapers today").speech
    echo.say("log a wet diaper")  # Wednesday 9:00 in New York
    shop.households.update_settings(demo.id, timezone="America/Los_Angeles")
    clock.advance(timedelta(hours=16))  # Thursday 1:00 New York = Wednesday 22:00 Los Angeles
    echo = parent()
    assert "one wet diaper today" in echo.say("how many wet diapers today").speech
    turn = echo.say("when was her last diaper change")
    assert "16 hours ago" in turn.speech


def test_an_ambiguous_or_unknown_child_is_asked_about(parent, shop, demo):
    shop.babycare.add_child(demo.id, "Leo")
    echo = parent()
    turn = echo.say("log a wet diaper")
    assert "Which child" in turn.speech and "Maya" in turn.speech and "Leo" in turn.speech
    assert shop.babycare.events(demo.id, "Maya") == [] and shop.babycare.events(demo.id, "Leo") == []
    assert "Leo" in echo.say("when did leo last eat").speech


def test_a_routines_reminder_step_sets_an_alexa_reminder_or_asks_for_permission(parent, shop, demo):
    shop.routines.create(
        demo.id, "nap", [{"kind": "sleep_start"}, {"kind": "reminder", "text": "Check on Maya.", "minutes": 45}]
    )
    echo = parent()
    turn = echo.say("start the nap routine")
    assert "remind you in 45 minutes" in turn.speech
    assert any("Check on Maya" in fired for fired in echo.advance(timedelta(minutes=46)))
    echo = parent()
    echo.revoke("reminders")
    echo.say("she woke up")
    turn = echo.say("start the nap routine")
    assert "permission" in turn.speech and turn.card and turn.card.get("type") == "AskForPermissionsConsent"


def test_reminders_are_listed_and_cancelled_by_what_they_are_about(parent, clock):
    echo = parent()
    assert "no reminders" in echo.say("what reminders do i have").speech
    echo.say("remind me to check on maya in 30 minutes")
    echo.say("remind me to warm the bottle in 2 hours")
    listed = echo.say("what reminders do i have").speech
    assert "two reminders" in listed and "to check on maya" in listed.lower() and "to warm the bottle" in listed
    turn = echo.say("cancel the reminder to check on maya")
    assert "cancelled the reminder to check on maya" in turn.speech.lower()
    assert "to check on maya" not in echo.say("what reminders do i have").speech.lower()
    assert echo.advance(timedelta(minutes=40)) == []  # the cancelled one never goes off
    turn = echo.say("cancel the reminder to walk the dog")
    assert "couldn't find a reminder about walk the dog" in turn.speech and "warm the bottle" in turn.speech
    assert any("Time to warm the bottle" in f for f in echo.advance(timedelta(hours=2)))
    assert "no reminders to cancel" in echo.say("cancel my reminder").speech


def test_a_removal_right_after_the_reminders_were_read_is_a_reminder_s(parent, shop, demo):
    echo = parent()
    echo.say("remind me in three hours to give her the vitamin drops")
    echo.say("remind me to call the doctor in 4 hours")
    shop.carts.add(demo.id, shop.catalog.search("wipes")[0].id, 1)
    assert "two reminders" in echo.say("what reminders have i got").speech
    turn = echo.say("drop the vitamin one")  # the words of a cart removal, said of the reminders just read
    assert "cancelled the reminder to give her the vitamin drops" in turn.speech, turn.speech
    assert "vitamin" not in echo.say("what reminders have i got now").speech
    assert len(shop.carts.get(demo.id).lines) == 1  # the cart is as it was


def test_cancel_my_reminder_asks_which_when_there_are_several(parent):
    echo = parent()
    echo.say("remind me to pump in 3 hours")
    echo.say("remind me to call the doctor in 4 hours")
    turn = echo.say("cancel my reminder")
    assert "Which one should I cancel?" in turn.speech and "to pump" in turn.speech
    assert "cancelled the reminder to pump" in echo.say("the one to pump").speech
    echo.say("remind me to pump in 3 hours")
    assert "cancelled all two reminders" in echo.say("cancel all my reminders").speech
    assert "no reminders" in echo.say("what reminders do i have").speech


def test_without_permission_listing_reminders_sends_the_consent_card(parent):
    echo = parent()
    echo.revoke("reminders")
    turn = echo.say("what reminders do i have")
    assert "permission" in turn.speech and turn.card and turn.card.get("type") == "AskForPermissionsConsent"


def test_a_reminder_for_a_day_and_a_time_of_day_fires_then_on_the_simulated_clock(parent, clock):
    # The clock stands at 9 a.m. in New York; "tomorrow" is the simulated clock's tomorrow, not the machine's.
    echo = parent()
    turn = echo.say("remind me to call the daycare tomorrow at nine in the morning")
    assert "remind you to call the daycare at 9:00 AM tomorrow" in turn.speech
    assert "at 7:00 PM" in echo.say("set a reminder for seven tonight to give maya her bath").speech
    assert "at 9:00 AM tomorrow" in echo.say("what reminders do i have").speech
    assert any("give maya her bath" in f for f in echo.advance(timedelta(hours=10, minutes=1)))
    assert echo.advance(timedelta(hours=13, minutes=57)) == []
    assert any("call the daycare" in f for f in echo.advance(timedelta(minutes=3)))


def test_a_reminder_for_a_day_asks_the_time(parent):
    echo = parent()
    assert "At what time?" in echo.say("remind me on friday to order formula").speech
    assert "to order formula at 10:00 AM Friday" in echo.say("at ten").speech


def test_a_sleep_said_without_asleep_or_awake_is_a_waking_when_the_log_has_her_asleep(parent, shop, demo, clock):
    echo = parent()
    assert "fall asleep, or wake up" in echo.say("she's up from her nap").speech  # awake: nothing to assume
    echo.say("no")
    assert "fell asleep" in echo.say("maya's asleep, i just put her down").speech
    clock.advance(timedelta(minutes=50))
    assert "woke up after 50 minutes of sleep" in echo.say("she's up from her nap").speech
    assert sorted(e.get("action") for e in _events(shop, demo, EventKind.SLEEP)) == ["end", "start"]


def test_a_diaper_told_with_a_waking_already_logged_is_the_diaper_alone(parent, shop, demo, clock):
    echo = parent()
    echo.say("she fell asleep")
    clock.advance(timedelta(minutes=40))
    assert "woke up" in echo.say("she's awake").speech
    clock.advance(timedelta(minutes=3))
    turn = echo.say("she was wet when she woke up")
    assert "wet" in turn.speech and "woke up" not in turn.speech, turn.speech
    assert sorted(e.get("action") for e in _events(shop, demo, EventKind.SLEEP)) == ["end", "start"]
    assert [e.get("diaper_type") for e in _events(shop, demo, EventKind.DIAPER)] == ["wet"]
    # Asleep in the log, the same words tell of the waking and the diaper both.
    echo.say("she fell asleep")
    clock.advance(timedelta(hours=1))
    turn = echo.say("she was wet when she woke up")
    assert "woke up" in turn.speech and "wet" in turn.speech, turn.speech
    assert sorted(e.get("action") for e in _events(shop, demo, EventKind.SLEEP)) == ["end", "end", "start", "start"]


def test_a_number_said_as_a_change_right_after_a_bottle_corrects_the_bottle(parent, shop, demo):
    echo = parent()
    echo.say("add wipes to my cart")
    echo.say("she had 4 ounces of formula")
    turn = echo.say("sorry, i meant five")
    assert "5 ounces" in turn.speech, turn.speech
    assert [e.get("amount") for e in _events(shop, demo, EventKind.FEEDING)] == [5.0]
    assert [line.quantity for line in shop.carts.get(demo.id).lines] == [1]  # the wipes stay as they were
    # A diaper has no amount: the parent is asked what the entry should say, and nothing changes.
    echo.say("log a wet diaper")
    assert "What should the last entry say" in echo.say("make it two").speech
    assert [e.get("diaper_type") for e in _events(shop, demo, EventKind.DIAPER)] == ["wet"]
    # Right after a product, the same words change the cart.
    echo.say("add paper towels")
    echo.say("i meant two packs")
    assert sorted(line.quantity for line in shop.carts.get(demo.id).lines) == [1, 2]


def test_ounces_alone_are_a_bottle_and_pounds_and_ounces_one_weight(parent, shop, demo):
    echo = parent()
    turn = echo.say("ok she downed the whole five ounces")
    assert "5" in turn.speech and "pound" not in turn.speech, turn.speech
    assert [(e.get("feeding_kind"), e.get("amount")) for e in _events(shop, demo, EventKind.FEEDING)] == [
        ("bottle", 5.0)
    ]
    assert _events(shop, demo, EventKind.GROWTH) == []
    echo.say("she weighs seven pounds five ounces")
    [growth] = _events(shop, demo, EventKind.GROWTH)
    assert (growth.get("weight"), growth.get("weight_unit"), growth.get("length")) == (7.3125, "lb", None)


def test_a_weight_no_baby_has_is_refused_with_the_reason(shop, demo):
    import pytest

    from reorder.errors import InvalidInput

    with pytest.raises(InvalidInput, match="not possible for a weight"):
        shop.babycare.log(demo.id, EventKind.GROWTH, {"weight": 0.3, "weight_unit": "lb"})


def test_the_side_of_a_feed_is_corrected_and_a_mix_up_logs_no_diaper(parent, shop, demo):
    echo = parent()
    echo.say("she nursed on the right side for ten minutes")
    turn = echo.say("no, sorry, I'm getting mixed up, it was her left side")
    assert "left" in turn.speech, turn.speech
    assert [e.get("side") for e in _events(shop, demo, EventKind.FEEDING)] == ["left"]
    assert _events(shop, demo, EventKind.DIAPER) == []


def test_solid_food_is_logged_by_its_name_and_corrected_by_voice(parent, shop, demo, clock):
    echo = parent()
    turn = echo.say("she had some mashed banana for lunch")
    assert "solids, mashed banana" in turn.speech, turn.speech
    clock.advance(timedelta(minutes=2))
    turn = echo.say("sorry, not banana, it was mashed avocado")
    assert "mashed avocado" in turn.speech, turn.speech
    clock.advance(timedelta(minutes=5))
    turn = echo.say("maya ate some kohlrabi for dinner")  # a food nobody listed is kept as said
    assert "kohlrabi" in turn.speech, turn.speech
    clock.advance(timedelta(minutes=5))
    turn = echo.say("maya ate half a jar of peas")  # a jar is no bottle: solids, not half an ounce
    assert "solids, peas" in turn.speech, turn.speech
    feedings = _events(shop, demo, EventKind.FEEDING)
    assert sorted(e.get("food") for e in feedings) == ["kohlrabi", "mashed avocado", "peas"]
    assert {e.get("feeding_kind") for e in feedings} == {"solids"}
    turn = echo.say("what has she eaten today")
    assert "solids three times: mashed avocado, kohlrabi and peas" in turn.speech, turn.speech


def test_when_a_medicine_was_last_given_is_asked_by_its_name(parent, shop, demo, clock):
    echo = parent()
    echo.say("i gave her infant tylenol two point five milliliters")
    clock.advance(timedelta(minutes=30))
    echo.say("i gave her vitamin d drops")
    clock.advance(timedelta(minutes=30))
    turn = echo.say("ok. when did she have the tylenol")
    assert "tylenol" in turn.speech.lower() and "1 hour ago" in turn.speech, turn.speech
    turn = echo.say("when did she last have acetaminophen")  # the same medicine by another of its names
    assert "tylenol" in turn.speech.lower(), turn.speech
    assert "don't have motrin" in echo.say("when did she last have motrin").speech.lower()
    assert len(_events(shop, demo, EventKind.MEDICINE)) == 2


def test_medicines_are_heard_by_the_brand_names_of_other_countries(parent, shop, demo, clock):
    # Parents in Britain, Ireland and Australia give calpol and nurofen, not tylenol and motrin.
    echo = parent()
    turn = echo.say("gave her two and a half mls of calpol")
    assert turn.intent == "LogMedicineIntent" and "calpol" in turn.speech.lower(), turn
    clock.advance(timedelta(minutes=20))
    turn = echo.say("five mls of nurofen for her just now")
    assert turn.intent == "LogMedicineIntent" and "nurofen" in turn.speech.lower(), turn
    assert len(_events(shop, demo, EventKind.MEDICINE)) == 2
    clock.advance(timedelta(minutes=40))
    turn = echo.say("when did she last have paracetamol")  # calpol is paracetamol by another name
    assert "calpol" in turn.speech.lower() and "1 hour ago" in turn.speech, turn.speech


def test_the_medicine_of_the_last_entry_is_corrected_in_place(parent, shop, demo, clock):
    echo = parent()
    echo.say("i gave her five mls of calpol")
    clock.advance(timedelta(minutes=2))
    turn = echo.say("no, it was nurofen, not calpol")  # heard as a food: a medicine's name is the medicine
    assert turn.speech.startswith("Okay, I changed it to nurofen"), turn.speech
    [entry] = _events(shop, demo, EventKind.MEDICINE)
    assert entry.get("medicine") == "nurofen" and entry.get("dose") == "five mls"


def test_sleep_and_diapers_said_the_way_tired_parents_say_them(parent, shop, demo, clock):
    echo = parent()
    assert "asleep" in echo.say("right, she's having a kip now").speech
    clock.advance(timedelta(minutes=40))
    assert "woke up" in echo.say("she's awake, she just woke up crying").speech
    clock.advance(timedelta(minutes=5))
    assert "wet" in echo.say("log a wet diaper while i'm at it").speech
    clock.advance(timedelta(minutes=5))
    assert "asleep" in echo.say("she's back down").speech
    kinds = [e.kind for e in _events(shop, demo)]
    assert kinds.count(EventKind.SLEEP) == 3 and kinds.count(EventKind.DIAPER) == 1


def test_a_whole_night_told_at_once_logs_the_sleep_and_the_waking(parent, shop, demo, clock):
    echo = parent()  # 9 a.m. in New York
    turn = echo.say("she slept from about eleven last night right through till half five this morning")
    assert "after 6 hours and 30 minutes of sleep" in turn.speech, turn.speech
    sleeps = sorted(_events(shop, demo, EventKind.SLEEP), key=lambda e: e.at)
    assert [e.get("action") for e in sleeps] == ["start", "end"]
    start, end = (e.at.astimezone(demo.tz) for e in sleeps)
    assert (start.hour, start.minute, end.hour, end.minute) == (23, 0, 5, 30)
    assert end.date() - start.date() == timedelta(days=1)
    assert "6 hours and 30 minutes" in echo.say("how long did she sleep last night").speech


def test_a_sleep_longer_than_a_child_sleeps_is_refused_and_nothing_is_logged(parent, shop, demo, clock):
    echo = parent()  # 9 a.m.
    turn = echo.say("she slept from two pm to nine am")
    assert "more than 16 hours" in turn.speech and not turn.session_ended, turn.speech
    assert _events(shop, demo, EventKind.SLEEP) == []
    turn = echo.say("she slept from seven to seven")  # a night of twelve hours
    assert "after 12 hours of sleep" in turn.speech, turn.speech


def test_a_diaper_said_with_its_verb_logs_its_kind(parent, shop, demo, clock):
    echo = parent()
    turn = echo.say("he pooped again")
    assert "dirty diaper" in turn.speech, turn.speech
    turn = echo.say("she went pee")
    assert "wet diaper" in turn.speech, turn.speech
    kinds = sorted(e.get("diaper_type") for e in _events(shop, demo, EventKind.DIAPER))
    assert kinds == ["dirty", "wet"]


def test_a_bare_number_right_after_a_bottle_corrects_its_amount(parent, shop, demo, clock):
    echo = parent()
    echo.say("she had a five ounce bottle of formula")
    turn = echo.say("no, four, sorry")
    assert "4 ounces" in turn.speech, turn.speech
    [bottle] = _events(shop, demo, EventKind.FEEDING)
    assert bottle.get("amount") == 4


def test_a_note_put_down_in_other_words_is_a_note(parent, shop, demo, clock):
    echo = parent()
    turn = echo.say("oh, and put down that the doctor says she's right on track")
    assert "note" in turn.speech.lower() and "right on track" in turn.speech, turn.speech


def test_the_last_thing_on_the_log_and_getting_rid_of_it(parent, shop, demo, clock):
    echo = parent()
    echo.say("she had a five ounce bottle of formula")
    clock.advance(timedelta(minutes=2))
    echo.say("log a wet diaper")
    turn = echo.say("hmm no, I logged that diaper already earlier, get rid of that one")
    assert turn.intent == "UndoLastEntryIntent", turn
    assert _events(shop, demo, EventKind.DIAPER) == []
    turn = echo.say("what's the last thing on her log now?")
    assert "5 ounces of formula" in turn.speech, turn.speech


def test_went_down_logs_the_falling_asleep_without_asking(parent, shop, demo, clock):
    echo = parent()
    assert "fell asleep" in echo.say("she just went down").speech
    echo.say("undo that")
    turn = echo.say("she went down for her morning nap about ten minutes ago")
    assert "fell asleep 10 minutes ago" in turn.speech, turn.speech


def test_the_time_of_the_last_entry_is_corrected_and_the_value_not_meant_fills_nothing(parent, shop, demo, clock):
    clock.advance(timedelta(hours=8))  # 5 p.m. in New York
    echo = parent()
    echo.say("she had 4 ounces of formula at 3 pm")
    turn = echo.say("oops, that should have been at two thirty, not three")
    assert "4 ounces of formula" in turn.speech and "2:30 PM" in turn.speech, turn.speech
    [bottle] = _events(shop, demo, EventKind.FEEDING)
    local = bottle.at.astimezone(demo.tz)
    assert (local.hour, local.minute, bottle.get("amount")) == (14, 30, 4.0)  # "three" changed no amount
    # "Dirty, not wet": the kind meant comes first, and the diaper is corrected, not logged again.
    echo.say("log a wet diaper")
    turn = echo.say("actually that diaper was dirty not wet")
    assert "dirty" in turn.speech, turn.speech
    assert [e.get("diaper_type") for e in _events(shop, demo, EventKind.DIAPER)] == ["dirty"]


def test_an_entry_is_never_moved_to_a_time_ahead(shop, demo):
    import pytest

    from reorder.errors import InvalidInput

    shop.babycare.log(demo.id, EventKind.DIAPER, {"diaper_type": "wet"}, member_id=demo.members[0].id)
    with pytest.raises(InvalidInput, match="hasn't come yet"):
        shop.babycare.correct_last(demo.id, demo.members[0].id, {}, at=shop.clock.now() + timedelta(hours=1))


def test_words_heard_as_a_milk_that_is_no_milk_are_logged_as_what_she_ate(parent, shop, demo):
    echo = parent()
    turn = echo.say("she just had her first taste of peanut butter, mixed into some oatmeal")
    assert "peanut butter" in turn.speech and "must be one of" not in turn.speech, turn.speech
    [meal] = _events(shop, demo, EventKind.FEEDING)
    assert meal.get("feeding_kind") == "solids" and "peanut butter" in meal.get("food")


def test_a_diaper_told_before_a_bottle_logs_the_diaper_alone(parent, shop, demo):
    echo = parent()
    turn = echo.say("and she had a dirty one before the bottle, like ten minutes ago")
    assert "dirty diaper" in turn.speech, turn.speech
    assert _events(shop, demo, EventKind.FEEDING) == []
    [diaper] = _events(shop, demo, EventKind.DIAPER)
    assert diaper.get("diaper_type") == "dirty"


def test_nodding_off_is_falling_asleep_and_a_handover_ends_the_visit(parent, shop, demo):
    echo = parent()
    turn = echo.say("and she's nodding off in the swing")
    assert "fell asleep" in turn.speech, turn.speech
    assert [e.get("action") for e in _events(shop, demo, EventKind.SLEEP)] == ["start"]
    turn = echo.say("right, I'm off, her nan's taking over")
    assert turn.session_ended, turn.speech
