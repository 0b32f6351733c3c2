"""Which child: when the log cannot tell who is meant, the skill asks, and the answer fills the `child` slot of
the same request, so "log a wet diaper" followed by "Mia" logs it for Mia."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from reorder.services.babycare import AmbiguousChild, UnknownChild
from skills.babycare.slots import names_someone
from skills.common import slots, speech
from skills.common.respond import elicit

CHILD_ERRORS = (AmbiguousChild, UnknownChild)


def which_child(handler_input: HandlerInput, error: AmbiguousChild | UnknownChild) -> Response | None:
    """Ask for the child again, naming the children to choose from; None when there is no one to name (a
    household without children), so the caller lets the error be spoken as it is."""
    names = error.details.get("children")
    if not isinstance(names, list) or not names or slots.intent(handler_input) is None:
        return None
    question = "Which child, " + speech.options([str(n) for n in names]) + "?"
    said = slots.text(handler_input, "child")
    if said and not names_someone(said):
        said = None  # "she went": who she is, is what is asked
    if isinstance(error, UnknownChild) and said:
        return elicit(
            handler_input, "child", f"I don't know a child called {speech.escape(said)}. {question}", question
        )
    if said and len(names) > 1:
        return elicit(handler_input, "child", f"I know more than one {speech.escape(said)}. {question}", question)
    return elicit(handler_input, "child", question, question)
