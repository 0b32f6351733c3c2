"""The reminders voicecart set, by voice: "what reminders do i have", "cancel the reminder to check on maya",
"cancel all my reminders".

Reminders live in Alexa (the Reminders API), not in the order backend: these handlers read and delete them there,
as SetReminderHandler creates them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, tzinfo

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response
from rapidfuzz import fuzz

from skills.babycare import alexa_services
from skills.babycare.alexa_services import SetReminder
from skills.babycare.phrases import clock_time
from skills.babycare.routine_handlers import ANYTHING_ELSE, PERMISSION_SPEECH, _Intent
from skills.common import session, slots, speech
from skills.common.identity import household_id
from skills.common.respond import ask, elicit

UNREACHABLE = "I couldn't reach the reminders service just now, so nothing has changed."
SPOKEN_AT_MOST = 5  # a list read aloud stops here and says how many more there are
# What the person said names a reminder when it fits its words this well (rapidfuzz's token set ratio: "the
# bottle" fits "to warm the bottle"); below it, the reminder meant is not among them.
FITS = 70
# Words that point at a reminder without saying what it is about: "the pump one", "my reminder to pump".
_POINTING = frozenset({"the", "my", "a", "one", "reminder", "reminders", "that", "this", "to", "about", "for", "of"})
_EVERY = frozenset({"all", "both", "every", "everything", "them"})


@dataclass(frozen=True)
class _Here:
    """The household's time zone and what day it is there: a reminder's time is said in it."""

    tz: tzinfo
    today: date


def _when(reminder: SetReminder, here: _Here) -> str:
    if reminder.at is None:
        return ""
    day = reminder.at.astimezone(here.tz).date()
    on = f" {speech.spoken_day(day, here.today)}" if day != here.today else ""  # "at 9:00 AM tomorrow"
    return f" at {clock_time(reminder.at, here.tz)}{on}"


def _listed(found: list[SetReminder], here: _Here) -> str:
    return speech.join_some([f"{speech.escape(r.about)}{_when(r, here)}" for r in found], SPOKEN_AT_MOST)


def matching(found: list[SetReminder], said: str) -> list[SetReminder]:
    """The reminders `said` names: every one for "all of them", else the one it fits best; none when none fits."""
    words = [w for w in said.lower().split() if w not in _POINTING]
    if not words:
        return []
    if set(words) <= _EVERY:
        return list(found)
    about = " ".join(words)
    best = max(found, key=lambda r: fuzz.token_set_ratio(about, r.about), default=None)
    if best is not None and fuzz.token_set_ratio(about, best.about) >= FITS:
        return [best]
    # A word of its own that only one reminder has names it, whatever is said around it: "cancel the boudin one, my
    # wife's getting it" is the reminder to pick up the boudin (the reason after it kept the whole from fitting).
    naming = {w for w in _words(about) if len(w) >= _NAMING_LENGTH}
    named = [r for r in found if naming & _words(r.about)]
    return named if len(named) == 1 else []


_NAMING_LENGTH = 4  # words shorter than this ("the", "her", "one") name no reminder of their own


def _words(text: str) -> set[str]:
    return {w.strip(".,;:!?'\"") for w in text.lower().split()}


class _Reminders(_Intent):
    def handle(self, handler_input: HandlerInput) -> Response:
        try:
            return self.answer(handler_input)
        except alexa_services.PermissionNeeded:
            return alexa_services.ask_for_permission(handler_input, PERMISSION_SPEECH)
        except RuntimeError:
            return ask(handler_input, f"{UNREACHABLE} {ANYTHING_ELSE}", ANYTHING_ELSE)

    def answer(self, handler_input: HandlerInput) -> Response:
        raise NotImplementedError

    def here(self, handler_input: HandlerInput) -> _Here:
        tz = self.ctx.backend.households.get(household_id(handler_input)).tz
        return _Here(tz, self.ctx.backend.clock.now().astimezone(tz).date())


class ListRemindersHandler(_Reminders):
    intent_name = "ListRemindersIntent"

    def answer(self, handler_input: HandlerInput) -> Response:
        found = alexa_services.reminders(handler_input)
        if not found:
            return ask(handler_input, f"You have no reminders from voicecart. {ANYTHING_ELSE}", ANYTHING_ELSE)
        count = len(found)
        listed = _listed(found, self.here(handler_input))
        said = f"You have {speech.number(count)} {speech.plural('reminder', count)}: {listed}."
        session.remember_thing(handler_input, session.REMINDER)  # what "drop the vitamin one" is about now
        return ask(handler_input, f"{said} {ANYTHING_ELSE}", ANYTHING_ELSE)


class CancelReminderHandler(_Reminders):
    intent_name = "CancelReminderIntent"
    said_in = "task"

    def answer(self, handler_input: HandlerInput) -> Response:
        found = alexa_services.reminders(handler_input)
        if not found:
            return ask(handler_input, f"You have no reminders to cancel. {ANYTHING_ELSE}", ANYTHING_ELSE)
        here = self.here(handler_input)
        said = slots.text(handler_input, self.said_in) or ""
        if slots.resolved(handler_input, "every") is not None:
            chosen = found
        elif [w for w in said.lower().split() if w not in _POINTING]:
            chosen = matching(found, said)
            if not chosen:
                return ask(
                    handler_input,
                    f"I couldn't find a reminder about {speech.escape(said)}. Your reminders are "
                    f"{_listed(found, here)}. {ANYTHING_ELSE}",
                    ANYTHING_ELSE,
                )
        elif len(found) == 1:
            chosen = found
        else:  # "cancel my reminder" with several set: which one
            return elicit(
                handler_input,
                "task",
                f"You have {speech.number(len(found))} reminders: {_listed(found, here)}. Which one should I cancel?",
                "Which reminder should I cancel? You can also say all of them.",
            )
        for reminder in chosen:
            alexa_services.delete_reminder(handler_input, reminder.token)
        if len(chosen) == 1:
            done = f"I cancelled the reminder {speech.escape(chosen[0].about)}{_when(chosen[0], here)}."
        else:
            done = f"I cancelled all {speech.number(len(chosen))} reminders."
        return ask(handler_input, f"{done} {ANYTHING_ELSE}", ANYTHING_ELSE)


class RemoveReminderHandler(CancelReminderHandler):
    """ "Drop the vitamin one" right after the reminders were read: heard as a cart removal (the same words), but
    meant for a reminder. Shopping's cart handler steps aside for it."""

    intent_name = "RemoveFromCartIntent"
    said_in = "product"

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name(self.intent_name)(handler_input) and session.last_thing(handler_input) == session.REMINDER
