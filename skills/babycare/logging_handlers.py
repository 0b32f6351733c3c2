"""Logging by voice: each intent turns its slots into one entry of the shared log, then says what was
logged and, at most once a day, that a supply is about to run out."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from intents.builtin_values import words_to_number
from reorder.domain.babylog import EventKind, slept_between
from reorder.errors import InvalidInput, NotFound
from reorder.services.babycare import EntryOfAnotherKind, LogResult
from skills.babycare import slots as bslots
from skills.babycare.children import CHILD_ERRORS, which_child
from skills.babycare.phrases import ago, clock_time, entry, span
from skills.babycare.supply_offer import finish_logging_turn
from skills.common import session, slots, speech
from skills.common.context import SkillContext
from skills.common.identity import household_id, member_id
from skills.common.respond import ask, elicit

CHANNEL = "voice"
ANYTHING_ELSE = "Anything else?"
CUP_OZ = 8.0
# An entry logged for "now" is not read back with a time; a back-dated one is.
_NOW = timedelta(minutes=1)

LOG_ENTRY = session.LOG_ENTRY  # the session's last thing (skills.common.session.remember_thing) after a log


class _LogHandler(AbstractRequestHandler):
    intent_name = ""

    @property
    def intent_names(self) -> tuple[str, ...]:  # lets the skill's request mapper skip this handler for others
        return (self.intent_name,)

    kind: EventKind

    def __init__(self, ctx: SkillContext) -> None:
        self.ctx = ctx

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name(self.intent_name)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        missing = self.missing(handler_input)
        if missing is not None:
            return elicit(handler_input, *missing)
        hh = household_id(handler_input)
        backend = self.ctx.backend
        household = backend.households.get(hh)
        at = bslots.when(handler_input, backend.clock.now(), household.tz)
        result = self._log(handler_input, hh, self.data(handler_input), self.child(handler_input), at)
        if not isinstance(result, LogResult):
            return result  # which child first
        spoken = said(result, household.tz, backend.clock.now())
        session.remember_thing(handler_input, LOG_ENTRY)  # what "that was wrong" is about now
        extra = self.also(handler_input)
        if extra is not None:  # a second entry in the same sentence ("a wet diaper and three ounces of formula")
            spoken = self._log_also(handler_input, hh, result, extra, at, spoken, household.tz)
        return finish_logging_turn(self.ctx, handler_input, spoken, result)

    def _log(
        self, handler_input: HandlerInput, hh: str, data: dict[str, object], child: str | None, at: datetime
    ) -> LogResult | Response:
        """One entry of this handler's kind, or the question which child it is for."""
        try:
            return self.ctx.backend.babycare.log(
                hh, self.kind, data, child=child, at=at, member_id=member_id(handler_input), channel=CHANNEL
            )
        except CHILD_ERRORS as error:
            question = which_child(handler_input, error)
            if question is None:
                raise
            return question

    def also(self, handler_input: HandlerInput) -> tuple[EventKind, dict[str, object]] | None:
        """A second entry said in the same sentence, as (kind, data); None when there is none."""
        return None

    def _log_also(
        self,
        handler_input: HandlerInput,
        hh: str,
        first: LogResult,
        extra: tuple[EventKind, dict[str, object]],
        at: datetime,
        spoken: str,
        tz,
    ) -> str:  # noqa: ANN001
        kind, data = extra
        backend = self.ctx.backend
        try:
            second = backend.babycare.log(
                hh,
                kind,
                data,
                child=first.child.id if first.child else None,
                at=at,
                member_id=member_id(handler_input),
                channel=CHANNEL,
            )
        except InvalidInput as error:
            return f"{spoken} I didn't log the {kind.value}: {speech.escape(error.message)}"
        if (
            first.duplicate_of is None
            and second.duplicate_of is None
            and first.event.kind is not EventKind.SLEEP
            and backend.clock.now() - first.event.at < _NOW
        ):
            who = speech.escape(first.child.name) if first.child else "you"
            return f"Logged {entry(first.event)} and {entry(second.event)} for {who}."
        return f"{spoken} {said(second, tz, backend.clock.now())}"

    def child(self, handler_input: HandlerInput) -> str | None:
        return bslots.child(handler_input)

    def missing(self, handler_input: HandlerInput) -> tuple[str, str] | None:
        """(slot, question) when something the entry needs was not said."""
        return None

    def data(self, handler_input: HandlerInput) -> dict[str, object]:
        raise NotImplementedError


def said(result: LogResult, tz, now: datetime) -> str:  # noqa: ANN001 - a tzinfo
    who = speech.escape(result.child.name) if result.child else "you"
    what = entry(result.event)
    if result.duplicate_of is not None:
        return (
            f"That's already logged: {what} for {who} {ago(result.duplicate_of.at, now, tz)}, so I "
            f"didn't count it twice."
        )
    back_dated = now - result.event.at >= _NOW
    if result.event.kind is EventKind.SLEEP:
        if result.slept_minutes is not None:
            return f"Got it, {who} woke up after {span(result.slept_minutes)} of sleep."
        if back_dated:  # a nap that began a while ago: "sleep well" would be said to no one
            return f"Got it, {who} fell asleep {ago(result.event.at, now, tz)}."
        return f"Got it, {who} fell asleep. Sleep well."
    when = f", {ago(result.event.at, now, tz)}" if back_dated else ""
    if result.event.kind is EventKind.NOTE:
        # The note's own words come last, so "for Maya" is not heard as part of them.
        return f"Logged a note for {who}{when}: {speech.escape(result.event.get('note') or '')}."
    return f"Logged {what} for {who}{when}."


def _volume(handler_input: HandlerInput) -> tuple[float | None, str]:
    amount = bslots.amount(handler_input, "amount")
    unit = bslots.choice(handler_input, "volumeUnit") or "oz"
    if unit == "cup" and amount is not None:
        return amount * CUP_OZ, "oz"
    if unit not in ("oz", "ml"):
        raise InvalidInput("Tell me the amount in ounces or milliliters.")
    return amount, unit


class LogFeedingHandler(_LogHandler):
    intent_name = "LogFeedingIntent"
    kind = EventKind.FEEDING

    def handle(self, handler_input: HandlerInput) -> Response:
        said = ("amount", "side", "duration", "feedingKind", "milkType", "food")
        if all(slots.is_empty(handler_input, s) for s in said) and not slots.is_empty(handler_input, "diaperType"):
            # "She had a dirty one before the bottle": a diaper told, the feed only its time; nothing says a feed.
            return LogDiaperHandler(self.ctx).handle(handler_input)
        return super().handle(handler_input)

    def missing(self, handler_input: HandlerInput) -> tuple[str, str] | None:
        if bslots.choice(handler_input, "feedingKind") == "bottle" and slots.is_empty(handler_input, "amount"):
            return ("amount", "How many ounces was the bottle?")
        said = ("amount", "side", "duration", "feedingKind", "milkType", "food")
        if any(not slots.is_empty(handler_input, s) for s in said):
            return None
        return ("amount", "How much was the feeding? For example, 4 ounces, or 15 minutes on the left side.")

    def data(self, handler_input: HandlerInput) -> dict[str, object]:
        amount, unit = _volume(handler_input)
        kind = bslots.choice(handler_input, "feedingKind")
        side = bslots.choice(handler_input, "side")
        length = bslots.duration(handler_input, "duration")
        milk = bslots.choice(handler_input, "milkType")
        food = _food(handler_input)
        if milk and not slots.resolved(handler_input, "milkType"):
            # Words heard as a milk that is no milk ("her first taste of peanut butter"): what she ate, kept as said,
            # rather than an entry refused for its milk.
            food = " and ".join(x for x in (" ".join(milk.replace(",", " ").split()), food) if x)
            milk = None
        if kind is None and food and not milk and slots.is_empty(handler_input, "volumeUnit"):
            kind = "solids"  # "half a jar of peas": a food said, and no ounces of milk
        if kind is None:
            kind = "bottle" if amount is not None or milk else "breast" if side or length else None
        if kind == "bottle" and amount is None:
            raise InvalidInput("How many ounces was the bottle? For example, say 4 ounces of formula.")
        data: dict[str, object] = {"feeding_kind": kind}
        if kind == "bottle":
            data.update(amount=amount, unit=unit)
            if milk:
                data["milk_type"] = milk
        elif kind == "breast":
            if side:
                data["side"] = side
            if length is not None:
                data["duration_min"] = length.total_seconds() / 60
        elif food:
            data["food"] = food
        return data

    def also(self, handler_input: HandlerInput) -> tuple[EventKind, dict[str, object]] | None:
        diaper = bslots.choice(handler_input, "diaperType")
        return (EventKind.DIAPER, {"diaper_type": diaper}) if diaper else None


def _food(handler_input: HandlerInput) -> str | None:
    """The food as said ("mashed banana", "kohlrabi"): the log keeps a parent's words, listed or not."""
    said = slots.text(handler_input, "food")
    return " ".join(said.lower().split()) if said else None


class LogDiaperHandler(_LogHandler):
    intent_name = "LogDiaperIntent"
    kind = EventKind.DIAPER

    def missing(self, handler_input: HandlerInput) -> tuple[str, str] | None:
        if slots.is_empty(handler_input, "diaperType"):
            return ("diaperType", "Was it wet, dirty, or both?")
        return None

    def data(self, handler_input: HandlerInput) -> dict[str, object]:
        return {"diaper_type": bslots.choice(handler_input, "diaperType")}

    def also(self, handler_input: HandlerInput) -> tuple[EventKind, dict[str, object]] | None:
        if slots.is_empty(handler_input, "amount"):
            return None
        if slots.is_empty(handler_input, "volumeUnit") and slots.is_empty(handler_input, "milkType"):
            # A number with nothing to say it measures a drink counts the diapers: "she got one wet diaper also"
            # had logged a one-ounce bottle beside it. A feed told with the diaper says its ounces or its milk.
            return None
        amount, unit = _volume(handler_input)
        data: dict[str, object] = {"feeding_kind": "bottle", "amount": amount, "unit": unit}
        milk = bslots.choice(handler_input, "milkType")
        if milk:
            data["milk_type"] = milk
        return (EventKind.FEEDING, data)


class LogSleepHandler(_LogHandler):
    intent_name = "LogSleepIntent"
    kind = EventKind.SLEEP

    def handle(self, handler_input: HandlerInput) -> Response:
        fell_asleep, woke = slots.text(handler_input, "time"), slots.text(handler_input, "until")
        if fell_asleep and woke:
            return self._whole_sleep(handler_input, fell_asleep, woke)
        if bslots.choice(handler_input, "diaperType") and self._action(handler_input) == "end":
            try:
                _, asleep_since, _ = self.ctx.backend.babycare.sleep_state(
                    household_id(handler_input), self.child(handler_input)
                )
                awake = asleep_since is None
            except CHILD_ERRORS:
                awake = False  # which child first: the sleep entry's own path asks
            if awake:
                # "She was wet when she got up", the child awake in the log: the waking only says when, it is
                # logged already (or was never a sleep the log knew). The news is the diaper.
                return LogDiaperHandler(self.ctx).handle(handler_input)
        return super().handle(handler_input)

    def _whole_sleep(self, handler_input: HandlerInput, fell_asleep: str, woke: str) -> Response:
        """ "She slept from eleven last night till half five": the falling asleep and the waking, two entries."""
        hh = household_id(handler_input)
        backend = self.ctx.backend
        household = backend.households.get(hh)
        now = backend.clock.now()
        start, end = slept_between(now, household.tz, fell_asleep, woke)
        logged = []
        child = self.child(handler_input)
        for action, at in (("start", start), ("end", end)):
            result = self._log(handler_input, hh, {"action": action}, child, at)
            if not isinstance(result, LogResult):
                return result  # which child first
            child = result.child.id if result.child else child
            logged.append(result)
        session.remember_thing(handler_input, LOG_ENTRY)
        return finish_logging_turn(self.ctx, handler_input, said(logged[-1], household.tz, now), logged[-1])

    def missing(self, handler_input: HandlerInput) -> tuple[str, str] | None:
        if self._action(handler_input) is None:
            return ("sleepAction", "Did the baby fall asleep, or wake up?")
        return None

    def data(self, handler_input: HandlerInput) -> dict[str, object]:
        return {"action": self._action(handler_input)}

    def _action(self, handler_input: HandlerInput) -> str | None:
        """Asleep or awake as said; unsaid ("she's up from her nap"), waking when the log has the child asleep,
        since a child asleep can only wake. Awake, falling asleep is not assumed: it is asked."""
        said = bslots.choice(handler_input, "sleepAction")
        if said in ("start", "end"):
            return said
        if said:
            # Words around a listed phrase the slot took whole ("went down for her nap"): the phrase says which.
            within = bslots.listed_within("SleepAction", said)
            if within in ("start", "end"):
                return within
        try:
            _, asleep_since, _ = self.ctx.backend.babycare.sleep_state(
                household_id(handler_input), self.child(handler_input)
            )
        except CHILD_ERRORS:
            return None  # which child first: the question below names the choice
        return "end" if asleep_since is not None else None

    def also(self, handler_input: HandlerInput) -> tuple[EventKind, dict[str, object]] | None:
        # "A dirty diaper and now she's asleep": the diaper is logged with the sleep.
        diaper = bslots.choice(handler_input, "diaperType")
        return (EventKind.DIAPER, {"diaper_type": diaper}) if diaper else None


class LogMedicineHandler(_LogHandler):
    intent_name = "LogMedicineIntent"
    kind = EventKind.MEDICINE

    def handle(self, handler_input: HandlerInput) -> Response:
        bottle = _milk_given(handler_input)
        if bottle is not None:
            # "I gave her four ounces of formula": a measure of a milk the model lists is a feed, whatever intent
            # heard the giving; no medicine is called formula.
            return _BottleOf(self.ctx, *bottle).handle(handler_input)
        return super().handle(handler_input)

    def missing(self, handler_input: HandlerInput) -> tuple[str, str] | None:
        if _medicine_and_dose(handler_input)[0] is None:
            return ("medicine", "Which medicine was it?")
        return None

    def data(self, handler_input: HandlerInput) -> dict[str, object]:
        # The name and the dose exactly as said: the log records, it never computes a dose.
        medicine, dose = _medicine_and_dose(handler_input)
        return {"medicine": medicine, "dose": dose}


# "two and a half mls of tylenol" heard whole as the dose: a measure, "of", then the medicine's name.
_DOSE_OF = re.compile(
    r"^(?P<dose>.*\b(?:mls?|milliliters?|millilitres?|cc|mg|milligrams?|teaspoons?|tsp|drops?|tablets?|"
    r"chewables?|droppers?|doses?|ounces?|oz)\b)\s+of\s+(?P<medicine>[^\d\s].*)$",
    re.IGNORECASE,
)


def _milk_given(handler_input: HandlerInput) -> tuple[float, str, str] | None:
    """(amount, unit, milk type) where the medicine said is a milk of the model's MilkType list and no medicine's name,
    and the dose a number of ounces or milliliters ("four ounces of formula"); else None."""
    medicine, dose = _medicine_and_dose(handler_input)
    if not medicine or not dose or bslots.medicine_id(medicine) is not None:
        return None
    milk = bslots.longest_listed("MilkType", medicine)
    words = dose.lower().split()
    if milk is None or len(words) < 2 or bslots.UNIT_WORDS.get(words[-1]) not in ("oz", "ml"):
        return None
    amount = words_to_number(words[:-1])
    if amount is None:
        try:
            amount = float(" ".join(words[:-1]))
        except ValueError:
            return None
    return float(amount), bslots.UNIT_WORDS[words[-1]], milk


def _medicine_and_dose(handler_input: HandlerInput) -> tuple[str | None, str | None]:
    """The medicine and the dose as said; a dose slot that also carries the medicine's name ("2.5 mls of
    tylenol") with the medicine slot empty gives both, so the parent is not asked which medicine it was."""
    medicine, dose = slots.text(handler_input, "medicine"), slots.text(handler_input, "dose")
    if medicine is None and dose is not None and (split := _DOSE_OF.match(dose.strip())):
        return split.group("medicine").strip(), split.group("dose").strip()
    return medicine, dose


class LogPumpingHandler(_LogHandler):
    intent_name = "LogPumpingIntent"
    kind = EventKind.PUMPING

    def missing(self, handler_input: HandlerInput) -> tuple[str, str] | None:
        if slots.is_empty(handler_input, "amount"):
            return ("amount", "How much did you pump?")
        return None

    def child(self, handler_input: HandlerInput) -> str | None:
        return None  # pumping is the caregiver's, not a child's

    def data(self, handler_input: HandlerInput) -> dict[str, object]:
        amount, unit = _volume(handler_input)
        data: dict[str, object] = {"amount": amount, "unit": unit}
        side = bslots.choice(handler_input, "side")
        if side:
            data["side"] = side
        return data


class _BottleOf(_LogHandler):
    """A bottle of a given amount (and milk, where said), logged for a handler whose intent heard it as something
    else."""

    intent_name = "LogFeedingIntent"
    kind = EventKind.FEEDING

    def __init__(self, ctx: SkillContext, amount: float, unit: str = "oz", milk: str | None = None) -> None:
        super().__init__(ctx)
        self.amount, self.unit, self.milk = amount, unit, milk

    def data(self, handler_input: HandlerInput) -> dict[str, object]:
        data: dict[str, object] = {"feeding_kind": "bottle", "amount": self.amount, "unit": self.unit}
        if self.milk:
            data["milk_type"] = self.milk
        return data


class LogGrowthHandler(_LogHandler):
    intent_name = "LogGrowthIntent"
    kind = EventKind.GROWTH

    def handle(self, handler_input: HandlerInput) -> Response:
        weight = bslots.amount(handler_input, "weight")
        if (
            weight is not None
            and bslots.choice(handler_input, "weightUnit") == "oz"
            and weight <= 16
            and slots.is_empty(handler_input, "length")
        ):
            # "She downed the whole five ounces": ounces alone, a pound or less, weigh no baby (a weight is said
            # in pounds, or pounds and ounces); they measure a bottle.
            return _BottleOf(self.ctx, weight).handle(handler_input)
        corrected = self._correction(handler_input)
        if corrected is not None:
            return corrected
        return super().handle(handler_input)

    def _correction(self, handler_input: HandlerInput) -> Response | None:
        """A measure said right after a growth entry was logged, naming no child, corrects that entry: "she weighs
        fourteen pounds and twenty four inches", then "sorry, I mean fifteen pounds, not fourteen" (a baby's weight
        does not change between two sentences). None otherwise: a new entry is logged."""
        if (
            session.last_thing(handler_input) != LOG_ENTRY
            or bslots.child(handler_input) is not None
            or self.missing(handler_input) is not None
        ):
            return None
        data = self.data(handler_input)
        hh = household_id(handler_input)
        try:
            _, last = self.ctx.backend.babycare.last_entry(hh, None)
        except CHILD_ERRORS:
            return None  # several children and none named: a new entry, which asks which child
        if (
            last is None
            or last.kind is not EventKind.GROWTH
            or any(last.get(k) is None for k in ("weight", "length") if k in data)
        ):
            # A measure the entry does not have yet ("and her length was sixty-three centimetres" after the weight)
            # is a measure of its own, logged as such.
            return None
        try:
            _, result = self.ctx.backend.babycare.correct_last(hh, member_id(handler_input), data)
        except (EntryOfAnotherKind, NotFound):
            return None  # the newest entry is someone else's, or gone
        return _changed(handler_input, result)

    def missing(self, handler_input: HandlerInput) -> tuple[str, str] | None:
        if slots.is_empty(handler_input, "weight") and slots.is_empty(handler_input, "length"):
            return ("weight", "What is the weight? For example, 17 pounds.")
        return None

    def data(self, handler_input: HandlerInput) -> dict[str, object]:
        data: dict[str, object] = {}
        weight = bslots.amount(handler_input, "weight")
        if weight is not None:
            unit = bslots.choice(handler_input, "weightUnit") or "lb"
            # Ounces and grams are converted so the entry keeps one of the two units the log knows.
            if unit == "oz":
                weight, unit = weight / 16, "lb"
            elif unit == "g":
                weight, unit = weight / 1000, "kg"
            data.update(weight=weight, weight_unit=unit)
        length = bslots.amount(handler_input, "length")
        if length is not None and data.get("weight_unit") == "lb" and not bslots.choice(handler_input, "lengthUnit"):
            if length < 16:
                # "Seven pounds five ounces": the recogniser gives the ounces to the length, with no unit of
                # length said. Ounces of a weight in pounds, not a length of five inches.
                data["weight"] = float(data["weight"]) + length / 16  # type: ignore[arg-type]
                length = None
        if length is not None:
            data.update(length=length, length_unit=bslots.choice(handler_input, "lengthUnit") or "in")
        return data


class LogNoteHandler(_LogHandler):
    intent_name = "LogNoteIntent"
    kind = EventKind.NOTE

    def missing(self, handler_input: HandlerInput) -> tuple[str, str] | None:
        if slots.is_empty(handler_input, "note"):
            return ("note", "What should the note say?")
        return None

    def data(self, handler_input: HandlerInput) -> dict[str, object]:
        return {"note": slots.text(handler_input, "note")}


class UndoLastEntryHandler(AbstractRequestHandler):
    def __init__(self, ctx: SkillContext) -> None:
        self.ctx = ctx

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("UndoLastEntryIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        if session.last_thing(handler_input) in ("product", "button"):
            # The last thing done was not a log entry: deleting one from before would undo something else.
            # A second "undo" now means the log.
            session.remember_thing(handler_input, LOG_ENTRY)
            return ask(
                handler_input,
                "Your last request wasn't a log entry, so I left the log as it is. "
                "To delete the last log entry, say undo again.",
                "Say undo again to delete the last log entry.",
            )
        hh = household_id(handler_input)
        event = self.ctx.backend.babycare.undo_last(hh, member_id(handler_input))
        household = self.ctx.backend.households.get(hh)
        child = household.member(event.child_id)
        who = f" for {speech.escape(child.name)}" if child else ""
        what = entry(event)
        if event.kind is EventKind.SLEEP:
            what = "the sleep start" if event.get("action") == "start" else "the wake-up"
        return ask(handler_input, f"Okay, I deleted {what}{who}. {ANYTHING_ELSE}", ANYTHING_ELSE)


def _what_should_it_say(handler_input: HandlerInput) -> Response:
    return ask(
        handler_input,
        "What should the last entry say? For example: it was four ounces, or it was dirty.",
        "What should the last entry say?",
    )


def _changed(handler_input: HandlerInput, result: LogResult, moved_to: str | None = None) -> Response:
    who = speech.escape(result.child.name) if result.child else "you"
    when = f" at {moved_to}" if moved_to else ""
    return ask(
        handler_input, f"Okay, I changed it to {entry(result.event)} for {who}{when}. {ANYTHING_ELSE}", ANYTHING_ELSE
    )


class CorrectLastEntryHandler(AbstractRequestHandler):
    """ "No, it was four ounces", "I meant Leo", "actually it was dirty": the last entry, corrected in place."""

    intent_names: tuple[str, ...] = ("CorrectLastEntryIntent",)

    def __init__(self, ctx: SkillContext) -> None:
        self.ctx = ctx

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("CorrectLastEntryIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        changes: dict[str, object] = {}
        if not slots.is_empty(handler_input, "amount"):
            amount, unit = _volume(handler_input)
            changes["amount"] = amount
            if not slots.is_empty(handler_input, "volumeUnit"):
                # With no unit said, the entry keeps its own: "no, it was one hundred fifty" after 120 ml is 150 ml.
                changes["unit"] = unit
        for slot, field_name in (("diaperType", "diaper_type"), ("milkType", "milk_type"), ("side", "side")):
            value = bslots.choice(handler_input, slot)
            if value:
                changes[field_name] = value
        food = _food(handler_input)
        medicine = slots.text(handler_input, "medicine")
        if food and not medicine and bslots.medicine_id(food):
            medicine, food = food, None  # "no, it was motrin" heard as a food: a medicine's name is the medicine
        if food:
            changes["food"] = food
        if medicine:
            changes["medicine"] = " ".join(medicine.split())
        child = bslots.child(handler_input)
        hh = household_id(handler_input)
        backend = self.ctx.backend
        tz = backend.households.get(hh).tz
        # "That was at six, not seven": the entry happened at another time (the latest such time not ahead).
        at = bslots.when(handler_input, backend.clock.now(), tz) if slots.text(handler_input, "time") else None
        if not changes and child is None and at is None and session.last_thing(handler_input) in ("product", "button"):
            # Said right after a cart or button answer, "that was wrong" is about that, not the baby log.
            return ask(
                handler_input,
                "What should I change? You can say: remove it, or make it two.",
                "What should I change?",
            )
        if not changes and child is None and at is None:
            return _what_should_it_say(handler_input)
        try:
            return self._correct(handler_input, changes, child, at, tz)
        except EntryOfAnotherKind as other:
            if set(changes) == {"diaper_type"}:
                # "Changed her, it was just pee" with the last entry a feeding tells of a new diaper, as a
                # correction would have told of the last one.
                return LogDiaperHandler(self.ctx).handle(handler_input)
            fed = not slots.is_empty(handler_input, "volumeUnit") or slots.resolved(handler_input, "milkType")
            if other.last.kind is not EventKind.FEEDING and (fed or food):
                # Ounces, a milk or a food with no feeding the newest entry: a new feeding, told in the words of a
                # correction ("she took about four ounces. i believe it was formula. that was at half past nine"
                # after a diaper had moved the diaper to half past nine).
                return LogFeedingHandler(self.ctx).handle(handler_input)
            if at is not None or child is not None:
                # Details that are no feeding's either are words misheard as values ("the gas drops weren't just
                # now, that was at 5 30, half past five" has "half" for an amount and "wait" for a diaper): the
                # time or the child said is the correction.
                return self._correct(handler_input, {}, child, at, tz)
            return ask(
                handler_input,
                f"Your last entry is {entry(other.last)}, so I left it as it is. "
                "To log something new, say what happened, for example: she had four ounces of formula.",
                "What would you like to log?",
            )
        except (NotFound, InvalidInput):
            if set(changes) != {"diaper_type"}:
                raise
            # "Changed her, it was just pee" with nothing logged yet tells of a new diaper.
            return LogDiaperHandler(self.ctx).handle(handler_input)

    def _correct(
        self,
        handler_input: HandlerInput,
        changes: dict[str, object],
        child: str | None,
        at: datetime | None,
        tz: tzinfo,
    ) -> Response:
        """The last entry corrected, and said back; "which child?" when the child named is not clear."""
        backend = self.ctx.backend
        try:
            _, result = backend.babycare.correct_last(
                household_id(handler_input), member_id(handler_input), changes, child=child, at=at
            )
        except CHILD_ERRORS as error:
            question = which_child(handler_input, error)
            if question is None:
                raise
            return question
        return _changed(handler_input, result, clock_time(result.event.at, tz) if at is not None else None)


class EntryAmountHandler(CorrectLastEntryHandler):
    """ "Make it five", "I meant five" right after an entry was logged: heard as a cart change (the same words),
    meant for the entry's amount. Shopping's cart handler steps aside for it, as it does for a button."""

    intent_names = ("UpdateCartQuantityIntent", "ChooseOptionIntent")

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if session.last_thing(handler_input) != LOG_ENTRY:
            return False
        if is_intent_name("ChooseOptionIntent")(handler_input):
            # A bare number ("no, four, sorry") with no question open: heard as a choice, meant as the amount.
            return (
                session.pending(handler_input) is None
                and slots.text(handler_input, "product") is None
                and slots.number(handler_input, "option") is not None
            )
        return is_intent_name("UpdateCartQuantityIntent")(handler_input) and slots.refers_back(handler_input, "product")

    def handle(self, handler_input: HandlerInput) -> Response:
        backend = self.ctx.backend
        said = "option" if is_intent_name("ChooseOptionIntent")(handler_input) else "quantity"
        try:
            amount = bslots.amount(handler_input, said)
            if amount is None:
                raise InvalidInput("no amount said")
            _, result = backend.babycare.correct_last(
                household_id(handler_input), member_id(handler_input), {"amount": amount}
            )
        except (NotFound, InvalidInput):
            # A diaper or a sleep has no amount; or nothing of the caregiver's is in the log.
            return _what_should_it_say(handler_input)
        return _changed(handler_input, result)
