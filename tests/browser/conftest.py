"""End-to-end fixtures: the whole app served by werkzeug on 127.0.0.1:0, driven by real headless Chromium.

Chromium is Debian's `chromium` package (Playwright's own browser download cannot run here), so the
browser tests skip, saying why, when it or the `playwright` package is missing. CI installs both.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from browser_support import CHROMIUM_ARGS, DESKTOP, LiveServer, chromium_path
from werkzeug.serving import make_server

from reorder.bootstrap import open_backend
from reorder.demo import DEMO_HOUSEHOLD
from reorder.services.backend import Backend


def build_app(backend: Backend):
    """The app as `voicecart serve` composes it (REST API, console, page), without the Alexa endpoint."""
    from voicecart.app import create_app

    return create_app(backend)


@contextlib.contextmanager
def _serving(backend: Backend) -> Iterator[LiveServer]:
    household = backend.households.by_name(DEMO_HOUSEHOLD)
    token = backend.households.issue_token(household.id, "browser test")
    app = build_app(backend)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="voicecart-test-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", backend, household.id, token, app)
    finally:
        server.shutdown()
        server.server_close()
        devices = app.extensions.get("voicecart.console")
        if devices is not None:
            devices.close()


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """The demo household as a new store has it: past orders, an empty cart, no buttons yet."""
    with _serving(open_backend(f"sqlite:///{tmp_path / 'voicecart.sqlite3'}")) as server:
        yield server


@pytest.fixture(scope="module")
def lived_in_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The demo household two weeks in (the screenshots' data): a full cart, buttons, a baby log, a routine."""
    from voicecart.screenshots import lived_in_backend

    path = tmp_path_factory.mktemp("lived-in") / "voicecart.sqlite3"
    backend, _ = lived_in_backend(f"sqlite:///{path}", datetime.now(UTC).replace(microsecond=0))
    with _serving(backend) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed: pip install -e '.[test]'")
    executable = chromium_path()
    if executable is None:
        pytest.skip("Debian's chromium is not installed: apt-get install -y chromium (CI's .ci/run does this)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser, live_server: LiveServer):
    context = browser.new_context(viewport=DESKTOP, reduced_motion="reduce")
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()
