"""A simulated Echo talking to the voicecart skill in process, on a fresh store with the demo household.

The catalog index and the language model are the same for every test, so they are built once per run;
everything with state (store, clock, session) is new per test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from voice_fixtures import cached_nlu, demo, model, shared_resolver, shop  # noqa: F401

from device_sim.device import Device
from device_sim.profile import DeviceProfile
from device_sim.skill_loader import SkillEndpoint
from skills.app import SKILL_ID, build_skill
from skills.common.context import SkillContext


@pytest.fixture
def skill_ctx(shop, shared_resolver) -> SkillContext:
    ctx = SkillContext(shop)
    ctx._resolver = shared_resolver
    return ctx


@pytest.fixture
def speaker(shop, clock, model, skill_ctx) -> Iterator[Callable[..., Device]]:
    """speaker(person_id=..., user_id=...) → a Device on the kitchen Echo of the demo household."""
    made: list[Device] = []

    def make(**profile: Any) -> Device:
        # Only the shopping capability: the others are tested by their own suites.
        skill = build_skill(shop, ctx=skill_ctx, modules=("skills.shopping",))
        endpoint = SkillEndpoint.of(skill, model, application_id=SKILL_ID, name="voicecart")
        device = Device(endpoint, profile=DeviceProfile(**profile), clock=clock, nlu_factory=cached_nlu, cloud=False)
        made.append(device)
        return device

    yield make
    for device in made:
        device.close()


@pytest.fixture
def echo(speaker) -> Device:
    """The demo household's kitchen Echo, with Alex speaking, already in a voicecart session."""
    device = speaker()
    turn = device.say("alexa, open voice cart")
    assert "welcome" in turn.speech.lower()
    return device
