"""Putting a device together from what a person typed on the command line or wrote in a script."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from device_sim.device import Device
from device_sim.profile import DeviceProfile, scope_for
from device_sim.skill_loader import SkillEndpoint, load_target
from device_sim.transports import ALEXA_TIMEOUT_SECONDS, HttpTransport

if TYPE_CHECKING:
    from device_sim.default_skill import DefaultSkill


@dataclass
class DeviceSpec:
    skill: str | None = None          # module:attr, file.py[:attr] or URL; None for the voicecart skill
    model: str | None = None
    url: str | None = None            # an HTTP skill endpoint (signed like Alexa)
    sign: bool = True
    store: str | None = None
    profile: dict = field(default_factory=dict)
    start: datetime | None = None
    timeout: float = ALEXA_TIMEOUT_SECONDS
    seed: int = 0
    application_id: str | None = None  # the skill id an HTTP endpoint expects; derived when absent
    # How a moved clock meets the voicecart skill's store (device_sim/scratch.py): "scratch" moves the
    # session to a scratch copy first, "write" writes simulated dates into the store (a test's own).
    simulated_time: str = "scratch"
    scratch: bool = False  # start on a scratch store right away (a copy for SQLite, else a fresh demo store)


def build_profile(overrides: dict) -> DeviceProfile:
    """A profile with some fields changed; `permissions` lists what is granted, in short or full form."""
    known = {f.name for f in fields(DeviceProfile)}
    unknown = set(overrides) - known
    if unknown:
        raise ValueError(f"unknown device settings {sorted(unknown)}; known: {sorted(known)}")
    values = dict(overrides)
    if "permissions" in values:
        values["permissions"] = {scope_for(str(p)) for p in values["permissions"] or []}
    return DeviceProfile(**values)


def build_device(spec: DeviceSpec, *, default_skill: DefaultSkill | None = None) -> Device:
    """A device for the skill `spec` names, or else for `default_skill` (default: the installed one)."""
    from reorder.clock import ManualClock

    clock = ManualClock((spec.start or datetime.now(UTC)).replace(microsecond=0))
    profile = build_profile(spec.profile)
    if spec.url or spec.skill:
        return Device(build_endpoint(spec, clock), profile=profile, clock=clock, seed=spec.seed)
    if spec.model:
        raise ValueError("--model needs --skill or --url: which code answers for that model?")
    from device_sim.default_skill import connect, installed_default_skill
    from device_sim.scratch import WRITE, SimulatedTimeRefused, TimeGuard, fresh_scratch_url, scratch_copy

    opener = default_skill or installed_default_skill()
    store, told = spec.store, None
    if spec.scratch or (spec.start is not None and spec.simulated_time != WRITE):
        # The clock starts away from now (a conversation's `start:`), or a scratch store was asked for.
        try:
            store, original = scratch_copy(spec.store)
            told = f"working on a scratch copy of {original} ({store}); your store is not changed"
        except SimulatedTimeRefused:
            if not spec.scratch:
                raise
            store = fresh_scratch_url()
            told = f"working on a fresh scratch store with the demo household ({store})"
    endpoint, backend = opener(store, clock, locale=profile.locale)
    device = Device(endpoint, profile=profile, clock=clock, seed=spec.seed)
    if backend is None:  # a default skill without an order backend has no outbox, buttons or store to guard
        return device
    link = connect(device, backend)
    if told:
        device.events.append(told)
        return device

    def reopen(scratch_url: str) -> None:
        moved, moved_backend = opener(scratch_url, clock, locale=profile.locale)
        device.replace_endpoint(moved)
        old, link.backend = link.backend, moved_backend
        old.close()

    device.before_time_moves(TimeGuard(spec.store, spec.simulated_time, reopen).before_time_moves)
    return device


def build_endpoint(spec: DeviceSpec, clock: Any) -> SkillEndpoint:
    """A named skill (code or URL) with its model; the voicecart skill is built by build_device."""
    target = spec.url or spec.skill
    if target is None:
        raise ValueError("name a skill with --skill or --url")
    if not spec.model:
        raise ValueError("a skill needs its interaction model: add --model path/to/en-US.json")
    if target.startswith(("http://", "https://")):
        signer = None
        if spec.sign:
            from device_sim.signing import LocalAlexaCA

            signer = LocalAlexaCA.create().sign
        transport = HttpTransport(target, signer=signer, timeout=spec.timeout)
        return SkillEndpoint.over(transport, spec.model, application_id=spec.application_id)
    return SkillEndpoint.of(load_target(target), spec.model, timeout=spec.timeout,
                            application_id=spec.application_id)
