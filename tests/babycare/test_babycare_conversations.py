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
