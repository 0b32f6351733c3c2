"""Fixtures for baby care: a family whose diapers and formula were delivered, and helpers to move time."""

from __future__ import annotations

from typing import Any

import pytest
from babycare_support import DIAPERS, FORMULA
from voice_fixtures import cached_nlu, demo, model, shared_resolver, shop  # noqa: F401

from reorder.domain.model import OrderStatus


@pytest.fixture
def hh(household):
    return household.id


@pytest.fixture
def alex(household):
    return household.members[0].id


@pytest.fixture
def sam(household):
    return household.members[1].id


@pytest.fixture
def delivered(backend, clock, hh, alex):
    """One box of size 3 diapers (84) and one can of formula, delivered; the clock stops at delivery."""
    placed = backend.orders.place(hh, [(DIAPERS, 1), (FORMULA, 1)], channel="web", member_id=alex)
    order = placed.order
    while order.status is not OrderStatus.DELIVERED:
        clock.set(order.next_transition_at)  # step exactly onto each fulfilment time
        order = backend.orders.get(hh, order.id)
    return order.status_changed_at(OrderStatus.DELIVERED)


# The voice side: the demo household on a fresh store, the shipped catalog's resolver and the language model
# built once per run, and speakers with the Alexa cloud emulated (reminders) for a caregiver.
@pytest.fixture
def parent(shop, clock, model, shared_resolver):
    """parent(person=0) → the kitchen Echo with caregiver `person` speaking, the Alexa cloud emulated
    (reminders), already in a voicecart session."""
    from ask_sdk_core.api_client import DefaultApiClient

    from device_sim.device import Device
    from device_sim.profile import DeviceProfile
    from device_sim.skill_loader import SkillEndpoint
    from reorder.demo import DEMO_PERSON_IDS
    from skills.app import SKILL_ID, build_skill
    from skills.common.context import SkillContext

    ctx = SkillContext(shop)
    ctx._resolver = shared_resolver
    made = []

    def make(person: int = 0, **profile: Any) -> Device:
        # Only the capabilities these conversations use, so they test baby care and its shopping hand-off.
        skill = build_skill(
            shop, ctx=ctx, api_client=DefaultApiClient(), modules=("skills.shopping", "skills.babycare")
        )
        endpoint = SkillEndpoint.of(skill, model, application_id=SKILL_ID, name="voicecart")
        device = Device(
            endpoint,
            profile=DeviceProfile(person_id=DEMO_PERSON_IDS[person], **profile),
            clock=clock,
            nlu_factory=cached_nlu,
            cloud=True,
        )
        made.append(device)
        assert "welcome" in device.say("alexa, open voice cart").speech.lower()
        return device

    yield make
    for device in made:
        device.close()
