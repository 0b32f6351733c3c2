"""Turning a request body into an ask-sdk `RequestEnvelope`, with every way it can be wrong named."""

from __future__ import annotations

import json
from typing import Any

from ask_sdk_model import RequestEnvelope
from ask_sdk_model.request import Request

from skills.hosting.codec import RequestCodec


class BadRequest(Exception):
    """The body is not an Alexa request; `code` is stable, the message says what is wrong."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


_serializer = RequestCodec()


def serializer() -> RequestCodec:
    return _serializer


def parse_request_body(body: bytes) -> tuple[str, RequestEnvelope]:
    """The body as text (what the signature covers) and its envelope; raises BadRequest."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest("malformed_json", f"the body is not UTF-8 text: {exc.reason}") from exc
    try:
        payload = json.loads(text)
    except ValueError as exc:
        raise BadRequest("malformed_json", f"the body is not valid JSON: {exc}") from exc
    except RecursionError as exc:
        raise BadRequest("malformed_json", "the body nests too deeply to be a request") from exc
    check_envelope_shape(payload)
    try:
        envelope = _serializer.decode(payload, RequestEnvelope)  # the body parsed once, above
    except Exception as exc:  # the SDK raises several types for bad shapes; any of them is a bad request
        raise BadRequest("invalid_envelope", f"the body is not a valid request envelope: {exc}") from exc
    if envelope is None or envelope.request is None:
        raise BadRequest("invalid_envelope", "the body is not a valid request envelope")
    return text, envelope


def check_envelope_shape(payload: Any) -> None:
    if not isinstance(payload, dict):
        raise BadRequest("invalid_envelope", "the body must be a JSON object")
    request = payload.get("request")
    if not isinstance(request, dict):
        raise BadRequest("invalid_envelope", "the envelope has no 'request' object")
    request_type = request.get("type")
    if not isinstance(request_type, str) or not request_type:
        raise BadRequest("invalid_envelope", "the request has no 'type'")
    if request_type not in Request.discriminator_value_class_map:
        raise BadRequest("unknown_request_type", f"unknown request type {request_type[:100]!r}")
    for field in ("requestId", "timestamp"):
        if not isinstance(request.get(field), str) or not request[field]:
            raise BadRequest("invalid_envelope", f"the request has no {field!r}")


def check_system_context(envelope: RequestEnvelope) -> None:
    """Alexa always sends `context.System.application`; the SDK reads it unguarded, so a request without it
    (its skill id only in `session`) is refused here rather than crashing the skill."""
    system = getattr(getattr(envelope, "context", None), "system", None)
    application = getattr(system, "application", None)
    if not isinstance(getattr(application, "application_id", None), str):
        raise BadRequest("invalid_envelope", "the envelope has no context.System.application.applicationId")
