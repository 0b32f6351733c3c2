"""Token scopes, enforced in one place: every API route declares which kinds of token may call it.

Two kinds of token exist (`TokenRecord.scope`):

- `household`: a person's token (`voicecart token issue`): everything the household may do;
- `device`: a device's token (issued by `POST /api/devices`): list and press the household's buttons, read
  its own device and report or replenish its own supplies, nothing more.

A route says who may call it with `@allow(HOUSEHOLD)` or `@allow(HOUSEHOLD, DEVICE)` under its blueprint
decorator. `enforce_token_scope` (one `before_request` hook of the app) authenticates the caller and refuses
a token of another kind with 403 `insufficient_scope` before the route runs, so nothing changes. A route
under /api that declares nothing stops the app from starting (`check_every_api_route_declares_a_scope`), so
a new route cannot be forgotten open. The OpenAPI document states each operation's scopes
(`x-token-scopes`) and its 403.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, request

from reorder.errors import BackendError
from voicecart.web.auth import authenticate

HOUSEHOLD = "household"
DEVICE = "device"
SCOPES = (HOUSEHOLD, DEVICE)
_ATTRIBUTE = "voicecart_token_scopes"

F = TypeVar("F", bound=Callable[..., Any])


class InsufficientScope(BackendError):
    code = "insufficient_scope"
    http_status = 403


def allow(*scopes: str) -> Callable[[F], F]:
    """Declare which kinds of token may call a route (put it under `@blueprint.get(...)`)."""
    unknown = set(scopes) - set(SCOPES)
    if not scopes or unknown:
        raise ValueError(f"allow() takes one or more of {SCOPES}, not {sorted(unknown) or 'nothing'}")

    def declare(view: F) -> F:
        setattr(view, _ATTRIBUTE, frozenset(scopes))
        return view

    return declare


def scopes_of(view: Callable[..., Any] | None) -> frozenset[str] | None:
    return getattr(view, _ATTRIBUTE, None)


def enforce_token_scope() -> None:
    """The app's `before_request` hook: a route that declares scopes needs a token of one of them."""
    scopes = scopes_of(current_app.view_functions.get(request.endpoint or ""))
    if scopes is None:
        return  # a public route: the page, /openapi.json, /healthz, the skill endpoint (signed requests)
    record = authenticate()
    if record.scope not in scopes:
        raise InsufficientScope(
            f"A {record.scope} token may not use {request.method} {request.path}; "
            f"it needs a {' or '.join(sorted(scopes))} token.",
            scope=record.scope,
        )


def check_every_api_route_declares_a_scope(app: Flask) -> None:
    missing = sorted(
        f"{sorted(rule.methods or ())} {rule.rule}"
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/") and scopes_of(app.view_functions.get(rule.endpoint)) is None
    )
    if missing:
        raise RuntimeError(
            "These API routes declare no token scope (voicecart.web.scopes.allow): " + "; ".join(missing)
        )


def route_scopes(app: Flask) -> dict[tuple[str, str], frozenset[str]]:
    """{(OpenAPI path, lower-case method): scopes} for every API route of the app."""
    found: dict[tuple[str, str], frozenset[str]] = {}
    for rule in app.url_map.iter_rules():
        scopes = scopes_of(app.view_functions.get(rule.endpoint))
        if scopes is None:
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in rule.methods or ():
            if method not in ("HEAD", "OPTIONS"):
                found[(path, method.lower())] = scopes
    return found


def state_scopes(document: dict[str, Any], app: Flask) -> dict[str, Any]:
    """Write each operation's token scopes, and the 403 a token of another kind gets, into the document."""
    scopes = route_scopes(app)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            allowed = scopes.get((path, method))
            if allowed is None or not isinstance(operation, dict):
                continue
            operation["x-token-scopes"] = sorted(allowed)
            if set(SCOPES) - allowed:
                operation["responses"].setdefault(
                    "403",
                    {
                        "description": "Not allowed for this token (a device token on a household route: "
                        "insufficient_scope)",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                )
    return document
