"""The kinds of step a conversation file can take, as a small registry.

A step kind is a function `(ctx, value, step) -> StepOutcome`; register new ones with
`register_step("kind", fn)` (the buttons package adds its own presses this way) and they are usable in
every conversation file at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from device_sim.turn import Turn

# backend(method, path, body) -> (status, decoded JSON or text)
BackendCall = Callable[[str, str, Any], tuple[int, Any]]
# How a backend to check is named: a callable, a URL, or {url, token} / {url, token_env}.
BackendSetting = BackendCall | str | dict[str, Any] | None


@dataclass
class StepContext:
    device: Any
    backend: BackendSetting = None
    base_dir: Path | None = None


@dataclass
class StepOutcome:
    turn: Turn | None = None
    events: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    detail: str = ""


@dataclass
class BackendOutcome(StepOutcome):
    status: int = 0
    payload: Any = None


StepFn = Callable[[StepContext, Any, Any], StepOutcome]
STEPS: dict[str, StepFn] = {}


def register_step(kind: str, fn: StepFn | None = None) -> Any:
    """Adds a step kind; without `fn` it is a decorator: `@register_step("press")`."""
    if not re.fullmatch(r"[a-z_]+", kind) or kind == "expect":
        raise ValueError(f"step kinds are lower-case words: {kind!r}")
    if fn is None:
        return lambda decorated: register_step(kind, decorated)
    STEPS[kind] = fn
    return fn


step = register_step


@step("say")
def _say(ctx: StepContext, value: Any, _step: Any) -> StepOutcome:
    text = "" if value is None else str(value)
    return _from_turn(ctx.device.say(text))


@step("silence")
def _silence(ctx: StepContext, value: Any, _step: Any) -> StepOutcome:
    return _from_turn(ctx.device.say(""))


@step("launch")
def _launch(ctx: StepContext, value: Any, _step: Any) -> StepOutcome:
    return _from_turn(ctx.device.launch(None if value in (None, True) else str(value)))


@step("advance")
def _advance(ctx: StepContext, value: Any, _step: Any) -> StepOutcome:
    events = ctx.device.advance(str(value))
    return StepOutcome(events=events, detail="; ".join(events))


@step("notify")
def _notify(ctx: StepContext, value: Any, _step: Any) -> StepOutcome:
    ctx.device.notify(str(value))
    return StepOutcome()


@step("grant")
def _grant(ctx: StepContext, value: Any, _step: Any) -> StepOutcome:
    for permission in value if isinstance(value, list) else [value]:
        ctx.device.grant(str(permission))
    return StepOutcome()


@step("revoke")
def _revoke(ctx: StepContext, value: Any, _step: Any) -> StepOutcome:
    for permission in value if isinstance(value, list) else [value]:
        ctx.device.revoke(str(permission))
    return StepOutcome()


@step("press")
def _press(ctx: StepContext, value: Any, _step: Any) -> StepOutcome:
    result = ctx.device.press(str(value))
    if isinstance(result, Turn):
        return _from_turn(result)
    return StepOutcome(detail="" if result is None else str(result))


@step("backend")
def _backend(ctx: StepContext, value: Any, _step: Any) -> StepOutcome:
    """{get: /path} or {post: /path, body: {...}}; the step's expect checks status, json and contains."""
    if not isinstance(value, dict):
        raise ValueError("backend steps look like {get: /path} or {post: /path, body: {...}}")
    methods = [m for m in ("get", "post", "put", "patch", "delete") if m in value]
    if len(methods) != 1:
        raise ValueError("a backend step names one method: get, post, put, patch or delete")
    method = methods[0]
    status, payload = call_backend(ctx.backend, method.upper(), str(value[method]), value.get("body"))
    return BackendOutcome(detail=f"HTTP {status}", status=status, payload=payload)


@step("state")
def _state(ctx: StepContext, value: Any, _step: Any) -> StepOutcome:
    """`state: cart` (or `orders`, `log`): what the conversation changed in the voicecart backend, checked
    with `json` and `contains` like a backend step. Only the voicecart skill's own device has it."""
    source = getattr(ctx.device, "state_source", None)
    if source is None:
        raise ValueError("state steps read the voicecart backend; this device runs another skill")
    payload = source(str(value))
    return BackendOutcome(detail=json.dumps(payload)[:300], status=200, payload=payload)


@dataclass
class HttpBackend:
    """The REST API at `url`, acting for the household a bearer `token` belongs to."""

    url: str
    token: str | None = None

    def __call__(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        import requests

        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        reply = requests.request(
            method, self.url.rstrip("/") + "/" + path.lstrip("/"), json=body, headers=headers, timeout=10
        )
        try:
            return reply.status_code, reply.json()
        except ValueError:
            return reply.status_code, reply.text


def backend_from(setting: Any) -> BackendCall | None:
    """A backend from a file or command line: a URL, {url, token} or {url, token_env}, or a callable."""
    if setting is None or callable(setting):
        return setting
    if isinstance(setting, str):
        return HttpBackend(setting)
    if isinstance(setting, dict) and isinstance(setting.get("url"), str):
        import os

        token = setting.get("token") or (os.environ.get(setting["token_env"]) if setting.get("token_env") else None)
        return HttpBackend(setting["url"], token)
    raise ValueError("'backend' is a URL or {url: ..., token: ...} / {url: ..., token_env: VARIABLE}")


def call_backend(backend: BackendSetting, method: str, path: str, body: Any) -> tuple[int, Any]:
    backend = backend_from(backend)
    if backend is None:
        raise ValueError("this conversation has no backend to check: set 'backend:' or pass one to the runner")
    return backend(method, path, body)


def _from_turn(turn: Turn) -> StepOutcome:
    return StepOutcome(turn=turn, events=list(turn.events))


# -- expectations ------------------------------------------------------------------------------------
TURN_EXPECTATIONS = {
    "speech",
    "speech_matches",
    "not_speech",
    "reprompt",
    "intent",
    "request",
    "slots",
    "card",
    "session_ended",
    "directive",
    "no_directive",
    "error",
    "dialog_state",
    "skill",
}
OTHER_EXPECTATIONS = {"events", "status", "json", "contains"}


def check_expectations_keys(expect: dict) -> str | None:
    unknown = set(expect) - TURN_EXPECTATIONS - OTHER_EXPECTATIONS
    if unknown:
        return f"unknown expectations {sorted(unknown)}; known: {sorted(TURN_EXPECTATIONS | OTHER_EXPECTATIONS)}"
    return None


def check(outcome: StepOutcome, expect: dict) -> list[str]:
    """Every way the outcome differs from what the step expected, in words."""
    failures: list[str] = []
    turn = outcome.turn
    if set(expect) & TURN_EXPECTATIONS and turn is None:
        return ["this step produced no spoken turn to check"]
    for key, wanted in expect.items():
        if key in TURN_EXPECTATIONS:
            failures.extend(_check_turn(turn, key, wanted))  # type: ignore[arg-type]
        elif key == "events":
            for text in wanted if isinstance(wanted, list) else [wanted]:
                if not any(str(text).lower() in e.lower() for e in outcome.events):
                    failures.append(f"expected an event containing {text!r}; events were {outcome.events}")
        elif isinstance(outcome, BackendOutcome):
            failures.extend(_check_backend(outcome, key, wanted))
        else:
            failures.append(f"{key!r} can only be checked on a backend step")
    return failures


def _check_turn(turn: Turn, key: str, wanted: Any) -> list[str]:
    said = turn.speech
    if key == "speech":
        options = wanted if isinstance(wanted, list) else [wanted]
        if not any(str(o).lower() in said.lower() for o in options):
            return [f"expected speech containing {_either(options)}, Alexa said {said!r}"]
    elif key == "not_speech":
        # A list is several things none of which may be said (the schema allows one, as for `speech`).
        unwanted = wanted if isinstance(wanted, list) else [wanted]
        said_anyway = [str(u) for u in unwanted if str(u).lower() in said.lower()]
        if said_anyway:
            return [f"expected speech without {_either(said_anyway)}, Alexa said {said!r}"]
    elif key == "speech_matches":
        if not re.search(str(wanted), said, re.IGNORECASE | re.DOTALL):
            return [f"expected speech matching /{wanted}/, Alexa said {said!r}"]
    elif key == "reprompt":
        if wanted is None or wanted is False:
            if turn.reprompt:
                return [f"expected no reprompt, got {turn.reprompt!r}"]
        elif str(wanted).lower() not in (turn.reprompt or "").lower():
            return [f"expected reprompt containing {wanted!r}, got {turn.reprompt!r}"]
    elif key == "intent":
        actual = turn.intent or turn.request_type
        if actual != wanted:
            return [f"expected intent {wanted}, the skill got {actual}"]
    elif key == "request":
        if turn.request_type != wanted:
            return [f"expected a {wanted}, the skill got {turn.request_type}"]
    elif key == "skill":
        if turn.skill != wanted:
            return [f"expected skill {wanted!r}, the turn went to {turn.skill!r}"]
    elif key == "dialog_state":
        if turn.dialog_state != wanted:
            return [f"expected dialogState {wanted}, got {turn.dialog_state}"]
    elif key == "session_ended":
        if bool(wanted) != turn.session_ended:
            return [
                f"expected the session to {'end' if wanted else 'stay open'}, it "
                f"{'ended' if turn.session_ended else 'stayed open'}"
            ]
    elif key == "slots":
        return _check_slots(turn, wanted)
    elif key == "card":
        return _check_card(turn, wanted)
    elif key in ("directive", "no_directive"):
        kinds = [d.get("type") for d in turn.directives]
        for kind in wanted if isinstance(wanted, list) else [wanted]:
            if (kind in kinds) != (key == "directive"):
                verb = "a" if key == "directive" else "no"
                return [f"expected {verb} {kind} directive, got {kinds or 'none'}"]
    elif key == "error":
        if wanted is False or wanted is None:
            if turn.error:
                return [f"expected no error, got {turn.error}"]
        elif not turn.error:
            return ["expected the skill to fail, it answered normally"]
        elif isinstance(wanted, str) and wanted.lower() not in turn.error.lower():
            return [f"expected an error containing {wanted!r}, got {turn.error}"]
    return []


def _check_slots(turn: Turn, wanted: Any) -> list[str]:
    if not isinstance(wanted, dict):
        return ["'slots' expects a mapping of slot name to value or {value, id}"]
    failures = []
    for name, spec in wanted.items():
        actual = turn.slots.get(name)
        if spec is None:
            if actual is not None:
                failures.append(f"expected slot {name} empty, it was {actual['value']!r}")
            continue
        if actual is None:
            failures.append(f"expected slot {name}, it was empty (filled: {sorted(turn.slots) or 'none'})")
            continue
        spec = spec if isinstance(spec, dict) else {"value": spec}
        for field_name in ("value", "id", "resolved", "confirmation"):
            if field_name in spec and str(actual.get(field_name)).lower() != str(spec[field_name]).lower():
                failures.append(
                    f"expected slot {name} {field_name} {spec[field_name]!r}, got {actual.get(field_name)!r}"
                )
    return failures


def _check_card(turn: Turn, wanted: Any) -> list[str]:
    card = turn.card
    if wanted is None or wanted is False:
        return [f"expected no card, got {card}"] if card else []
    if card is None:
        return ["expected a card, the skill sent none"]
    text = " ".join(str(card.get(k, "")) for k in ("title", "content", "text"))
    if isinstance(wanted, str):
        return [] if wanted.lower() in text.lower() else [f"expected a card mentioning {wanted!r}, got {card}"]
    failures = []
    for key, value in wanted.items():
        if str(value).lower() not in str(card.get(key, "")).lower():
            failures.append(f"expected card {key} containing {value!r}, got {card.get(key)!r}")
    return failures


def _check_backend(outcome: BackendOutcome, key: str, wanted: Any) -> list[str]:
    if key == "status" and outcome.status != int(wanted):
        return [f"expected HTTP {wanted} from the backend, got {outcome.status}: {str(outcome.payload)[:200]}"]
    if key == "contains":
        text = outcome.payload if isinstance(outcome.payload, str) else json.dumps(outcome.payload)
        if str(wanted).lower() not in text.lower():
            return [f"expected the backend answer to contain {wanted!r}, got {text[:300]}"]
    if key == "json":
        mismatch = _subset(wanted, outcome.payload, "$")
        if mismatch:
            return [mismatch]
    return []


def _subset(wanted: Any, actual: Any, where: str) -> str | None:
    """None when `actual` contains everything in `wanted` (dict keys, list items anywhere in the list)."""
    if isinstance(wanted, dict):
        if not isinstance(actual, dict):
            return f"expected an object at {where}, got {json.dumps(actual)[:200]}"
        for key, value in wanted.items():
            if key not in actual:
                return f"expected {where}.{key}, the backend answer has only {sorted(actual)}"
            problem = _subset(value, actual[key], f"{where}.{key}")
            if problem:
                return problem
        return None
    if isinstance(wanted, list):
        if not isinstance(actual, list):
            return f"expected a list at {where}, got {json.dumps(actual)[:200]}"
        for item in wanted:
            if not any(_subset(item, candidate, where) is None for candidate in actual):
                return f"expected {where} to hold an item like {json.dumps(item)}, got {json.dumps(actual)[:300]}"
        return None
    return None if wanted == actual else f"expected {where} = {json.dumps(wanted)}, got {json.dumps(actual)}"


def _either(options: list) -> str:
    return " or ".join(repr(o) for o in options)
