"""Bearer-token authentication: every API request acts for the one household its token belongs to."""

from __future__ import annotations

from flask import current_app, g, request

from reorder.errors import Unauthorized
from reorder.services.backend import Backend


def backend() -> Backend:
    return current_app.extensions["voicecart.backend"]


def require_household() -> str:
    """The household of the request's token; raises Unauthorized (401) when there is none or it is wrong."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Send 'Authorization: Bearer <token>'; `voicecart token --household NAME` prints one.")
    record = backend().households.authenticate(token.strip())
    g.household_id = record.household_id
    g.token_device_id = record.device_id
    return record.household_id
