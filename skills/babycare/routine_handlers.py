"""Routines and reminders by voice: "start the bedtime routine", "create a bedtime routine at 7 pm",
"remind me to feed her in 3 hours"."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response
from ask_sdk_model.ui import AskForPermissionsConsentCard

from reorder.domain.babylog import validate_schedule_time
from reorder.errors import InvalidInput
from reorder.services.routines import DEFAULT_ROUTINES
from skills.babycare import alexa_services
from skills.babycare import slots as bslots
from skills.babycare.phrases import clock_time, span
from skills.common import slots, speech
from skills.common.context import SkillContext
from skills.common.identity import household_id, member_id
from skills.common.respond import ask, elicit

ANYTHING_ELSE = "Anything else?"
PERMISSION_SPEECH = (
    "To set reminders I need your permission. I've sent a card to the Alexa app where you can "
    "allow reminders for voicecart."
)
MAX_REMINDER_AHEAD = timedelta(days=7)


class _Intent(AbstractRequestHandler):
    intent_name = ""

    @property
    def intent_names(self) -> tuple[str, ...]:  # lets the skill's request mapper skip this handler for others
        return (self.intent_name,)

    def __init__(self, ctx: SkillContext) -> None:
        self.ctx = ctx

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name(self.intent_name)(handler_input)


def _routine_name(handler_input: HandlerInput) -> str | None:
    return slots.resolved(handler_input, "routine") or slots.text(handler_input, "routine")


class StartRoutineHandler(_Intent):
    intent_name = "StartRoutineIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        name = _routine_name(handler_input)
        if name is None:
            return elicit(handler_input, "routine", "Which routine should I start?")
        hh = household_id(handler_input)
        routines = self.ctx.backend.routines
        routine = routines.find(hh, name)
        run = routines.run(hh, routine.id, member_id=member_id(handler_input), channel="voice")
        said = [f"Starting the {speech.escape(routine.name)} routine.", speech.escape(run.speech)]
        household = self.ctx.backend.households.get(hh)
        now = self.ctx.backend.clock.now()
        for reminder in run.reminders:
            said.append(
                _set_reminder(
                    handler_input,
                    str(reminder["text"]),
                    now,
                    household.tz,
                    after=timedelta(minutes=int(reminder["minutes"])),  # type: ignore[call-overload]
                )
            )
        text = " ".join(s for s in said if s)
        if PERMISSION_SPEECH in said:
            # Alexa requires the consent card whenever a skill says it needs a permission.
            handler_input.response_builder.set_card(
                AskForPermissionsConsentCard(permissions=[alexa_services.REMINDERS_PERMISSION])
            )
        if run.sound and alexa_services.supports_audio(handler_input):
            # AudioPlayer takes over the speaker: the session ends and the sound plays.
            alexa_services.play_sound(handler_input, run.sound)
            return handler_input.response_builder.speak(text).set_should_end_session(True).response
        return ask(handler_input, f"{text} {ANYTHING_ELSE}", ANYTHING_ELSE)


class CreateRoutineHandler(_Intent):
    intent_name = "CreateRoutineIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        name = _routine_name(handler_input)
        if name is None:
            return elicit(handler_input, "routine", "What should the routine be called?")
        spoken = slots.text(handler_input, "time")
        schedule = None
        if spoken:
            schedule = validate_schedule_time(spoken if ":" in spoken else None)
            if schedule is None:
                raise InvalidInput("Tell me a time of day for the routine, like 7 PM.")
        key = name.lower()
        steps = DEFAULT_ROUTINES.get(key) or [{"kind": "say", "text": f"It's time for the {key} routine."}]
        routine = self.ctx.backend.routines.create(household_id(handler_input), key, steps, schedule_time=schedule)
        when = ""
        if schedule:
            hours, minutes = (int(p) for p in schedule.split(":"))
            when = f" It will run every day at {clock_time(datetime(2000, 1, 1, hours, minutes), None)}."
        count = len(routine.steps)
        return ask(
            handler_input,
            f"I created the {speech.escape(routine.name)} routine with "
            f"{speech.number(count)} {speech.plural('step', count)}.{when} You can change its "
            f"steps in the app. {ANYTHING_ELSE}",
            ANYTHING_ELSE,
        )


class SetReminderHandler(_Intent):
    intent_name = "SetReminderIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        task = slots.text(handler_input, "task")
        if task is None:
            return elicit(handler_input, "task", "What should I remind you about?")
        after = bslots.duration(handler_input, "duration")
        time_said = slots.text(handler_input, "time")
        day = _day(slots.text(handler_input, "date"))
        if after is None and time_said is None:
            if day is not None:
                return elicit(handler_input, "time", "At what time? For example, at 9 AM.")
            return elicit(handler_input, "duration", "When should I remind you? For example, in 3 hours.")
        household = self.ctx.backend.households.get(household_id(handler_input))
        now = self.ctx.backend.clock.now()
        at = None
        if after is None:
            at = _next_time(now, household.tz, time_said or "", on=day)
            after_now = at - now
            if not timedelta(minutes=1) <= after_now <= MAX_REMINDER_AHEAD:
                raise InvalidInput("I can set reminders from one minute to a week ahead.")
        elif not timedelta(minutes=1) <= after <= MAX_REMINDER_AHEAD:
            raise InvalidInput("I can set reminders from one minute to a week ahead.")
        result = _set_reminder(handler_input, f"Time to {task}.", now, household.tz, after=after, at=at, about=task)
        if result == PERMISSION_SPEECH:
            return alexa_services.ask_for_permission(handler_input, PERMISSION_SPEECH)
        return ask(handler_input, f"{result} {ANYTHING_ELSE}", ANYTHING_ELSE)


def _day(said: str | None) -> date | None:
    """A day as AMAZON.DATE sends one ("2026-12-07"); None for none, or for a week or a season."""
    try:
        return date.fromisoformat(said) if said and len(said) == 10 else None
    except ValueError:
        return None


def _next_time(now: datetime, tz, spoken: str, *, on: date | None = None) -> datetime:  # noqa: ANN001 - a tzinfo
    """When the clock next shows `spoken` ("19:00"): later today, or tomorrow; on the day `on` when one was said."""
    schedule = validate_schedule_time(spoken if ":" in spoken else None)
    if schedule is None:
        raise InvalidInput("Tell me a time, like 7 PM, or how long from now.")
    hours, minutes = (int(p) for p in schedule.split(":"))
    local = now.astimezone(tz)
    if on is not None:
        return datetime(on.year, on.month, on.day, hours, minutes, tzinfo=tz)
    at = local.replace(hour=hours, minute=minutes, second=0, microsecond=0)
    if at <= local:
        at += timedelta(days=1)
    return at


def _set_reminder(
    handler_input: HandlerInput,
    text: str,
    now: datetime,
    tz,
    *,  # noqa: ANN001 - a tzinfo
    after: timedelta | None = None,
    at: datetime | None = None,
    about: str | None = None,
) -> str:
    """Set it through Alexa; returns what to say (PERMISSION_SPEECH when consent is missing), naming what it is
    `about` when given, so a person who set several hears which one was understood."""
    try:
        alexa_services.create_reminder(handler_input, text, now=now, tz=tz, after=after, at=at)
    except alexa_services.PermissionNeeded:
        return PERMISSION_SPEECH
    except RuntimeError:
        return "I couldn't reach the reminders service, so no reminder is set."
    what = f" to {speech.escape(about)}" if about else ""
    if after is not None:
        return f"Okay, I'll remind you{what} in {span(after.total_seconds() / 60)}."
    assert at is not None
    when = clock_time(at, tz)
    day = at.astimezone(tz).date()
    if day != now.astimezone(tz).date():
        when = f"{when} {speech.spoken_day(day, now.astimezone(tz).date())}"
    return f"Okay, I'll remind you{what} at {when}."
