"""The button intents. Each handler reads its slots, finds the button (or product) and calls one use case of
`reorder.services.buttons`; the answer says plainly whether anything was ordered."""

from __future__ import annotations

from typing import Any, cast

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import IntentConfirmationStatus, Response
from ask_sdk_model.dialog import ConfirmIntentDirective

from reorder.domain.buttons import Button, PressOutcome, button_name_key
from reorder.errors import NotFound
from reorder.services.buttons import PressResult
from skills.buttons.entities import button_entities, resolved_button_id
from skills.common import session, slots, speech
from skills.common.context import SkillContext
from skills.common.handlers import PendingAnswerHandler
from skills.common.identity import household_id, member_id
from skills.common.respond import ask, elicit
from skills.shopping import actions as shopping_actions
from skills.shopping.products import find_product, in_another_size, product_by_id

ANYTHING_ELSE = "Anything else?"
MAX_VOICE_QUANTITY = 20  # the interaction model's limit for a button's quantity
LAST_BUTTON = "last_button"  # what "it" means in "make it two packs"
CODE_KIND = "button_code"
CHOICE_KIND = "button_product_choice"  # "Which one should the button order: A, B or C?"
CODE_PROMPT = "What's your four-digit purchase code?"
CODE_REASONS = ("purchase_code_required", "wrong_purchase_code")


def spoken_name(said: str | None) -> str | None:
    """A name as said, without the article in front ("the morning button" → "morning button"), nor the words that
    point at the button it is for ("that one the changing table" → "changing table": "please rename that one the
    changing table button" had named a button "that one the changing table")."""
    if said is None:
        return None
    words = said.split()
    for size in (2, 1):
        pointing = " ".join(words[:size]).lower()
        if len(words) > size + 1 and pointing in slots.REFERENCES and words[size].lower() in ("the", "my", "a"):
            words = words[size:]
            break
    while words and words[0].lower() in ("the", "my", "a", "an", "our"):
        words = words[1:]
    return " ".join(words) or None


# Said after "it" or "that" about doing the same again: "press it again", "that one once more".
_AGAIN = frozenset({"again", "once", "more", "time", "too", "also", "please", "now"})


def refers_back(said: str) -> bool:
    """The button name said is "it", "that" or "it again": the button spoken about last, not a name. A clause after
    a written pause is no part of it ("press it, we're totally out")."""
    key = button_name_key(said.split(",")[0])
    if key in slots.REFERENCES:
        return True
    words = key.split()
    rest = " ".join(w for w in words if w not in _AGAIN)
    return len(rest) < len(" ".join(words)) and rest in slots.REFERENCES


# What a turn that made a button or changed what it orders did: the next turn's "press it" means that button.
BUTTON_SET = "button_set"


def _remember(handler_input: HandlerInput, button: Button, *, set_up: bool = False) -> None:
    cast(dict[str, Any], handler_input.attributes_manager.session_attributes)[LAST_BUTTON] = button.id
    session.remember_thing(handler_input, "button")
    if set_up:
        session.remember_done(handler_input, BUTTON_SET, button_id=button.id)


def _last_button_id(handler_input: HandlerInput) -> str | None:
    value = cast(dict[str, Any], handler_input.attributes_manager.session_attributes).get(LAST_BUTTON)
    return value if isinstance(value, str) else None


def _describe(ctx: SkillContext, button: Button) -> str:
    """ "the paper towels button, for two packs of Bounty paper towels", escaped."""
    product = ctx.backend.catalog.cached_many([button.product_id]).get(button.product_id)
    what = speech.item(button.quantity, product.unit, product.spoken_name) if product else "a product no longer sold"
    return f"{speech.escape(button.label)}, for {what}"


def _with_entities(ctx: SkillContext, handler_input: HandlerInput, hh: str) -> None:
    """After a button changes, the household's button names go to language understanding again."""
    handler_input.response_builder.add_directive(button_entities(ctx.backend.buttons.list(hh)))


class _ButtonIntent(AbstractRequestHandler):
    intent_name = ""

    @property
    def intent_names(self) -> tuple[str, ...]:  # lets the skill's request mapper skip this handler for others
        return (self.intent_name,)

    def __init__(self, ctx: SkillContext) -> None:
        self.ctx = ctx

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name(self.intent_name)(handler_input)

    def choices(self, hh: str) -> str:
        """ " You have: the paper towels button and the coffee button." (or that there are none)"""
        names = [speech.escape(b.label) for b in self.ctx.backend.buttons.list(hh)[:5]]
        return f" You have: the {speech.join(names, 'and the')}." if names else " You don't have any buttons yet."

    def find_button(
        self, handler_input: HandlerInput, hh: str, *, it_when_empty: bool = False, by_what_it_orders: bool = False
    ) -> Button | None:
        """The button the slot names (a resolved id first, then the words), or the one spoken about last.
        None when the slot is empty and there is no "it"; NotFound (spoken) when nothing matches."""
        buttons = self.ctx.backend.buttons
        resolved = resolved_button_id(handler_input)
        if resolved:
            try:
                return buttons.get(hh, resolved)
            except NotFound:
                pass  # a stale entity from before a delete or rename: fall back to the words
        said = slots.text(handler_input, "buttonName")
        if said and not refers_back(said):
            return buttons.find(hh, said, by_what_it_orders=by_what_it_orders)
        last = _last_button_id(handler_input)
        if last and (it_when_empty or said):  # "it", "that one", "it again": the button spoken about last
            try:
                return buttons.get(hh, last)
            except NotFound:
                return None
        return None

    def button_or_question(
        self,
        handler_input: HandlerInput,
        hh: str,
        verb: str,
        *,
        it_when_empty: bool = False,
        by_what_it_orders: bool = False,
    ) -> Button | Response:
        """The button meant, or the question "Which button should I <verb>?" (an elicitation, so the answer
        fills the name) when none was named or the name matches no button, or more than one."""
        question = f"Which button should I {verb}?"
        try:
            button = self.find_button(
                handler_input, hh, it_when_empty=it_when_empty, by_what_it_orders=by_what_it_orders
            )
        except NotFound as error:
            said = speech.escape(spoken_name(slots.text(handler_input, "buttonName")) or "that")
            lead = (
                f"More than one button matches {said}."
                if error.details.get("candidates")
                else f"I don't have a button called {said}."
            )
            if not self.ctx.backend.buttons.list(hh):
                return ask(
                    handler_input,
                    f"{lead} You don't have any buttons yet. You can say: create a button "
                    f"for paper towels. {ANYTHING_ELSE}",
                    ANYTHING_ELSE,
                )
            return elicit(handler_input, "buttonName", f"{lead}{self.choices(hh)} {question}", question)
        if button is None:
            return elicit(handler_input, "buttonName", f"{question}{self.choices(hh)}", question)
        return button


class CreateButtonHandler(_ButtonIntent):
    intent_name = "CreateButtonIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        hh = household_id(handler_input)
        said = slots.text(handler_input, "product")
        name_said = slots.text(handler_input, "buttonName")
        if said is None and name_said and find_product(self.ctx, handler_input, hh, name_said).status != "no_match":
            # "Make me a coffee button": a button named after a thing the catalog sells orders that thing.
            said = name_said
        if said is None:
            return elicit(handler_input, "product", "Which product should the button order?")
        quantity = slots.number(handler_input, "quantity") if slots.text(handler_input, "quantity") else 1
        if quantity is None or not 1 <= quantity <= MAX_VOICE_QUANTITY:
            return elicit(
                handler_input,
                "quantity",
                f"A button can order between one and {MAX_VOICE_QUANTITY} at a time. How many should it order?",
            )
        lookup = find_product(self.ctx, handler_input, hh, said)
        if lookup.status == "no_match" and name_said and slots.refers_back(handler_input, "product"):
            # "Set me up a button that orders diapers", heard as product "that" and name "diapers", with nothing
            # spoken about before for "that" to mean: the thing named is what the button orders.
            by_name = find_product(self.ctx, handler_input, hh, name_said)
            if by_name.status != "no_match":
                lookup, said, name_said = by_name, name_said, None
        if lookup.status == "ambiguous":
            # The answer may be a name (it fills the slot) or "the second one" (ButtonChoiceHandler).
            return _ask_which(
                handler_input, "the button", lookup.options, quantity=quantity, name=spoken_name(name_said)
            )
        if lookup.status != "match" or lookup.product is None:
            return elicit(
                handler_input,
                "product",
                f"I couldn't find {speech.escape(said)}. Which product should the button order?",
                "Which product should the button order?",
            )
        return _create(self.ctx, handler_input, hh, lookup.product, quantity, spoken_name(name_said))


def _create(
    ctx: SkillContext,
    handler_input: HandlerInput,
    hh: str,
    product,
    quantity: int,  # noqa: ANN001
    name: str | None,
) -> Response:
    button = ctx.backend.buttons.create(hh, name or _default_name(ctx, hh, product), product.id, quantity)
    session.remember_product(handler_input, product.id)
    _remember(handler_input, button, set_up=True)  # after the product: "make it two" now means the button
    _with_entities(ctx, handler_input, hh)
    return ask(
        handler_input,
        f"Okay, I made the {_describe(ctx, button)}. To use it, say: press the "
        f"{speech.escape(button_name_key(button.name))} button. It won't order again while its "
        f"order is on the way. {ANYTHING_ELSE}",
        ANYTHING_ELSE,
    )


def _ask_which(handler_input: HandlerInput, which: str, options: list, **pending: object) -> Response:
    """ "Which one should the button order: A, B or C?"; with one product that only nearly fits the words, "Should
    the button order A?", answered yes or no. The answer is ButtonChoiceHandler's, with `pending` (the quantity, and
    the new button's name or the id of the button changed)."""
    session.set_pending(handler_input, CHOICE_KIND, options=[p.id for p in options], **pending)
    if len(options) == 1:
        question = f"Should {speech.escape(which)} order {speech.escape(options[0].spoken_name)}?"
        return ask(handler_input, question, f"{question} Please say yes or no.")
    names = speech.options([p.spoken_name for p in options])
    return elicit(handler_input, "product", f"Which one should {speech.escape(which)} order: {names}?")


class ButtonChoiceHandler(PendingAnswerHandler):
    """ "The second one" (or "the last one") in answer to "Which one should the button order: A, B or C?"."""

    ctx: SkillContext
    intent_names = ("ChooseOptionIntent", "AMAZON.YesIntent", "AMAZON.NoIntent")
    kinds = (CHOICE_KIND,)

    def handle(self, handler_input: HandlerInput) -> Response:
        pending = session.pending(handler_input, CHOICE_KIND) or {}
        ids = [str(i) for i in pending.get("options") or []]
        products = self.ctx.backend.catalog.cached_many(ids)
        options = [products[i] for i in ids if i in products]
        if is_intent_name("AMAZON.NoIntent")(handler_input):
            session.clear_pending(handler_input)  # "no" to "Should the button order A?": nothing is made or changed
            question = "Which product should the button order?"
            return ask(handler_input, f"Okay. {question}", question)
        if is_intent_name("AMAZON.YesIntent")(handler_input):
            index = 0 if len(options) == 1 else None  # a yes answers only a question about one product
        else:
            index = slots.chosen_index(handler_input, len(options))
        if index is None:
            names = speech.options([p.spoken_name for p in options])
            session.keep_pending(handler_input)
            return ask(
                handler_input,
                f"Which one should the button order: {names}? You can say the first one.",
                "Which one should the button order? You can say the first one.",
            )
        session.clear_pending(handler_input)
        quantity = pending.get("quantity")
        name = pending.get("name")
        changing = pending.get("button_id")
        if isinstance(changing, str):  # "switch the formula button to the sensitive one", then "the second one"
            button = self.ctx.backend.buttons.update(
                household_id(handler_input),
                changing,
                product_id=options[index].id,
                quantity=quantity if isinstance(quantity, int) else None,
            )
            _remember(handler_input, button, set_up=True)  # its name is unchanged: no new entities to send
            return ask(
                handler_input, f"Done. Now it's the {_describe(self.ctx, button)}. {ANYTHING_ELSE}", ANYTHING_ELSE
            )
        return _create(
            self.ctx,
            handler_input,
            household_id(handler_input),
            options[index],
            quantity if isinstance(quantity, int) else 1,
            name if isinstance(name, str) else None,
        )


def _default_name(ctx: SkillContext, hh: str, product) -> str:  # noqa: ANN001 - a catalog Product
    """The product's kind ("paper towels"); its brand and kind when that name is taken."""
    taken = {b.name_key for b in ctx.backend.buttons.list(hh)}
    for name in (product.kind, f"{product.brand} {product.kind}", product.spoken_name):
        if name and button_name_key(name) not in taken:
            return name[:60]
    return product.spoken_name[:60]


class UpdateButtonHandler(_ButtonIntent):
    intent_name = "UpdateButtonIntent"
    count_slot = "quantity"  # the slot the count is said in
    product_slot: str | None = "product"  # what the button should order instead; None where the slot means else

    def handle(self, handler_input: HandlerInput) -> Response:
        hh = household_id(handler_input)
        said = slots.text(handler_input, self.product_slot) if self.product_slot else None
        if said and slots.refers_back(handler_input, self.product_slot or ""):
            said = None  # "make it order that": the button's own product, not another
        count_said = slots.text(handler_input, self.count_slot) is not None
        named = (
            self._button_named(hh, said)
            if said and count_said and not slots.text(handler_input, "buttonName")
            else None
        )
        if named is not None:
            # "update the tide button to two packs" heard as the product "tide", a count and no name: people name
            # buttons after what they order, so a product said with a count that is a button's very name is that
            # button. Not without a count: "make it order paper towels instead" changes the button spoken about.
            button: Button | Response = named
            said = None
        elif (offer := self._offer_to_make(handler_input, hh, said)) is not None:
            return offer
        else:
            button = self.button_or_question(handler_input, hh, "change", it_when_empty=True)
        if not isinstance(button, Button):
            return button
        if said and self._a_unit_of(button, said):
            said = None  # "change the dish soap button to order two bottles": how many, not another product
        quantity = slots.number(handler_input, self.count_slot)
        if (said is None or count_said) and (quantity is None or not 1 <= quantity <= MAX_VOICE_QUANTITY):
            return elicit(
                handler_input,
                "quantity",
                f"How many should the {speech.escape(button.label)} order? Between one and {MAX_VOICE_QUANTITY}.",
            )
        if said is None:
            button = self.ctx.backend.buttons.update(hh, button.id, quantity=quantity)
        else:
            product = self._product(handler_input, hh, button, said, quantity)
            if not isinstance(product, str):
                return product
            button = self.ctx.backend.buttons.update(hh, button.id, product_id=product, quantity=quantity)
        _remember(handler_input, button, set_up=True)
        return ask(handler_input, f"Done. Now it's the {_describe(self.ctx, button)}. {ANYTHING_ELSE}", ANYTHING_ELSE)

    def _offer_to_make(self, handler_input: HandlerInput, hh: str, product_said: str | None) -> Response | None:
        """A change to a button the household does not have, named after a thing the catalog sells ("make me a
        diaper button, two packs each time", heard as a change): the offer to make it, answered yes or "the second
        one" (ButtonChoiceHandler). None where a button has the name, or the name is no product."""
        name = spoken_name(slots.text(handler_input, "buttonName"))
        if self.product_slot is None or not name or refers_back(name) or self._button_named(hh, name) is not None:
            return None
        try:
            self.ctx.backend.buttons.find(hh, name)
            return None
        except NotFound:
            pass
        lookup = find_product(self.ctx, handler_input, hh, product_said or name)
        options = [lookup.product] if lookup.status == "match" and lookup.product is not None else lookup.options
        if lookup.status == "no_match" or not options:
            return None
        count = slots.number(handler_input, self.count_slot)
        quantity = count if count is not None and 1 <= count <= MAX_VOICE_QUANTITY else 1
        if len(options) == 1:
            session.set_pending(handler_input, CHOICE_KIND, options=[options[0].id], quantity=quantity, name=name)
            what = speech.item(quantity, options[0].unit, options[0].spoken_name)
            question = f"You don't have a {speech.escape(name)} button yet. Should I make one, for {what}?"
            return ask(handler_input, question, f"Should I make a {speech.escape(name)} button? Please say yes or no.")
        return _ask_which(handler_input, f"a new {name} button", options, quantity=quantity, name=name)

    def _button_named(self, hh: str, said: str) -> Button | None:
        key = button_name_key(said)
        return next((b for b in self.ctx.backend.buttons.list(hh) if b.name_key == key), None)

    def _a_unit_of(self, button: Button, said: str) -> bool:
        """The words name only what the button's product comes in ("bottles" of dish soap, "a tub")."""
        product = self.ctx.backend.catalog.cached_many([button.product_id]).get(button.product_id)
        unit = (product.unit or "").lower() if product else ""
        units = {unit, f"{unit}s", f"{unit}es"} - {"", "s", "es"}
        return all(w in units or w in ("a", "an", "of", "the") for w in said.lower().split())

    def _product(
        self, handler_input: HandlerInput, hh: str, button: Button, said: str, quantity: int | None
    ) -> str | Response:
        """The id of the product the button should order instead, or the question that finds it."""
        question = f"Which product should the {speech.escape(button.label)} order?"
        # "the size fours" for a button of Swaddlers size 3 is Swaddlers size 4, not each brand's size 4.
        resized = in_another_size(product_by_id(self.ctx, button.product_id), said)
        lookup = find_product(self.ctx, handler_input, hh, resized or said)
        if lookup.status == "ambiguous":
            # The answer is a name (it fills the slot) or "the second one" (ButtonChoiceHandler, for this button).
            return _ask_which(
                handler_input, f"the {button.label}", lookup.options, quantity=quantity, button_id=button.id
            )
        if lookup.status != "match" or lookup.product is None:
            return elicit(handler_input, "product", f"I couldn't find {speech.escape(said)}. {question}", question)
        return lookup.product.id


class ButtonQuantityHandler(UpdateButtonHandler):
    """ "Make it three" right after a button was spoken about: heard as a cart change (the same words), but
    meant for the button. Shopping's cart handler steps aside for it."""

    intent_name = "UpdateCartQuantityIntent"
    product_slot = None  # here "it": the button spoken about (can_handle)

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return (
            is_intent_name(self.intent_name)(handler_input)
            and slots.refers_back(handler_input, "product")
            and session.last_thing(handler_input) == "button"
        )


class ButtonCountHandler(UpdateButtonHandler):
    """A bare count ("two packs", "three") right after a button was made or spoken about, with no question open:
    heard as a choice, meant as how many the button orders. Shopping's choice handler steps aside for it."""

    intent_name = "ChooseOptionIntent"
    count_slot = "option"
    product_slot = None

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return (
            is_intent_name(self.intent_name)(handler_input)
            and session.last_thing(handler_input) == "button"
            and session.pending(handler_input) is None
            and slots.text(handler_input, "product") is None
            and slots.number(handler_input, "option") is not None
        )


class ListButtonsHandler(_ButtonIntent):
    intent_name = "ListButtonsIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        hh = household_id(handler_input)
        buttons = self.ctx.backend.buttons.list(hh)
        _with_entities(self.ctx, handler_input, hh)
        if buttons and slots.text(handler_input, "buttonName") is not None:
            # "What does the coffee button order", "what does that button order": the one button asked about.
            button = self.button_or_question(handler_input, hh, "tell you about", it_when_empty=True)
            if not isinstance(button, Button):
                return button
            _remember(handler_input, button)
            return ask(handler_input, f"The {_describe(self.ctx, button)}. {ANYTHING_ELSE}", ANYTHING_ELSE)
        if not buttons:
            return ask(
                handler_input,
                "You don't have any buttons yet. You can say: create a button for paper towels.",
                ANYTHING_ELSE,
            )
        shown = buttons[:5]
        more = f", and {speech.number(len(buttons) - 5)} more" if len(buttons) > 5 else ""
        head = "one button" if len(buttons) == 1 else f"{speech.number(len(buttons))} buttons"
        listing = speech.join([_describe(self.ctx, b) for b in shown], "and")
        return ask(handler_input, f"You have {head}: the {listing}{more}. {ANYTHING_ELSE}", ANYTHING_ELSE)


class PressButtonHandler(_ButtonIntent):
    intent_name = "PressButtonIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        hh = household_id(handler_input)
        # "Press it" right after a button was made, or what it orders changed, is that button; so is "okay, press
        # it" while a button is still what the conversation is about ("change the diaper button to the size fours"
        # asked which product, and "press it" had asked which button, with one button in the household).
        # Otherwise a press with no name asks which (a name the NLU dropped, "press the detergent button" after its
        # delete, is no "it": a delete leaves no button spoken about).
        just_set_up = session.just_done(handler_input, BUTTON_SET) is not None
        spoken_about = session.last_thing(handler_input) == "button" and _last_button_id(handler_input) is not None
        button = self.button_or_question(
            handler_input, hh, "press", it_when_empty=just_set_up or spoken_about, by_what_it_orders=True
        )
        if not isinstance(button, Button):
            return button
        result = self.ctx.backend.buttons.press(
            hh,
            button.id,
            channel="voice",
            member_id=member_id(handler_input),
            idempotency_key=_press_key(handler_input),
        )
        return answer_press(self.ctx, handler_input, result)


def _press_key(handler_input: HandlerInput) -> str | None:
    """One key per spoken request: a retried delivery of the same request is the same press."""
    request_id = getattr(handler_input.request_envelope.request, "request_id", None)
    return f"alexa:{request_id}"[:200] if isinstance(request_id, str) and request_id else None


def answer_press(ctx: SkillContext, handler_input: HandlerInput, result: PressResult) -> Response:
    _remember(handler_input, result.button)
    if result.outcome is PressOutcome.BLOCKED and result.press.reason in CODE_REASONS:
        session.set_pending(handler_input, CODE_KIND, button_id=result.button.id)
        if result.press.reason == "wrong_purchase_code":
            # The backend's sentence says how many tries are left before voice purchasing locks.
            return ask(handler_input, f"{speech.escape(result.message)} {CODE_PROMPT}", CODE_PROMPT)
        return ask(
            handler_input, f"The {speech.escape(result.button.label)} places an order. {CODE_PROMPT}", CODE_PROMPT
        )
    if session.pending(handler_input, CODE_KIND):
        session.clear_pending(handler_input)
    order = result.order
    if result.outcome is PressOutcome.ORDERED and order is not None:
        line = order.lines[0]
        product = ctx.backend.catalog.cached_many([line.product_id]).get(line.product_id)
        what = speech.item(
            line.quantity, product.unit if product else "pack", product.spoken_name if product else line.name
        )
        text = (
            f"Done. The {speech.escape(result.button.label)} ordered {what}, arriving "
            f"{speech.spoken_date(order.estimated_delivery)}. You can cancel it until it ships."
        )
        session.remember_done(handler_input, session.ORDERED, order_id=order.id)  # "cancel that" next turn
    elif result.outcome is PressOutcome.ALREADY_IN_PROGRESS and order is not None:
        text = (
            f"Nothing new was ordered. The {speech.escape(result.button.label)}'s last order is "
            f"{order.status.spoken} and should arrive {speech.spoken_date(order.estimated_delivery)}."
        )
    else:
        text = speech.escape(result.message)
    return ask(handler_input, f"{text} {ANYTHING_ELSE}", ANYTHING_ELSE)


class ButtonCodeHandler(PendingAnswerHandler):
    """The purchase code, said after a voice press asked for it."""

    ctx: SkillContext
    intent_names = ("PurchaseCodeIntent",)
    kinds = (CODE_KIND,)

    def handle(self, handler_input: HandlerInput) -> Response:
        pending = session.pending(handler_input, CODE_KIND) or {}
        code = _digits(slots.text(handler_input, "code"))
        if code is None:
            session.keep_pending(handler_input)
            return ask(handler_input, f"Sorry, I need the four digits. {CODE_PROMPT}", CODE_PROMPT)
        hh = household_id(handler_input)
        session.clear_pending(handler_input)
        result = self.ctx.backend.buttons.press(
            hh,
            str(pending.get("button_id")),
            channel="voice",
            member_id=member_id(handler_input),
            purchase_code=code,
            idempotency_key=_press_key(handler_input),
        )
        return answer_press(self.ctx, handler_input, result)


class ButtonCodeYesNoHandler(PendingAnswerHandler):
    """ "Yes" or "no" while a voice press waits for its purchase code: the common answer to a stray yes would
    say no question is waiting, and drop it."""

    ctx: SkillContext
    intent_names = ("AMAZON.YesIntent", "AMAZON.NoIntent")
    kinds = (CODE_KIND,)

    def handle(self, handler_input: HandlerInput) -> Response:
        if is_intent_name("AMAZON.YesIntent")(handler_input):
            session.keep_pending(handler_input)
            return ask(handler_input, f"Okay. {CODE_PROMPT}", CODE_PROMPT)
        pending = session.pending(handler_input, CODE_KIND) or {}
        session.clear_pending(handler_input)
        try:
            label = self.ctx.backend.buttons.get(household_id(handler_input), str(pending.get("button_id"))).label
        except NotFound:
            label = "button"
        return ask(
            handler_input,
            f"Okay, I didn't press the {speech.escape(label)}, so {session.nothing_ordered(handler_input)}. "
            f"{ANYTHING_ELSE}",
            ANYTHING_ELSE,
        )


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


def _digits(said: str | None) -> str | None:
    if said is None:
        return None
    digits = "".join(_DIGIT_WORDS.get(w, w) for w in said.lower().replace("-", " ").split())
    return digits if len(digits) == 4 and digits.isascii() and digits.isdigit() else None


class RenameButtonHandler(_ButtonIntent):
    intent_name = "RenameButtonIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        hh = household_id(handler_input)
        focused = self._named_for_the_button_in_focus(handler_input, hh)
        new_name: str | None
        if focused is not None:
            button, new_name = focused
        else:
            found = self.button_or_question(handler_input, hh, "rename", it_when_empty=True)
            if not isinstance(found, Button):
                return found
            button, new_name = found, spoken_name(slots.text(handler_input, "newName"))
        if new_name is None:
            return elicit(
                handler_input,
                "newName",
                f"What should the {speech.escape(button.label)} be called?",
                "What should the new name be?",
            )
        old_label = button.label
        button = self.ctx.backend.buttons.rename(hh, button.id, new_name)
        _remember(handler_input, button)
        _with_entities(self.ctx, handler_input, hh)
        return ask(
            handler_input,
            f"Okay, the {speech.escape(old_label)} is now the {speech.escape(button.label)}. {ANYTHING_ELSE}",
            ANYTHING_ELSE,
        )

    def _named_for_the_button_in_focus(self, handler_input: HandlerInput, hh: str) -> tuple[Button, str] | None:
        """("let's rename that one the kitchen button"): a name that is no button's, no new name said, and a button
        spoken about in this session. The name is the new one for that button: nobody renames a button that does
        not exist, and the language layer may take the new name for the old where the sentence names none."""
        said = slots.text(handler_input, "buttonName")
        last = _last_button_id(handler_input)
        if not said or refers_back(said) or not last or slots.text(handler_input, "newName"):
            return None
        if resolved_button_id(handler_input):
            return None
        try:
            self.ctx.backend.buttons.find(hh, said)
            return None  # a button of that name: it is the one to rename
        except NotFound as error:
            if error.details.get("candidates"):
                return None
        try:
            button = self.ctx.backend.buttons.get(hh, last)
        except NotFound:
            return None
        new_name = spoken_name(said)
        return (button, new_name) if new_name else None


class DeleteButtonHandler(_ButtonIntent):
    intent_name = "DeleteButtonIntent"

    def handle(self, handler_input: HandlerInput) -> Response:
        hh = household_id(handler_input)
        removal = self._a_thing_in_the_cart(handler_input, hh)
        if removal is not None:
            return removal
        button = self.button_or_question(handler_input, hh, "delete")
        if not isinstance(button, Button):
            return button
        current = slots.intent(handler_input)
        if current is not None and current.confirmation_status == IntentConfirmationStatus.DENIED:
            return ask(handler_input, f"Okay, I kept the {speech.escape(button.label)}. {ANYTHING_ELSE}", ANYTHING_ELSE)
        if current is not None and current.confirmation_status != IntentConfirmationStatus.CONFIRMED:
            # The model asks for confirmation, but its dialog is the skill's to run (SKILL_RESPONSE): a delete
            # cannot be undone, so the yes is asked for here.
            question = f"Should I delete the {speech.escape(button.label)}?"
            return (
                handler_input.response_builder.speak(question)
                .ask(question)
                .add_directive(ConfirmIntentDirective(updated_intent=current))
                .response
            )
        self.ctx.backend.buttons.delete(hh, button.id)
        # The button spoken about is now none: a later "press it" asks which, and never presses another one.
        cast(dict[str, Any], handler_input.attributes_manager.session_attributes)[LAST_BUTTON] = button.id
        _with_entities(self.ctx, handler_input, hh)
        return ask(
            handler_input,
            f"Okay, I deleted the {speech.escape(button.label)}. Orders it placed are not affected. {ANYTHING_ELSE}",
            ANYTHING_ELSE,
        )

    def _a_thing_in_the_cart(self, handler_input: HandlerInput, hh: str) -> Response | None:
        """ "Get rid of the wipes" heard as a button's delete: no button has that name, and the cart holds a
        thing that has it, so it is that thing's removal from the cart (nothing is deleted that cannot be undone)."""
        said = slots.text(handler_input, "buttonName")
        if not said or refers_back(said) or "button" in said.lower().split():
            return None
        try:
            if self.find_button(handler_input, hh) is not None:
                return None
        except NotFound as error:
            if error.details.get("candidates"):
                return None  # several buttons fit: it is a button, which one is asked
        in_cart = [line.product_id for line in self.ctx.backend.carts.get(hh).lines]
        if not in_cart:
            return None
        lookup = find_product(self.ctx, handler_input, hh, said, within=in_cart)
        if lookup.status != "match" or lookup.product is None:
            return None
        return shopping_actions.remove(self.ctx, handler_input, lookup.product)


def button_handlers(ctx: SkillContext) -> list[AbstractRequestHandler]:
    return [
        ButtonCodeHandler(ctx),
        ButtonCodeYesNoHandler(ctx),
        CreateButtonHandler(ctx),
        ButtonChoiceHandler(ctx),
        UpdateButtonHandler(ctx),
        ButtonQuantityHandler(ctx),
        ButtonCountHandler(ctx),
        ListButtonsHandler(ctx),
        PressButtonHandler(ctx),
        RenameButtonHandler(ctx),
        DeleteButtonHandler(ctx),
    ]


__all__ = ["button_handlers", "answer_press"]
