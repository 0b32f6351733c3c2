"""The replay guard `voicecart serve` builds from VOICECART_REPLAY_GUARD still refuses a replayed request within
its window, whichever worker of the host receives the copy; the layers underneath on their own."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from hardening_support import body_of, envelope

from skills.hosting.replay import HostReplayStore, InMemoryReplayStore, LayeredReplayStore
from voicecart.replay_guard import replay_store_for
from voicecart.settings import Settings, SettingsError


def _post(client, served, body: bytes):  # noqa: ANN001
    return client.post("/alexa", data=body, headers={"Content-Type": "application/json", **served.ca.sign(body)})


@pytest.mark.parametrize("mode", ["host", "store"])
def test_a_copy_sent_to_another_worker_is_refused(served, ca_dir, tmp_path, mode):
    """Two apps built as two gunicorn workers build theirs: the second knows the id the first answered."""
    from voicecart.server import build_server_app

    settings = Settings(replay_guard=mode, replay_dir=str(tmp_path), workers=2)
    workers = [
        build_server_app(
            served.backend, trust_ca=ca_dir, replay_store=replay_store_for(settings, served.backend)
        ).test_client()
        for _ in range(2)
    ]
    body = body_of(envelope(served.backend.clock.now(), request_id=f"amzn1.echo-api.request.{mode}-once"))
    assert _post(workers[0], served, body).status_code == 200
    for worker in workers:  # the other worker through the shared layer, the first from its own window
        refused = _post(worker, served, body)
        assert refused.status_code == 400 and refused.get_json()["reason"] == "replayed_request"


def test_the_process_mode_refuses_to_run_with_several_workers(served):
    with pytest.raises(SettingsError, match="VOICECART_REPLAY_GUARD=process"):
        replay_store_for(Settings(replay_guard="process", workers=2), served.backend)
    assert isinstance(
        replay_store_for(Settings(replay_guard="process", workers=1), served.backend), InMemoryReplayStore
    )


def test_the_setting_is_read_and_checked():
    assert Settings.from_env({}).replay_guard == "host"
    assert Settings.from_env({"VOICECART_REPLAY_GUARD": "Store"}).replay_guard == "store"
    with pytest.raises(SettingsError, match="VOICECART_REPLAY_GUARD"):
        Settings.from_env({"VOICECART_REPLAY_GUARD": "nowhere"})


class _Now:
    def __init__(self) -> None:
        self.at = datetime(2026, 12, 5, 0, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at


def test_the_host_store_is_shared_through_its_file_and_forgets_expired_ids(tmp_path):
    now = _Now()
    one, two = HostReplayStore(tmp_path / "r.sqlite3", now=now), HostReplayStore(tmp_path / "r.sqlite3", now=now)
    expires = now.at + timedelta(seconds=150)
    assert one.seen_before("r-1", expires) is False
    assert two.seen_before("r-1", expires) is True
    now.at = expires
    assert two.seen_before("r-1", expires + timedelta(seconds=150)) is False
    assert one.seen_before("r-1", expires + timedelta(seconds=150)) is True


def test_exactly_one_of_concurrent_copies_passes_the_host_store(tmp_path):
    stores = [HostReplayStore(tmp_path / "r.sqlite3") for _ in range(4)]
    expires = datetime.now(UTC) + timedelta(seconds=150)
    results: list[bool] = []
    start = threading.Barrier(8)

    def attempt(store: HostReplayStore) -> None:
        start.wait()
        results.append(store.seen_before("the-same-id", expires))

    threads = [threading.Thread(target=attempt, args=(stores[i % 4],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] + [True] * 7


class _Counting:
    def __init__(self, fail: bool = False) -> None:
        self.calls: list[str] = []
        self.fail = fail

    def seen_before(self, request_id: str, expires_at: datetime) -> bool:
        self.calls.append(request_id)
        if self.fail:
            raise OSError("disk gone")
        return False


def test_the_window_answers_a_copy_without_asking_the_shared_store():
    shared = _Counting()
    guard = LayeredReplayStore(InMemoryReplayStore(), shared)
    expires = datetime.now(UTC) + timedelta(seconds=150)
    assert guard.seen_before("r-1", expires) is False
    assert guard.seen_before("r-1", expires) is True
    assert shared.calls == ["r-1"]


def test_a_failing_shared_store_does_not_leave_the_id_used_up():
    shared = _Counting(fail=True)
    guard = LayeredReplayStore(InMemoryReplayStore(), shared)
    expires = datetime.now(UTC) + timedelta(seconds=150)
    with pytest.raises(OSError):
        guard.seen_before("r-1", expires)
    shared.fail = False
    assert guard.seen_before("r-1", expires) is False


def test_the_window_is_bounded_in_entries():
    window = InMemoryReplayStore(max_entries=3)
    expires = datetime.now(UTC) + timedelta(seconds=150)
    for i in range(10):
        assert window.seen_before(f"r-{i}", expires) is False
    assert len(window) == 3
    assert window.seen_before("r-9", expires) is True
