"""Answers to a question the skill asked: yes, no, "the second one", a product name, a purchase code.

Each handler only takes the turn when the session holds a pending shopping action it answers, so a
yes meant for another capability (a button, a routine) is never taken here.
"""

from __future__ import annotations

import re

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from intents.normalize import normalize_phrase
from reorder.domain.catalog import Product
from skills.common import session, slots, speech
from skills.common.context import SkillContext
from skills.common.handlers import PendingAnswerHandler, ask_again
from skills.common.identity import household_id
from skills.common.respond import ask, tell
from skills.shopping import actions, ordering
from skills.shopping.products import Lookup, find_product

ANYTHING_ELSE = actions.ANYTHING_ELSE
CLEAR = actions.CLEAR
KINDS = (ordering.CONFIRM, ordering.DUPLICATE, ordering.CODE, ordering.OFFER, actions.CANCEL, actions.CHOOSE, CLEAR)


class _PendingHandler(PendingAnswerHandler):
    ctx: SkillContext
    kinds: tuple[str, ...] = KINDS


def _options(ctx: SkillContext, pending: dict) -> list:
    ids = [str(i) for i in pending.get("options") or []]
    products = ctx.backend.catalog.cached_many(ids)
    return [products[i] for i in ids if i in products]


def _chosen(ctx: SkillContext, handler_input: HandlerInput, pending: dict, product) -> Response:  # noqa: ANN001
    session.clear_pending(handler_input)
    action = str(pending.get("action") or "add")
    if action not in actions.ACTIONS:
        return ask(handler_input, f"Sorry, I lost track of that. {ANYTHING_ELSE}", ANYTHING_ELSE)
    quantity = pending.get("quantity")
    return actions.run(
        ctx, handler_input, action, Lookup("match", product), quantity if isinstance(quantity, int) else None
    )


class YesHandler(_PendingHandler):
    intent_names = ("AMAZON.YesIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        pending = session.pending(handler_input) or {}
        kind = pending.get("kind")
        if kind == ordering.CONFIRM:
            return ordering.confirmed(self.ctx, handler_input, pending)
        if kind == ordering.DUPLICATE:
            return ordering.repeat_confirmed(self.ctx, handler_input, pending)
        if kind == ordering.OFFER:
            session.clear_pending(handler_input)
            return ordering.check_out(self.ctx, handler_input)
        if kind == ordering.CODE:
            session.keep_pending(handler_input)
            return ask(handler_input, ordering.CODE_PROMPT, ordering.CODE_PROMPT)
        if kind == actions.CANCEL:
            return actions.cancel_confirmed(self.ctx, handler_input, pending)
        if kind == CLEAR:
            return actions.clear_confirmed(self.ctx, handler_input)
        options = _options(self.ctx, pending)
        if len(options) == 1:
            return _chosen(self.ctx, handler_input, pending, options[0])
        names = speech.options([p.spoken_name for p in options])
        session.keep_pending(handler_input)
        return ask(handler_input, f"Which one: {names}?", f"Which one: {names}? You can say the first one.")


class NoHandler(_PendingHandler):
    intent_names = ("AMAZON.NoIntent",)

    def handle(self, handler_input: HandlerInput) -> Response:
        pending = session.pending(handler_input) or {}
        kind = pending.get("kind")
        if kind in (ordering.CONFIRM, ordering.CODE, ordering.DUPLICATE):
            return ordering.declined(handler_input)
        session.clear_pending(handler_input)
        if kind == actions.CANCEL:
            on_no = pending.get("on_no")
            if isinstance(on_no, str):
                return tell(handler_input, on_no)
            return ask(handler_input, f"Okay, your order stays as it is. {ANYTHING_ELSE}", ANYTHING_ELSE)
        if kind in (CLEAR, ordering.OFFER):
            return ask(handler_input, f"Okay, your cart stays as it is. {ANYTHING_ELSE}", ANYTHING_ELSE)
        return ask(
            handler_input, "Okay. Which product did you mean? You can also say stop.", "Which product did you mean?"
        )


# Words that, alone in the product slot, mean "another of the same": "a second box", "an extra pack", "one more".
_ANOTHER = frozenset({"another", "second", "extra", "more", "again", "same", "one", "ones", "it", "them", "that"})
_FILLER = frozenset({"a", "an", "the", "of", "us", "me", "please", "really", "just", "box", "boxes", "pack", "packs"})
_FILLER |= frozenset({"package", "packages", "case", "cases", "bag", "bags", "tub", "tubs", "order", "lot", "those"})


def _means_another(said: str | None) -> bool:
    """The product slot of an add or a reorder names nothing but "another one" ("a second box")."""
    words = re.findall(r"[a-z']+", (said or "").lower())
    return not words or (set(words) <= _ANOTHER | _FILLER and bool(set(words) & (_ANOTHER | _FILLER) - {"a", "an"}))


class AnotherOfTheSameHandler(_PendingHandler):
    """To "You ordered … earlier today. Order another?", a yes said as a request: "yeah, we need a second box",
    "yes, order more diapers" (heard as an add or a reorder of the product, or of "another one"). It is the
    yes it means: the usual read-back follows, which still needs its own yes. A request for something else is
    left to its own handler (the question lapses)."""

    intent_names = ("AddToCartIntent", "ReorderIntent")
    kinds = (ordering.DUPLICATE,)

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not super().can_handle(handler_input):
            return False
        said = slots.text(handler_input, "product")
        if _means_another(said):
            return True
        lines = (session.pending(handler_input) or {}).get("lines") or []
        wanted = {str(line[0]) for line in lines if isinstance(line, list) and line}
        lookup = find_product(self.ctx, handler_input, household_id(handler_input), said)
        return lookup.status == "match" and lookup.product is not None and lookup.product.id in wanted

    def handle(self, handler_input: HandlerInput) -> Response:
        return ordering.repeat_confirmed(self.ctx, handler_input, session.pending(handler_input) or {})


class CancelJustOrderedHandler(AbstractRequestHandler):
    """Right after "Done. I ordered … You can cancel it until it ships" (a yes, a button press), the order is
    what the next words are most likely about:

    - "cancel that": asks to cancel it, like any cancellation (a no keeps it);
    - a no ("no wait, don't send that"): the order is not silently kept with a goodbye; the skill asks whether
      to cancel it, and a second no keeps it and ends the conversation as a no to "Anything else?" would;
    - words not understood ("oh shoot, I picked the wrong thing"): the same question, after "Sorry".

    Nothing is cancelled without a yes to that question. Anywhere else these intents do what they always do."""

    intent_names = ("AMAZON.CancelIntent", "AMAZON.NoIntent", "AMAZON.FallbackIntent")

    def __init__(self, ctx: SkillContext) -> None:
        self.ctx = ctx

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return (
            any(is_intent_name(name)(handler_input) for name in self.intent_names)
            and session.pending(handler_input) is None
            and session.eliciting(handler_input) is None
            and session.just_done(handler_input, ordering.ORDERED) is not None
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        # The order was just read out in full ("Done. I ordered …"): the question names it short.
        if is_intent_name("AMAZON.NoIntent")(handler_input):
            on_no = "Okay, your order stays as it is. Goodbye."
            return actions.cancel(self.ctx, handler_input, None, lead="Okay.", on_no=on_no, just_placed=True)
        if is_intent_name("AMAZON.FallbackIntent")(handler_input):
            return actions.cancel(self.ctx, handler_input, None, lead="Sorry, I didn't get that.", just_placed=True)
        return actions.cancel(self.ctx, handler_input, None, just_placed=True)


class CancelWordToCancellationHandler(AbstractRequestHandler):
    """ "Yes, cancel it" or "cancel" said to "Should I cancel your order?" is heard as the cancel intent, which
    elsewhere ends the conversation saying nothing was ordered: here that would be false, and the order stays.
    The question is asked again so a plain yes or no decides; the order is untouched until then."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        pending = session.pending(handler_input)
        return (
            is_intent_name("AMAZON.CancelIntent")(handler_input)
            and pending is not None
            and pending.get("kind") == actions.CANCEL
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        session.keep_pending(handler_input)
        return ask(
            handler_input,
            "Your order is still on. Should I cancel it? Say yes to cancel it, or no to keep it.",
            "Say yes to cancel the order, or no to keep it.",
        )


class ChooseOptionHandler(_PendingHandler):
    """ "The second one", "number two", "the last one", or the product's name, while options are open."""

    intent_names = ("ChooseOptionIntent",)
    kinds = (actions.CHOOSE,)

    def handle(self, handler_input: HandlerInput) -> Response:
        pending = session.pending(handler_input) or {}
        options = _options(self.ctx, pending)
        if not options:
            session.clear_pending(handler_input)
            return ask(handler_input, f"Sorry, I lost track of the choices. {ANYTHING_ELSE}", ANYTHING_ELSE)
        said = slots.text(handler_input, "product")
        if slots.option_number(handler_input) is not None:
            index = slots.chosen_index(handler_input, len(options))
            if index is not None:
                return _chosen(self.ctx, handler_input, pending, options[index])
            names = speech.options([p.spoken_name for p in options])
            session.keep_pending(handler_input)
            return ask(
                handler_input,
                f"There are only {speech.number(len(options))} choices: {names}. Which one?",
                f"Which one: {names}?",
            )
        if said is not None:
            resolution = self.ctx.resolver.resolve(said, restrict_to=[p.id for p in options], limit=len(options))
            best = resolution.best
            if best is not None and resolution.status != "no_match":
                runner_up = resolution.candidates[1].score if len(resolution.candidates) > 1 else 0.0
                if best.score - runner_up >= self.ctx.resolver.CLEAR_LEAD:
                    return _chosen(self.ctx, handler_input, pending, next(p for p in options if p.id == best.id))
            # The brand said names the one option of that brand, where other options answer to it too as a
            # generic word ("kleenex" among Puffs and Kleenex facial tissues).
            by_brand = [p for p in options if p.brand and set(p.brand.lower().split()) <= set(said.lower().split())]
            if len(by_brand) == 1:
                return _chosen(self.ctx, handler_input, pending, by_brand[0])
        names = speech.options([p.spoken_name for p in options])
        session.keep_pending(handler_input)
        return ask(handler_input, f"Sorry, which one: {names}?", f"Which one: {names}? You can say the first one.")


class ReadBackCountHandler(_PendingHandler):
    """A new count said to "Your order: one pack of … Should I place the order?" ("make it two packs", "make
    that three"): the order read back again with that count, still waiting for a yes. It had changed
    the cart and asked "Anything else?", or said the reordered item "isn't in your cart", and the yes that followed
    placed nothing. With several items, the one named; none named, the skill asks which."""

    # Not a bare number ("two", heard as a choice): it says no more than "the second one", and is asked about again.
    intent_names = ("UpdateCartQuantityIntent", "UpdateButtonIntent")
    kinds = (ordering.CONFIRM,)

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if not super().can_handle(handler_input):
            return False
        if is_intent_name("UpdateButtonIntent")(handler_input) and not slots.refers_back(handler_input, "buttonName"):
            return False  # "make the coffee button order two": the button's, not the order's
        return self._count(handler_input) is not None

    @staticmethod
    def _count(handler_input: HandlerInput) -> int | None:
        return slots.number(handler_input, "quantity")

    def handle(self, handler_input: HandlerInput) -> Response:
        pending = session.pending(handler_input) or {}
        in_cart = pending.get("lines") is None
        lines = [(str(ln[0]), int(ln[1])) for ln in (pending.get("cart") if in_cart else pending.get("lines")) or []]
        quantity = self._count(handler_input) or 0
        problem = actions.quantity_problem(quantity)
        said = slots.text(handler_input, "product")
        ids = [pid for pid, _ in lines]
        if said and not slots.refers_back(handler_input, "product"):
            found = find_product(self.ctx, handler_input, household_id(handler_input), said, within=ids)
            target = found.product.id if found.status == "match" and found.product is not None else None
        else:
            target = ids[0] if len(ids) == 1 else None
        if problem or target is None:
            session.keep_pending(handler_input)
            question = problem or f"Which item should be {speech.number(quantity)}?"
            return ask(handler_input, f"{question} Or say yes to order it as it is.", question)
        if in_cart:
            hh = household_id(handler_input)
            line = self.ctx.backend.carts.line_for_product(hh, target)
            if line is not None:
                self.ctx.backend.carts.set_quantity(hh, line.id, quantity)
            return ordering.propose(self.ctx, handler_input, None, repeat_checked=True)
        changed = [(pid, quantity if pid == target else n) for pid, n in lines]
        return ordering.propose(self.ctx, handler_input, changed, repeat_checked=True)


class ProductNamedHandler(AbstractRequestHandler):
    """A bare product name or "the first one" with no question open: ask what to do with it."""

    def __init__(self, ctx: SkillContext) -> None:
        self.ctx = ctx

    def can_handle(self, handler_input: HandlerInput) -> bool:
        # Another capability's open choice (a button's product) is answered by that capability.
        pending = session.pending(handler_input)
        if (
            pending is None
            and session.last_thing(handler_input) == session.LOG_ENTRY
            and (slots.text(handler_input, "product") is None and slots.number(handler_input, "option") is not None)
        ):
            return False  # "no, four, sorry" right after a bottle was logged: the entry's (skills.babycare)
        if (
            pending is None
            and session.last_thing(handler_input) == "button"
            and slots.text(handler_input, "product") is None
            and slots.number(handler_input, "option") is not None
        ):
            return False  # "two packs" right after a button was made: the button's count (skills.buttons)
        return is_intent_name("ChooseOptionIntent")(handler_input) and (pending is None or pending.get("kind") in KINDS)

    def handle(self, handler_input: HandlerInput) -> Response:
        said = slots.text(handler_input, "product")
        if said is not None:
            lookup = find_product(self.ctx, handler_input, household_id(handler_input), said)
            if lookup.status == "match" and lookup.product is not None:
                if (
                    session.just_done(handler_input, actions.ADDED)
                    and session.pending(handler_input) is None
                    and _said_by_name(said, lookup.product)
                ):
                    # "Paper towels, two packs" … "and wipes": named right after an add, it is added too.
                    return actions.add(self.ctx, handler_input, lookup.product, None)
                if session.just_done(handler_input, actions.PRICED) and session.pending(handler_input) is None:
                    # "How much are the paper towels?" … "what about the wipes?": the same question of them.
                    return actions.price(self.ctx, handler_input, lookup.product, None)
                session.remember_product(handler_input, lookup.product.id)
                name = speech.escape(lookup.product.spoken_name)
                return ask(
                    handler_input,
                    f"{name}. You can say: add it to my cart, or reorder it.",
                    "You can say: add it to my cart, or reorder it.",
                )
            if lookup.status == "ambiguous" and session.pending(handler_input) is None:
                # "I want the huggies" with nothing open: a product wanted, several fit; choosing one adds it.
                return actions.ask_choice(
                    handler_input, "add", lookup.options, None, intro="To add to your cart, did you mean"
                )
            if lookup.status == "no_match" and lookup.said:
                # "I want candy" with nothing to choose from: what was asked for is not sold, said plainly.
                missing = f"I couldn't find {speech.escape(lookup.said)} in the catalog."
                return ask_again(handler_input, missing) or ask(
                    handler_input, f"{missing} What would you like instead?", "What would you like instead?"
                )
        corrected = self._quantity_correction(handler_input)
        if corrected is not None:
            return corrected
        # "Two" said to "Should I place the order?" answers nothing: the open question is asked again.
        return ask_again(handler_input, "Sorry, I didn't get that.") or ask(
            handler_input,
            "Sorry, I'm not sure what you're choosing. You can say help to hear what I can do.",
            "What would you like to do?",
        )

    def _quantity_correction(self, handler_input: HandlerInput) -> Response | None:
        """A bare count right after something was added ("add three packs of bounty" … "actually just two"),
        with no question open (an open question keeps the number for itself)."""
        count = slots.number(handler_input, "option")
        if count is None or count < 0 or session.pending(handler_input) is not None:
            return None
        return actions.correct_added_count(self.ctx, handler_input, count)


def _said_by_name(said: str, product: Product) -> bool:
    """Whether every word said is a word of the product's name, as said or as its key ("wipes" for Pampers
    Sensitive Wipes), and not a sound-alike the resolver forgave ("knock" for Nuk pacifiers)."""
    named = set(normalize_phrase(f"{product.name} {product.spoken_name}").split())
    return bool(said.strip()) and set(normalize_phrase(said).split()) <= named


_CODE_DIGITS = re.compile(r"\d")
_DIGIT_WORDS = {
    "zero": "0",
    "oh": "0",
    "o": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}


def spoken_code(value: str | None) -> str | None:
    """ "1234", "one two three four" or "12 34" → "1234"; anything that is not four digits → None."""
    if value is None:
        return None
    digits = "".join(_DIGIT_WORDS.get(w, w) for w in value.lower().replace("-", " ").split())
    digits = "".join(_CODE_DIGITS.findall(digits)) if digits.isascii() else ""
    return digits if len(digits) == 4 else None


class PurchaseCodeHandler(_PendingHandler):
    intent_names = ("PurchaseCodeIntent",)
    kinds = (ordering.CODE, ordering.CONFIRM)

    def handle(self, handler_input: HandlerInput) -> Response:
        pending = session.pending(handler_input) or {}
        code = spoken_code(slots.text(handler_input, "code"))
        if pending.get("kind") == ordering.CONFIRM and not pending.get("code"):
            # No code is needed here; the question is still yes or no.
            session.keep_pending(handler_input)
            return ask(
                handler_input,
                "You don't need a code for this one. Should I place the order?",
                "Should I place the order? Please say yes or no.",
            )
        if code is None:
            session.keep_pending(handler_input)
            return ask(handler_input, f"Sorry, I need the four digits. {ordering.CODE_PROMPT}", ordering.CODE_PROMPT)
        # Saying the code in answer to "should I place it?" is a yes with the code.
        return ordering.place(self.ctx, handler_input, pending, code)


class StrayCodeHandler(AbstractRequestHandler):
    """A code said when nothing waits for one. When another capability's action is pending (a button press
    asking for the code), that capability answers instead."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("PurchaseCodeIntent")(handler_input) and session.pending(handler_input) is None

    def handle(self, handler_input: HandlerInput) -> Response:
        return ask(handler_input, f"There's no order waiting for a code right now. {ANYTHING_ELSE}", ANYTHING_ELSE)
