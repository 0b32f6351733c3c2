"""The voicecart device simulator: a smart speaker, its buttons and the Alexa cloud, offline.

from device_sim import Device, SkillEndpoint
with Device(SkillEndpoint.of(skill_or_handler, "en-US.json")) as device:
    device.say("alexa, open tea timer").speech
"""

from device_sim.device import Device
from device_sim.http_stubs import HttpStubs
from device_sim.local_aws import LocalAws
from device_sim.profile import DeviceProfile
from device_sim.skill_loader import SkillEndpoint, SkillLoadError, load_model, load_target
from device_sim.transports import SkillError
from device_sim.turn import Turn

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
