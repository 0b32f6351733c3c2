"""Refresh docs/screenshots/: each view of the household page, at a phone's width, on a lived-in demo.

    python -m voicecart.screenshots [--out docs/screenshots] [--chromium /usr/bin/chromium]

Builds a throwaway store with the demo household and two weeks of its life (a baby log, buttons, a
routine, a cart), serves the app on 127.0.0.1, and drives Debian's chromium through Playwright.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize

VIEWS = ("talk", "buttons", "cart", "orders", "baby", "routines")
PHONE: ViewportSize = {"width": 390, "height": 844}
MAX_HEIGHT = 1800  # CSS pixels: the top of a long list (all orders) says enough
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
# Two weeks of a baby's day: (hour, kind, data). Varied a little per day so the charts have a shape.
BABY_DAY: tuple[tuple[int, str, dict[str, object]], ...] = (
    (1, "feeding", {"feeding_kind": "bottle", "amount": 4, "unit": "oz"}),
    (2, "diaper", {"diaper_type": "wet"}),
    (6, "sleep", {"action": "end"}),
    (7, "feeding", {"feeding_kind": "breast", "side": "left", "duration_min": 15}),
    (8, "diaper", {"diaper_type": "dirty"}),
    (11, "feeding", {"feeding_kind": "bottle", "amount": 5, "unit": "oz"}),
    (12, "diaper", {"diaper_type": "wet"}),
    (15, "feeding", {"feeding_kind": "bottle", "amount": 4, "unit": "oz"}),
    (16, "diaper", {"diaper_type": "both"}),
    (19, "feeding", {"feeding_kind": "breast", "side": "right", "duration_min": 20}),
    (20, "sleep", {"action": "start"}),
)


def chromium_path(explicit: str | None = None) -> str | None:
    for candidate in (explicit, "/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def lived_in_backend(store_url: str, now: datetime):
    """The demo household two weeks into using voicecart: everything a screenshot should show."""
    from reorder.bootstrap import open_backend
    from reorder.clock import ManualClock

    clock = ManualClock(now - timedelta(days=15))
    backend = open_backend(store_url, clock=clock)
    household = backend.households.by_name("demo")
    maya = backend.babycare.children(household.id)[0]
    # 05:00 UTC is midnight in New York, the demo's time zone.
    start = (now - timedelta(days=13)).replace(hour=5, minute=0, second=0, microsecond=0)
    for day in range(14):
        for index, (hour, kind, data) in enumerate(BABY_DAY):
            if (day + index) % 5 == 0 and kind != "sleep":
                continue  # real days are uneven
            if day == 0 and data.get("action") == "end":
                continue  # the log starts awake
            at = start + timedelta(days=day, hours=hour, minutes=(day * 7) % 30)
            if at >= now:
                break
            clock.set(at)
            backend.babycare.log(household.id, kind, data, child=maya.id, channel="voice")
    clock.set(now)
    wipes = backend.catalog.search("pampers wipes", 1)[0]
    towels = backend.catalog.search("bounty paper towels", 1)[0]
    backend.buttons.create(household.id, "wipes", wipes.id, 2)
    backend.buttons.create(household.id, "paper towels", towels.id, 1)
    backend.buttons.press_by_name(household.id, "paper towels", channel="button")
    backend.routines.create(
        household.id,
        "bedtime",
        [
            {"kind": "log", "event": "diaper", "data": {"diaper_type": "wet"}},
            {"kind": "sleep_start"},
            {"kind": "sound", "sound": "white noise"},
            {"kind": "say", "text": "Good night, Maya."},
        ],
        schedule_time="19:30",
    )
    formula = backend.catalog.search("similac infant formula", 1)[0]
    backend.carts.add(household.id, formula.id, 1, channel="voice")
    backend.carts.add(household.id, towels.id, 2, channel="web")
    return backend, household


@contextlib.contextmanager
def serving(app) -> Iterator[str]:  # noqa: ANN001 - a Flask app
    import logging

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request drowns the output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="voicecart-screenshots", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def capture(out_dir: Path, chromium: str, *, now: datetime | None = None) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from voicecart.app import create_app

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        backend, household = lived_in_backend(
            f"sqlite:///{tmp}/screenshots.sqlite3", (now or datetime.now(UTC)).replace(microsecond=0)
        )
        token = backend.households.issue_token(household.id, "screenshots")
        app = create_app(backend)
        with serving(app) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
            try:
                page = browser.new_context(
                    viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
                ).new_page()
                page.goto(url)
                page.get_by_label("Household token").fill(token)
                page.get_by_role("button", name="Sign in").click()
                page.get_by_role("navigation", name="Sections").wait_for()
                for said, text in enumerate(("add wipes to my cart", "the first one", "when did Maya last eat")):
                    page.get_by_label("Say to your speaker").fill(text)
                    page.get_by_role("button", name="Say", exact=True).click()
                    page.locator(".conversation > li").nth(said).wait_for()
                page.locator("#talk-input").blur()
                for view in VIEWS:
                    page.goto(f"{url}/#{view}")
                    page.locator(f"#view-{view} .panel").first.wait_for()
                    if view == "buttons":
                        page.locator("#button-grid button.big-button").first.click()
                        page.locator("#button-grid .outcome").first.wait_for()
                    path = out_dir / f"{view}.png"
                    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
                    page.screenshot(
                        path=str(path), full_page=True, clip={"x": 0, "y": 0, "width": PHONE["width"], "height": height}
                    )
                    written.append(path)
            finally:
                browser.close()
        devices = app.extensions.get("voicecart.console")
        if devices is not None:
            devices.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m voicecart.screenshots", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="where to write the PNGs (default: docs/screenshots)"
    )
    parser.add_argument("--chromium", help="the chromium binary (default: Debian's /usr/bin/chromium)")
    args = parser.parse_args(argv)
    chromium = chromium_path(args.chromium)
    if chromium is None:
        print("screenshots: chromium is not installed (apt-get install -y chromium)", file=sys.stderr)
        return 2
    try:
        import playwright  # noqa: F401
    except ImportError:
        print("screenshots: playwright is not installed (pip install -e '.[test]')", file=sys.stderr)
        return 2
    for path in capture(args.out, chromium):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
