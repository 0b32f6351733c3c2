"""The same skill as an AWS Lambda function: `handler = lambda_handler(skill)`.

Lambda needs no signature check (Alexa invokes the function directly, and the trigger is limited to
the skill id); what remains is what `SkillBuilder.lambda_handler()` does, plus the same spoken
apology as the web endpoint when the skill raises."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from ask_sdk_core.skill import CustomSkill
from ask_sdk_model import RequestEnvelope

from skills.hosting.apology import apology_envelope
from skills.hosting.envelope import serializer

log = logging.getLogger(__name__)

LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]


def lambda_handler(skill: CustomSkill) -> LambdaHandler:
    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        # A malformed event is a deployment error, not a customer's: let Lambda report it.
        envelope = serializer().deserialize(json.dumps(event), RequestEnvelope)
        try:
            response = skill.invoke(request_envelope=envelope, context=context)
        except Exception:
            log.exception("skill failed on %s", getattr(envelope.request, "object_type", "a request"))
            response = apology_envelope(envelope)
        return serializer().serialize(response)

    return handle
