"""Building answers the same way everywhere: SSML speech, a reprompt whenever the session stays open."""

from __future__ import annotations

import copy

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.ui import SimpleCard

DEFAULT_REPROMPT = "What would you like to do?"


def ask(
    handler_input: HandlerInput, speech: str, reprompt: str | None = None, *, card: tuple[str, str] | None = None
) -> Response:
    """Speak and keep listening. `speech` and `reprompt` must already be escaped (see skills.common.speech)."""
    builder = handler_input.response_builder.speak(speech).ask(reprompt or DEFAULT_REPROMPT)
    if card:
        builder.set_card(SimpleCard(title=card[0], content=card[1]))
    return builder.response


def tell(handler_input: HandlerInput, speech: str, *, card: tuple[str, str] | None = None) -> Response:
    """Speak and end the session."""
    builder = handler_input.response_builder.speak(speech).set_should_end_session(True)
    if card:
        builder.set_card(SimpleCard(title=card[0], content=card[1]))
    return builder.response


def elicit(handler_input: HandlerInput, slot: str, speech: str, reprompt: str | None = None) -> Response:
    """Ask for one slot of the current intent (Dialog.ElicitSlot): the answer comes back as the same intent."""
    from ask_sdk_model.dialog import ElicitSlotDirective

    current = getattr(handler_input.request_envelope.request, "intent", None)
    if current is not None and current.slots and slot in current.slots:
        # The value being asked for again was not usable ("two and a half"): sent back, it would fill the
        # slot again whatever the answer, and the question would repeat.
        current = copy.copy(current)
        current.slots = {**current.slots, slot: copy.copy(current.slots[slot])}
        current.slots[slot].value = None
        current.slots[slot].resolutions = None
    return (
        handler_input.response_builder.speak(speech)
        .ask(reprompt or speech)
        .add_directive(ElicitSlotDirective(updated_intent=current, slot_to_elicit=slot))
        .response
    )
