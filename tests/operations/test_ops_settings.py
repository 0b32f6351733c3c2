"""One settings object for every VOICECART_* variable, and one table of them in docs/deploy.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from voicecart.settings import Settings, SettingsError, settings_table, variable_names

ROOT = Path(__file__).resolve().parents[2]
CODE = ("voicecart", "reorder", "skills", "intents", "device_sim", "bench")


def test_every_variable_the_code_reads_is_a_setting():
    used = set()
    for folder in CODE:
        for path in (ROOT / folder).rglob("*.py"):
            used |= set(re.findall(r"\bVOICECART_[A-Z_]+\b", path.read_text(encoding="utf-8")))
    constants = {"VOICECART_SKILL_NAME", "VOICECART_OWNS_METRICS_DIR"}  # a Python constant; gunicorn_conf's own
    assert used - constants <= set(variable_names())
    assert len(variable_names()) == len(set(variable_names()))


def test_the_deploy_guide_shows_the_table_of_settings():
    assert settings_table() in (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")


def test_reading_the_environment():
    settings = Settings.from_env(
        {
            "VOICECART_PORT": "9000",
            "VOICECART_ACCESS_LOG": "off",
            "VOICECART_WORKERS": "3",
            "VOICECART_SKILL_IDS": "a, b",
            "VOICECART_LOG_LEVEL": "debug",
            "VOICECART_HOST": "",
        }
    )
    assert (settings.port, settings.access_log, settings.worker_count()) == (9000, False, 3)
    assert settings.skill_ids == ("a", "b") and settings.log_level == "DEBUG" and settings.host == "127.0.0.1"
    assert Settings.from_env(settings.to_env()) == settings


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"VOICECART_PORT": "eighty"}, "VOICECART_PORT must be a whole number, not 'eighty'"),
        ({"VOICECART_VERIFY": "maybe"}, "VOICECART_VERIFY must be 1 or 0 (true/false), not 'maybe'"),
        ({"VOICECART_LOG_FORMAT": "xml"}, "VOICECART_LOG_FORMAT must be one of json, text, not 'xml'"),
        ({"VOICECART_SCHEDULER_INTERVAL": "0"}, "VOICECART_SCHEDULER_INTERVAL must be at least 1, not 0"),
    ],
)
def test_bad_values_name_the_variable(env, message):
    with pytest.raises(SettingsError, match=re.escape(message)):
        Settings.from_env(env)


def test_logs_carry_no_tokens(tmp_path):
    """A request with a bearer token and a query string logs neither."""
    import io
    import logging

    from reorder.clock import ManualClock
    from reorder.services.backend import Backend
    from reorder.store import open_store
    from voicecart.app import create_app
    from voicecart.logs import configure_logging

    backend = Backend(open_store(f"sqlite:///{tmp_path / 's.sqlite3'}"), ManualClock())
    home = backend.households.create("quiet", members=[("Alex", "adult")])
    token = backend.households.issue_token(home.id)
    stream = io.StringIO()
    configure_logging("INFO", "json", stream)
    try:
        client = create_app(backend).test_client()
        client.get("/api/cart?secret=hunter2", headers={"Authorization": f"Bearer {token}", "X-Request-Id": "r-1"})
    finally:
        logging.getLogger().handlers.clear()
    import json

    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    request_line = next(line for line in lines if line.get("request_id") == "r-1")
    assert request_line["household"] == home.id and request_line["path"] == "/api/cart"
    assert token not in stream.getvalue() and "hunter2" not in stream.getvalue()
    backend.close()
