"""Bearer-token authentication: every API request acts for the one household its token belongs to.

Which kind of token may call which route is decided in one place, `voicecart.web.scopes`.
"""

from __future__ import annotations

from flask import current_app, g, request

from reorder.errors import Unauthorized
from reorder.services.backend import Backend
from reorder.store.base import TokenRecord


def backend() -> Backend:
    return current_app.extensions["voicecart.backend"]


def authenticate() -> TokenRecord:
    """The request's token record, looked up once per request; Unauthorized (401) when missing or wrong."""
    context = g._get_current_object()  # the proxy looked through once
    record = context.get("token_record")
    if record is not None:
        return record
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Send 'Authorization: Bearer <token>'; `voicecart token --household NAME` prints one.")
    record = backend().households.authenticate(token.strip())
    context.token_record = record
    context.household_id = record.household_id
    context.token_device_id = record.device_id
    return record


def require_household() -> str:
    """The household of the request's token; raises Unauthorized (401) when there is none or it is wrong."""
    return authenticate().household_id
