from __future__ import annotations

import pytest
import sim_skills

from device_sim import Device, SkillEndpoint
from device_sim.nlu import sample_nlu


@pytest.fixture
def hello():
    return sim_skills.hello_skill()


@pytest.fixture
def hello_device(hello):
    with Device(SkillEndpoint.of(hello, sim_skills.HELLO_MODEL, timeout=1.0), nlu_factory=sample_nlu) as device:
        yield device


@pytest.fixture
def tea_device():
    from device_sim.skill_loader import load_target

    endpoint = SkillEndpoint.of(load_target(sim_skills.TEA_HANDLER), sim_skills.TEA_MODEL)
    with Device(endpoint, nlu_factory=sample_nlu) as device:
        yield device
