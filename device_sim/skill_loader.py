"""Finding a skill to talk to: its interaction model and the code or URL that answers for it.

`--skill` accepts `package.module:attribute`, `path/to/lambda_function.py[:attribute]` or an http(s)
URL; the attribute may be a Lambda handler function, a CustomSkill, or a SkillBuilder (its skill is
created). Without an attribute, the usual names are tried: lambda_handler, handler, skill, sb.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from device_sim.transports import ALEXA_TIMEOUT_SECONDS, Transport, transport_for

USUAL_NAMES = ("lambda_handler", "handler", "skill", "sb", "skill_builder")


class SkillLoadError(Exception):
    """The skill or its model could not be found or read; the message says which and why."""


@dataclass
class SkillEndpoint:
    """A skill as the device knows it: where to send requests and the model it was built with."""

    transport: Transport
    model: dict
    application_id: str
    name: str = ""
    invocation_name: str = field(init=False)

    def __post_init__(self) -> None:
        language = self.model.get("interactionModel", {}).get("languageModel", {})
        self.invocation_name = str(language.get("invocationName", "")).strip().lower()
        if not self.name:
            self.name = self.invocation_name or self.application_id

    @classmethod
    def of(cls, target: Any, model: dict | str | Path, *, application_id: str | None = None,
           name: str = "", timeout: float | None = ALEXA_TIMEOUT_SECONDS) -> SkillEndpoint:
        """A skill from a CustomSkill / SkillBuilder / handler function / URL and its model (dict or file)."""
        if hasattr(target, "create") and hasattr(target, "skill_configuration"):
            target = target.create()  # a SkillBuilder: the skill it builds
        return cls.over(transport_for(target, timeout=timeout), model, application_id=application_id, name=name)

    @classmethod
    def over(cls, transport: Transport, model: dict | str | Path, *, application_id: str | None = None,
             name: str = "") -> SkillEndpoint:
        """A skill reached through a transport you built (an HttpTransport with a signer, say)."""
        model = load_model(model) if isinstance(model, (str, Path)) else model
        language = model.get("interactionModel", {}).get("languageModel")
        if not isinstance(language, dict):
            raise SkillLoadError("the model has no interactionModel.languageModel")
        if application_id is None:
            digest = hashlib.sha1(str(language.get("invocationName", "")).encode()).hexdigest()[:12]
            application_id = f"amzn1.ask.skill.sim-{digest}"
        return cls(transport, model, application_id, name)


def load_model(path: str | Path) -> dict:
    """An interaction model file (JSON, or YAML for hand-written ones)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SkillLoadError(f"cannot read the interaction model {path}: {exc.strerror}") from exc
    try:
        if path.suffix in {".yaml", ".yml"}:
            import yaml

            model = yaml.safe_load(text)
        else:
            model = json.loads(text)
    except Exception as exc:
        raise SkillLoadError(f"{path} is not a valid model file: {exc}") from exc
    if not isinstance(model, dict) or "interactionModel" not in model:
        raise SkillLoadError(f"{path} has no top-level 'interactionModel' object")
    return model


def load_target(spec: str) -> Any:
    """The object a `--skill` spec names (URLs are returned as they are)."""
    if spec.startswith(("http://", "https://")):
        return spec
    module_part, _, attribute = spec.partition(":")
    if module_part.endswith(".py") or "/" in module_part or "\\" in module_part:
        module = _import_file(Path(module_part))
    else:
        try:
            module = importlib.import_module(module_part)
        except ImportError as exc:
            raise SkillLoadError(f"cannot import skill module {module_part!r}: {exc}") from exc
    names = [attribute] if attribute else list(USUAL_NAMES)
    for name in names:
        if hasattr(module, name):
            return getattr(module, name)
    wanted = attribute or " or ".join(USUAL_NAMES)
    raise SkillLoadError(f"{module_part} has no {wanted}")


def _import_file(path: Path) -> Any:
    from intents.pyfiles import FileImportError, import_file

    try:
        return import_file(path, "_voicecart_sim_skill")
    except FileImportError as exc:
        raise SkillLoadError(str(exc)) from exc
