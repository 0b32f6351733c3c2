"""Putting a device together from what a person typed on the command line or wrote in a script."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from device_sim.device import Device
from device_sim.profile import DeviceProfile, scope_for
from device_sim.skill_loader import SkillEndpoint, load_file_target, load_target
from device_sim.transports import ALEXA_TIMEOUT_SECONDS, HttpTransport

# HTTP stubs, the Lambda environment and the local AWS are imported when a device asks for them: a one-shot
# `voicecart sim --say` to the default skill uses none of them.
if TYPE_CHECKING:
    from device_sim.default_skill import DefaultSkill
    from device_sim.http_stubs import HttpStubs
    from device_sim.local_aws import LocalAws


@dataclass
class DeviceSpec:
    skill: str | None = None  # module:attr, file.py[:attr] or URL; None for the voicecart skill
    model: str | None = None
    url: str | None = None  # an HTTP skill endpoint (signed like Alexa)
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
    # A skill file's Lambda environment: its own variables, and the local AWS for its persistence adapters.
    env: dict = field(default_factory=dict)
    aws: str = "auto"  # auto (when the skill's code uses boto3 / ASK SDK adapters), on, off
    aws_endpoint: str | None = None  # reuse this DynamoDB/S3 endpoint instead of starting moto's server
    aws_state: str | None = None  # keep tables and buckets in this file between runs
    aws_tables: list = field(default_factory=list)  # tables to create first (partition key `id`)
    aws_buckets: list = field(default_factory=list)  # S3 buckets to create first (for the S3 adapter)
    http: Any = None  # outbound HTTP stubs: a list of {url, json, ...} or an HttpStubs
    # Record the calls no stub answers in this vcrpy cassette and replay them later (device_sim/http_stubs.py).
    http_record: str | None = None
    http_record_mode: str = "once"  # once, new_episodes, none, all (vcrpy's record modes)
    http_record_local: bool = False  # record calls to this machine too (they pass through unrecorded by default)


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
    http = build_http_stubs(spec.http, spec)
    if spec.url or spec.skill:
        aws = start_local_aws(spec)
        if aws is not None and http is not None:
            http.pass_through(aws.endpoint)  # the local AWS is the device's own, like its Alexa APIs
        try:
            endpoint = build_endpoint(spec, clock, aws)
            device = Device(endpoint, profile=profile, clock=clock, seed=spec.seed, http=http)
        except BaseException:
            if aws is not None:
                aws.close(save=False)
            raise
        if aws is not None:
            device.on_close(aws.close)
        return device
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
    device = Device(endpoint, profile=profile, clock=clock, seed=spec.seed, http=http)
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


def build_http_stubs(declared: Any, spec: DeviceSpec | None = None) -> HttpStubs | None:
    record = spec.http_record if spec is not None else None
    if declared is None and record is None:
        return None
    from device_sim.http_stubs import HttpStubs

    if isinstance(declared, HttpStubs):
        return declared
    if not isinstance(declared, list | None):
        raise ValueError("http stubs must be a list of {url: ..., json: ...} mappings")
    if record is None:
        return HttpStubs(declared or [])
    assert spec is not None
    return HttpStubs(declared or [], record=record, mode=spec.http_record_mode, record_local=spec.http_record_local)


def _skill_file(spec: DeviceSpec) -> Path | None:
    if spec.url or not spec.skill:
        return None
    head = spec.skill.split(":", 1)[0]
    return Path(head) if head.endswith(".py") or "/" in head or "\\" in head else None


def start_local_aws(spec: DeviceSpec) -> LocalAws | None:
    """The local DynamoDB/S3 a skill file persists to, when it needs one (see device_sim.local_aws)."""
    if spec.aws not in {"auto", "on", "off"}:
        raise ValueError(f"aws must be auto, on or off, not {spec.aws!r}")
    path = _skill_file(spec)
    if path is None or spec.aws == "off":
        return None
    from device_sim.lambda_runtime import lambda_environment_for
    from device_sim.local_aws import LocalAws, uses_aws

    wanted = spec.aws == "on" or spec.aws_endpoint or spec.aws_state or spec.aws_tables or spec.aws_buckets
    if not wanted and not (path.is_file() and uses_aws(lambda_environment_for(path).task_root)):
        return None
    return LocalAws(
        endpoint=spec.aws_endpoint, state_file=spec.aws_state, tables=spec.aws_tables, buckets=spec.aws_buckets
    )


def build_endpoint(spec: DeviceSpec, clock: Any, aws: LocalAws | None = None) -> SkillEndpoint:
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
    path = _skill_file(spec)
    if path is not None:
        env = {**(aws.environment() if aws is not None else {}), **{k: str(v) for k, v in spec.env.items()}}
        skill = load_file_target(path, target.split(":", 1)[1] if ":" in target else "", env)
    else:
        skill = load_target(target)
    return SkillEndpoint.of(skill, spec.model, timeout=spec.timeout, application_id=spec.application_id)


def apply_conversation(spec: DeviceSpec, conversation: Any) -> DeviceSpec:
    """A conversation file's own skill, device, clock, HTTP stubs and AWS settings win over the caller's."""
    if conversation.skill or conversation.url:
        spec.skill = conversation.resolve(conversation.skill) if conversation.skill else None
        spec.url = conversation.url
        spec.model = conversation.resolve(conversation.model) if conversation.model else None
    spec.profile = {**spec.profile, **conversation.device}
    spec.start = conversation.start or spec.start
    spec.seed = conversation.seed
    if conversation.http_declared:
        spec.http = list(conversation.http)
    if conversation.http_record:
        spec.http_record = conversation.http_record["file"]
        spec.http_record_mode = conversation.http_record["mode"]
        spec.http_record_local = conversation.http_record["local"]
    aws = conversation.aws
    spec.aws = str(aws.get("enabled") or spec.aws)
    spec.aws_endpoint = aws.get("endpoint") or spec.aws_endpoint
    if aws.get("state"):
        spec.aws_state = conversation.resolve(str(aws["state"]))
    spec.aws_tables = list(aws.get("tables") or spec.aws_tables)
    spec.aws_buckets = list(aws.get("buckets") or spec.aws_buckets)
    spec.env = {**spec.env, **conversation.env}
    return spec
