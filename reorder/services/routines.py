"""Named routines ("bedtime"): ordered steps run by voice, by the API, or every day at a set time.

A run returns what each step did; the channel that started it turns that into speech, an AudioPlayer
directive or a reminder. A scheduled run has nobody listening, so what it would have said goes to the
household's notification outbox, and the scheduler follows the clock (a ManualClock fast-forwards it).
"""

from __future__ import annotations

import builtins
import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta, tzinfo
from typing import Any, cast

from reorder.clock import Clock
from reorder.domain.babylog import (
    MAX_ROUTINE_NAME,
    MAX_ROUTINE_STEPS,
    BabyEvent,
    EventKind,
    Routine,
    RoutineStep,
    SleepAction,
    StepKind,
    routine_key,
    validate_event_data,
    validate_schedule_time,
)
from reorder.domain.model import validate_quantity
from reorder.errors import BackendError, Conflict, InvalidInput, NotFound
from reorder.services.babycare import BabyCareService, find_child
from reorder.services.carts import CartService
from reorder.services.ids import new_id
from reorder.store.base import Notification, Store

log = logging.getLogger("reorder.routines")

SOUNDS = ("white noise", "rain", "ocean", "lullaby", "heartbeat")
MAX_REMINDER_MINUTES = 24 * 60
# A fast-forward across many days replays at most this many missed runs per routine.
MAX_CATCH_UP_RUNS = 14


@dataclass(frozen=True, slots=True)
class StepOutcome:
    step: RoutineStep
    ok: bool
    speech: str  # what the assistant says for this step
    event: BabyEvent | None = None
    sound: str | None = None  # a sound to play (AudioPlayer)
    reminder: dict[str, object] | None = None  # {"text", "minutes"} for the channel to schedule


@dataclass(frozen=True, slots=True)
class RoutineRun:
    routine: Routine
    at: datetime
    scheduled: bool
    outcomes: list[StepOutcome] = field(default_factory=list)

    @property
    def speech(self) -> str:
        return " ".join(o.speech for o in self.outcomes if o.speech)

    @property
    def sound(self) -> str | None:
        return next((o.sound for o in self.outcomes if o.sound), None)

    @property
    def reminders(self) -> list[dict[str, object]]:
        return [o.reminder for o in self.outcomes if o.reminder]


def validate_steps(raw: object) -> tuple[RoutineStep, ...]:
    if not isinstance(raw, list) or not raw:
        raise InvalidInput("A routine needs a list of steps.")
    if len(raw) > MAX_ROUTINE_STEPS:
        raise InvalidInput(f"A routine has at most {MAX_ROUTINE_STEPS} steps.")
    steps = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise InvalidInput(f"Step {number} must be an object with a 'kind'.")
        try:
            kind = StepKind(str(item.get("kind")))
        except ValueError:
            raise InvalidInput(
                f"Step {number} has an unknown kind {item.get('kind')!r}; use one of "
                f"{', '.join(k.value for k in StepKind)}."
            ) from None
        steps.append(RoutineStep(kind, _step_params(kind, item, number)))
    return tuple(steps)


def _step_params(kind: StepKind, item: dict[str, Any], number: int) -> dict[str, object]:
    where = f"Step {number}"
    if kind is StepKind.LOG:
        try:
            event = EventKind(str(item.get("event")))
        except ValueError:
            raise InvalidInput(f"{where} logs an unknown entry kind {item.get('event')!r}.") from None
        if event is EventKind.SLEEP:
            raise InvalidInput(f"{where}: use sleep_start or sleep_stop steps for sleep.")
        data = item.get("data") or {}
        if not isinstance(data, dict):
            raise InvalidInput(f"{where}: 'data' must be an object.")
        return {"event": event.value, "data": validate_event_data(event, data)}
    if kind in (StepKind.SAY, StepKind.REMINDER):
        text = item.get("text")
        if not isinstance(text, str) or not text.strip() or len(text) > 300:
            raise InvalidInput(f"{where} needs a 'text' of 1 to 300 characters.")
        params: dict[str, object] = {"text": " ".join(text.split())}
        if kind is StepKind.REMINDER:
            minutes = item.get("minutes")
            if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_REMINDER_MINUTES:
                raise InvalidInput(f"{where} needs 'minutes' from 1 to {MAX_REMINDER_MINUTES}.")
            params["minutes"] = minutes
        return params
    if kind is StepKind.SOUND:
        sound = str(item.get("sound") or "").strip().lower()
        if sound not in SOUNDS:
            raise InvalidInput(f"{where} plays one of {', '.join(SOUNDS)}, not {item.get('sound')!r}.")
        return {"sound": sound}
    if kind is StepKind.ADD_TO_CART:
        product_id = item.get("product_id")
        if not isinstance(product_id, str) or not product_id:
            raise InvalidInput(f"{where} needs a 'product_id'.")
        return {"product_id": product_id, "quantity": validate_quantity(item.get("quantity", 1))}
    return {}


# What "start the bedtime routine" does for a family that never set one up; they can replace it.
# A built-in routine logs only what starting it reports (the child is going to sleep): a diaper or a feed
# nobody mentioned is never written, so the log holds what the parent said.
DEFAULT_ROUTINES: dict[str, list[dict[str, object]]] = {
    "bedtime": [
        {"kind": "say", "text": "Time for pajamas and a story."},
        {"kind": "sleep_start"},
        {"kind": "sound", "sound": "white noise"},
    ],
}


class RoutineService:
    def __init__(self, store: Store, clock: Clock, babycare: BabyCareService, carts: CartService) -> None:
        self.store = store
        self.clock = clock
        self.babycare = babycare
        self.carts = carts
        subscribe = getattr(clock, "subscribe", None)
        if subscribe is not None:
            # A clock that can be fast-forwarded runs the due routines as it passes their times.
            subscribe(self.run_due)

    def create(
        self, household_id: str, name: str, steps: object, *, schedule_time: str | None = None, child: str | None = None
    ) -> Routine:
        name = " ".join(str(name or "").split())
        key = routine_key(name)
        if not key or len(name) > MAX_ROUTINE_NAME:
            raise InvalidInput(f"A routine needs a name of 1 to {MAX_ROUTINE_NAME} characters.")
        checked = validate_steps(steps)
        when = validate_schedule_time(schedule_time)
        with self.store.unit_of_work() as uow:
            household = uow.households.get(household_id)
            if household is None:
                raise NotFound(f"There is no household {household_id!r}.")
            child_id = find_child(household, child).id if child else None
            if uow.routines.get_by_key(household_id, key):
                raise Conflict(f"There's a {key} routine already.")
            routine = Routine(new_id("rt"), household_id, name, checked, child_id, when, self.clock.now())
            uow.routines.add(routine, key)
        return routine

    def update(
        self,
        household_id: str,
        routine_id: str,
        *,
        name: str | None = None,
        steps: object = None,
        schedule_time: object = ...,
        child: object = ...,
    ) -> Routine:
        """Change a routine's name, steps, daily time (None: by voice only) or child; what is not given stays."""
        with self.store.unit_of_work() as uow:
            household = uow.households.get(household_id)
            routine = uow.routines.get(household_id, routine_id)
            if household is None or routine is None:
                raise NotFound(f"There is no routine {routine_id!r}.")
            changes: dict[str, object] = {}
            if name is not None:
                name = " ".join(str(name).split())
                if not routine_key(name) or len(name) > MAX_ROUTINE_NAME:
                    raise InvalidInput(f"A routine needs a name of 1 to {MAX_ROUTINE_NAME} characters.")
                changes["name"] = name
            if steps is not None:
                changes["steps"] = validate_steps(steps)
            if schedule_time is not ...:
                changes["schedule_time"] = validate_schedule_time(schedule_time)
            if child is not ...:
                changes["child_id"] = find_child(household, str(child)).id if child else None
            updated = replace(routine, **changes)  # type: ignore[arg-type]
            key = routine_key(updated.name)
            other = uow.routines.get_by_key(household_id, key)
            if other is not None and other.id != routine.id:
                raise Conflict(f"There's a {key} routine already.")
            uow.routines.update(updated, key)
        return updated

    def list(self, household_id: str) -> list[Routine]:
        with self.store.unit_of_work(write=False) as uow:
            return uow.routines.list_for_household(household_id)

    def get(self, household_id: str, routine_id: str) -> Routine:
        with self.store.unit_of_work(write=False) as uow:
            routine = uow.routines.get(household_id, routine_id)
        if routine is None:
            raise NotFound(f"There is no routine {routine_id!r}.")
        return routine

    def find(self, household_id: str, spoken_name: str) -> Routine:
        """A routine by what a person calls it; the built-in ones are set up on first use."""
        key = routine_key(spoken_name or "")
        with self.store.unit_of_work(write=False) as uow:
            routine = uow.routines.get_by_key(household_id, key)
            known = [r.name for r in uow.routines.list_for_household(household_id)]
        if routine is not None:
            return routine
        if key in DEFAULT_ROUTINES:
            try:
                return self.create(household_id, key, DEFAULT_ROUTINES[key])
            except Conflict:  # another caregiver set it up at the same moment
                return self.find(household_id, key)
        hint = f" You have: {', '.join(known)}." if known else ""
        raise NotFound(f"I don't know a {key or 'that'} routine.{hint}", known=known)

    def run(
        self,
        household_id: str,
        routine_id: str,
        *,
        member_id: str | None = None,
        channel: str = "api",
        at: datetime | None = None,
        scheduled: bool = False,
    ) -> RoutineRun:
        routine = self.get(household_id, routine_id)
        when = at or self.clock.now()
        run = RoutineRun(routine, when, scheduled)
        for step in routine.steps:
            try:
                run.outcomes.append(self._run_step(routine, step, member_id, channel, when))
            except BackendError as exc:
                # One failing step (a child already asleep, a product gone) must not stop the routine.
                run.outcomes.append(StepOutcome(step, False, exc.message))
        with self.store.unit_of_work() as uow:
            uow.routines.mark_run(routine.id, when)
        return run

    def _run_step(
        self, routine: Routine, step: RoutineStep, member_id: str | None, channel: str, when: datetime
    ) -> StepOutcome:
        hh, child = routine.household_id, routine.child_id
        if step.kind is StepKind.LOG:
            data = step.params["data"]
            result = self.babycare.log(
                hh,
                str(step.params["event"]),
                dict(cast(dict[str, object], data)),
                child=child,
                at=when,
                member_id=member_id,
                channel=channel,
            )
            return StepOutcome(step, True, f"Logged a {step.params['event']}.", event=result.event)
        if step.kind in (StepKind.SLEEP_START, StepKind.SLEEP_STOP):
            action = SleepAction.START if step.kind is StepKind.SLEEP_START else SleepAction.END
            result = self.babycare.log(
                hh, EventKind.SLEEP, {"action": action}, child=child, at=when, member_id=member_id, channel=channel
            )
            said = "Sleep timer started." if action is SleepAction.START else "Sleep timer stopped."
            return StepOutcome(step, True, said, event=result.event)
        if step.kind is StepKind.SAY:
            return StepOutcome(step, True, str(step.params["text"]))
        if step.kind is StepKind.SOUND:
            return StepOutcome(step, True, f"Playing {step.params['sound']}.", sound=str(step.params["sound"]))
        if step.kind is StepKind.REMINDER:
            minutes = int(step.params["minutes"])  # type: ignore[call-overload]
            return StepOutcome(step, True, "", reminder={"text": step.params["text"], "minutes": minutes})
        if step.kind is StepKind.ADD_TO_CART:
            _, line = self.carts.add(
                hh,
                str(step.params["product_id"]),
                int(step.params["quantity"]),  # type: ignore[call-overload]
                channel=channel,
                member_id=member_id,
            )
            return StepOutcome(step, True, f"Added {line.name} to your cart.")
        raise InvalidInput(f"Unknown step {step.kind}.")

    # The scheduler.
    def due_times(self, routine: Routine, tz: tzinfo, now: datetime) -> builtins.list[datetime]:
        """Scheduled times of `routine` after its last run (or creation) and up to `now`, oldest first."""
        if routine.schedule_time is None:
            return []
        since = routine.last_run_at or routine.created_at or now
        hours, minutes = (int(p) for p in routine.schedule_time.split(":"))
        day = since.astimezone(tz).date()
        if routine.last_run_at is not None:
            # Once per local day: after a move west, the evening that already had its run does not get another.
            day += timedelta(days=1)
        times: builtins.list[datetime] = []
        while True:
            at = datetime.combine(day, time(hours, minutes), tz)
            if at > now:
                break
            if at > since:
                times.append(at)
            day += timedelta(days=1)
        return times[-MAX_CATCH_UP_RUNS:]

    def run_due(self, now: datetime | None = None) -> builtins.list[RoutineRun]:
        now = now or self.clock.now()
        with self.store.unit_of_work(write=False) as uow:
            scheduled = uow.routines.scheduled()
            zones = {r.household_id: uow.households.get(r.household_id) for r in scheduled}
        runs = []
        for routine in scheduled:
            household = zones.get(routine.household_id)
            if household is None:
                continue
            for at in self.due_times(routine, household.tz, now):
                try:
                    run = self.run(routine.household_id, routine.id, channel="device", at=at, scheduled=True)
                except BackendError:
                    log.exception("scheduled routine %s failed", routine.id)
                    continue
                self._notify(run)
                runs.append(run)
        return runs

    def _notify(self, run: RoutineRun) -> None:
        parts = [run.speech] + [f"Reminder in {r['minutes']} minutes: {r['text']}." for r in run.reminders]
        message = f"The {run.routine.name} routine ran. " + " ".join(p for p in parts if p)
        with self.store.unit_of_work() as uow:
            uow.outbox.add(Notification(new_id("nt"), run.routine.household_id, "routine_ran", message.strip(), run.at))
