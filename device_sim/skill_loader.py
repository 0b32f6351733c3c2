"""Finding a skill to talk to: its interaction model and the code or URL that answers for it.

`--skill` accepts `package.module:attribute`, `path/to/lambda_function.py[:attribute]` or an http(s)
URL; the attribute may be a Lambda handler function, a CustomSkill, or a SkillBuilder (its skill is
created). Without an attribute, the usual names are tried: lambda_handler, handler, skill, sb.

A skill named by its file runs as on Lambda (device_sim.lambda_runtime): its folder is the working
directory and on `sys.path`, with Lambda's environment variables, at import and on every request.
Its skill id is, in this order: the one given, the SkillBuilder's own `skill_id`, the ASK CLI's
`.ask/ask-states.json` (or `.ask/config`) beside the skill or its model, or one derived from the
invocation name.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from device_sim.transports import ALEXA_TIMEOUT_SECONDS, Transport, transport_for

USUAL_NAMES = ("lambda_handler", "handler", "skill", "sb", "skill_builder")
# The Lambda environment each object loaded from a skill file runs in (see load_target).
_ENVIRONMENTS: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


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
    def of(
        cls,
        target: Any,
        model: dict | str | Path,
        *,
        application_id: str | None = None,
        name: str = "",
        timeout: float | None = ALEXA_TIMEOUT_SECONDS,
    ) -> SkillEndpoint:
        """A skill from a CustomSkill / SkillBuilder / handler function / URL and its model (dict or file)."""
        environment = _environment_of(target)
        if application_id is None:
            application_id = own_skill_id(target) or _ask_cli_skill_id(environment, model)
        if hasattr(target, "create") and hasattr(target, "skill_configuration"):
            if environment is not None:
                with environment.active():
                    target = target.create()  # a SkillBuilder: the skill it builds
            else:
                target = target.create()
        transport = transport_for(target, timeout=timeout)
        if environment is not None:
            from device_sim.lambda_runtime import InTaskRoot

            transport = InTaskRoot(transport, environment)
        return cls.over(transport, model, application_id=application_id, name=name)

    @classmethod
    def over(
        cls, transport: Transport, model: dict | str | Path, *, application_id: str | None = None, name: str = ""
    ) -> SkillEndpoint:
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
        return load_file_target(Path(module_part), attribute)
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


def load_file_target(path: Path, attribute: str = "", env: dict[str, str] | None = None) -> Any:
    """The handler / skill / builder of a skill file, imported as Lambda imports it."""
    from device_sim.lambda_runtime import SkillImportError, import_skill_file, lambda_environment_for

    names = [attribute] if attribute else list(USUAL_NAMES)
    environment = lambda_environment_for(path, env, names[0])
    try:
        module = import_skill_file(path, environment)
    except SkillImportError as exc:
        raise SkillLoadError(str(exc)) from exc
    for name in names:
        if hasattr(module, name):
            target = getattr(module, name)
            environment.handler = environment.handler.rsplit(".", 1)[0] + "." + name
            try:
                _ENVIRONMENTS[target] = environment
            except TypeError:  # not weak-referenceable (a bound method of a builtin, say): runs as it is
                pass
            return target
    raise SkillLoadError(f"{path} has no {attribute or ' or '.join(USUAL_NAMES)}")


def _environment_of(target: Any) -> Any:
    try:
        return _ENVIRONMENTS.get(target)
    except TypeError:
        return None


def own_skill_id(target: Any) -> str | None:
    """The skill id a SkillBuilder or CustomSkill was configured with (it rejects any other)."""
    configuration = getattr(target, "skill_configuration", None) or getattr(target, "_skill_configuration", None)
    skill_id = getattr(configuration, "skill_id", None) or getattr(target, "skill_id", None)
    return skill_id if isinstance(skill_id, str) and skill_id else None


def _ask_cli_skill_id(environment: Any, model: Any) -> str | None:
    """The id the ASK CLI recorded when the skill was deployed (ask-states.json, or v1's .ask/config)."""
    starts = []
    if environment is not None:
        starts.append(Path(environment.task_root))
    if isinstance(model, (str, Path)):
        starts.append(Path(model).resolve().parent)
    for start in starts:
        for folder in [start, *start.parents][:4]:
            for name, read in ((".ask/ask-states.json", _states_id), (".ask/config", _config_id)):
                candidate = folder / name
                if candidate.is_file():
                    try:
                        found = read(json.loads(candidate.read_text(encoding="utf-8")))
                    except (OSError, ValueError):
                        found = None
                    if found:
                        return found
    return None


def _states_id(data: dict) -> str | None:
    for profile in (data.get("profiles") or {}).values():
        if isinstance(profile, dict) and profile.get("skillId"):
            return str(profile["skillId"])
    return None


def _config_id(data: dict) -> str | None:
    for settings in (data.get("deploy_settings") or {}).values():
        if isinstance(settings, dict) and settings.get("skill_id"):
            return str(settings["skill_id"])
    return None
