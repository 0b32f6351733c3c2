"""The ASK CLI skill package: skill.json plus one interaction model per locale, ready for `ask deploy`.

    OUT/ask-resources.json
    OUT/skill-package/skill.json
    OUT/skill-package/interactionModels/custom/<locale>.json

The manifest lives at the repository root (skill.json); the interaction models are generated from the
reviewed language data by `intents.model.load_model(locale)`. The manifest is checked against the
Alexa developer console's own schema classes (ask-smapi-model) before anything is written.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

MANIFEST_PATH = Path(__file__).resolve().parent.parent / "skill.json"
ASK_RESOURCES_VERSION = "2020-03-31"
SSL_CERTIFICATE_TYPES = ("Trusted", "Wildcard", "SelfSigned")
# The placeholder host in skill.json: a package still pointing here cannot be deployed.
PLACEHOLDER_HOST = "voicecart.example.com"
# Limits the developer console enforces on publishing information.
MAX_NAME, MAX_SUMMARY, MAX_DESCRIPTION, MAX_EXAMPLE_PHRASES, MAX_KEYWORDS = 50, 160, 4000, 3, 30
LAUNCH_VERBS = ("open", "ask", "tell", "launch", "start", "use", "talk to", "begin", "load", "run", "play")
CONNECTORS = ("to", "for", "about", "if", "whether", "and", "that", "")


class PackageError(Exception):
    """The manifest or the models cannot make a valid package; the message says what to fix."""


@dataclass
class SkillPackage:
    """What was written and what deserves a look before deploying."""

    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def load_manifest(path: Path | None = None) -> dict[str, Any]:
    path = path or MANIFEST_PATH
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PackageError(f"no skill manifest at {path}") from exc
    except ValueError as exc:
        raise PackageError(f"{path} is not valid JSON: {exc}") from exc


def _differences(expected: Any, actual: Any, where: str = "") -> Iterable[str]:
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in expected.keys() | actual.keys():
            yield from _differences(expected.get(key), actual.get(key), f"{where}.{key}" if where else key)
    elif isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for index, (left, right) in enumerate(zip(expected, actual, strict=True)):
            yield from _differences(left, right, f"{where}[{index}]")
    elif expected != actual:
        yield where


def manifest_problems(manifest: Mapping[str, Any]) -> list[str]:
    """Everything wrong with `manifest`; empty when it is valid.

    Schema: the manifest must survive a round trip through ask-smapi-model's SkillManifestEnvelope, so
    an unknown key, a misspelt field or an invalid enum value (permission, event, category) shows up."""
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_smapi_model.v1.skill.manifest.skill_manifest_envelope import SkillManifestEnvelope

    serializer = DefaultSerializer()
    try:
        parsed = serializer.deserialize(json.dumps(manifest), SkillManifestEnvelope)
    except Exception as exc:  # the SDK raises several types for bad shapes and enum values
        return [f"not a valid skill manifest: {exc}"]
    problems = [
        f"unknown or malformed field: {where}" for where in _differences(manifest, serializer.serialize(parsed))
    ]
    body = manifest.get("manifest") or {}
    locales = (body.get("publishingInformation") or {}).get("locales") or {}
    if not locales:
        problems.append("publishingInformation.locales names no locale")
    for locale, info in locales.items():
        problems.extend(_publishing_problems(locale, info))
    custom = (body.get("apis") or {}).get("custom") or {}
    if not (custom.get("endpoint") or {}).get("uri"):
        problems.append("apis.custom.endpoint.uri is missing")
    return problems


def _publishing_problems(locale: str, info: Mapping[str, Any]) -> list[str]:
    problems = []
    for key, limit in (("name", MAX_NAME), ("summary", MAX_SUMMARY), ("description", MAX_DESCRIPTION)):
        text = info.get(key) or ""
        if not text.strip():
            problems.append(f"{locale}: {key} is empty")
        elif len(text) > limit:
            problems.append(f"{locale}: {key} is {len(text)} characters; at most {limit}")
    phrases = info.get("examplePhrases") or []
    if not 1 <= len(phrases) <= MAX_EXAMPLE_PHRASES:
        problems.append(f"{locale}: give 1 to {MAX_EXAMPLE_PHRASES} example phrases, not {len(phrases)}")
    if len(info.get("keywords") or []) > MAX_KEYWORDS:
        problems.append(f"{locale}: at most {MAX_KEYWORDS} keywords")
    return problems


def with_endpoint(manifest: Mapping[str, Any], uri: str, ssl_certificate_type: str = "Wildcard") -> dict[str, Any]:
    """A copy of `manifest` served at `uri`: an https URL (web service) or a Lambda ARN."""
    result = copy.deepcopy(dict(manifest))
    custom = result.setdefault("manifest", {}).setdefault("apis", {}).setdefault("custom", {})
    if uri.startswith("arn:"):
        if not re.fullmatch(r"arn:aws:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?", uri):
            raise PackageError(f"{uri!r} is not a Lambda function ARN")
        custom["endpoint"] = {"uri": uri}
        return result
    parts = urlsplit(uri)
    if parts.scheme != "https" or not parts.hostname:
        raise PackageError(f"the endpoint must be an https:// URL or a Lambda ARN, not {uri!r}")
    if parts.port not in (None, 443):
        raise PackageError("Alexa only calls web services on port 443")
    if ssl_certificate_type not in SSL_CERTIFICATE_TYPES:
        raise PackageError(f"sslCertificateType must be one of {', '.join(SSL_CERTIFICATE_TYPES)}")
    custom["endpoint"] = {"uri": uri, "sslCertificateType": ssl_certificate_type}
    return result


def as_ask_json(model: Any) -> dict[str, Any]:
    """The `{"interactionModel": {...}}` document Alexa reads, from what the model loader returns."""
    for method in ("to_ask_json", "as_ask_json", "to_dict"):
        if not isinstance(model, Mapping) and callable(getattr(model, method, None)):
            model = getattr(model, method)()
            break
    if isinstance(model, Mapping) and "interactionModel" in model:
        return dict(model)
    if isinstance(model, Mapping) and "languageModel" in model:
        return {"interactionModel": dict(model)}
    raise PackageError(f"the interaction model loader returned {type(model).__name__}, not an ASK model document")


def _sample_pattern(sample: str) -> re.Pattern[str]:
    parts = re.split(r"\{[^}]+\}", sample.lower())
    return re.compile(r".+".join(re.escape(part) for part in parts) + r"\Z")


def example_phrase_problems(phrases: list[str], ask_json: Mapping[str, Any]) -> list[str]:
    """Certification requires example phrases to name the invocation and to be real sample utterances."""
    language = ask_json["interactionModel"]["languageModel"]
    invocation = language.get("invocationName", "").lower()
    samples = [_sample_pattern(s) for intent in language.get("intents", []) for s in intent.get("samples", [])]
    problems = []
    for index, phrase in enumerate(phrases):
        spoken = re.sub(r"[^\w' ]+", " ", phrase.lower()).split()
        text = " ".join(spoken)
        rest = None
        for verb in LAUNCH_VERBS:
            for connector in CONNECTORS:
                opening = " ".join(filter(None, ("alexa", verb, invocation, connector)))
                if text == opening or text.startswith(opening + " "):
                    rest = text[len(opening) :].strip()
                    break
            if rest is not None:
                break
        if rest is None:
            if index == 0:
                problems.append(f"the first example phrase must wake and name the skill: 'Alexa, open {invocation}'")
            rest = text
        if rest and not any(pattern.match(rest) for pattern in samples):
            problems.append(f"example phrase {phrase!r} is not one of the model's sample utterances")
    return problems


def build_skill_package(
    out: Path,
    *,
    endpoint: str | None = None,
    ssl_certificate_type: str = "Wildcard",
    manifest_path: Path | None = None,
    load_model: Callable[[str], Any],
) -> SkillPackage:
    """Write the ASK CLI package to `out`; raises PackageError and writes nothing when invalid."""
    manifest = load_manifest(manifest_path)
    if endpoint:
        manifest = with_endpoint(manifest, endpoint, ssl_certificate_type)
    problems = manifest_problems(manifest)
    if problems:
        raise PackageError("the skill manifest is not valid:\n  " + "\n  ".join(problems))
    package = SkillPackage()
    body = manifest["manifest"]
    uri = body["apis"]["custom"]["endpoint"]["uri"]
    if urlsplit(uri).hostname == PLACEHOLDER_HOST:
        package.warnings.append(f"the endpoint is still the placeholder {uri}; pass --endpoint before deploying")
    models = {}
    for locale, info in body["publishingInformation"]["locales"].items():
        models[locale] = as_ask_json(load_model(locale))
        package.warnings.extend(
            f"{locale}: {p}" for p in example_phrase_problems(info["examplePhrases"], models[locale])
        )

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise PackageError(f"{out} exists and is not a directory")
    skill_package = out / "skill-package"
    model_dir = skill_package / "interactionModels" / "custom"
    model_dir.mkdir(parents=True, exist_ok=True)
    files = {
        out / "ask-resources.json": {
            "askcliResourcesVersion": ASK_RESOURCES_VERSION,
            "profiles": {"default": {"skillMetadata": {"src": "./skill-package"}}},
        },
        skill_package / "skill.json": manifest,
        **{model_dir / f"{locale}.json": model for locale, model in models.items()},
    }
    for path, document in files.items():
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        package.written.append(path)
    return package
