"""What happens once a product is known: each shopping action, and the question asked when it is not.

Handlers find the product (skills.shopping.products) and call one of these; a "did you mean…" answer
comes back here through `run`, so an action reads the same whether the product was clear at once or
chosen a turn later.
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from reorder.domain.catalog import Product
from reorder.domain.model import MAX_QUANTITY_PER_LINE
from reorder.errors import NotCancellable, NotFound, ProductUnavailable, UnknownProduct
from skills.common import session, speech
from skills.common.context import SkillContext
from skills.common.handlers import MAX_SPOKEN_WORDS
from skills.common.identity import household_id, member_id
from skills.common.respond import ask, elicit
from skills.shopping import ordering, phrases
from skills.shopping.products import Lookup

CHOOSE = "choose"
ANYTHING_ELSE = "Anything else?"
CLEAR = "clear_cart"  # the pending question "Should I remove … from your cart?"


def clear_confirmed(ctx: SkillContext, handler_input: HandlerInput) -> Response:
    """The cart emptied, once the person said yes to the clear question (or asked for it again in answer)."""
    session.clear_pending(handler_input)
    ctx.backend.carts.clear(household_id(handler_input))
    return ask(handler_input, f"Okay, your cart is empty. {ANYTHING_ELSE}", ANYTHING_ELSE)


CHANNEL = "voice"


def quantity_problem(quantity: int) -> str | None:
    """What is wrong with a spoken quantity outside 1..99, in words; None when it is fine."""
    if quantity < 1:
        return "The quantity needs to be at least one."
    if quantity > MAX_QUANTITY_PER_LINE:
        return f"I can only handle up to {MAX_QUANTITY_PER_LINE} of one item at a time."
    return None


def too_many(handler_input: HandlerInput, quantity: int) -> Response | None:
    """A spoken quantity outside 1..99 gets a clear answer instead of an error."""
    problem = quantity_problem(quantity)
    if problem is None:
        return None
    return ask(handler_input, f"{problem} How many would you like?", "How many would you like?")


ADDED = "added"  # the kind of `session.remember_done` for a turn that put something in the cart
PRICED = "priced"  # ... and for a turn that said what something costs


def add(ctx: SkillContext, handler_input: HandlerInput, product: Product, quantity: int | None) -> Response:
    quantity = 1 if quantity is None else quantity  # "add zero wipes" is not one pack of wipes
    refusal = too_many(handler_input, quantity)
    if refusal:
        return refusal
    hh = household_id(handler_input)
    cart, cart_line = ctx.backend.carts.add(
        hh, product.id, quantity, channel=CHANNEL, member_id=member_id(handler_input)
    )
    session.remember_product(handler_input, product.id)
    session.remember_added(handler_input, product.id, quantity)
    session.remember_done(handler_input, ADDED, product_id=product.id)  # "and wipes" next adds those too
    total = speech.money(cart.totals.total_cents)
    now = f"You now have {speech.number(cart_line.quantity)} in your cart. " if cart_line.quantity != quantity else ""
    lately = ordering.ordered_lately(ctx, hh, product.id)
    return ask(
        handler_input,
        f"Added {phrases.line(quantity, product, product.name)}. {now}{lately}Your cart comes to {total}. "
        f"{ANYTHING_ELSE}",
        ANYTHING_ELSE,
    )


def correct_added_count(ctx: SkillContext, handler_input: HandlerInput, count: int) -> Response | None:
    """The count of what the last turn added, corrected ("actually just two", "no, I said two"); None when the
    last turn added nothing. What was in the cart before that add stays, and the answer says the new count,
    so a misreading is heard at once."""
    added = session.last_added(handler_input)
    if session.last_intent(handler_input) != "AddToCartIntent" or added is None:
        return None
    product_id, quantity = added
    product = ctx.backend.catalog.cached_many([product_id]).get(product_id)
    line = ctx.backend.carts.line_for_product(household_id(handler_input), product_id)
    if product is None or line is None or product_id != session.last_product(handler_input):
        return None
    session.remember_added(handler_input, product_id, count)
    return update(ctx, handler_input, product, max(0, line.quantity - quantity) + count)


def replace(ctx: SkillContext, handler_input: HandlerInput, product: Product, quantity: int | None) -> Response:
    """ "No, I meant Bounty": `product` in place of the one just spoken about, as many as there were; with
    nothing of that in the cart to replace, a plain add."""
    hh = household_id(handler_input)
    before = session.last_product(handler_input)
    if before is None or before == product.id or ctx.backend.carts.line_for_product(hh, before) is None:
        return add(ctx, handler_input, product, quantity)
    old = ctx.backend.catalog.cached_many([before]).get(before)
    cart, line = ctx.backend.carts.replace_product(
        hh, before, product.id, channel=CHANNEL, member_id=member_id(handler_input)
    )
    session.remember_product(handler_input, product.id)
    instead = f" instead of {phrases.short_name(old)}" if old is not None else ""
    return ask(
        handler_input,
        f"Okay, {phrases.line(line.quantity, product, product.name)}{instead}. "
        f"Your cart comes to {speech.money(cart.totals.total_cents)}. {ANYTHING_ELSE}",
        ANYTHING_ELSE,
    )


def update(ctx: SkillContext, handler_input: HandlerInput, product: Product, quantity: int | None) -> Response:
    hh = household_id(handler_input)
    cart_line = ctx.backend.carts.line_for_product(hh, product.id)
    session.remember_product(handler_input, product.id)
    if cart_line is None:
        return ask(
            handler_input,
            f"{phrases.product_name(product)} isn't in your cart. You can say: add it to my cart. {ANYTHING_ELSE}",
            ANYTHING_ELSE,
        )
    if quantity is None:
        return ask(
            handler_input, f"How many {phrases.product_name(product)} would you like?", "How many would you like?"
        )
    if quantity == 0:
        return remove(ctx, handler_input, product)
    refusal = too_many(handler_input, quantity)
    if refusal:
        return refusal
    cart = ctx.backend.carts.set_quantity(hh, cart_line.id, quantity)
    # Still filling the cart: "and wipes" next adds those too, as after the add ("add paper towels", "make it
    # three", "and wipes" had only said what the wipes are).
    session.remember_done(handler_input, ADDED, product_id=product.id)
    return ask(
        handler_input,
        f"Okay, {phrases.line(quantity, product, product.name)} in your cart now. "
        f"Your cart comes to {speech.money(cart.totals.total_cents)}. {ANYTHING_ELSE}",
        ANYTHING_ELSE,
    )


def remove(ctx: SkillContext, handler_input: HandlerInput, product: Product, quantity: int | None = None) -> Response:
    session.remember_product(handler_input, product.id)
    line = ctx.backend.carts.line_for_product(household_id(handler_input), product.id) if quantity else None
    if line is not None and quantity is not None and 0 < quantity < line.quantity:
        # "Take one off", "remove two packs of wipes": that many fewer, not the whole line.
        return update(ctx, handler_input, product, line.quantity - quantity)
    try:
        cart = ctx.backend.carts.remove_product(household_id(handler_input), product.id)
    except NotFound:
        return ask(handler_input, f"{phrases.product_name(product)} isn't in your cart. {ANYTHING_ELSE}", ANYTHING_ELSE)
    rest = f"Your cart comes to {speech.money(cart.totals.total_cents)}." if cart.lines else "Your cart is empty now."
    return ask(
        handler_input, f"Removed {phrases.product_name(product)} from your cart. {rest} {ANYTHING_ELSE}", ANYTHING_ELSE
    )


def reorder(ctx: SkillContext, handler_input: HandlerInput, product: Product, quantity: int | None) -> Response:
    hh = household_id(handler_input)
    quantity = quantity or ctx.backend.orders.last_quantity(hh, product.id) or 1
    refusal = too_many(handler_input, quantity)
    if refusal:
        return refusal
    session.remember_product(handler_input, product.id)
    return ordering.propose(ctx, handler_input, [(product.id, quantity)])


def status(
    ctx: SkillContext, handler_input: HandlerInput, product: Product | None, quantity: int | None = None
) -> Response:
    hh = household_id(handler_input)
    if product is not None:
        session.remember_product(handler_input, product.id)
    tracking = ctx.backend.orders.tracking(hh, product.id if product else None)
    shown = list(tracking.on_the_way) or ([tracking.last_finished] if tracking.last_finished else [])
    today = phrases.local_date(ctx.backend.clock.now(), tracking.household.tz)
    # "When would they get here?" of something with nothing on its way: when it would, if ordered now.
    if_ordered = ""
    if product is not None and not tracking.on_the_way:
        quote = ctx.backend.orders.quote(hh, [(product.id, 1)], channel=CHANNEL)
        if_ordered = f" Ordered now, it would arrive {speech.spoken_day(quote.estimated_delivery, today)}."
    elif product is None and not tracking.on_the_way:
        # "If I order now, when does it show up?" in the middle of shopping: the cart's arrival, if ordered now.
        lines = ctx.backend.carts.get(hh).lines
        if lines:
            quote = ctx.backend.orders.quote(hh, [(ln.product_id, ln.quantity) for ln in lines], channel=CHANNEL)
            day = speech.spoken_day(quote.estimated_delivery, today)
            if_ordered = f" Ordered now, what's in your cart would arrive {day}."
    if not shown:
        about = f" with {phrases.product_name(product)}" if product else ""
        return ask(handler_input, f"I don't see any orders{about}.{if_ordered} {ANYTHING_ELSE}", ANYTHING_ELSE)
    products = ctx.backend.catalog.cached_many({ln.product_id for o in shown for ln in o.lines})
    said = " ".join(phrases.status(o, products, today) for o in shown)
    if not tracking.on_the_way:
        said = "Nothing is on its way right now. " + said.replace("Your order", "Your last order", 1) + if_ordered
    return ask(handler_input, f"{said} {ANYTHING_ELSE}", ANYTHING_ELSE)


def price(ctx: SkillContext, handler_input: HandlerInput, product: Product, quantity: int | None = None) -> Response:
    """What a product costs this household (member savings included, as its cart would price it): a question,
    so nothing is added or ordered."""
    session.remember_product(handler_input, product.id)  # so "add it" next adds what was asked about
    session.remember_done(handler_input, PRICED, product_id=product.id)  # "what about the wipes?" next: their price
    count = quantity if quantity and quantity > 1 else 1
    try:
        quote = ctx.backend.orders.quote(household_id(handler_input), [(product.id, count)], channel=CHANNEL)
    except (ProductUnavailable, UnknownProduct):
        return ask(
            handler_input, f"{phrases.product_name(product)} isn't sold any more. {ANYTHING_ELSE}", ANYTHING_ELSE
        )
    total = speech.money(quote.totals.total_cents)
    savings = " with your member savings" if quote.totals.savings_cents else ""
    if count > 1:
        said = f"{speech.item(count, product.unit, product.spoken_name)} come to {total}{savings}."
    else:
        said = f"{phrases.product_name(product)}: {total} a {product.unit}{savings}."
    return ask(handler_input, f"{said} {ANYTHING_ELSE}", ANYTHING_ELSE)


def compare_prices(ctx: SkillContext, handler_input: HandlerInput, first: Product, second: Product) -> Response:
    """Two products' prices for this household, one pack each, and which costs less: a question, so nothing is
    added or ordered. "It" next means the cheaper one."""
    hh = household_id(handler_input)
    try:
        quotes = [ctx.backend.orders.quote(hh, [(p.id, 1)], channel=CHANNEL) for p in (first, second)]
    except (ProductUnavailable, UnknownProduct):
        return price(ctx, handler_input, first)
    (a, b) = (q.totals.total_cents for q in quotes)
    said = " ".join(
        f"{phrases.product_name(p)}: {speech.money(cents)} a {p.unit}." for p, cents in ((first, a), (second, b))
    )
    if a == b:
        verdict = "They cost the same."
        cheaper = first
    else:
        cheaper = first if a < b else second
        # "The second": the name was just said, and a second time would take the answer past its word budget.
        verdict = f"The {'first' if cheaper is first else 'second'} costs {speech.money(abs(a - b))} less."
    session.remember_product(handler_input, cheaper.id)
    return ask(handler_input, f"{said} {verdict} {ANYTHING_ELSE}", ANYTHING_ELSE)


CANCEL = "cancel_order"


def cancel(
    ctx: SkillContext,
    handler_input: HandlerInput,
    product: Product | None,
    quantity: int | None = None,
    *,
    lead: str = "",
    on_no: str | None = None,
    just_placed: bool = False,
) -> Response:
    """Find the order to cancel and ask first: cancelling is read back like ordering. `lead` comes before the
    question; `on_no` is what a no says when it should also end the conversation; `just_placed` (the order the
    last answer read out in full) names it short, without its total, as a list is read once."""
    hh = household_id(handler_input)
    try:
        order = ctx.backend.orders.latest_cancellable(hh, [product.id] if product else None)
    except NotCancellable:
        about = f" with {phrases.product_name(product)}" if product else ""
        return ask(
            handler_input,
            f"There is no order{about} that can still be cancelled; orders can be "
            f"cancelled until they ship. {ANYTHING_ELSE}",
            ANYTHING_ELSE,
        )
    products = ctx.backend.catalog.cached_many(ln.product_id for ln in order.lines)
    what = phrases.lines(((ln.quantity, ln.product_id, ln.name) for ln in order.lines), products)
    extra = {"on_no": on_no} if on_no else {}
    session.set_pending(handler_input, CANCEL, order_id=order.id, on_stop="Okay, your order stays as it is.", **extra)
    if just_placed:
        what = phrases.short_lines(((ln.quantity, ln.product_id) for ln in order.lines), products) or what
        question = f"Should I cancel your order of {what}?"
    else:
        question = f"Should I cancel your order of {what}, for {speech.money(order.total_cents)}?"
    return ask(handler_input, f"{lead} {question}".strip(), question + " Please say yes or no.")


def cancel_confirmed(ctx: SkillContext, handler_input: HandlerInput, pending: dict) -> Response:
    session.clear_pending(handler_input)
    order = ctx.backend.orders.cancel(
        household_id(handler_input), str(pending.get("order_id", "")), reason="cancelled by voice"
    )
    products = ctx.backend.catalog.cached_many(ln.product_id for ln in order.lines)
    what = phrases.lines(((ln.quantity, ln.product_id, ln.name) for ln in order.lines), products)
    return ask(
        handler_input,
        f"Okay, I cancelled your order of {what}. You won't be charged. {ANYTHING_ELSE}",
        ANYTHING_ELSE,
        card=("Order cancelled", f"Order {order.id} was cancelled."),
    )


ACTIONS = {
    "add": add,
    "update": update,
    "replace": replace,
    "remove": remove,
    "reorder": reorder,
    "status": status,
    "cancel": cancel,
    "price": price,
}


def run(ctx: SkillContext, handler_input: HandlerInput, action: str, lookup: Lookup, quantity: int | None) -> Response:
    """Act on a found product, ask which one was meant, or say nothing was found."""
    if lookup.status == "match" and lookup.product is not None:
        return ACTIONS[action](ctx, handler_input, lookup.product, quantity)
    if lookup.status == "ambiguous":
        return ask_choice(handler_input, action, lookup.options, quantity)
    said = speech.escape(lookup.said) if lookup.said else "that"
    where = {"reorder": "in your past orders", "update": "in your cart", "remove": "in your cart"}.get(
        action, "in the catalog"
    )
    # In the cart the person named something that is there; elsewhere nothing was found, said plainly, with
    # no hint that a guess was made ("did you mean" is for the options of `ask_choice`).
    follow_up = "Which item did you mean?" if action in ("update", "remove") else "What would you like instead?"
    question = f"I couldn't find {said} {where}. {follow_up}"
    current = getattr(handler_input.request_envelope.request, "intent", None)
    if current is not None and "product" in (current.slots or {}) and current.name != "ChooseOptionIntent":
        # Ask for the product again as part of the same request: the answer comes back with the quantity kept.
        return elicit(handler_input, "product", question, follow_up)
    return ask(handler_input, question, follow_up)


def ask_choice(
    handler_input: HandlerInput, action: str, options: list[Product], quantity: int | None, intro: str = "Did you mean"
) -> Response:
    session.set_pending(handler_input, CHOOSE, action=action, options=[p.id for p in options], quantity=quantity)
    names = [speech.natural_sizes(p.spoken_name) for p in options]
    short = [phrases.short_name(p) for p in options]
    whole = f"{intro}: {numbered_options(names)}?"
    if len(whole.split()) > MAX_SPOKEN_WORDS and len(set(short)) == len(short) and all(short):
        names = short  # within a breath: "Tommee Tippee baby bottles" tells the choices apart well enough
    if len(names) == 1:
        question = f"{intro} {speech.escape(names[0])}?"
        return ask(handler_input, question, question + " Please say yes or no.")
    if len(names) == 2:
        question = f"{intro} {speech.options(names)}?"
    else:  # names have commas of their own ("size 3"): number them so the choices stay apart
        question = f"{intro}: {numbered_options(names)}?"
    return ask(handler_input, question, f"Which one: {numbered_options(names)}? You can say the first one.")


def numbered_options(names: list[str]) -> str:
    """ "the first, A; the second, B; or the third, C" (escaped)."""
    parts = [f"the {speech.ordinal(n)}, {speech.escape(name)}" for n, name in enumerate(names, 1)]
    if len(parts) == 1:
        return parts[0]
    return "; ".join(parts[:-1]) + "; or " + parts[-1]
