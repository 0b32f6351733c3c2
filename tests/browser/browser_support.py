"""Shared pieces of the browser tests: where chromium is, how the test server looks, signing in."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from reorder.services.backend import Backend

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
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1200, "height": 900}


def chromium_path() -> str | None:
    explicit = os.environ.get("VOICECART_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class LiveServer:
    url: str
    backend: Backend
    household_id: str
    token: str
    app: object


def sign_in(page, server: LiveServer, view: str = "") -> None:
    page.goto(f"{server.url}/#{view}" if view else server.url)
    page.get_by_label("Household token").fill(server.token)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Sections").wait_for()
