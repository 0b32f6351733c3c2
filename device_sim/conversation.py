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
What is said is read as the author typed it: `say: yes`, `say: 10`, `- no` are the words "yes", "10" and
"no" (YAML would read them as a boolean or a number); a list or mapping where words are expected is an
error naming its line. The file format is described by `conversation.schema.json` beside this module
(for editors: `# yaml-language-server: $schema=...`), and every file is checked against it.

A skill that persists through the ASK SDK's adapters, calls web services or reads its own variables:
    aws: {state: .memory-game.json, tables: [MemoryGame]}   # or auto (default) / on / off
    http:
      - {url: "https://api.example.com/v1/forecast", json: {summary: sunny}}
    http_record: calls.yaml     # or {file: calls.yaml, mode: once | new_episodes | none | all, local: false}
    env: {API_BASE: "https://api.example.com"}
`http_record` sends calls no stub answers to the real service the first time, records them in that vcrpy
cassette (relative to this file) and replays them afterwards (device_sim/http_stubs.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

TOP_LEVEL_KEYS = {
    "name",
    "description",
    "skill",
    "model",
    "url",
    "device",
    "start",
    "backend",
    "steps",
    "seed",
    "http",
    "http_record",
    "aws",
    "env",
    "known_issue",
}
# Keys whose values are words: a plain YAML scalar there is kept as typed, never read as a bool or number.
TEXT_KEYS = {"say", "speech", "not_speech", "reprompt", "notify", "speech_matches"}
SCHEMA_PATH = Path(__file__).with_name("conversation.schema.json")


class ConversationError(ValueError):
    """A conversation file that cannot be run; the message names the file and the problem."""


@dataclass
class Step:
    index: int  # 1-based, as a person counts them in the file
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
    backend: Any = None  # a URL or {url, token | token_env}
    seed: int = 0
    http: list = field(default_factory=list)  # outbound HTTP stubs (device_sim.http_stubs)
    http_declared: bool = False  # `http:` present: calls without a stub fail
    http_record: dict | None = None  # {file, mode, local}: record calls no stub answers, replay them later
    aws: dict = field(default_factory=dict)  # {enabled, endpoint, state, tables}
    env: dict = field(default_factory=dict)  # the Lambda function's own variables
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


def _text_loader() -> type:
    """A safe YAML loader that keeps words as typed under TEXT_KEYS and in bare steps, and says on which
    line a list or mapping stands where words are expected."""
    import yaml

    class TextLoader(yaml.SafeLoader):
        def construct_mapping(self, node: Any, deep: bool = False) -> dict:
            mapping = super().construct_mapping(node, deep=True)
            for key_node, value_node in node.value:
                if key_node.value in TEXT_KEYS:
                    mapping[key_node.value] = _as_text(key_node.value, value_node)
            return mapping

        def construct_sequence(self, node: Any, deep: bool = False) -> list:
            items = super().construct_sequence(node, deep=True)
            parent = getattr(self, "_steps_node", None)
            if parent is not None and node is parent:
                items = [
                    _as_text("step", item) if isinstance(item, yaml.ScalarNode) else value
                    for item, value in zip(node.value, items, strict=True)
                ]
            return items

    return TextLoader


def _as_text(key: str, node: Any) -> Any:
    import yaml

    if isinstance(node, yaml.ScalarNode):
        if node.style is None and node.tag == "tag:yaml.org,2002:null" and node.value in {"", "~"}:
            return None if key != "step" else ""
        return node.value  # the characters the author typed, quoted or not
    if key in {"speech", "not_speech"} and isinstance(node, yaml.SequenceNode):
        return [_as_text(key, item) for item in node.value]
    kind = "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
    raise ConversationError(f"line {node.start_mark.line + 1}: `{key}` should be words, not {kind}")


def _load_yaml(text: str, where: str) -> tuple[Any, Any]:
    """The data and the YAML node tree (for line numbers)."""
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise ConversationError(f"{where}: not valid YAML: {exc}") from exc
    if root is None:
        return None, None
    loader_class = _text_loader()
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        loader._steps_node = _steps_node(node)
        data = loader.construct_document(node)
    except ConversationError as exc:
        raise ConversationError(f"{where}: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ConversationError(f"{where}: not valid YAML: {exc}") from exc
    finally:
        loader.dispose()
    return data, node


def _steps_node(root: Any) -> Any:
    import yaml

    if isinstance(root, yaml.SequenceNode):
        return root
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "steps":
                return value
    return None


def _line_of(root: Any, path: list[Any]) -> int | None:
    """The 1-based line of the value at `path` (keys and indexes) in the YAML node tree."""
    import yaml

    node = root
    for part in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
        if node is None:
            return None
    return node.start_mark.line + 1 if node is not None else None


def schema() -> dict:
    import json

    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def schema_problems(data: Any, root: Any = None) -> list[str]:
    """What in the data breaks the conversation file schema, each with its line when known."""
    import jsonschema
    from jsonschema.exceptions import best_match

    validator = jsonschema.Draft202012Validator(schema())
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        while error.context:  # "not valid under any of the given schemas": the alternative that came closest
            error = max(error.context, key=lambda e: (len(e.absolute_path), e is best_match(error.context)))
        path = list(error.absolute_path)
        line = _line_of(root, path) if root is not None else None
        where = "/".join(str(p) for p in path) or "the file"
        problems.append(f"{'line ' + str(line) + ', ' if line else ''}{where}: {error.message}")
    return problems


def parse_conversation(text: str, path: Path | None = None) -> Conversation:
    from device_sim.steps import STEPS, check_expectations_keys

    where = str(path) if path else "conversation"
    data, root = _load_yaml(text, where)
    steps_root = _steps_node(root)
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
        line = _line_of(steps_root, [index - 1]) if steps_root is not None else None
        at = f"step {index}" + (f" (line {line})" if line else "")
        if isinstance(raw, str):
            raw = {"say": raw}
        if not isinstance(raw, dict):
            raise ConversationError(f"{where}: {at} must be a mapping like {{say: ...}}")
        kinds = [key for key in raw if key in STEPS]
        if len(kinds) != 1:
            raise ConversationError(f"{where}: {at} needs exactly one of {sorted(STEPS)}; it has {sorted(raw)}")
        kind = kinds[0]
        expect = raw.get("expect") or {}
        if not isinstance(expect, dict):
            raise ConversationError(f"{where}: {at} 'expect' must be a mapping")
        problem = check_expectations_keys(expect)
        if problem:
            raise ConversationError(f"{where}: {at}: {problem}")
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
    checked = dict(data)
    if isinstance(checked.get("start"), datetime):
        checked["start"] = checked["start"].isoformat()
    problems = schema_problems(checked, root)
    if problems:
        raise ConversationError(f"{where}: " + "; ".join(problems[:5]))
    aws = data.get("aws", "auto")
    aws = dict(aws) if isinstance(aws, dict) else {"enabled": aws}
    if aws.get("enabled") is True:
        aws["enabled"] = "on"
    elif aws.get("enabled") is False:
        aws["enabled"] = "off"
    if "http" in data:
        from device_sim.http_stubs import HttpStubError, HttpStubs

        try:
            HttpStubs(data["http"] or [])
        except HttpStubError as exc:
            raise ConversationError(f"{where}: line {_line_of(root, ['http'])}: {exc}") from exc
    return Conversation(
        name=str(data.get("name") or (path.stem if path else "conversation")),
        path=path,
        steps=steps,
        skill=data.get("skill"),
        model=data.get("model"),
        url=data.get("url"),
        device=device,
        start=start,
        backend=data.get("backend"),
        seed=int(data.get("seed", 0)),
        http=list(data.get("http") or []),
        http_declared="http" in data,
        http_record=_http_record(data.get("http_record"), path),
        aws=aws,
        env={k: str(v) for k, v in (data.get("env") or {}).items()},
        known_issue=str(data["known_issue"]) if data.get("known_issue") else None,
    )


def _http_record(declared: Any, path: Path | None) -> dict | None:
    """`http_record: FILE` or {file, mode, local}, the file read relative to the conversation file."""
    if declared is None:
        return None
    record = {"file": declared} if isinstance(declared, str) else dict(declared)
    file = Path(str(record["file"]))
    if path is not None and not file.is_absolute():
        file = path.parent / file
    return {"file": str(file), "mode": str(record.get("mode", "once")), "local": bool(record.get("local", False))}
