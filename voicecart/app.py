"""The Flask app factory: the REST API, the skill endpoint and the web page as blueprints of one app."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from flask import Blueprint, Flask, jsonify
from werkzeug.exceptions import HTTPException

from reorder.errors import BackendError
from reorder.services.backend import Backend
from voicecart.web import api, babycare_api, buttons_api, console_api
from voicecart.web.edge import check_request, query_names, state_edge_limits
from voicecart.web.openapi import openapi_document
from voicecart.web.page import page
from voicecart.web.scopes import check_every_api_route_declares_a_scope, enforce_token_scope, state_scopes

log = logging.getLogger("voicecart.app")

ProductMatcher = Callable[[str, int], list[str]]

# The REST blueprints, each with the routes it declares for /openapi.json: registered and documented together.
REST_BLUEPRINTS: tuple[tuple[Blueprint, Callable[[], dict[str, Any]]], ...] = (
    (api.api, api.openapi_paths),
    (babycare_api.babycare_api, babycare_api.openapi_paths),
    (buttons_api.buttons_api, buttons_api.openapi_paths),
    (console_api.console, console_api.openapi_paths),
)


def rest_api_document() -> dict[str, Any]:
    """The OpenAPI document of the REST API, from what each REST blueprint declares."""
    return openapi_document(*(declared() for _, declared in REST_BLUEPRINTS))


def create_app(
    backend: Backend,
    *,
    blueprints: Iterable[Blueprint] = (),
    product_matcher: ProductMatcher | None = None,
    config: dict | None = None,
) -> Flask:
    app = Flask(__name__)
    app.config.update(JSON_SORT_KEYS=False, MAX_CONTENT_LENGTH=1 << 20)
    app.config.update(config or {})
    app.extensions["voicecart.backend"] = backend
    if product_matcher is not None:
        app.extensions["voicecart.product_matcher"] = product_matcher
    for blueprint, _ in REST_BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.register_blueprint(page)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    from voicecart import observability

    observability.install(app)  # first, so refused requests are logged and counted too
    check_every_api_route_declares_a_scope(app)
    app.before_request(enforce_token_scope)  # who may call the route; then what they may send
    app.extensions["voicecart.query_names"] = query_names(rest_api_document())
    app.before_request(check_request)

    @app.get("/openapi.json")
    def openapi():
        return jsonify(state_edge_limits(state_scopes(rest_api_document(), app)))

    @app.get("/healthz")
    def health():
        backend.catalog.count()  # touches the store, so a dead database shows here
        return jsonify({"status": "ok"})

    @app.errorhandler(BackendError)
    def backend_error(exc: BackendError):
        return jsonify(exc.to_dict()), exc.http_status

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return jsonify(
            {"error": (exc.name or "error").lower().replace(" ", "_"), "message": exc.description or exc.name}
        ), exc.code or 500

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error")
        return jsonify({"error": "internal_error", "message": "Something went wrong on our side."}), 500

    return app
