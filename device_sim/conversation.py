"""Conversation files: a YAML script of what is said and what must come back.

    name: brew green tea
    skill: lambda_function.py:lambda_handler   # optional; paths are relative to this file
    model: en-US.json                          # optional; default is the voicecart skill
    device: {permissions: [reminders], time_zone: Europe/London}   # optional profile changes
    start: 2026-11-23T07:00:00Z                # optional start of the simulated clock
    backend: {url: http://127.0.0.1:8000/api, token_env: VOICECART_TOKEN}   # optional, for `backend` checks
    steps:
      - say: alexa, open tea timer
        expect: {speech: "Which tea", session_ended: false}
      - say: green
        expect: {intent: BrewTeaIntent, slots: {tea: {value: green, id: GREEN}}}
      - advance: 5 minutes
      - grant: reminders

Each step has exactly one kind key (see device_sim.steps for the registry) and an optional `expect`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

TOP_LEVEL_KEYS = {"name", "description", "skill", "model", "url", "device", "start", "backend", "steps", "seed",
                  "known_issue"}


class ConversationError(ValueError):
    """A conversation file that cannot be run; the message names the file and the problem."""


@dataclass
class Step:
    index: int             # 1-based, as a person counts them in the file
    kind: str
    value: Any
    expect: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)

    def describe(self) -> str:
        value = "" if self.value is None or self.value is True else f": {self.value}"
        return f"step {self.index} ({self.kind}{value})"


@dataclass
class Conversation:
    name: str
    path: Path | None
    steps: list[Step]
    skill: str | None = None
    model: str | None = None
    url: str | None = None
    device: dict = field(default_factory=dict)
    start: datetime | None = None
    backend: Any = None        # a URL or {url, token | token_env}
    seed: int = 0
    known_issue: str | None = None  # the conversation shows a known problem: pytest expects it to fail (xfail)

    def resolve(self, relative: str) -> str:
        """A path written in the file, read relative to the file's folder."""
        if self.path is None or relative.startswith(("http://", "https://")):
            return relative
        head, sep, tail = relative.partition(":")
        candidate = self.path.parent / head
        if head.endswith(".py") or candidate.exists():
            return str(candidate) + (sep + tail if sep else "")
        return relative  # a module path such as package.module:attribute


def load_conversation(path: str | Path) -> Conversation:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConversationError(f"{path}: cannot read: {exc.strerror}") from exc
    return parse_conversation(text, path)


def parse_conversation(text: str, path: Path | None = None) -> Conversation:
    import yaml

    from device_sim.steps import STEPS, check_expectations_keys

    where = str(path) if path else "conversation"
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConversationError(f"{where}: not valid YAML: {exc}") from exc
    if isinstance(data, list):
        data = {"steps": data}
    if not isinstance(data, dict):
        raise ConversationError(f"{where}: expected a mapping with 'steps'")
    unknown = set(data) - TOP_LEVEL_KEYS
    if unknown:
        raise ConversationError(f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(TOP_LEVEL_KEYS)}")
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise ConversationError(f"{where}: 'steps' must be a non-empty list")
    steps = []
    for index, raw in enumerate(raw_steps, start=1):
        if isinstance(raw, str):
            raw = {"say": raw}
        if not isinstance(raw, dict):
            raise ConversationError(f"{where}: step {index} must be a mapping like {{say: ...}}")
        kinds = [key for key in raw if key in STEPS]
        if len(kinds) != 1:
            raise ConversationError(
                f"{where}: step {index} needs exactly one of {sorted(STEPS)}; it has {sorted(raw)}")
        kind = kinds[0]
        expect = raw.get("expect") or {}
        if not isinstance(expect, dict):
            raise ConversationError(f"{where}: step {index} 'expect' must be a mapping")
        problem = check_expectations_keys(expect)
        if problem:
            raise ConversationError(f"{where}: step {index}: {problem}")
        options = {k: v for k, v in raw.items() if k not in {kind, "expect"}}
        steps.append(Step(index, kind, raw[kind], expect, options))
    device = data.get("device") or {}
    if not isinstance(device, dict):
        raise ConversationError(f"{where}: 'device' must be a mapping of profile fields")
    try:
        from device_sim.steps import backend_from

        backend_from(data.get("backend"))
    except ValueError as exc:
        raise ConversationError(f"{where}: {exc}") from exc
    start = data.get("start")
    if start is not None and not isinstance(start, datetime):
        try:
            start = datetime.fromisoformat(str(start).replace("Z", "+00:00"))
        except ValueError as exc:
            raise ConversationError(f"{where}: 'start' is not an ISO date-time: {exc}") from exc
    if start is not None and start.tzinfo is None:
        raise ConversationError(f"{where}: 'start' needs a time zone, e.g. 2026-11-23T07:00:00Z")
    return Conversation(
        name=str(data.get("name") or (path.stem if path else "conversation")),
        path=path, steps=steps, skill=data.get("skill"), model=data.get("model"), url=data.get("url"),
        device=device, start=start, backend=data.get("backend"), seed=int(data.get("seed", 0)),
        known_issue=str(data["known_issue"]) if data.get("known_issue") else None,
    )
