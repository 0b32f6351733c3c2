"""Questions a parent asks about the log, formula mixing, and the medical questions the skill never answers."""

from __future__ import annotations

from datetime import date

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from reorder.domain.babylog import EventKind
from reorder.domain.supplies import SupplyEstimate, whole_days
from reorder.services.babycare import MEDICAL_REFERRAL
from skills.babycare import slots as bslots
from skills.babycare.children import CHILD_ERRORS, which_child
from skills.babycare.phrases import ago, clock_time, entry, measure, num, span, summary
from skills.common import slots, speech
from skills.common.context import SkillContext
from skills.common.identity import household_id
from skills.common.respond import ask

ANYTHING_ELSE = "Anything else?"

# BabyEventKind ids → (entry kind, data that must match, how the answer names it)
LAST_EVENT: dict[str, tuple[EventKind, dict[str, object], str]] = {
    "feeding": (EventKind.FEEDING, {}, "ate"),
    "bottle": (EventKind.FEEDING, {"feeding_kind": "bottle"}, "had a bottle"),
    "diaper": (EventKind.DIAPER, {}, "had a diaper change"),
    "wet_diaper": (EventKind.DIAPER, {"diaper_type": "wet"}, "had a wet diaper"),
    "dirty_diaper": (EventKind.DIAPER, {"diaper_type": "dirty"}, "had a dirty diaper"),
    "sleep": (EventKind.SLEEP, {"action": "start"}, "fell asleep"),
    "wake": (EventKind.SLEEP, {"action": "end"}, "woke up"),
    "medicine": (EventKind.MEDICINE, {}, "had medicine"),
    "pumping": (EventKind.PUMPING, {}, "pumped"),
}


class _Question(AbstractRequestHandler):
    intent_name = ""

    @property
    def intent_names(self) -> tuple[str, ...]:  # lets the skill's request mapper skip this handler for others
        return (self.intent_name,)

    def __init__(self, ctx: SkillContext) -> None:
        self.ctx = ctx

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name(self.intent_name)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        try:
            return self.reply(handler_input)
        except CHILD_ERRORS as error:
            question = which_child(handler_input, error)
            if question is None:
                raise
            return question

    def reply(self, handler_input: HandlerInput) -> Response:
        raise NotImplementedError

    def answer(self, handler_input: HandlerInput, text: str) -> Response:
        return ask(handler_input, f"{text} {ANYTHING_ELSE}", ANYTHING_ELSE)

    def tz(self, handler_input: HandlerInput):  # noqa: ANN201 - a tzinfo
        return self.ctx.backend.households.get(household_id(handler_input)).tz


class LastEventQueryHandler(_Question):
    intent_name = "LastEventQueryIntent"

    def reply(self, handler_input: HandlerInput) -> Response:
        medicine = slots.text(handler_input, "medicine")
        if medicine:
            return self._last_dose(handler_input, medicine)
        kind_id = bslots.event_kind(handler_input) or "feeding"
        if kind_id == "entry":  # "what's the last thing I logged for her": whatever it was
            child, last = self.ctx.backend.babycare.last_entry(household_id(handler_input), bslots.child(handler_input))
            who = speech.escape(child.name)
            if last is None:
                return self.answer(handler_input, f"There's nothing in {who}'s log yet.")
            when = ago(last.at, self.ctx.backend.clock.now(), self.tz(handler_input))
            return self.answer(handler_input, f"The last entry for {who} is {entry(last)}, {when}.")
        if kind_id not in LAST_EVENT:
            return self.answer(
                handler_input, "I can tell you about feedings, diapers, sleep, waking up, medicine and pumping."
            )
        kind, match, verb = LAST_EVENT[kind_id]
        hh = household_id(handler_input)
        child, event = self.ctx.backend.babycare.last_event(
            hh, bslots.child(handler_input), kind, matching=lambda e: all(e.get(k) == v for k, v in match.items())
        )
        who = speech.escape(child.name)
        if event is None:
            return self.answer(handler_input, f"I don't have a time when {who} {verb} in the log yet.")
        now = self.ctx.backend.clock.now()
        detail = "" if kind in (EventKind.SLEEP,) else f", {entry(event)}"
        return self.answer(handler_input, f"{who} last {verb} {ago(event.at, now, self.tz(handler_input))}{detail}.")

    def _last_dose(self, handler_input: HandlerInput, medicine: str) -> Response:
        """When a medicine by name was last given ("when did she have the tylenol"): the newest dose whose name as
        logged shares a word with the name asked, or resolves to the same medicine ("motrin" is ibuprofen)."""
        hh = household_id(handler_input)
        backend = self.ctx.backend.babycare
        asked = slots.resolved(handler_input, "medicine")
        words = set(medicine.lower().split()) - {"the", "her", "his", "some", "infant", "baby", "children's"}
        child, event = backend.last_event(
            hh,
            bslots.child(handler_input),
            EventKind.MEDICINE,
            matching=lambda e: (
                bool(words & set(str(e.get("medicine") or "").lower().split()))
                or (asked is not None and bslots.medicine_id(str(e.get("medicine") or "")) == asked)
            ),
        )
        who = speech.escape(child.name)
        if event is None:
            return self.answer(handler_input, f"I don't have {speech.escape(medicine)} for {who} in the log.")
        now = self.ctx.backend.clock.now()
        return self.answer(
            handler_input, f"{who} last had {entry(event)} {ago(event.at, now, self.tz(handler_input))}."
        )


class SleepDurationQueryHandler(_Question):
    intent_name = "SleepDurationQueryIntent"

    def reply(self, handler_input: HandlerInput) -> Response:
        hh = household_id(handler_input)
        child, since, last = self.ctx.backend.babycare.sleep_state(hh, bslots.child(handler_input))
        who = speech.escape(child.name)
        now = self.ctx.backend.clock.now()
        tz = self.tz(handler_input)
        if since is not None:
            return self.answer(
                handler_input,
                f"{who} has been asleep for {span((now - since).total_seconds() / 60)}, since {clock_time(since, tz)}.",
            )
        if last is None:
            return self.answer(handler_input, f"I don't have any sleep logged for {who}.")
        slept = self.ctx.backend.babycare.last_sleep(hh, child.id)
        if slept is not None and last.get("action") == "end":
            minutes = (slept[1] - slept[0]).total_seconds() / 60
            return self.answer(handler_input, f"{who} slept {span(minutes)}, and woke up {ago(slept[1], now, tz)}.")
        return self.answer(handler_input, f"{who} is awake, and woke up {ago(last.at, now, tz)}.")


class CountTodayQueryHandler(_Question):
    intent_name = "CountTodayQueryIntent"

    def reply(self, handler_input: HandlerInput) -> Response:
        hh = household_id(handler_input)
        day = self.ctx.backend.babycare.day_summary(hh, bslots.child(handler_input))
        kind = bslots.event_kind(handler_input) or "diaper"
        counts = {
            "diaper": (day.diaper_changes, "diaper change"),
            "wet_diaper": (day.wet_diapers, "wet diaper"),
            "dirty_diaper": (day.dirty_diapers, "dirty diaper"),
            "feeding": (day.feedings, "feeding"),
            "bottle": (day.bottles, "bottle"),
            "sleep": (day.naps, "nap"),
            "medicine": (len(day.medicines), "dose of medicine"),
        }
        if kind not in counts:
            return self.answer(handler_input, "I can count diapers, feedings, naps and medicine.")
        count, noun = counts[kind]
        noun = noun if count == 1 else ("doses of medicine" if noun.startswith("dose") else speech.plural(noun, 2))
        many = speech.number(count) if count else "no"
        return self.answer(handler_input, f"{speech.escape(day.child.name)} has had {many} {noun} today.")


class IntakeTodayQueryHandler(_Question):
    intent_name = "IntakeTodayQueryIntent"

    def reply(self, handler_input: HandlerInput) -> Response:
        hh = household_id(handler_input)
        day = self.ctx.backend.babycare.day_summary(hh, bslots.child(handler_input))
        who = speech.escape(day.child.name)
        if not day.feedings:
            return self.answer(handler_input, f"I don't have any feedings logged for {who} today.")
        parts = []
        if day.bottle_oz:
            kinds = []
            if day.formula_oz:
                kinds.append(f"{num(day.formula_oz)} of formula")
            if day.breast_milk_oz:
                kinds.append(f"{num(day.breast_milk_oz)} of breast milk")
            detail = f": {speech.join(kinds)}" if len(kinds) > 1 else ""
            parts.append(f"{measure(day.bottle_oz, 'oz')} from bottles{detail}")
        if day.breast_feeds:
            minutes = f", {span(day.breast_minutes)} in all" if day.breast_minutes else ""
            parts.append(f"{speech.number(day.breast_feeds)} {speech.plural('breastfeed', day.breast_feeds)}{minutes}")
        if day.solids:
            foods = list(dict.fromkeys(day.foods))  # "peas" twice is said once
            eaten = f": {speech.join([speech.escape(f) for f in foods])}" if foods else ""
            parts.append(f"solids {speech.number(day.solids)} {'time' if day.solids == 1 else 'times'}{eaten}")
        return self.answer(handler_input, f"Today {who} had {speech.join(parts)}.")


class DailySummaryHandler(_Question):
    intent_name = "DailySummaryIntent"

    def reply(self, handler_input: HandlerInput) -> Response:
        hh = household_id(handler_input)
        return self.answer(
            handler_input, summary(self.ctx.backend.babycare.day_summary(hh, bslots.child(handler_input)), True)
        )


class FormulaMixHandler(_Question):
    intent_name = "FormulaMixIntent"

    def reply(self, handler_input: HandlerInput) -> Response:
        amount = bslots.amount(handler_input, "amount")
        unit = bslots.choice(handler_input, "volumeUnit") or "oz"
        scoops = bslots.amount(handler_input, "scoops")
        if scoops is not None and amount is None:  # "how much water for four scoops": the scoops were asked
            guide = self.ctx.backend.babycare.formula_for_scoops(household_id(handler_input), scoops)
            return self.answer(
                handler_input,
                f"For {num(scoops)} level {'scoop' if round(scoops, 1) == 1 else 'scoops'} of "
                f"{speech.escape(guide.product.brand)} formula, use {measure(guide.water_oz, 'oz')} "
                f"of water. {guide.safety}",
            )
        if amount is None:
            return ask(
                handler_input,
                "How many ounces of formula do you want to make?",
                "How many ounces? For example, 6 ounces.",
            )
        if unit == "cup":
            amount, unit = amount * 8, "oz"
        guide = self.ctx.backend.babycare.formula_guidance(household_id(handler_input), amount, unit)
        scoops = guide.scoops
        scoop_words = f"{num(scoops)} level {'scoop' if round(scoops, 1) == 1 else 'scoops'}"
        return self.answer(
            handler_input,
            f"For {measure(amount, unit)}, pour {measure(guide.water_oz, 'oz')} of water, then add "
            f"{scoop_words} of {speech.escape(guide.product.brand)} powder and shake. {guide.safety}",
        )


class MedicalQuestionHandler(_Question):
    intent_name = "MedicalQuestionIntent"

    def reply(self, handler_input: HandlerInput) -> Response:
        # Never advice, whatever was asked: fever, dosing and rashes need a pediatrician.
        return self.answer(handler_input, MEDICAL_REFERRAL)


class SupplyQueryHandler(_Question):
    """ "When will we run out of diapers?", "how much formula is left?": the supply forecast, read only."""

    intent_name = "SupplyQueryIntent"

    def reply(self, handler_input: HandlerInput) -> Response:
        hh = household_id(handler_input)
        wanted = bslots.choice(handler_input, "supply")
        estimates = {e.kind: e for e in self.ctx.backend.babycare.supplies(hh)}
        kinds = [wanted] if wanted else sorted(estimates, key=lambda k: estimates[k].days_left)
        if not kinds:
            return self.answer(
                handler_input,
                "I can't tell yet: I need a delivery of diapers or formula and a "
                "few days of logged changes or bottles to work it out.",
            )
        today = self.ctx.backend.clock.now().astimezone(self.tz(handler_input)).date()
        babycare = self.ctx.backend.babycare
        return self.answer(
            handler_input,
            " ".join(
                supply_answer(k, estimates.get(k), today, None if k in estimates else babycare.supply_gap(hh, k))
                for k in kinds[:2]
            ),
        )


def supply_answer(kind: str, estimate: SupplyEstimate | None, today: date, gap: str | None = None) -> str:
    """One sentence: how many are left and the day they run out, as the forecast has it; without a forecast,
    what it still needs (`gap`: "delivery" or "log", as the backend says)."""
    if estimate is None:
        amount = "how many diapers" if kind == "diapers" else f"how much {kind}"
        logged = "changes" if kind == "diapers" else "bottles"
        need = {
            "delivery": f"a delivery of {kind} ordered here",
            "log": f"a day or two of logged {logged}",
        }.get(gap or "", f"a delivery of {kind} and a day or two of logged {logged}")
        return f"I can't tell {amount} you have yet: I need {need}."
    days = whole_days(estimate.days_left)
    when = (
        "today"
        if days == 0
        else "tomorrow"
        if days == 1
        else f"in about {speech.number(days)} days, on {speech.spoken_date(estimate.runs_out_on, today)}"
    )
    if kind == "diapers":
        left = f"about {int(round(estimate.units_left))} diapers"
    else:
        left = f"about {num(estimate.units_left)} ounces of formula"
    return f"You have {left} left; at your usual pace they run out {when}."
