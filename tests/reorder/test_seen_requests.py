"""Replay protection on the store: one claim per request id per window, whichever process asks."""

from __future__ import annotations

from datetime import timedelta

from reorder.services.seen_requests import StoreReplayGuard


def test_a_request_id_is_fresh_once_then_a_replay_until_it_expires(backend, clock):
    guard = StoreReplayGuard(backend.store, clock)
    expires = clock.now() + timedelta(seconds=150)
    assert guard.seen_before("amzn1.echo-api.request.1", expires) is False
    assert guard.seen_before("amzn1.echo-api.request.1", expires) is True
    assert guard.seen_before("amzn1.echo-api.request.2", expires) is False
    clock.advance(timedelta(seconds=151))
    assert guard.seen_before("amzn1.echo-api.request.1", clock.now() + timedelta(seconds=150)) is False
