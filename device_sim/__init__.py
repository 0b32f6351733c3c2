"""The voicecart device simulator: a smart speaker, its buttons and the Alexa cloud, offline.

from device_sim import Device, SkillEndpoint
with Device(SkillEndpoint.of(skill_or_handler, "en-US.json")) as device:
    device.say("alexa, open tea timer").speech
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from device_sim.device import Device
    from device_sim.http_stubs import HttpStubs
    from device_sim.local_aws import LocalAws
    from device_sim.profile import DeviceProfile
    from device_sim.skill_loader import SkillEndpoint, SkillLoadError, load_model, load_target
    from device_sim.transports import SkillError
    from device_sim.turn import Turn

# Imported on first use: `voicecart --help` loads device_sim.cli, which must not load the whole simulator.
_HOMES = {
    "Device": "device_sim.device",
    "DeviceProfile": "device_sim.profile",
    "HttpStubs": "device_sim.http_stubs",
    "LocalAws": "device_sim.local_aws",
    "SkillEndpoint": "device_sim.skill_loader",
    "SkillError": "device_sim.transports",
    "SkillLoadError": "device_sim.skill_loader",
    "Turn": "device_sim.turn",
    "load_model": "device_sim.skill_loader",
    "load_target": "device_sim.skill_loader",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'device_sim' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)


__all__ = [
    "Device",
    "DeviceProfile",
    "HttpStubs",
    "LocalAws",
    "SkillEndpoint",
    "SkillError",
    "SkillLoadError",
    "Turn",
    "load_model",
    "load_target",
]
