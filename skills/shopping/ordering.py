"""The voice purchase: read the order back, wait for a yes, ask for the purchase code when the household
set one, then place it exactly once.

The trust rules themselves live in `reorder` (who may buy, the code and its lockout, the spending limit);
this module only decides what to say about them. Every proposal carries an idempotency key made from the
session and the proposal, so a retried "yes" finds the order the first one placed instead of a second.
"""

from __future__ import annotations

import hashlib
import json

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from reorder.domain.model import Order, Totals
from reorder.errors import (
    EmptyCart,
    PurchaseCodeRequired,
    PurchaseNotAllowed,
    PurchasingLocked,
    SpendingLimitExceeded,
    WrongPurchaseCode,
)
from skills.common import session, speech
from skills.common.context import SkillContext
from skills.common.identity import household_id, member_id
from skills.common.respond import ask
from skills.shopping import phrases

CONFIRM = "confirm_order"
DUPLICATE = "duplicate_order"  # "You ordered this on Tuesday; it arrives tomorrow. Order another?"
CODE = "purchase_code"
OFFER = "offer_checkout"  # "Would you like to check out?" after the cart is read out
CHANNEL = "voice"
ANYTHING_ELSE = "Anything else?"
CODE_PROMPT = "Please say your four-digit voice purchase code."


CART_READ = "cart_read"  # session attribute: the cart lines just read out, so the read-back need not list them


def cart_was_read(handler_input: HandlerInput, cart_lines: list[list]) -> None:
    attributes = handler_input.attributes_manager.session_attributes
    if attributes is not None:
        attributes[CART_READ] = cart_lines


def _listed_already(handler_input: HandlerInput, stored_lines: list[list]) -> bool:
    """The cart being checked out is the one just read out, item by item."""
    attributes = handler_input.attributes_manager.session_attributes or {}
    return len(stored_lines) > 1 and attributes.get(CART_READ) == stored_lines


def _key(handler_input: HandlerInput, lines: list[list] | None, proposal: int) -> str:
    session_id = getattr(handler_input.request_envelope.session, "session_id", None) or "no-session"
    basis = json.dumps([session_id, lines, proposal], sort_keys=True)
    return "voice-" + hashlib.sha256(basis.encode()).hexdigest()[:40]


def _cart_lines(ctx: SkillContext, hh: str) -> list[list]:
    return [[ln.product_id, ln.quantity] for ln in ctx.backend.carts.get(hh).lines]


def _who(ctx: SkillContext, hh: str, member: str | None) -> str:
    person = ctx.backend.households.get(hh).member(member)
    return f"{speech.escape(person.name)}'s profile" if person else "This profile"


def check_out(ctx: SkillContext, handler_input: HandlerInput) -> Response:
    """The cart read back as an order, waiting for a yes (or the reason it cannot be)."""
    try:
        return propose(ctx, handler_input, None)
    except EmptyCart:
        spoken_of = session.last_product(handler_input)
        if spoken_of:
            # "How much are the wipes?" "Buy it.": with nothing in the cart, what was just spoken about is the
            # order to read back (one pack; the read-back says so and waits for a yes).
            return propose(ctx, handler_input, [(spoken_of, 1)])
        return ask(
            handler_input, f"Your cart is empty, so there's nothing to check out. {ANYTHING_ELSE}", ANYTHING_ELSE
        )


def propose(
    ctx: SkillContext,
    handler_input: HandlerInput,
    lines: list[tuple[str, int]] | None,
    *,
    preface: str = "",
    repeat_checked: bool = False,
) -> Response:
    """Read back an order of `lines` (None: the cart) and ask for a yes; nothing is ordered here. An order of
    something already on its way (or ordered in the last days) is pointed out first (`repeat_checked` once
    the person said to order another)."""
    hh, member = household_id(handler_input), member_id(handler_input)
    try:
        code_needed = ctx.backend.orders.check_purchase_allowed(hh, member, CHANNEL)
    except PurchaseNotAllowed:
        return _for_a_grown_up(ctx, handler_input, hh, member, lines)
    if not repeat_checked:
        repeat = _repeat_question(ctx, handler_input, hh, lines, preface)
        if repeat is not None:
            return repeat
    quote = ctx.backend.orders.quote(hh, lines, channel=CHANNEL)
    products = ctx.backend.catalog.cached_many(ln.product_id for ln in quote.lines)
    what = phrases.lines(((ln.quantity, ln.product_id, ln.name) for ln in quote.lines), products)
    household = ctx.backend.households.get(hh)
    limit = household.spending_limit_cents
    if limit is not None and quote.totals.total_cents > limit:
        session.clear_pending(handler_input)
        advice = (
            "You can remove something from your cart and check out again."
            if lines is None
            else "You can ask for fewer."
        )
        return ask(
            handler_input,
            f"That order comes to {speech.money(quote.totals.total_cents)}, over your household's limit "
            f"of {speech.money(limit)} per order, so I can't place it. {advice} {ANYTHING_ELSE}",
            ANYTHING_ELSE,
        )
    stored_lines = [[ln.product_id, ln.quantity] for ln in quote.lines]
    proposal = session.next_turn(handler_input)
    session.set_pending(
        handler_input,
        CONFIRM,
        lines=None if lines is None else stored_lines,
        cart=stored_lines if lines is None else None,
        code=code_needed,
        key=_key(handler_input, stored_lines, proposal),
    )
    if len(quote.lines) == 1:
        session.remember_product(handler_input, quote.lines[0].product_id)
    today = phrases.local_date(ctx.backend.clock.now(), household.tz)
    # Within the week the weekday says it ("Thursday"); the card keeps the full date. Keeps a read-back of
    # several items within the 40-word budget of a spoken answer.
    eta = speech.spoken_day(quote.estimated_delivery, today)
    question = "Should I place the order?"
    if lines is None and _listed_already(handler_input, stored_lines):
        what = f"the {speech.number(len(stored_lines))} items I just read"  # a list is read once per purchase
    return ask(
        handler_input,
        f"{preface}{' ' if preface else ''}Your order: {what}. "
        f"{phrases.totals(quote.totals, brief=bool(preface))} It would arrive {eta}. {question}",
        f"Should I order {what} for {speech.money(quote.totals.total_cents)}? Please say yes or no.",
        card=(
            "Order to confirm",
            phrases.card_text(((ln.quantity, ln.name) for ln in quote.lines), quote.totals, quote.estimated_delivery),
        ),
    )


def ordered_lately(ctx: SkillContext, hh: str, product_id: str, name: str = "it") -> str:
    """ "You also ordered it earlier today; it arrives Monday." when the product is on its way or was ordered in
    the last days (the duplicate guard's window), else "". Said when it goes into the cart, so the person
    hears it before a second lot is bought, not only at checkout."""
    earlier = ctx.backend.orders.recent_orders_of(hh, [product_id], limit=1)
    if not earlier:
        return ""
    placed, eta = _when_ordered(ctx, hh, earlier[0])
    return f"You also ordered {name} {placed}{f'; it arrives {eta}' if eta else ''}. "


def _when_ordered(ctx: SkillContext, hh: str, order: Order) -> tuple[str, str | None]:
    """When an order was placed ("earlier today", "on Tuesday") and, while it is on its way, the day it arrives."""
    household = ctx.backend.households.get(hh)
    today = phrases.local_date(ctx.backend.clock.now(), household.tz)
    placed = speech.spoken_date(phrases.local_date(order.placed_at, household.tz), today)
    placed = "earlier today" if placed == "today" else f"on {placed.split(',')[0]}"
    return placed, speech.spoken_day(order.estimated_delivery, today) if order.status.in_flight else None


def _repeat_question(
    ctx: SkillContext, handler_input: HandlerInput, hh: str, lines: list[tuple[str, int]] | None, preface: str
) -> Response | None:
    """ "You ordered Pampers diapers on Tuesday; it arrives tomorrow. Order another?" before a read-back of
    something already ordered; None when nothing was."""
    wanted = (
        [pid for pid, _ in lines] if lines is not None else [ln.product_id for ln in ctx.backend.carts.get(hh).lines]
    )
    if not wanted:
        return None
    earlier = ctx.backend.orders.recent_orders_of(hh, wanted, limit=1)
    if not earlier:
        return None
    order = earlier[0]
    repeated = [ln for ln in order.lines if ln.product_id in set(wanted)]
    products = ctx.backend.catalog.cached_many(ln.product_id for ln in repeated)
    names = [
        phrases.product_name(products[ln.product_id]) if ln.product_id in products else speech.escape(ln.name)
        for ln in repeated
    ]
    placed, eta = _when_ordered(ctx, hh, order)
    where = f"it arrives {eta}" if eta else "it was delivered"
    session.set_pending(
        handler_input, DUPLICATE, lines=None if lines is None else [[p, q] for p, q in lines], preface=preface
    )
    question = "Order another?" if lines is not None else "Check out anyway?"
    return ask(
        handler_input,
        f"{preface}{' ' if preface else ''}You ordered {speech.join(names[:2])} {placed}; {where}. {question}",
        f"You already ordered that {placed}. {question} Please say yes or no.",
    )


def repeat_confirmed(ctx: SkillContext, handler_input: HandlerInput, pending: dict) -> Response:
    """A yes to "order another?": the usual read-back follows, still waiting for its own yes."""
    session.clear_pending(handler_input)
    lines = pending.get("lines")
    parsed = None if lines is None else [(str(pid), int(qty)) for pid, qty in lines]
    return propose(ctx, handler_input, parsed, repeat_checked=True)


def _for_a_grown_up(
    ctx: SkillContext, handler_input: HandlerInput, hh: str, member: str | None, lines: list[tuple[str, int]] | None
) -> Response:
    """A child's profile cannot order: what was asked for waits in the cart instead."""
    session.clear_pending(handler_input)
    who = _who(ctx, hh, member)
    if lines is None:
        return ask(
            handler_input,
            f"{who} can't place orders, so your cart stays as it is for a grown-up to check out. {ANYTHING_ELSE}",
            ANYTHING_ELSE,
        )
    added = []
    for product_id, quantity in lines:
        ctx.backend.carts.add(hh, product_id, quantity, channel=CHANNEL, member_id=member)
        added.append((quantity, product_id))
    products = ctx.backend.catalog.cached_many(pid for _, pid in added)
    what = phrases.lines(((q, pid, pid) for q, pid in added), products)
    return ask(
        handler_input,
        f"{who} can't place orders, so I added {what} to the cart for a grown-up to check out. {ANYTHING_ELSE}",
        ANYTHING_ELSE,
    )


def confirmed(ctx: SkillContext, handler_input: HandlerInput, pending: dict) -> Response:
    """The yes to a read-back order: ask for the code first when one is needed, else place it."""
    if pending.get("code"):
        session.set_pending(handler_input, CODE, **{k: v for k, v in pending.items() if k != "kind"})
        return ask(handler_input, CODE_PROMPT, CODE_PROMPT)
    return place(ctx, handler_input, pending, None)


def place(ctx: SkillContext, handler_input: HandlerInput, pending: dict, code: str | None) -> Response:
    hh, member = household_id(handler_input), member_id(handler_input)
    key = str(pending.get("key") or "")
    orders = ctx.backend.orders
    try:
        if pending.get("lines") is not None:
            lines = [(str(pid), int(qty)) for pid, qty in pending["lines"]]
            placed = orders.place(hh, lines, channel=CHANNEL, member_id=member, idempotency_key=key, purchase_code=code)
        else:
            already = _already_placed(ctx, hh, key)
            if already is None and _cart_lines(ctx, hh) != pending.get("cart"):
                # The cart changed (another channel, another person) since it was read back: read it again.
                return propose(ctx, handler_input, None, preface="Your cart changed since I read it out.")
            placed = orders.checkout(hh, channel=CHANNEL, member_id=member, idempotency_key=key, purchase_code=code)
    except WrongPurchaseCode as exc:
        session.set_pending(handler_input, CODE, **{k: v for k, v in pending.items() if k != "kind"})
        return ask(handler_input, f"{speech.escape(exc.message)} {CODE_PROMPT}", CODE_PROMPT)
    except PurchaseCodeRequired:
        session.set_pending(handler_input, CODE, **{k: v for k, v in pending.items() if k != "kind"})
        return ask(handler_input, CODE_PROMPT, CODE_PROMPT)
    except (PurchasingLocked, SpendingLimitExceeded, PurchaseNotAllowed) as exc:
        session.clear_pending(handler_input)
        return ask(
            handler_input,
            f"{speech.escape(exc.message)} {session.nothing_ordered(handler_input).capitalize()}. {ANYTHING_ELSE}",
            ANYTHING_ELSE,
        )
    session.clear_pending(handler_input)
    order = placed.order
    products = ctx.backend.catalog.cached_many(ln.product_id for ln in order.lines)
    what = phrases.lines(((ln.quantity, ln.product_id, ln.name) for ln in order.lines), products)
    if len(order.lines) > 1:  # the read-back just listed them
        what = f"those {speech.number(len(order.lines))} items"
    household = ctx.backend.households.get(hh)
    today = phrases.local_date(ctx.backend.clock.now(), household.tz)
    eta = speech.spoken_date(order.estimated_delivery, today)
    totals = Totals(order.subtotal_cents, order.savings_cents)
    session.remember_done(handler_input, ORDERED, order_id=order.id)  # "cancel that" on the next turn
    return ask(
        handler_input,
        f"Done. I ordered {what} for {speech.money(order.total_cents)}. It arrives {eta}. "
        f"You can cancel it until it ships. {ANYTHING_ELSE}",
        ANYTHING_ELSE,
        card=(
            "Order placed",
            phrases.card_text(((ln.quantity, ln.name) for ln in order.lines), totals, order.estimated_delivery),
        ),
    )


ORDERED = session.ORDERED  # what a turn that placed an order did (session.remember_done)


def _already_placed(ctx: SkillContext, hh: str, key: str):  # noqa: ANN202 - Order | None
    if not key:
        return None
    with ctx.backend.store.unit_of_work(write=False) as uow:
        return uow.orders.get_by_idempotency_key(hh, key)


def declined(handler_input: HandlerInput) -> Response:
    session.clear_pending(handler_input)
    return ask(
        handler_input,
        f"Okay, I won't order it. {session.nothing_ordered(handler_input).capitalize()}. {ANYTHING_ELSE}",
        ANYTHING_ELSE,
    )
