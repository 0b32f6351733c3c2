"""Virtual buttons: create, rename, rebind, delete, and press, exactly once.

A press runs in ONE transaction: it reads the button's open order, places a new order when the policy
allows, claims the button's in-flight row and records the press with its outcome. The claim row's primary
key, not a lock in this process, is what keeps a flood of presses from many processes to one order.
"""

from __future__ import annotations

import builtins
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, time
from time import time_ns

from reorder import observe
from reorder.clock import Clock
from reorder.domain.buttons import (
    Button,
    ButtonPolicy,
    Press,
    PressOutcome,
    button_name_key,
    validate_button_name,
    validate_button_quantity,
)
from reorder.domain.model import Household, Order, validate_channel
from reorder.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    ProductUnavailable,
    PurchaseCodeRequired,
    PurchaseNotAllowed,
    PurchasingLocked,
    SpendingLimitExceeded,
    UnknownProduct,
    WrongPurchaseCode,
)
from reorder.services.carts import load_household
from reorder.services.ids import new_id
from reorder.services.order_placement import bring_up_to_date, place_in_uow
from reorder.services.orders import _check_key
from reorder.services.purchase_policy import check_member, code_required, verify_code
from reorder.store.base import ButtonBusy, DuplicatePressKey, Store, UnitOfWork

MAX_BUTTONS_PER_HOUSEHOLD = 100
CLAIM_RETRIES = 3
KEEP = object()  # "leave this setting as it is" where None already means "no cap"

# Refusals that are the household's own rules at work, not faults: the press is "blocked".
BLOCKING_ERRORS = (PurchaseNotAllowed, SpendingLimitExceeded, PurchaseCodeRequired, WrongPurchaseCode, PurchasingLocked)


def _member_name(household: Household, member_id: str | None) -> str:
    member = household.member(member_id) if member_id else None
    return member.name if member is not None else "This"


class DailyCapReached(Conflict):
    code = "daily_cap"


@dataclass(frozen=True, slots=True)
class PressResult:
    """What a press did. `order` is the new order (ordered) or the one still on its way (already_in_progress)."""

    press: Press
    button: Button
    order: Order | None
    replayed: bool = False  # True when the idempotency key named an earlier press: its outcome, unchanged

    @property
    def outcome(self) -> PressOutcome:
        return self.press.outcome

    @property
    def ordered(self) -> bool:
        return self.press.outcome is PressOutcome.ORDERED

    @property
    def message(self) -> str:
        return self.press.message


def _items(order: Order) -> str:
    return ", ".join(f"{ln.quantity} x {ln.name}" for ln in order.lines)


def _day(order: Order) -> str:
    return order.estimated_delivery.strftime("%A, %B %-d")


def ordered_message(button: Button, order: Order) -> str:
    return f"The {button.label} ordered {_items(order)}, arriving {_day(order)}. You can cancel it until it ships."


def in_progress_message(button: Button, order: Order) -> str:
    return (
        f"Nothing new was ordered: the {button.label}'s order of {_items(order)} is "
        f"{order.status.spoken} and should arrive {_day(order)}."
    )


class ButtonService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    # -- managing --------------------------------------------------------------------------------
    def create(
        self,
        household_id: str,
        name: str,
        product_id: str,
        quantity: int = 1,
        *,
        allow_multiple: bool = False,
        daily_cap: int | None = None,
        device_id: str | None = None,
    ) -> Button:
        button = Button(
            id=new_id("btn"),
            household_id=household_id,
            name=validate_button_name(name),
            product_id=product_id,
            quantity=validate_button_quantity(quantity),
            policy=ButtonPolicy(allow_multiple, daily_cap),
            created_at=self.clock.now(),
            device_id=device_id,
        )
        with self.store.unit_of_work() as uow:
            self.add_in_uow(uow, button)
        return button

    def add_in_uow(self, uow: UnitOfWork, button: Button) -> None:
        load_household(uow, button.household_id)
        _check_product(uow, button.product_id)
        if (
            button.device_id is None
            and len(uow.buttons.list_for_household(button.household_id)) >= MAX_BUTTONS_PER_HOUSEHOLD
        ):
            raise Conflict(f"A household can have at most {MAX_BUTTONS_PER_HOUSEHOLD} buttons.")
        uow.buttons.add(button)

    def list(self, household_id: str) -> list[Button]:
        with self.store.unit_of_work(write=False) as uow:
            load_household(uow, household_id)
            return uow.buttons.list_for_household(household_id)

    def get(self, household_id: str, button_id: str) -> Button:
        with self.store.unit_of_work(write=False) as uow:
            return _live_button(uow, household_id, button_id)

    def find(self, household_id: str, name: str, *, by_what_it_orders: bool = False) -> Button:
        """The live button a spoken or typed name means: exact name first, then the one button whose name
        holds every word said ("paper towel" finds "Bounty paper towel"); with `by_what_it_orders`, then the one
        button whose product holds every word ("press the paper towels button" finds "Grandpa Joe"). Not for a
        rename: there the words may be the new name ("rename that one the kitchen button")."""
        key = button_name_key(name) if isinstance(name, str) else ""
        if not key:
            raise InvalidInput("Which button? Say its name.")
        with self.store.unit_of_work(write=False) as uow:
            load_household(uow, household_id)
            exact = uow.buttons.get_by_name_key(household_id, key)
            if exact is not None:
                return exact
            buttons = uow.buttons.list_for_household(household_id)
            words = set(_singular(key).split())
            close = [b for b in buttons if words <= set(_singular(b.name_key).split())]
            if not close and by_what_it_orders:
                # Named by what it orders: "press the paper towels button" where the one button that orders paper
                # towels is called "Grandpa Joe". Only where one button's product holds every word said.
                close = [b for b in buttons if words <= _product_words(uow, b.product_id)]
        if len(close) == 1:
            return close[0]
        names = ", ".join(b.name for b in (close or buttons)[:5])
        if len(close) > 1:
            raise NotFound(f"More than one button matches {name!r}: {names}.", candidates=[b.id for b in close])
        hint = f" Your buttons: {names}." if names else " There are no buttons yet."
        raise NotFound(f"There is no button called {name!r}.{hint}")

    def update(
        self,
        household_id: str,
        button_id: str,
        *,
        name: str | None = None,
        product_id: str | None = None,
        quantity: int | None = None,
        allow_multiple: bool | None = None,
        daily_cap: int | None | object = KEEP,
    ) -> Button:
        """Change what a button orders or its policy; `daily_cap=None` removes the cap, leaving it out keeps it."""
        with self.store.unit_of_work() as uow:
            button = _editable_button(uow, household_id, button_id)
            changed = replace(button)
            if name is not None:
                changed.name = validate_button_name(name)
            if product_id is not None:
                _check_product(uow, product_id)
                changed.product_id = product_id
            if quantity is not None:
                changed.quantity = validate_button_quantity(quantity)
            policy = button.policy
            changed.policy = ButtonPolicy(
                policy.allow_multiple if allow_multiple is None else allow_multiple,
                policy.daily_cap if daily_cap is KEEP else daily_cap,  # type: ignore[arg-type]
            )
            uow.buttons.update(changed)
        return changed

    def rename(self, household_id: str, button_id: str, new_name: str) -> Button:
        return self.update(household_id, button_id, name=new_name)

    def delete(self, household_id: str, button_id: str) -> Button:
        """Retire a button. Its presses and orders stay on record; a later press of it is answered, not lost."""
        with self.store.unit_of_work() as uow:
            button = _editable_button(uow, household_id, button_id)
            button.deleted_at = self.clock.now()
            uow.buttons.update(button)
        return button

    def presses(self, household_id: str, button_id: str, limit: int = 50) -> builtins.list[Press]:
        with self.store.unit_of_work(write=False) as uow:
            _own_button(uow, household_id, button_id)
            return uow.buttons.presses(button_id, limit)

    def outcome_counts(self, household_id: str, button_id: str) -> dict[str, int]:
        with self.store.unit_of_work(write=False) as uow:
            _own_button(uow, household_id, button_id)
            return uow.buttons.outcome_counts(button_id)

    # -- pressing --------------------------------------------------------------------------------
    def press_by_name(
        self,
        household_id: str,
        name: str,
        *,
        channel: str = "button",
        member_id: str | None = None,
        device_id: str | None = None,
        idempotency_key: str | None = None,
        purchase_code: str | None = None,
    ) -> PressResult:
        """Press the button a name means (what the simulator and the voice skill use)."""
        button = self.find(household_id, name)
        return self.press(
            household_id,
            button.id,
            channel=channel,
            member_id=member_id,
            device_id=device_id,
            idempotency_key=idempotency_key,
            purchase_code=purchase_code,
        )

    def press(
        self,
        household_id: str,
        button_id: str,
        *,
        channel: str = "button",
        member_id: str | None = None,
        device_id: str | None = None,
        idempotency_key: str | None = None,
        purchase_code: str | None = None,
    ) -> PressResult:
        """Press once. Every press is recorded with its outcome; at most one order is on its way per button
        unless its policy allows more. With an idempotency key, a replay returns the first outcome."""
        validate_channel(channel)
        key = _check_key(idempotency_key)
        for _ in range(CLAIM_RETRIES):
            try:
                # A press changes its own household's button, presses and orders only (`_own_button`).
                with self.store.unit_of_work(household=household_id) as uow:
                    result = self._press_in_uow(
                        uow,
                        household_id,
                        button_id,
                        channel=channel,
                        member_id=member_id,
                        device_id=device_id,
                        key=key,
                        purchase_code=purchase_code,
                    )
                if not result.replayed:
                    observe.emit("button_pressed", outcome=result.press.outcome.value)
                    if result.press.outcome is PressOutcome.ORDERED:
                        observe.emit("order_placed", channel=channel)
                return result
            except (ButtonBusy, DuplicatePressKey):
                # A store without a write lock lost a race to another press; the next try sees the winner.
                continue
        raise Conflict("The button is busy; press it again in a moment.")

    def _press_in_uow(
        self,
        uow: UnitOfWork,
        household_id: str,
        button_id: str,
        *,
        channel: str,
        member_id: str | None,
        device_id: str | None,
        key: str | None,
        purchase_code: str | None,
    ) -> PressResult:
        button = _own_button(uow, household_id, button_id)
        if key is not None:
            earlier = uow.buttons.press_by_key(button.id, key)
            if earlier is not None:
                earlier_order = uow.orders.get(earlier.order_id) if earlier.order_id else None
                return PressResult(earlier, button, earlier_order, replayed=True)
        now = self.clock.now()
        household = load_household(uow, household_id)
        order: Order | None = None
        reason: str | None = None
        try:
            if button.deleted:
                raise NotFound(f"The {button.label} was deleted, so nothing was ordered.")
            check_member(household, member_id)
            if not button.policy.allow_multiple:
                order = _open_order(uow, button, household, now)
            if order is not None:
                outcome, message = PressOutcome.ALREADY_IN_PROGRESS, in_progress_message(button, order)
            else:
                _check_daily_cap(uow, button, household, now)
                if code_required(household, channel):
                    verify_code(uow, household, purchase_code, now)
                order = place_in_uow(
                    uow,
                    household,
                    [(button.product_id, button.quantity)],
                    channel=channel,
                    now=now,
                    member_id=member_id,
                    button_id=button.id,
                )
                if not button.policy.allow_multiple:
                    uow.buttons.claim_inflight(button.id, order.id, now)
                outcome, message = PressOutcome.ORDERED, ordered_message(button, order)
        except (*BLOCKING_ERRORS, DailyCapReached) as exc:
            outcome, reason, message, order = PressOutcome.BLOCKED, exc.code, exc.message, None
            if isinstance(exc, PurchaseNotAllowed):
                # The shared sentence promises the items wait in the cart; a press puts nothing there.
                message = (
                    f"{_member_name(household, member_id)}'s profile can't order with a button. Ask a "
                    "grown-up to press it."
                )
        except (NotFound, UnknownProduct, ProductUnavailable, InvalidInput) as exc:
            reason = "button_deleted" if button.deleted else exc.code
            outcome, message, order = PressOutcome.ERROR, exc.message, None
        press = Press(
            id=_press_id(),
            button_id=button.id,
            household_id=household_id,
            at=now,
            outcome=outcome,
            channel=channel,
            order_id=order.id if order else None,
            reason=reason,
            message=message,
            member_id=member_id,
            device_id=device_id,
            idempotency_key=key,
        )
        uow.buttons.add_press(press)
        return PressResult(press, button, order)


def _press_id() -> str:
    # Sortable by when it was written, so presses at the same clock reading still list in order.
    return f"prs_{time_ns():016x}{secrets.token_hex(4)}"


def _singular(text: str) -> str:
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in text.split())


def _product_words(uow: UnitOfWork, product_id: str) -> set[str]:
    """The words a product is called by (brand, line, kind, variant, synonyms), singular, as button names are keyed."""
    product = uow.products.get(product_id)
    if product is None:
        return set()
    said = " ".join([product.brand, product.line, product.kind, product.variant, *product.synonyms])
    return set(_singular(button_name_key(said)).split())


def _check_product(uow: UnitOfWork, product_id: object) -> None:
    if not isinstance(product_id, str) or not product_id:
        raise InvalidInput("A button needs a product id.")
    product = uow.products.get(product_id)
    if product is None:
        raise UnknownProduct(f"There is no product with id {product_id!r}.", product_id=product_id)
    if product.discontinued:
        raise ProductUnavailable(f"{product.name} is no longer sold.", product_id=product_id)


def _own_button(uow: UnitOfWork, household_id: str, button_id: str) -> Button:
    button = uow.buttons.get(button_id) if isinstance(button_id, str) else None
    if button is None or button.household_id != household_id:
        # Another household's button is reported exactly like a missing one: nothing leaks.
        raise NotFound(f"There is no button {button_id!r}.")
    return button


def _live_button(uow: UnitOfWork, household_id: str, button_id: str) -> Button:
    button = _own_button(uow, household_id, button_id)
    if button.deleted:
        raise NotFound(f"The {button.label} was deleted.")
    return button


def _editable_button(uow: UnitOfWork, household_id: str, button_id: str) -> Button:
    button = _live_button(uow, household_id, button_id)
    if button.device_id is not None:
        # A slot's button is the device's own; editing it here would silently change what the device orders.
        raise Conflict(
            "This button belongs to a device's supply slot; change it through the device.", device_id=button.device_id
        )
    return button


def _open_order(uow: UnitOfWork, button: Button, household: Household, now: datetime) -> Order | None:
    """The button's order still on its way, after applying any fulfilment that is due; a claim whose order
    has arrived or was cancelled is released here, in the press's own transaction."""
    claim = uow.buttons.inflight_claim(button.id)
    candidates = ([claim] if claim else []) + [i for i in uow.buttons.open_order_ids(button.id) if i != claim]
    for order_id in candidates:
        order = uow.orders.get(order_id)
        if order is None:
            continue
        bring_up_to_date(uow, order, household, now)
        if order.status.in_flight:
            return order
    if claim:
        uow.buttons.release_inflight(button.id)
    return None


def _check_daily_cap(uow: UnitOfWork, button: Button, household: Household, now: datetime) -> None:
    cap = button.policy.daily_cap
    if cap is None:
        return
    midnight = datetime.combine(now.astimezone(household.tz).date(), time(0), household.tz)
    if uow.buttons.count_ordered_since(button.id, midnight) >= cap:
        raise DailyCapReached(
            f"The {button.label} has placed its {cap} {'order' if cap == 1 else 'orders'} for today; "
            f"nothing more was ordered.",
            daily_cap=cap,
        )


__all__ = ["ButtonService", "PressResult", "DailyCapReached", "KEEP"]
