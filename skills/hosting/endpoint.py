"""The skill endpoint: a Flask blueprint that answers Alexa's POSTs the way Alexa expects.

Built on ask-sdk-core alone (its serializer and `CustomSkill.invoke`), not flask-ask-sdk; see
docs/decisions/0001-request-verification.md. Order of work: parse, verify, invoke, serialise.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence

from ask_sdk_core.skill import CustomSkill
from flask import Blueprint, Response, g, jsonify, request

from skills.hosting.apology import apology_envelope
from skills.hosting.envelope import BadRequest, check_system_context, parse_request_body, serializer
from skills.hosting.errors import VerificationError
from skills.hosting.verification import AbstractVerifier, application_ids

log = logging.getLogger(__name__)

# Alexa requests are a few kilobytes; a generous bound keeps a hostile body from costing memory.
MAX_BODY_BYTES = 256 * 1024

UNVERIFIED_WARNING = (
    "!!! The Alexa skill endpoint %s is mounted WITHOUT request verification. Anyone who can reach it "
    "can place orders as any customer. Use this only with the local device simulator. !!!"
)


def _error(status: int, code: str, message: str, reason: str | None = None) -> tuple[Response, int]:
    body = {"error": code, "message": message}
    if reason is not None:
        body["reason"] = reason
    return jsonify(body), status


def skill_blueprint(
    skill: CustomSkill,
    *,
    verifiers: Sequence[AbstractVerifier],
    name: str = "alexa",
    url: str = "/alexa",
    max_body_bytes: int = MAX_BODY_BYTES,
) -> Blueprint:
    """A blueprint serving `skill` at POST `url`.

    `verifiers` has no default on purpose: pass `verifiers_from_config(...)` in production, or `[]`
    explicitly for unverified local use (the app logs a loud warning when it mounts such a blueprint)."""
    verifiers = list(verifiers)
    blueprint = Blueprint(name, __name__)

    if not verifiers:

        @blueprint.record_once
        def _warn_unverified(state) -> None:
            state.app.logger.warning(UNVERIFIED_WARNING, url)

    @blueprint.post(url)
    def handle_alexa_request():
        if request.content_length is not None and request.content_length > max_body_bytes:
            return _error(413, "body_too_large", f"request bodies are limited to {max_body_bytes} bytes")
        body = request.stream.read(max_body_bytes + 1)
        if len(body) > max_body_bytes:
            return _error(413, "body_too_large", f"request bodies are limited to {max_body_bytes} bytes")
        try:
            text, envelope = parse_request_body(body)
            if application_ids(envelope):
                # Before the verifiers: the replay guard records the request id, and a request refused for
                # its shape must not use it up (the real request, sent again properly, is then accepted). An
                # envelope naming no skill at all is left to the skill id verifier (`missing_skill_id`).
                check_system_context(envelope)
        except BadRequest as exc:
            return _error(400, exc.code, exc.message)

        for verifier in verifiers:
            try:
                verifier.verify(request.headers, text, envelope)
            except VerificationError as exc:
                log.info("refused Alexa request: %s (%s)", exc.reason.value, exc.message)
                g.verification_refused = exc.reason.value  # counted by the server's metrics
                return _error(400, "verification_failed", exc.message, reason=exc.reason.value)
            except Exception:
                # A broken verifier must not let a request through, and must not look like a 500.
                log.exception("verifier %r failed", verifier)
                return _error(400, "verification_failed", "the request could not be verified", "verifier_error")

        try:
            check_system_context(envelope)  # with verification off, a request naming no skill stops here
        except BadRequest as exc:
            return _error(400, exc.code, exc.message)
        try:
            response = serializer().serialize(skill.invoke(request_envelope=envelope, context=None))
        except Exception:
            log.exception("skill failed on %s", getattr(envelope.request, "object_type", "a request"))
            response = serializer().serialize(apology_envelope(envelope))
        # Compact and unsorted: Flask's jsonify sorts every key of every answer, which Alexa does not need.
        return Response(json.dumps(response, separators=(",", ":")), status=200, mimetype="application/json")

    return blueprint
