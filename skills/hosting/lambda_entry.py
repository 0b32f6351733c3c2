"""The same skill as an AWS Lambda function: `handler = lambda_handler(skill)`.

Lambda needs no signature check (Alexa invokes the function directly, and the trigger is limited to
the skill id); what remains is what `SkillBuilder.lambda_handler()` does, plus the same spoken
apology as the web endpoint when the skill raises."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, cast

from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope

from reorder.clock import Clock, lent_clock
from skills.hosting.apology import apology_envelope
from skills.hosting.envelope import serializer

log = logging.getLogger(__name__)

LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]


def lambda_handler(skill: CustomSkill) -> LambdaHandler:
    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        # A malformed event is a deployment error, not a customer's: let Lambda report it.
        envelope = serializer().decode(event, RequestEnvelope)
        try:
            response = skill.invoke(request_envelope=envelope, context=context)
        except Exception:
            log.exception("skill failed on %s", getattr(envelope.request, "object_type", "a request"))
            response = apology_envelope(envelope)
        return cast(dict[str, Any], serializer().serialize(response))

    return handle


def built_on_first_event(build: Callable[[Clock | None], LambdaHandler]) -> LambdaHandler:
    """A Lambda handler whose backend and skill are built on the first event and kept while the container
    lives. `build` gets the clock lent to the call (None in production: the system clock); when a
    different clock is lent, as each simulated device lends its own, the handler is built again for it."""
    state: dict[str, tuple[Clock | None, LambdaHandler]] = {}
    lock = threading.Lock()

    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        clock = lent_clock()
        built = state.get("built")
        if built is None or built[0] is not clock:
            with lock:
                built = state.get("built")
                if built is None or built[0] is not clock:
                    built = state["built"] = (clock, build(clock))
        return built[1](event, context)

    return handle
