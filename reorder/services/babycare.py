"""Baby-care use cases: log an entry, undo it, answer a parent's question, guide formula mixing, and watch
the diaper and formula supply against what the household has had delivered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from reorder.clock import Clock
from reorder.domain.babylog import (
    BabyEvent,
    DiaperType,
    EventKind,
    FeedingKind,
    MilkType,
    SleepAction,
    same_event,
    sleep_sessions,
    slept_minutes,
    validate_event_data,
    validate_event_time,
)
from reorder.domain.catalog import Product
from reorder.domain.model import Household, Member, OrderStatus, Role, validate_channel
from reorder.domain.supplies import (
    DEFAULT_RUNOUT_DAYS,
    Delivery,
    SupplyEstimate,
    estimate_supply,
    missing_for_estimate,
    next_diaper_size,
    supply_kind,
)
from reorder.errors import Conflict, InvalidInput, NotFound
from reorder.services.ids import new_id
from reorder.store.base import Store, UnitOfWork

# How far back the supply estimate reads orders and the log.
SUPPLY_HISTORY_DAYS = 60
MAX_NAME = 40
FORMULA_SAFETY_LINE = "Use safe water, water before powder, and use the bottle within an hour."
MEDICAL_REFERRAL = "I can't give medical advice. Please call your pediatrician, and if it's an emergency, call 9 1 1."
# Said first, before anything else, when a person describes an emergency (swallowed, not breathing, won't wake).
EMERGENCY_REFERRAL = (
    "This sounds like an emergency: call 9 1 1 now. For anything swallowed, Poison Control is 1 800 222 1222."
)


class UnknownChild(NotFound):
    code = "unknown_child"


class AmbiguousChild(InvalidInput):
    code = "ambiguous_child"


class NotAsleep(Conflict):
    code = "not_asleep"


class AlreadyAsleep(Conflict):
    code = "already_asleep"


@dataclass(frozen=True, slots=True)
class LogResult:
    event: BabyEvent
    child: Member | None
    duplicate_of: BabyEvent | None = None  # another caregiver logged the same thing moments before
    slept_minutes: float | None = None  # a sleep end: how long the sleep lasted


@dataclass(slots=True)
class DaySummary:
    child: Member
    day: date
    feedings: int = 0
    bottles: int = 0
    bottle_oz: float = 0.0
    formula_oz: float = 0.0
    breast_milk_oz: float = 0.0
    breast_feeds: int = 0
    breast_minutes: float = 0.0
    solids: int = 0
    foods: list[str] = field(default_factory=list)  # the solid foods as said, in the order eaten
    diapers: dict[str, int] = field(default_factory=lambda: {t.value: 0 for t in DiaperType})
    sleep_minutes: float = 0.0
    naps: int = 0
    medicines: list[BabyEvent] = field(default_factory=list)
    pumped_oz: float = 0.0
    notes: list[str] = field(default_factory=list)
    last_weight_lb: float | None = None

    @property
    def wet_diapers(self) -> int:
        # A diaper that is both wet and dirty is a wet diaper too, as a pediatrician counts them.
        return self.diapers["wet"] + self.diapers["both"]

    @property
    def dirty_diapers(self) -> int:
        return self.diapers["dirty"] + self.diapers["both"]

    @property
    def diaper_changes(self) -> int:
        return sum(self.diapers.values())


@dataclass(frozen=True, slots=True)
class FormulaGuidance:
    product: Product
    water_oz: float
    scoops: float
    safety: str = FORMULA_SAFETY_LINE


@dataclass(frozen=True, slots=True)
class SupplyOffer:
    estimate: SupplyEstimate
    product: Product  # what to reorder
    quantity: int


@dataclass(frozen=True, slots=True)
class SizeSuggestion:
    child: Member
    weight_lb: float
    current: Product
    next_size: Product


# What a spoken correction may change, per kind of entry (the rest of the entry stays as logged).
class EntryOfAnotherKind(InvalidInput):
    """A correction whose details all belong to another kind of entry than the newest one (amounts of milk
    for a diaper): nothing was changed."""

    def __init__(self, last: BabyEvent, fields: tuple[str, ...]) -> None:
        super().__init__(f"The last entry is a {last.kind.value} entry; it has no {', '.join(fields)}.")
        self.last = last
        self.fields = fields


# How far back a medicine's name said as a correction reaches for the dose it means, past newer entries of other kinds.
MEDICINE_CORRECTION_WINDOW = timedelta(hours=12)

CORRECTABLE: dict[EventKind, tuple[str, ...]] = {
    EventKind.FEEDING: ("amount", "unit", "milk_type", "food", "side"),
    EventKind.PUMPING: ("amount", "unit", "side"),
    EventKind.DIAPER: ("diaper_type",),
    EventKind.MEDICINE: ("medicine",),  # "it was the nurofen i gave her, not the calpol"
    EventKind.GROWTH: ("weight", "weight_unit", "length", "length_unit"),  # "i mean fifteen pounds, not fourteen"
}


def _household(uow: UnitOfWork, household_id: str) -> Household:
    household = uow.households.get(household_id)
    if household is None:
        raise NotFound(f"There is no household {household_id!r}.")
    return household


def find_child(household: Household, name_or_id: str | None) -> Member:
    """The child meant: by id, by spoken name, or the only child when none is named."""
    children = household.children
    if not children:
        raise UnknownChild("There's no child in this household yet. Add one in the app first.")
    if name_or_id is None or not str(name_or_id).strip():
        if len(children) == 1:
            return children[0]
        raise AmbiguousChild(f"Which child: {_names(children)}?", children=[c.name for c in children])
    wanted = " ".join(str(name_or_id).lower().split())
    by_id = next((c for c in children if c.id == name_or_id), None)
    if by_id is not None:
        return by_id
    exact = [c for c in children if c.name.lower() == wanted]
    if len(exact) == 1:
        return exact[0]
    # "Maya" for "Maya Rose", and "her" style pronouns that speech recognition hands over as a name.
    partial = exact or [c for c in children if c.name.lower().split()[0] == wanted.split()[0]]
    if len(partial) == 1:
        return partial[0]
    if len(partial) > 1:
        raise AmbiguousChild(
            f"I know more than one {name_or_id}: {_names(partial)}. Which one?", children=[c.name for c in partial]
        )
    raise UnknownChild(
        f"I don't know a child called {name_or_id}. I know {_names(children)}.", children=[c.name for c in children]
    )


def _names(members: list[Member]) -> str:
    names = [m.name for m in members]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def local_day_bounds(day: date, household: Household) -> tuple[datetime, datetime]:
    tz = household.tz
    start = datetime.combine(day, time(0), tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tz)
    return start, end


class BabyCareService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    # Children are members with the child role; they live on the household.
    def children(self, household_id: str) -> list[Member]:
        with self.store.unit_of_work(write=False) as uow:
            return _household(uow, household_id).children

    def add_child(self, household_id: str, name: str, birth_date: date | None = None) -> Member:
        name = " ".join(str(name or "").split())
        if not name or len(name) > MAX_NAME:
            raise InvalidInput(f"A child's name is 1 to {MAX_NAME} characters.")
        if birth_date is not None and birth_date > self.clock.now().date():
            raise InvalidInput("A birth date can't be in the future.")
        with self.store.unit_of_work() as uow:
            household = _household(uow, household_id)
            if any(m.name.lower() == name.lower() for m in household.members):
                raise Conflict(f"{household.name} has someone called {name} already.")
            member = Member(new_id("mem"), name, Role.CHILD, birth_date)
            household.members.append(member)
            uow.households.update(household)
        return member

    def child(self, household_id: str, name_or_id: str | None) -> Member:
        with self.store.unit_of_work(write=False) as uow:
            return find_child(_household(uow, household_id), name_or_id)

    # Logging.
    def log(
        self,
        household_id: str,
        kind: EventKind | str,
        data: dict[str, object] | None = None,
        *,
        child: str | None = None,
        at: datetime | None = None,
        member_id: str | None = None,
        channel: str = "api",
    ) -> LogResult:
        try:
            kind = EventKind(kind)
        except ValueError:
            raise InvalidInput(
                f"Unknown entry kind {kind!r}; use one of {', '.join(k.value for k in EventKind)}."
            ) from None
        validate_channel(channel)
        clean = validate_event_data(kind, dict(data or {}))
        now = self.clock.now()
        when = validate_event_time(at or now, now)
        with self.store.unit_of_work() as uow:
            household = _household(uow, household_id)
            if member_id is not None and household.member(member_id) is None:
                raise NotFound(f"{household.name} has no member {member_id!r}.")
            target = None if kind is EventKind.PUMPING and child is None else find_child(household, child)
            child_id = target.id if target else None
            nearby = uow.baby_events.between(
                household_id,
                when - timedelta(minutes=10),
                when + timedelta(minutes=10),
                child_id=child_id,
                kinds=(kind,),
            )
            duplicate = next((e for e in nearby if same_event(e, kind, child_id, when, clean)), None)
            slept = None
            if kind is EventKind.SLEEP and duplicate is None:
                slept = self._check_sleep(uow, household_id, target, clean["action"], when)
            event = BabyEvent(
                new_id("ev"),
                household_id,
                child_id,
                kind,
                when,
                now,
                member_id,
                channel,
                clean,
                duplicate.id if duplicate else None,
            )
            uow.baby_events.add(event)
        return LogResult(event, target, duplicate, slept)

    def _check_sleep(
        self, uow: UnitOfWork, household_id: str, child: Member | None, action: object, when: datetime
    ) -> float | None:
        child_id, name = (child.id, child.name) if child else (None, "the baby")
        last = uow.baby_events.latest(household_id, child_id=child_id, kinds=(EventKind.SLEEP,), before=when)
        asleep_since = last[0].at if last and last[0].get("action") == SleepAction.START else None
        if action == SleepAction.START:
            if asleep_since is not None:
                raise AlreadyAsleep(
                    f"The log already has {name} asleep; tell me when {name} woke up first.",
                    since=asleep_since.isoformat(),
                )
            return None
        if asleep_since is None:
            raise NotAsleep(f"I don't have {name} falling asleep before that. Tell me when {name} fell asleep first.")
        return (when - asleep_since).total_seconds() / 60

    def undo_last(self, household_id: str, member_id: str | None = None) -> BabyEvent:
        """Delete the newest entry this caregiver made (any caregiver's when unknown)."""
        with self.store.unit_of_work() as uow:
            event = uow.baby_events.last_logged_by(household_id, member_id)
            if event is None:
                raise NotFound("There's nothing in the log to undo.")
            uow.baby_events.delete(household_id, event.id, self.clock.now())
        return event

    def correct_last(
        self,
        household_id: str,
        member_id: str | None,
        changes: dict[str, object],
        *,
        child: str | None = None,
        at: datetime | None = None,
    ) -> tuple[BabyEvent, LogResult]:
        """Replace the newest entry this caregiver made by the same entry with `changes` applied to its data
        (and `child` for whom it was, `at` when it happened): "no, it was four ounces", "I meant Leo", "that was
        at six, not seven". Only the fields the entry has can change; the time stays unless `at` is given, and
        never moves ahead of now. Returns (the entry replaced, the corrected entry)."""
        now = self.clock.now()
        if at is not None and at > now:
            raise InvalidInput("That time hasn't come yet, so I can't move the entry there.")
        with self.store.unit_of_work() as uow:
            household = _household(uow, household_id)
            event = uow.baby_events.last_logged_by(household_id, member_id)
            if event is None:
                raise NotFound("There's nothing in the log to correct.")
            applied = {k: v for k, v in changes.items() if k in CORRECTABLE.get(event.kind, ())}
            if changes and not applied and set(changes) <= set(CORRECTABLE[EventKind.MEDICINE]):
                # A medicine's name said as a correction ("it was panadol, not calpol") after a diaper was logged
                # is about the last dose this caregiver logged today, not the diaper.
                doses = uow.baby_events.latest(household_id, kinds=(EventKind.MEDICINE,), limit=1, order_by="logged_at")
                dose = doses[0] if doses else None
                if (
                    dose is not None
                    and dose.logged_by == event.logged_by
                    and now - dose.logged_at <= MEDICINE_CORRECTION_WINDOW
                ):
                    event, applied = dose, dict(changes)
            if changes and not applied:
                # Details of another kind of entry ("four ounces of formula, at half past nine" with a diaper
                # the newest): they tell of something else, so neither they nor the time or child said with them
                # go onto this entry. Applying only the time had moved a diaper to the bottle's time.
                raise EntryOfAnotherKind(event, tuple(changes))
            if not applied and child is None and at is None:
                raise InvalidInput("That doesn't change the last entry.")
            if "amount" in applied and "unit" not in applied and "unit" not in event.data:
                applied["unit"] = "oz"  # an amount said with no unit, for an entry that had none: ounces, as logged
            clean = validate_event_data(event.kind, {**event.data, **applied})
            target = find_child(household, child) if child is not None else household.member(event.child_id)
            corrected = BabyEvent(
                new_id("ev"),
                household_id,
                target.id if target else None,
                event.kind,
                at if at is not None else event.at,
                now,
                event.logged_by,
                event.channel,
                clean,
                None,
            )
            uow.baby_events.delete(household_id, event.id, now)
            uow.baby_events.add(corrected)
        return event, LogResult(corrected, target, None, None)

    def delete(self, household_id: str, event_id: str, *, child_id: str | None = None) -> BabyEvent:
        with self.store.unit_of_work() as uow:
            event = uow.baby_events.get(household_id, event_id)
            if event is None or (child_id is not None and event.child_id != child_id):
                raise NotFound(f"There is no log entry {event_id!r}.")
            uow.baby_events.delete(household_id, event_id, self.clock.now())
        return event

    def events(
        self,
        household_id: str,
        child: str | None,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        kinds: tuple[EventKind, ...] = (),
    ) -> list[BabyEvent]:
        now = self.clock.now()
        with self.store.unit_of_work(write=False) as uow:
            target = find_child(_household(uow, household_id), child)
            return uow.baby_events.between(
                household_id,
                start or now - timedelta(days=1),
                end or now + timedelta(minutes=5),
                child_id=target.id,
                kinds=kinds,
            )

    # Questions.
    def last_event(
        self,
        household_id: str,
        child: str | None,
        kind: EventKind,
        *,
        matching: Callable[[BabyEvent], bool] | None = None,
        **match: object,
    ) -> tuple[Member, BabyEvent | None]:
        """The newest entry of a kind, optionally whose data matches (diaper_type="wet") and that `matching`
        accepts (a medicine by the name it was logged with)."""
        with self.store.unit_of_work(write=False) as uow:
            target = find_child(_household(uow, household_id), child)
            for event in uow.baby_events.latest(
                household_id, child_id=target.id, kinds=(kind,), before=self.clock.now(), limit=200
            ):
                if all(event.get(k) == v for k, v in match.items()) and (matching is None or matching(event)):
                    return target, event
        return target, None

    def last_entry(self, household_id: str, child: str | None) -> tuple[Member, BabyEvent | None]:
        """The entry logged last for the child, of any kind ("what's the last thing I logged for her")."""
        with self.store.unit_of_work(write=False) as uow:
            target = find_child(_household(uow, household_id), child)
            found = uow.baby_events.latest(
                household_id, child_id=target.id, before=self.clock.now(), limit=1, order_by="logged_at"
            )
        return target, (found[0] if found else None)

    def sleep_state(self, household_id: str, child: str | None) -> tuple[Member, datetime | None, BabyEvent | None]:
        """(child, asleep since or None, the last sleep entry)."""
        member, last = self.last_event(household_id, child, EventKind.SLEEP)
        if last is not None and last.get("action") == SleepAction.START:
            return member, last.at, last
        return member, None, last

    def day_summary(self, household_id: str, child: str | None, day: date | None = None) -> DaySummary:
        now = self.clock.now()
        with self.store.unit_of_work(write=False) as uow:
            household = _household(uow, household_id)
            target = find_child(household, child)
            day = day or now.astimezone(household.tz).date()
            start, end = local_day_bounds(day, household)
            events = uow.baby_events.between(household_id, start, end, child_id=target.id)
            # Sleep that began the evening before still counts for the part that falls in this day.
            earlier = uow.baby_events.latest(household_id, child_id=target.id, kinds=(EventKind.SLEEP,), before=start)
            pumped = [
                e
                for e in uow.baby_events.between(household_id, start, end, kinds=(EventKind.PUMPING,))
                if e.duplicate_of is None
            ]
            weights = uow.baby_events.latest(
                household_id, child_id=target.id, kinds=(EventKind.GROWTH,), before=end, limit=50
            )
        summary = DaySummary(target, day)
        for event in events:
            if event.duplicate_of is not None:
                continue
            _add_to_summary(summary, event)
        sessions = sleep_sessions(earlier + events, until=min(end, now))
        summary.sleep_minutes = slept_minutes(sessions, start, min(end, now))
        summary.naps = sum(
            1
            for begin, _ in sessions
            if start <= begin < end and time(7) <= begin.astimezone(household.tz).time() < time(19)
        )
        summary.pumped_oz = sum(e.amount_oz or 0.0 for e in pumped)
        summary.last_weight_lb = next((e.weight_lb for e in weights if e.weight_lb is not None), None)
        return summary

    # Formula.
    def household_formula(self, household_id: str) -> Product | None:
        """The formula the household buys: the one in its most recent order that has mixing data."""
        with self.store.unit_of_work(write=False) as uow:
            orders = uow.orders.list_for_household(household_id, limit=100)
            ids = [
                line.product_id for order in orders if order.status is not OrderStatus.CANCELLED for line in order.lines
            ]
            products = uow.products.get_many(ids)
        return next((products[i] for i in ids if i in products and products[i].water_oz_per_scoop), None)

    def formula_guidance(self, household_id: str, amount: float, unit: str = "oz") -> FormulaGuidance:
        if isinstance(amount, bool) or not isinstance(amount, int | float) or amount != amount:
            raise InvalidInput("Tell me how much formula to make, like 6 ounces.")
        unit = (unit or "oz").lower()
        if unit not in ("oz", "ml"):
            raise InvalidInput("Formula amounts are in ounces or milliliters.")
        water = float(amount) / 29.5735 if unit == "ml" else float(amount)
        if not 0 < water <= 12:
            raise InvalidInput("I can explain bottles from 1 to 12 ounces.")
        product = self.household_formula(household_id)
        if product is None:
            raise NotFound(
                "I don't see a formula in your orders, so I can't give its mixing ratio. Check the label on the can."
            )
        assert product.water_oz_per_scoop is not None
        return FormulaGuidance(product, water, water / product.water_oz_per_scoop)

    def formula_for_scoops(self, household_id: str, scoops: float) -> FormulaGuidance:
        """The water for a number of scoops of the household's formula ("how much water for four scoops")."""
        if isinstance(scoops, bool) or not isinstance(scoops, int | float) or not 0 < scoops <= 8:
            raise InvalidInput("I can explain bottles from 1 to 8 scoops.")
        product = self.household_formula(household_id)
        if product is None:
            raise NotFound(
                "I don't see a formula in your orders, so I can't give its mixing ratio. Check the label on the can."
            )
        assert product.water_oz_per_scoop is not None
        return FormulaGuidance(product, float(scoops) * product.water_oz_per_scoop, float(scoops))

    def last_sleep(self, household_id: str, child: str | None) -> tuple[datetime, datetime] | None:
        """(fell asleep, woke up) of the child's last finished sleep, or None."""
        now = self.clock.now()
        with self.store.unit_of_work(write=False) as uow:
            target = find_child(_household(uow, household_id), child)
            entries = uow.baby_events.between(
                household_id,
                now - timedelta(days=2),
                now + timedelta(minutes=5),
                child_id=target.id,
                kinds=(EventKind.SLEEP,),
            )
        entries = sorted((e for e in entries if e.duplicate_of is None), key=lambda e: e.at)
        for start, end in zip(reversed(entries[:-1]), reversed(entries[1:]), strict=True):
            if start.get("action") == SleepAction.START and end.get("action") == SleepAction.END:
                return start.at, end.at
        return None

    # Supplies.
    def deliveries(self, uow: UnitOfWork, household_id: str, since: datetime) -> list[Delivery]:
        found: list[Delivery] = []
        orders = uow.orders.list_for_household(household_id, limit=200)
        products = uow.products.get_many(line.product_id for order in orders for line in order.lines)
        for order in orders:
            delivered_at = order.status_changed_at(OrderStatus.DELIVERED)
            if order.status is not OrderStatus.DELIVERED or delivered_at is None or delivered_at < since:
                continue
            for line in order.lines:
                product = products.get(line.product_id)
                if product is not None and supply_kind(product):
                    found.append(Delivery(product, line.quantity, delivered_at))
        return found

    def supplies(self, household_id: str) -> list[SupplyEstimate]:
        now = self.clock.now()
        since = now - timedelta(days=SUPPLY_HISTORY_DAYS)
        with self.store.unit_of_work(write=False) as uow:
            household = _household(uow, household_id)
            deliveries = self.deliveries(uow, household_id, since)
            events = uow.baby_events.between(
                household_id, since, now + timedelta(minutes=5), kinds=(EventKind.DIAPER, EventKind.FEEDING)
            )
        estimates = [estimate_supply(kind, deliveries, events, now, household.tz) for kind in ("diapers", "formula")]
        return [e for e in estimates if e is not None]

    def supply_gap(self, household_id: str, kind: str) -> str:
        """What the forecast of `kind` still needs, when `supplies` has none: "delivery" or "log"."""
        since = self.clock.now() - timedelta(days=SUPPLY_HISTORY_DAYS)
        with self.store.unit_of_work(write=False) as uow:
            _household(uow, household_id)
            deliveries = self.deliveries(uow, household_id, since)
        return missing_for_estimate(kind, deliveries, [])

    def take_supply_offer(self, household_id: str, within_days: int = DEFAULT_RUNOUT_DAYS) -> SupplyOffer | None:
        """The supply that runs out soonest within `within_days`, at most once per household per local day:
        taking it records that it was offered today."""
        if not 0 < within_days <= 30:
            raise InvalidInput("Warn between 1 and 30 days ahead.")
        estimates = sorted(
            (e for e in self.supplies(household_id) if e.runs_out_within(within_days)), key=lambda e: e.days_left
        )
        if not estimates:
            return None
        now = self.clock.now()
        key = f"babycare:supply-offer:{household_id}"
        with self.store.unit_of_work() as uow:
            household = _household(uow, household_id)
            today = now.astimezone(household.tz).date().isoformat()
            seen = uow.attributes.get(key) or {}
            if seen.get("date") == today:
                return None
            uow.attributes.put(key, {"date": today, "kind": estimates[0].kind}, now)
            history = {i.product_id: i for i in uow.orders.purchase_history(household_id)}
        estimate = estimates[0]
        last = history.get(estimate.product.id)
        return SupplyOffer(estimate, estimate.product, last.last_quantity if last else 1)

    def size_suggestion(self, household_id: str, child: str | None) -> SizeSuggestion | None:
        """The next diaper size when the child's last logged weight nears the top of the current size."""
        now = self.clock.now()
        with self.store.unit_of_work(write=False) as uow:
            household = _household(uow, household_id)
            target = find_child(household, child)
            growth = uow.baby_events.latest(
                household_id, child_id=target.id, kinds=(EventKind.GROWTH,), before=now, limit=50
            )
            weight = next((e.weight_lb for e in growth if e.weight_lb is not None), None)
            if weight is None:
                return None
            current = next(
                (
                    d.product
                    for d in sorted(
                        self.deliveries(uow, household_id, now - timedelta(days=SUPPLY_HISTORY_DAYS)),
                        key=lambda d: d.delivered_at,
                        reverse=True,
                    )
                    if d.product.kind == "diapers"
                ),
                None,
            )
            if current is None:
                return None
            candidates = list(uow.products.iter_all())
        bigger = next_diaper_size(current, weight, candidates)
        return SizeSuggestion(target, weight, current, bigger) if bigger else None


def _add_to_summary(summary: DaySummary, event: BabyEvent) -> None:
    if event.kind is EventKind.FEEDING:
        summary.feedings += 1
        kind = event.get("feeding_kind")
        if kind == FeedingKind.BOTTLE:
            oz = event.amount_oz or 0.0
            summary.bottles += 1
            summary.bottle_oz += oz
            if event.get("milk_type") == MilkType.FORMULA:
                summary.formula_oz += oz
            elif event.get("milk_type") == MilkType.BREAST_MILK:
                summary.breast_milk_oz += oz
        elif kind == FeedingKind.BREAST:
            summary.breast_feeds += 1
            summary.breast_minutes += float(event.get("duration_min") or 0)  # type: ignore[arg-type]
        else:
            summary.solids += 1
            if event.get("food"):
                summary.foods.append(str(event.get("food")))
    elif event.kind is EventKind.DIAPER:
        summary.diapers[str(event.get("diaper_type"))] += 1
    elif event.kind is EventKind.MEDICINE:
        summary.medicines.append(event)
    elif event.kind is EventKind.NOTE:
        summary.notes.append(str(event.get("note")))
