"""The Flask app factory: the REST API, the skill endpoint and the web page as blueprints of one app."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from flask import Blueprint, Flask, jsonify
from werkzeug.exceptions import HTTPException

from reorder.errors import BackendError
from reorder.services.backend import Backend
from voicecart.web.api import api
from voicecart.web.babycare_api import babycare_api
from voicecart.web.buttons_api import buttons_api
from voicecart.web.console_api import console
from voicecart.web.edge import check_request, query_names, state_edge_limits
from voicecart.web.openapi import openapi_document
from voicecart.web.page import page
from voicecart.web.scopes import check_every_api_route_declares_a_scope, enforce_token_scope, state_scopes

log = logging.getLogger("voicecart.app")

ProductMatcher = Callable[[str, int], list[str]]


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
    app.register_blueprint(api)
    app.register_blueprint(buttons_api)
    app.register_blueprint(babycare_api)
    app.register_blueprint(console)
    app.register_blueprint(page)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    check_every_api_route_declares_a_scope(app)
    app.before_request(enforce_token_scope)  # who may call the route; then what they may send
    app.extensions["voicecart.query_names"] = query_names(openapi_document())
    app.before_request(check_request)

    @app.get("/openapi.json")
    def openapi():
        return jsonify(state_edge_limits(state_scopes(openapi_document(), app)))

    @app.get("/healthz")
    def health():
        backend.catalog.count()  # touches the store, so a dead database shows here
        return jsonify({"status": "ok"})

    @app.errorhandler(BackendError)
    def backend_error(exc: BackendError):
        return jsonify(exc.to_dict()), exc.http_status

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return jsonify({"error": (exc.name or "error").lower().replace(" ", "_"),
                        "message": exc.description or exc.name}), exc.code or 500

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error")
        return jsonify({"error": "internal_error", "message": "Something went wrong on our side."}), 500

    return app
