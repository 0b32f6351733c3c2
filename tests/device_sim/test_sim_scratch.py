"""Simulated time never lands in a real store: once the clock moves, the session works on a scratch copy
(SQLite) or the move is refused (a store the simulator cannot copy), and the person is told."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from store_fixtures import postgres_database  # noqa: F401

from device_sim.build import DeviceSpec, build_device
from device_sim.scratch import SimulatedTimeRefused
from reorder.bootstrap import open_backend
from reorder.demo import DEMO_HOUSEHOLD
from voicecart.cli import main


def _future_writes(url: str, now: datetime) -> list[str]:
    """Everything in the store dated after `now` (plus a minute for the test's own run time)."""
    backend = open_backend(url)
    try:
        home = backend.households.by_name(DEMO_HOUSEHOLD)
        limit = now + timedelta(minutes=5)
        found = [f"order {o.id} {o.placed_at}" for o in backend.orders.recent(home.id, 200) if o.placed_at > limit]
        found += [
            f"order {o.id} {c.status.value} {c.at}"
            for o in backend.orders.recent(home.id, 200)
            for c in o.history
            if c.at > limit
        ]
        found += [
            f"event {e.kind} {e.at}"
            for e in backend.babycare.events(home.id, None, start=now - timedelta(days=365))
            if e.at > limit
        ]
        return found
    finally:
        backend.close()


def test_advancing_moves_the_session_to_a_scratch_copy_and_says_so(tmp_path):
    url = f"sqlite:///{tmp_path / 'mine.sqlite3'}"
    now = datetime.now(UTC)
    device = build_device(DeviceSpec(store=url))
    try:
        device.say("alexa, reorder diapers")
        assert device.say("yes").error is None  # placed in real time: it belongs in the store
        events = device.advance("2 days")
        assert any("scratch copy" in e and "mine.sqlite3" in e for e in events), events
        device.say("alexa, ask voice cart to log a wet diaper for Maya")
        device.say("alexa, reorder paper towels")
        device.say("yes")
        device.advance("3 days")
    finally:
        device.close()
    assert _future_writes(url, now) == []
    backend = open_backend(url, seed=False)
    home = backend.households.by_name(DEMO_HOUSEHOLD)
    newest = backend.orders.recent(home.id, 1)[0]
    assert newest.placed_at <= datetime.now(UTC) and newest.status.value == "placed"  # not moved along
    backend.close()


def test_a_conversation_that_starts_elsewhere_in_time_runs_on_a_scratch_copy(tmp_path):
    url = f"sqlite:///{tmp_path / 'mine.sqlite3'}"
    now = datetime.now(UTC)
    device = build_device(DeviceSpec(store=url, start=datetime(2031, 3, 3, 15, tzinfo=UTC)))
    try:
        assert any("scratch copy" in e for e in device.events)
        device.say("alexa, reorder diapers")
        device.say("yes")
    finally:
        device.close()
    assert _future_writes(url, now) == []


def test_a_store_that_cannot_be_copied_refuses_to_move_time(postgres_database, tmp_path):  # noqa: F811
    postgres_database.reset()
    url = postgres_database.url
    now = datetime.now(UTC)
    device = build_device(DeviceSpec(store=url))
    try:
        device.say("alexa, reorder diapers")
        device.say("yes")
        with pytest.raises(SimulatedTimeRefused, match="--scratch"):
            device.advance("2 days")
        assert device.clock.now() < now + timedelta(minutes=5)  # the clock did not move
    finally:
        device.close()
    with pytest.raises(SimulatedTimeRefused):
        build_device(DeviceSpec(store=url, start=datetime(2031, 3, 3, 15, tzinfo=UTC)))
    scratch = build_device(DeviceSpec(store=url, scratch=True))
    try:
        assert any("fresh scratch store" in e for e in scratch.events)
        scratch.advance("2 days")
        scratch.say("alexa, reorder diapers")
        scratch.say("yes")
    finally:
        scratch.close()
    assert _future_writes(url, now) == []


def test_write_simulated_time_is_a_choice(tmp_path):
    url = f"sqlite:///{tmp_path / 'test-only.sqlite3'}"
    now = datetime.now(UTC)
    device = build_device(DeviceSpec(store=url, simulated_time="write"))
    try:
        assert device.advance("2 days") == [] or not any("scratch" in e for e in device.events)
        device.say("alexa, reorder diapers")
        device.say("yes")
    finally:
        device.close()
    assert _future_writes(url, now)  # asked for: the order carries the simulated date


def test_the_cli_says_where_the_session_works(tmp_path, capsys, monkeypatch):
    url = f"sqlite:///{tmp_path / 'mine.sqlite3'}"
    assert main(["--store", url, "sim", "--scratch", "--say", "alexa, open voice cart"]) == 0
    assert "scratch copy" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", _Lines(["advance 2 days", ":quit"]))
    assert main(["--store", url, "sim"]) == 0
    out = capsys.readouterr().out
    assert "scratch copy" in out and "your store keeps only what happened in real time" in out


class _Lines:
    def __init__(self, lines: list[str]) -> None:
        self._lines = iter(lines)

    def isatty(self) -> bool:
        return False

    def readline(self) -> str:
        return next(self._lines, "") + "\n"
