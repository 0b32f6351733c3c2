"""Running conversation files against a device and reporting, turn by turn, what differed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from device_sim.conversation import Conversation, ConversationError, load_conversation
from device_sim.http_stubs import unstubbed_message
from device_sim.steps import STEPS, BackendSetting, StepContext, check

# Builds the device for a conversation when the file does not name its own skill.
DeviceFactory = Callable[[Conversation], object]


@dataclass
class StepResult:
    description: str
    failures: list[str] = field(default_factory=list)
    speech: str | None = None
    intent: str | None = None  # the intent (or request type) the skill got; None when no skill answered
    kind: str = ""  # the step kind (say, silence, state, ...)


@dataclass
class ConversationResult:
    name: str
    path: Path | None
    steps: list[StepResult] = field(default_factory=list)
    error: str | None = None  # the conversation could not run at all

    @property
    def passed(self) -> bool:
        return self.error is None and all(not s.failures for s in self.steps)

    def report(self) -> str:
        label = str(self.path) if self.path else self.name
        if self.passed:
            return f"PASS {label} ({len(self.steps)} steps)"
        lines = [f"FAIL {label}"]
        if self.error:
            lines.append(f"  {self.error}")
        for result in self.steps:
            for failure in result.failures:
                lines.append(f"  {result.description}: {failure}")
        return "\n".join(lines)


def run_conversation(
    conversation: Conversation, device_factory: DeviceFactory, backend: BackendSetting = None
) -> ConversationResult:
    """Runs every step even after a failure, so one report shows all that differs."""
    result = ConversationResult(conversation.name, conversation.path)
    try:
        device = device_factory(conversation)
    except Exception as exc:
        result.error = f"could not start the device: {exc}"
        return result
    ctx = StepContext(device, conversation.backend or backend, conversation.path.parent if conversation.path else None)
    try:
        for step in conversation.steps:
            outcome_result = StepResult(step.describe(), kind=step.kind)
            try:
                outcome = STEPS[step.kind](ctx, step.value, step)
            except Exception as exc:  # a step that cannot run is a failure of that step, not a crash
                outcome_result.failures.append(f"could not run: {type(exc).__name__}: {exc}")
                result.steps.append(outcome_result)
                continue
            if outcome.turn is not None:
                outcome_result.speech = outcome.turn.speech
                outcome_result.intent = outcome.turn.intent or outcome.turn.request_type
            outcome_result.failures.extend(outcome.failures)
            outcome_result.failures.extend(check(outcome, step.expect))
            turn = outcome.turn
            if turn is not None and turn.unstubbed:
                outcome_result.failures.append(unstubbed_message(turn.unstubbed))
            if turn is not None and outcome_result.failures and turn.skill_log:
                outcome_result.failures.append("the skill logged: " + " | ".join(turn.skill_log))
            result.steps.append(outcome_result)
    finally:
        close = getattr(device, "close", None)
        if close:
            close()
    return result


def run_file(path: str | Path, device_factory: DeviceFactory, backend: BackendSetting = None) -> ConversationResult:
    try:
        conversation = load_conversation(path)
    except ConversationError as exc:
        return ConversationResult(Path(path).stem, Path(path), error=str(exc))
    return run_conversation(conversation, device_factory, backend)


def conversation_files(root: str | Path) -> list[Path]:
    """test_*.yaml and *.conv.yaml files under a folder (or the one file named)."""
    root = Path(root)
    if root.is_file():
        return [root]
    found = {
        *root.rglob("test_*.yaml"),
        *root.rglob("test_*.yml"),
        *root.rglob("*.conv.yaml"),
        *root.rglob("*.conv.yml"),
    }
    return sorted(p for p in found if ".venv" not in p.parts)
