"""The shopping intents. Each handler reads its slots, finds the product and hands over to one action."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from reorder.domain.model import scaled_quantity
from skills.common import session, slots, speech
from skills.common.context import SkillContext
from skills.common.identity import household_id, member_id
from skills.common.respond import ask, elicit
from skills.shopping import actions, ordering, phrases
from skills.shopping.products import (
    count_for_each,
    count_repair,
    find_product,
    find_products,
    is_pronoun,
    names_several,
    names_the_order_itself,
    product_words,
)

ANYTHING_ELSE = actions.ANYTHING_ELSE
HOW_MANY = "How many would you like?"
WHICH_PRODUCT = "Which product?"
CLEAR = actions.CLEAR
BUY_AGAIN_SHOWN = 3


class IntentHandler(AbstractRequestHandler):
    intent_name = ""

    @property
    def intent_names(self) -> tuple[str, ...]:  # lets the skill's request mapper skip this handler for others
        return (self.intent_name,)

    def __init__(self, ctx: SkillContext) -> None:
        self.ctx = ctx

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name(self.intent_name)(handler_input)


def _count(handler_input: HandlerInput, name: str) -> int | None:
    return slots.parse_number(slots.text(handler_input, name))


def _quantity(handler_input: HandlerInput) -> tuple[int | None, bool]:
    """(the number said, whether something was said that is not a usable number)."""
    said = slots.text(handler_input, "quantity")
    value = slots.parse_number(said)
    return value, said is not None and value is None


class _ProductAction(IntentHandler):
    """Product (and maybe quantity) → one action. An empty product slot means "it" when the session has one."""

    action = ""
    elicit_missing_product = True
    it_when_empty = True

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.act_on(handler_input, product_words(slots.text(handler_input, "product")))

    def act_on(self, handler_input: HandlerInput, said: str | None, factor: float | None = None) -> Response:
        """`factor`: the count was said as a multiple of the cart line's ("double that")."""
        quantity, unclear = _quantity(handler_input)
        repaired = count_repair(said)
        if repaired is not None:  # "wipes, sorry, four": the count said last, whatever the quantity slot heard
            said, quantity, unclear = repaired[0], repaired[1], False
        if unclear:
            return elicit(handler_input, "quantity", f"Sorry, I didn't catch how many. {HOW_MANY}", HOW_MANY)
        problem = (
            None
            if quantity is None or (self.action == "update" and quantity == 0)
            else actions.quantity_problem(quantity)
        )
        if problem:  # asked as part of this request, so the answer comes back with the product
            if said is not None and not is_pronoun(said):
                # "A thousand robux": a product nobody sells is said first; no count would make it one.
                lookup = find_product(self.ctx, handler_input, household_id(handler_input), said)
                if lookup.status == "no_match":
                    return actions.run(self.ctx, handler_input, self.action, lookup, None)
            return elicit(handler_input, "quantity", f"{problem} {HOW_MANY}", HOW_MANY)
        # A count with no product ("add one more", "throw two more in") is more of what was just spoken about;
        # "add to my cart" alone asks what.
        it_when_empty = self.it_when_empty or quantity is not None
        if said is None and not (it_when_empty and session.last_product(handler_input)):
            return elicit(handler_input, "product", self.product_question, WHICH_PRODUCT)
        hh = household_id(handler_input)
        within = None
        if self.action in ("update", "remove"):  # "the paper towels" means the ones in the cart
            within = [ln.product_id for ln in self.ctx.backend.carts.get(hh).lines]
        lookup = find_product(self.ctx, handler_input, hh, said, within=within)
        if factor is not None and quantity is None and lookup.status == "match" and lookup.product is not None:
            line = self.ctx.backend.carts.line_for_product(hh, lookup.product.id)
            if line is not None:
                quantity = scaled_quantity(line.quantity, factor)
        if lookup.status == "no_match" and (said is None or is_pronoun(said)):
            return elicit(handler_input, "product", self.product_question, WHICH_PRODUCT)
        if lookup.status == "no_match" and self.action == "update" and quantity and said is not None:
            # "Paper towels, two packs" with none in the cart: how many is said of something not there yet, so
            # that many are added, when the catalog knows the product for sure.
            anywhere = find_product(self.ctx, handler_input, hh, said)
            if anywhere.status == "match":
                return actions.run(self.ctx, handler_input, "add", anywhere, quantity)
        return actions.run(self.ctx, handler_input, self.action, lookup, quantity)

    product_question = "Which product?"


class AddToCartHandler(_ProductAction):
    intent_name = "AddToCartIntent"
    action = "add"
    it_when_empty = False
    product_question = "What would you like to add to your cart?"

    def handle(self, handler_input: HandlerInput) -> Response:
        other = product_words(slots.text(handler_input, "otherProduct"))
        said = product_words(slots.text(handler_input, "product"))
        if is_pronoun(said) and other is None and slots.text(handler_input, "quantity") is None:
            spoken_of = session.last_product(handler_input)
            hh = household_id(handler_input)
            if spoken_of and self.ctx.backend.carts.line_for_product(hh, spoken_of) is not None:
                # "Go ahead and buy it" just after it went into the cart asks to buy it, not for a second pack
                # (more of it is said with a count: "add one more"). The read-back waits for a yes.
                return ordering.check_out(self.ctx, handler_input)
        if count_repair(said) is not None:
            return self.act_on(handler_input, said)  # one thing, its count corrected in the same breath
        if said is not None and other is not None and (is_pronoun(said) or is_pronoun(other)):
            # "the wipes, the same ones as last time": one thing, said twice.
            return self.act_on(handler_input, other if is_pronoun(said) else said)
        if said is None and other is not None:
            # The product's slot heard only a unit or a pronoun, the other slot the thing ("running low on wipes.
            # would it be too much trouble to pop a pack in the basket?" had asked what to add).
            return self.act_on(handler_input, other)
        if said is None or (other is None and not names_several(said)):
            return super().handle(handler_input)  # one thing: its count and its questions as usual
        hh = household_id(handler_input)
        # A count said after all the things ("wipes and paper towels, two of each") goes with each of them.
        for_each = None
        if other is not None and (found := count_for_each(other)) is not None:
            other, for_each = found
        elif other is None and (found := count_for_each(said)) is not None and names_several(found[0]):
            said, for_each = found
        # A count said for each ("two packs of diapers and one of wipes") goes with its own thing; one count
        # said for the first alone is the first's.
        counts = {"product": _count(handler_input, "quantity"), "otherProduct": _count(handler_input, "otherQuantity")}
        counted = [
            (lk, counts[slot] or for_each or 1)
            for slot, s in (("product", said), ("otherProduct", other))
            if s
            for lk in find_products(self.ctx, handler_input, hh, s)
        ]
        if len(counted) < 2:
            return super().handle(handler_input)  # one thing: its count and its questions as usual
        problem = next((p for _, n in counted if (p := actions.quantity_problem(n))), None)
        if problem:
            return elicit(handler_input, "quantity", f"{problem} {HOW_MANY}", HOW_MANY)
        return self.add_all(handler_input, [lk for lk, _ in counted], [n for _, n in counted])

    def add_all(self, handler_input: HandlerInput, lookups: list, counts: list[int] | None = None) -> Response:
        """ "Add wipes and paper towels", "put diapers and a kite in there": each one clearly found is added
        (with its own count, one when none was said); the answer says exactly what was not (and asks about it)."""
        hh = household_id(handler_input)
        added = []
        seen: set[str] = set()
        for lookup, count in zip(lookups, counts or [1] * len(lookups), strict=True):
            if lookup.status == "match" and lookup.product is not None:
                if lookup.product.id in seen:
                    continue  # "diapers, reorder diapers": the same product named twice is added once
                seen.add(lookup.product.id)
                self.ctx.backend.carts.add(
                    hh, lookup.product.id, count, channel=actions.CHANNEL, member_id=member_id(handler_input)
                )
                session.remember_product(handler_input, lookup.product.id)
                added.append(
                    phrases.product_name(lookup.product)
                    if count == 1
                    else phrases.line(count, lookup.product, lookup.product.name)
                )
        left = [lk for lk in lookups if lk.status != "match" or lk.product is None]
        done = f"Added {speech.join(added)} to your cart." if added else ""
        lately = next(
            (
                note
                for lk in lookups
                if lk.product is not None and lk.product.id in seen
                if (note := ordering.ordered_lately(self.ctx, hh, lk.product.id, phrases.short_name(lk.product)))
            ),
            "",
        )
        done = f"{done} {lately}".strip()
        if not left:
            total = speech.money(self.ctx.backend.carts.get(hh).totals.total_cents)
            return ask(handler_input, f"{done} Your cart comes to {total}. {ANYTHING_ELSE}", ANYTHING_ELSE)
        unknown = [speech.escape(lk.said) for lk in left if lk.status != "ambiguous"]
        not_found = f"I couldn't find {speech.join(unknown, 'or')}." if unknown else ""
        choice = next((lk for lk in left if lk.status == "ambiguous"), None)
        if choice is not None:  # one question at a time: the first that needs a choice
            intro = " ".join(p for p in (done, not_found, f"For {speech.escape(choice.said)}, did you mean") if p)
            return actions.ask_choice(handler_input, "add", choice.options, None, intro=intro)
        return ask(handler_input, f"{done} {not_found} {ANYTHING_ELSE}".strip(), ANYTHING_ELSE)


class UpdateQuantityHandler(_ProductAction):
    intent_name = "UpdateCartQuantityIntent"
    action = "update"
    product_question = "Which item's quantity should I change?"

    def can_handle(self, handler_input: HandlerInput) -> bool:
        # "Make it three" just after a button was spoken about is the button's (skills.buttons answers it), just
        # after a bottle was logged the bottle's (skills.babycare).
        return super().can_handle(handler_input) and not (
            slots.refers_back(handler_input, "product")
            and session.last_thing(handler_input) in ("button", session.LOG_ENTRY)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        quantity, unclear = _quantity(handler_input)
        factor = slots.resolved(handler_input, "factor")
        if quantity is None and not unclear and factor is not None:
            return self.act_on(handler_input, product_words(slots.text(handler_input, "product")), float(factor))
        if quantity is None and not unclear and slots.text(handler_input, "product") is not None:
            return elicit(handler_input, "quantity", HOW_MANY, HOW_MANY)
        return super().handle(handler_input)


class CartQuantityInButtonWordsHandler(UpdateQuantityHandler):
    """ "Make it two packs" about the product spoken about, heard as a button's change (the same words): with no
    button named and none spoken about last, it changes the cart line ("Which button should I change? You don't
    have any buttons yet" answered it before). skills.buttons answers it right after a button."""

    intent_name = "UpdateButtonIntent"

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return (
            is_intent_name(self.intent_name)(handler_input)
            and slots.refers_back(handler_input, "buttonName")
            and session.last_thing(handler_input) != "button"
            and session.last_product(handler_input) is not None
        )


class RemoveFromCartHandler(_ProductAction):
    intent_name = "RemoveFromCartIntent"
    action = "remove"
    product_question = "What should I remove from your cart?"

    def can_handle(self, handler_input: HandlerInput) -> bool:
        # "Drop the vitamin one" right after the reminders were read is a reminder's (skills.babycare answers it).
        return super().can_handle(handler_input) and session.last_thing(handler_input) != session.REMINDER


class ReadCartHandler(IntentHandler):
    intent_name = "ReadCartIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        review = self.ctx.backend.orders.review_cart(
            household_id(handler_input), member_id(handler_input), ordering.CHANNEL
        )
        cart = review.cart
        if not cart.lines:
            return ask(handler_input, f"Your cart is empty. {ANYTHING_ELSE}", ANYTHING_ELSE)
        products = self.ctx.backend.catalog.cached_many(ln.product_id for ln in cart.lines)
        what = phrases.lines(((ln.quantity, ln.product_id, ln.name) for ln in cart.lines), products)
        if len(cart.lines) == 1:
            session.remember_product(handler_input, cart.lines[0].product_id)
        card = ("Your cart", phrases.card_text(((ln.quantity, ln.name) for ln in cart.lines), cart.totals))
        said = f"Your cart has {what}. {phrases.totals(cart.totals)}"
        why_not = review.checkout_blocked
        if why_not == "child":  # no offer a child's profile would be refused
            return ask(
                handler_input,
                f"{said} It's waiting for a grown-up to check out. {ANYTHING_ELSE}",
                ANYTHING_ELSE,
                card=card,
            )
        if why_not == "locked":
            return ask(handler_input, f"{said} {ANYTHING_ELSE}", ANYTHING_ELSE, card=card)
        ordering.cart_was_read(handler_input, [[ln.product_id, ln.quantity] for ln in cart.lines])
        session.set_pending(handler_input, ordering.OFFER)  # so a yes checks out
        return ask(handler_input, f"{said} Would you like to check out?", "Would you like to check out?", card=card)


# A price question whose product slot names the cart itself or all of it ("how much is my cart", "how much is
# all this") asks for the cart's total.
_CART_WORDS = frozenset({"cart", "basket", "total", "order", "all", "everything"})


class PriceQueryHandler(IntentHandler):
    """ "How much are the wipes", "what does that cost": the price is said and nothing is written."""

    intent_name = "PriceQueryIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        raw = slots.text(handler_input, "product")
        said = product_words(raw)
        quantity, unclear = _quantity(handler_input)
        hh = household_id(handler_input)
        about_cart = raw is not None and bool(_CART_WORDS & set(raw.lower().split()))
        if about_cart or (said is None and not session.last_product(handler_input)):
            cart = self.ctx.backend.carts.get(hh)
            if cart.lines:
                return ask(handler_input, f"{phrases.totals(cart.totals)} {ANYTHING_ELSE}", ANYTHING_ELSE)
            if about_cart:
                return ask(handler_input, f"Your cart is empty. {ANYTHING_ELSE}", ANYTHING_ELSE)
            return ask(handler_input, "Which product's price would you like?", "Which product?")
        lookup = find_product(self.ctx, handler_input, hh, said)
        if lookup.status == "no_match" and lookup.said:
            # A question is never turned into an offer to buy: say plainly that it isn't sold here.
            return ask(handler_input, f"I couldn't find {speech.escape(lookup.said)}. {ANYTHING_ELSE}", ANYTHING_ELSE)
        other_said = product_words(slots.text(handler_input, "otherProduct"))
        if other_said and lookup.status == "match" and lookup.product is not None:
            # "Which is cheaper, the bounty or the viva?": both prices, and which costs less. Where the second
            # names no one product, the first is answered alone, as if asked about it.
            other = find_product(self.ctx, handler_input, hh, other_said)
            if other.status == "match" and other.product is not None and other.product.id != lookup.product.id:
                return actions.compare_prices(self.ctx, handler_input, lookup.product, other.product)
        return actions.run(self.ctx, handler_input, "price", lookup, None if unclear else quantity)


class ClearCartHandler(IntentHandler):
    intent_name = "ClearCartIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        cart = self.ctx.backend.carts.get(household_id(handler_input))
        if not cart.lines:
            return ask(handler_input, f"Your cart is already empty. {ANYTHING_ELSE}", ANYTHING_ELSE)
        if session.pending(handler_input, CLEAR) is not None:
            # Asked "should I remove …?", the answer was the request again ("yeah, clear it"): that is the yes.
            return actions.clear_confirmed(self.ctx, handler_input)
        session.set_pending(handler_input, CLEAR)
        count = len(cart.lines)
        question = (
            "Should I remove both items from your cart?"  # not "all two items"
            if count == 2
            else f"Should I remove all {speech.number(count)} items from your cart?"
            if count > 2
            else "Should I remove the one item in your cart?"
        )
        return ask(handler_input, question, question + " Please say yes or no.")


class CheckoutHandler(IntentHandler):
    intent_name = "CheckoutIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        pending = session.pending(handler_input, ordering.CONFIRM)
        lines = pending.get("lines") if pending is not None else None
        if isinstance(lines, list) and lines:
            # "Ring it up" said to the read-back of a reorder: the order read back is what is checked out, not the
            # cart (round 20's rancher had been read a cart of wipes instead). Read back again for the yes: only a
            # yes to the read-back orders.
            return ordering.propose(
                self.ctx, handler_input, [(str(pid), int(n)) for pid, n in lines], repeat_checked=True
            )
        return ordering.check_out(self.ctx, handler_input)


def _offer_usuals(ctx: SkillContext, handler_input: HandlerInput, intro: str) -> Response:
    items = ctx.backend.orders.buy_it_again(household_id(handler_input), limit=BUY_AGAIN_SHOWN)
    if not items:
        return ask(
            handler_input,
            f"You haven't ordered anything with me yet. You can say: add paper towels to my cart. {ANYTHING_ELSE}",
            ANYTHING_ELSE,
        )
    if len(items) == 1:
        return actions.ask_choice(handler_input, "reorder", [items[0].product], None, intro="Should I reorder")
    numbered = actions.numbered_options([i.product.spoken_name for i in items])
    session.set_pending(
        handler_input, actions.CHOOSE, action="reorder", options=[i.product.id for i in items], quantity=None
    )
    return ask(
        handler_input,
        f"{intro}: {numbered}. Which one should I reorder?",
        "Which one should I reorder? You can say the first one, or a product name.",
    )


class ReorderHandler(IntentHandler):
    """ "Reorder paper towels": the matching item from this household's history; "reorder" alone: the usuals."""

    intent_name = "ReorderIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        said = product_words(slots.text(handler_input, "product"))
        other = product_words(slots.text(handler_input, "otherProduct"))
        quantity, unclear = _quantity(handler_input)
        if said is not None and other is not None and (is_pronoun(said) or is_pronoun(other)):
            # "the diapers again, the same ones as last time": "the same ones" are the diapers, not a second thing.
            said, other = (other if is_pronoun(said) else said), None
        if said is None:
            return _offer_usuals(self.ctx, handler_input, "You usually buy")
        if other is not None:
            return self.reorder_both(handler_input, said, other)
        lookup = find_product(
            self.ctx, handler_input, household_id(handler_input), said, history_only=not is_pronoun(said)
        )
        if lookup.status == "no_match" and is_pronoun(said):
            # "would you ever reorder them for me?" with nothing spoken about for "them": the usuals, as "reorder"
            # alone gets, not "I couldn't find them".
            return _offer_usuals(self.ctx, handler_input, "You usually buy")
        return actions.run(self.ctx, handler_input, "reorder", lookup, None if unclear else quantity)

    def reorder_both(self, handler_input: HandlerInput, said: str, other: str) -> Response:
        """ "Reorder wipes and paper towels": one read-back of both from the household's history; when one
        isn't there, the read-back of the other says so, and nothing is ordered without a yes."""
        hh = household_id(handler_input)
        lookups = [lk for s in (said, other) for lk in find_products(self.ctx, handler_input, hh, s, history_only=True)]
        found = list({lk.product.id: lk.product for lk in lookups if lk.status == "match" and lk.product}.values())
        if not found:
            return actions.run(self.ctx, handler_input, "reorder", lookups[0], None)
        # One question at a time: the read-back of what is clear first; the rest can be reordered next.
        several = [speech.escape(lk.said) for lk in lookups if lk.status == "ambiguous"]
        unknown = [speech.escape(lk.said) for lk in lookups if lk.status == "no_match"]
        preface = " ".join(
            part
            for part in (
                f"You've bought more than one {speech.join(several, 'or')}, so I left "
                f"{'it' if len(several) == 1 else 'them'} out."
                if several
                else "",
                f"I couldn't find {speech.join(unknown, 'or')} in your past orders." if unknown else "",
            )
            if part
        )
        for product in found:
            session.remember_product(handler_input, product.id)
        orders = self.ctx.backend.orders
        lines = [(p.id, orders.last_quantity(hh, p.id) or 1) for p in found]
        return ordering.propose(self.ctx, handler_input, lines, preface=preface)


class BuyItAgainHandler(IntentHandler):
    intent_name = "BuyItAgainIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        return _offer_usuals(self.ctx, handler_input, "Things you buy again and again")


class OrderStatusHandler(IntentHandler):
    intent_name = "OrderStatusIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        said = product_words(slots.text(handler_input, "product"))
        if said is None or names_the_order_itself(said):
            return actions.status(self.ctx, handler_input, None)  # "when is the parcel expected": every order
        lookup = find_product(self.ctx, handler_input, household_id(handler_input), said, history_only=True)
        if lookup.status == "no_match" and is_pronoun(said):
            return actions.status(self.ctx, handler_input, None)  # "when will they come" about nothing named: all
        if lookup.status == "no_match":
            return ask(
                handler_input, f"I don't see any orders with {speech.escape(said)}. {ANYTHING_ELSE}", ANYTHING_ELSE
            )
        return actions.run(self.ctx, handler_input, "status", lookup, None)


class CancelOrderHandler(IntentHandler):
    intent_name = "CancelOrderIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        said = product_words(slots.text(handler_input, "product"))
        if said is None or names_the_order_itself(said):
            return actions.cancel(self.ctx, handler_input, None)
        hh = household_id(handler_input)
        # What can still be cancelled is what was meant: "cancel the diapers" with one diaper order on its way is that
        # order, though the household has bought two sizes before. Past purchases only where none of it fits.
        cancellable = self.ctx.backend.orders.cancellable_products(hh)
        lookup = find_product(self.ctx, handler_input, hh, said, within=cancellable)
        if lookup.status == "no_match":
            lookup = find_product(self.ctx, handler_input, hh, said, history_only=True)
        if lookup.status == "no_match":
            return ask(
                handler_input, f"I don't see any orders with {speech.escape(said)}. {ANYTHING_ELSE}", ANYTHING_ELSE
            )
        return actions.run(self.ctx, handler_input, "cancel", lookup, None)


class CorrectAddedCountHandler(IntentHandler):
    """ "No, I said two" right after an add: the count of what was just added. The correction intent is baby
    care's too ("no, it was two ounces"); after an add it is the add that is corrected, never a log entry the
    person was not talking about."""

    intent_name = "CorrectLastEntryIntent"
    _LOG_SLOTS = ("volumeUnit", "child", "diaperType", "milkType", "product")

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return (
            super().can_handle(handler_input)
            and slots.number(handler_input, "amount") is not None
            and all(slots.is_empty(handler_input, name) for name in self._LOG_SLOTS)
            and session.last_intent(handler_input) == "AddToCartIntent"
            and session.last_added(handler_input) is not None
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        count = slots.number(handler_input, "amount") or 0
        corrected = actions.correct_added_count(self.ctx, handler_input, count)
        if corrected is not None:
            return corrected
        return ask(handler_input, f"Sorry, I lost track of that. {ANYTHING_ELSE}", ANYTHING_ELSE)


class UndoAddHandler(IntentHandler):
    """ "Undo that" right after an add: the add is taken back (what was in the cart before stays). Undo is baby
    care's intent too; right after an add, the log entry from before is not what the person means."""

    intent_name = "UndoLastEntryIntent"

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return (
            super().can_handle(handler_input)
            and session.last_intent(handler_input) == "AddToCartIntent"
            and session.last_added(handler_input) is not None
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        undone = actions.correct_added_count(self.ctx, handler_input, 0)
        if undone is not None:
            return undone
        return ask(handler_input, f"There's nothing to take back. {ANYTHING_ELSE}", ANYTHING_ELSE)


class ReplaceProductHandler(IntentHandler):
    """ "No, I meant Bounty" just after a product was added: that product in place of the one before, as
    many as there were. The correction intent is baby care's too ("no, I meant Leo"); this handler takes the
    turns that name a product."""

    intent_name = "CorrectLastEntryIntent"

    def can_handle(self, handler_input: HandlerInput) -> bool:
        # Only while the conversation is about products: right after a feeding was logged, "no, it was formula"
        # corrects the bottle, though formula is a product too.
        return (
            super().can_handle(handler_input)
            and slots.text(handler_input, "product") is not None
            and session.last_thing(handler_input) in (None, "product")
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        said = product_words(slots.text(handler_input, "product"))
        choosing = session.pending(handler_input, actions.CHOOSE)
        if choosing is not None and isinstance(choosing.get("action"), str) and choosing["action"] in actions.ACTIONS:
            # "No, I said wipes" to "which one should I reorder?" (asked after "reorder the wives" was misheard):
            # the product the question was for, not a replacement of something added before (wipes had been added
            # to the cart, and the yes to the read-back the person expected placed nothing).
            action = choosing["action"]
            hh = household_id(handler_input)
            lookup = find_product(self.ctx, handler_input, hh, said, history_only=action == "reorder")
            quantity = choosing.get("quantity")
            return actions.run(self.ctx, handler_input, action, lookup, quantity if isinstance(quantity, int) else None)
        lookup = find_product(self.ctx, handler_input, household_id(handler_input), said)
        return actions.run(self.ctx, handler_input, "replace", lookup, None)
