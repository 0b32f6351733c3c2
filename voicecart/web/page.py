"""The household web page: one HTML file and plain JS modules that use only the public REST API.

Served at `/` with its assets under `/ui/`; no build step. The page sends a strict Content-Security-Policy:
everything comes from this server, and the scripts never use inline code.
"""

from __future__ import annotations

from flask import Blueprint, Response, send_from_directory

page = Blueprint("page", __name__, static_folder="static", static_url_path="/ui")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


@page.get("/")
def index() -> Response:
    response = send_from_directory(str(page.static_folder), "index.html", max_age=0)
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@page.after_request
def no_stale_assets(response: Response) -> Response:
    # Modules import each other by plain URL; a half-updated cache would mix versions, so revalidate.
    response.headers.setdefault("Cache-Control", "no-cache")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response
