"""The end of a logging turn: what was logged, then (at most once a day) a supply about to run out, offered
as a reorder that goes through the shopping skill's own read-back and confirmation."""

from __future__ import annotations

import logging

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from reorder.domain.supplies import whole_days
from reorder.errors import BackendError, PurchaseNotAllowed
from reorder.services.babycare import LogResult, SupplyOffer
from skills.common import speech
from skills.common.context import SkillContext
from skills.common.identity import household_id, member_id
from skills.common.respond import ask

log = logging.getLogger(__name__)

ANYTHING_ELSE = "Anything else?"
RUNOUT_DAYS = 3


def supply_sentence(offer: SupplyOffer) -> str:
    estimate = offer.estimate
    days = whole_days(estimate.days_left)
    left = "less than a day" if days == 0 else "about one day" if days == 1 else f"about {speech.number(days)} days"
    product = offer.product
    what = (
        f"{product.variant} diapers"
        if estimate.kind == "diapers" and product.variant
        else f"{product.brand} formula"
        if estimate.kind == "formula"
        else product.kind
    )
    return f"You have {left} of {speech.escape(what)} left."


def finish_logging_turn(
    ctx: SkillContext, handler_input: HandlerInput, speech_text: str, result: LogResult | None = None
) -> Response:
    hh = household_id(handler_input)
    extra = ""
    if result is not None and result.event.kind.value == "growth":
        suggestion = ctx.backend.babycare.size_suggestion(hh, result.child.id if result.child else None)
        if suggestion is not None:
            extra = (
                f" At {speech.escape(suggestion.child.name)}'s weight, {suggestion.current.variant} is near "
                f"its limit; {speech.escape(suggestion.next_size.spoken_name)} might fit better soon."
            )
    offer = _offer(ctx, handler_input, hh)
    if offer is not None:
        try:
            from skills.shopping import ordering
        except ImportError:  # shopping not installed: say it, without a purchase
            return ask(handler_input, f"{speech_text}{extra} {supply_sentence(offer)} {ANYTHING_ELSE}", ANYTHING_ELSE)
        # The shopping skill reads the order back and keeps the pending confirmation; its yes places it.
        return ordering.propose(
            ctx,
            handler_input,
            [(offer.product.id, offer.quantity)],
            preface=f"{speech_text}{extra} {supply_sentence(offer)} I can reorder.",
        )
    return ask(handler_input, f"{speech_text}{extra} {ANYTHING_ELSE}", ANYTHING_ELSE)


def _offer(ctx: SkillContext, handler_input: HandlerInput, hh: str) -> SupplyOffer | None:
    try:
        # A child's profile may not buy: don't offer what it could not accept (and keep the day's offer).
        ctx.backend.orders.check_purchase_allowed(hh, member_id(handler_input), "voice")
    except PurchaseNotAllowed:
        return None
    try:
        return ctx.backend.babycare.take_supply_offer(hh, RUNOUT_DAYS)
    except BackendError:
        log.exception("supply estimate failed")  # a logging turn never fails because of the estimate
        return None
