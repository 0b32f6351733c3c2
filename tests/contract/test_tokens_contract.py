"""API tokens on every store: issued, listed (never the secret), revoked by id, and gone at once."""

from __future__ import annotations

import pytest

from reorder.errors import InvalidInput, NotFound, Unauthorized
from reorder.services.devices import SlotSpec


def test_tokens_are_listed_and_revoked_by_id(backend, household):
    person = backend.households.issue_token(household.id, "kitchen tablet")
    washer = backend.devices.register(household.id, "Washer", [SlotSpec("detergent", "tide-pods-original-81")])
    device = backend.households.issue_token(household.id, "device Washer", device_id=washer.id)
    listed = sorted(backend.households.tokens(household.id), key=lambda r: r.label, reverse=True)
    assert [(r.label, r.scope) for r in listed] == [("kitchen tablet", "household"), ("device Washer", "device")]
    assert all(person not in repr(r) and device not in repr(r) for r in listed)
    other = backend.households.create("next-door", members=[("Pat", "adult")])
    assert backend.households.tokens(other.id) == []
    with pytest.raises(NotFound):  # another household's token cannot be revoked from here
        backend.households.revoke_token(other.id, listed[0].id)
    with pytest.raises(InvalidInput):
        backend.households.revoke_token(household.id, "abc")
    revoked = backend.households.revoke_token(household.id, listed[0].id[:8])
    assert revoked.label == "kitchen tablet"
    with pytest.raises(Unauthorized):
        backend.households.authenticate(person)
    assert backend.households.authenticate(device).device_id == washer.id
    assert [r.label for r in backend.households.tokens(household.id)] == ["device Washer"]
    with pytest.raises(NotFound):
        backend.households.revoke_token(household.id, listed[0].id)
