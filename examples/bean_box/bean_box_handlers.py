"""Bean Box's handlers: send my usual, skip next week, what's my next delivery, my usual is, add my usual."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skills.common import slots, speech
from skills.common.context import SkillContext
from skills.common.identity import household_id, member_id
from skills.common.respond import ask, elicit
from skills.framework.purchase import propose_order

ANYTHING_ELSE = "Anything else?"
NO_USUAL = (
    "You don't have a usual yet. You can say, for example: my usual is two bags of Pike Place. What would you like?"
)


def _what(ctx: SkillContext, product_id: str, quantity: int) -> str:
    product = ctx.backend.catalog.get(product_id)
    unit = product.unit if quantity == 1 else product.unit + "s"
    return f"{speech.number(quantity)} {unit} of {speech.escape(product.spoken_name)}"


def _day(ctx: SkillContext, hh: str, day) -> str:  # noqa: ANN001 - a date
    return speech.spoken_date(day, ctx.use_case("subscriptions").today(hh))


class _Handler(AbstractRequestHandler):
    intent = ""

    def __init__(self, ctx: SkillContext) -> None:
        self.ctx = ctx

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name(self.intent)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        # Weeks that came due since the household last spoke to Bean Box are ordered before anything else.
        self.ctx.use_case("subscriptions").place_due(household_id(handler_input))
        return self.answer(handler_input)

    def answer(self, handler_input: HandlerInput) -> Response:
        raise NotImplementedError


class SendUsualHandler(_Handler):
    """An extra delivery of the usual, now: read back, a yes, the purchase code if the household set one."""

    intent = "SendUsualIntent"

    def answer(self, handler_input: HandlerInput) -> Response:
        usual = self.ctx.use_case("subscriptions").usual(household_id(handler_input))
        if usual is None:
            return ask(handler_input, NO_USUAL, "What would you like?")
        return propose_order(self.ctx, handler_input, [usual], preface="Your usual.")


class AddUsualToCartHandler(_Handler):
    intent = "AddUsualToCartIntent"

    def answer(self, handler_input: HandlerInput) -> Response:
        hh = household_id(handler_input)
        usual = self.ctx.use_case("subscriptions").usual(hh)
        if usual is None:
            return ask(handler_input, NO_USUAL, "What would you like?")
        self.ctx.backend.carts.add(hh, usual[0], usual[1], channel="voice", member_id=member_id(handler_input))
        return ask(handler_input, f"Added {_what(self.ctx, *usual)} to your cart. {ANYTHING_ELSE}", ANYTHING_ELSE)


class SetUsualHandler(_Handler):
    intent = "SetUsualIntent"

    def answer(self, handler_input: HandlerInput) -> Response:
        subscriptions = self.ctx.use_case("subscriptions")
        said = slots.text(handler_input, "product")
        if said is None:
            return elicit(handler_input, "product", "Which coffee is your usual?")
        quantity = slots.number(handler_input, "quantity") or 1
        if not 1 <= quantity <= 10:
            return elicit(handler_input, "quantity", "Your usual can be one to ten. How many?")
        coffees = [p.id for p in subscriptions.coffees()]
        found = self.ctx.resolver.resolve(said, restrict_to=coffees, limit=3)
        if found.status == "no_match" or found.best is None:
            return elicit(
                handler_input,
                "product",
                f"I couldn't find a coffee called {speech.escape(said)}. Which coffee is your usual?",
            )
        if found.status == "ambiguous":
            names = speech.options([c.name for c in found.candidates[:2]])
            return elicit(handler_input, "product", f"Did you mean {names}?")
        hh = household_id(handler_input)
        subscriptions.subscribe(hh, found.best.id, quantity)
        when = _day(self.ctx, hh, subscriptions.next_delivery(hh))
        return ask(
            handler_input,
            f"Your usual is now {_what(self.ctx, found.best.id, quantity)}, delivered every "
            f"week. The next delivery is {when}. {ANYTHING_ELSE}",
            ANYTHING_ELSE,
        )


class NextDeliveryHandler(_Handler):
    intent = "NextDeliveryIntent"

    def answer(self, handler_input: HandlerInput) -> Response:
        hh = household_id(handler_input)
        subscriptions = self.ctx.use_case("subscriptions")
        sub, day = subscriptions.get(hh), subscriptions.next_delivery(hh)
        if sub is None or day is None:
            return ask(handler_input, NO_USUAL, "What would you like?")
        return ask(
            handler_input,
            f"Your next Bean Box delivery is {_what(self.ctx, sub.product_id, sub.quantity)}, "
            f"{_day(self.ctx, hh, day)}. {ANYTHING_ELSE}",
            ANYTHING_ELSE,
        )


class SkipNextHandler(_Handler):
    intent = "SkipNextDeliveryIntent"

    def answer(self, handler_input: HandlerInput) -> Response:
        hh = household_id(handler_input)
        skipped = self.ctx.use_case("subscriptions").skip_next(hh)
        if skipped is None:
            return ask(handler_input, NO_USUAL, "What would you like?")
        return ask(
            handler_input,
            f"Okay, I skipped the delivery of {_day(self.ctx, hh, skipped[0])}. The next one "
            f"is {_day(self.ctx, hh, skipped[1])}. {ANYTHING_ELSE}",
            ANYTHING_ELSE,
        )


def handlers(ctx: SkillContext) -> list[AbstractRequestHandler]:
    return [
        SendUsualHandler(ctx),
        AddUsualToCartHandler(ctx),
        SetUsualHandler(ctx),
        NextDeliveryHandler(ctx),
        SkipNextHandler(ctx),
    ]
