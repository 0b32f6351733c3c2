"""Checks an interaction model (and a skill.json manifest) the way the Alexa developer console would.

Every finding is a `Problem` with a location (a JSON path such as
`$.interactionModel.languageModel.intents[3].samples[7]`, with the intent named) and a message;
errors make `voicecart model validate` exit non-zero, warnings do not.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

# Alexa's published limits for custom skills (Alexa Skills Kit documentation, "custom skill limits").
LIMITS = {
    "sample_chars": 200,  # characters in one sample utterance
    "slot_value_chars": 140,  # characters in one slot value or synonym
    "values_per_model": 50_000,  # custom slot values (with synonyms not counted) across all types
    "invocation_chars": 50,
    "model_bytes": 1_500_000,  # size of the interaction model JSON
}
REQUIRED_BUILTINS = ("AMAZON.CancelIntent", "AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.NavigateHomeIntent")
# Built-in slot types this validator knows; others named AMAZON.* are accepted with a warning.
KNOWN_BUILTIN_TYPES = frozenset(
    {
        "AMAZON.NUMBER",
        "AMAZON.FOUR_DIGIT_NUMBER",
        "AMAZON.DURATION",
        "AMAZON.TIME",
        "AMAZON.DATE",
        "AMAZON.FirstName",
        "AMAZON.SearchQuery",
        "AMAZON.Ordinal",
        "AMAZON.PhoneNumber",
        "AMAZON.US_CITY",
        "AMAZON.City",
        "AMAZON.Country",
        "AMAZON.Color",
        "AMAZON.Person",
        "AMAZON.Food",
        "AMAZON.Animal",
    }
    # Alexa's other list types: the engine reads them as open phrases, as it reads any value it has no list
    # for. Known here so that a model using them gets no warning, while a misspelt type still does.
    | {
        f"AMAZON.{name}"
        for name in (
            "Actor AdministrativeArea Airline Airport Artist Athlete Author Book BookSeries BroadcastChannel "
            "CivicStructure Comic Corporation CreativeWorkType DayOfWeek Dessert DeviceType Director Drink "
            "EducationalOrganization EUROPE_CITY EventType Festival FictionalCharacter FinancialService "
            "FoodEstablishment Game GB_CITY GB_FIRST_NAME GB_REGION DE_CITY DE_FIRST_NAME DE_REGION AT_CITY "
            "AT_REGION Genre Landform LandmarksOrHistoricalBuildings Language LocalBusiness LocalBusinessType "
            "MedicalOrganization Month Movie MovieSeries MovieTheater MusicAlbum MusicCreativeWorkType MusicEvent "
            "MusicGroup Musician MusicPlaylist MusicRecording MusicVenue MusicVideo Organization PostalAddress "
            "Professional ProfessionalType RadioChannel Region RelativePosition Residence Room ScreeningEvent "
            "Service SocialMediaPlatform SoftwareApplication SoftwareGame Sport SportsEvent SportsTeam "
            "StreetAddress StreetName TelevisionChannel TVEpisode TVSeason TVSeries US_FIRST_NAME US_STATE "
            "VideoGame WeatherCondition WrittenCreativeWorkType"
        ).split()
    }
)
_INVOCATION_FORBIDDEN_WORDS = frozenset({"alexa", "amazon", "echo", "computer", "skill", "app", "ziggy"})
_LAUNCH_WORDS = frozenset(
    {"ask", "open", "launch", "tell", "load", "begin", "enable", "start", "play", "resume", "run", "use"}
)
_CONNECTING_WORDS = frozenset({"to", "from", "by", "if", "and", "whether", "for", "of", "the", "a", "an"})
_VALIDATION_TYPES = frozenset(
    {
        "isGreaterThan",
        "isGreaterThanOrEqualTo",
        "isLessThan",
        "isLessThanOrEqualTo",
        "isInSet",
        "isNotInSet",
        "isInDuration",
        "isNotInDuration",
        "hasEntityResolutionMatch",
    }
)
_SAMPLE_CHARS = re.compile(r"^[a-z .'\-{}A-Z_]+$")
_SLOT_REF = re.compile(r"\{([^{}]*)\}")
_NAME = re.compile(r"^[A-Za-z][A-Za-z_]*$")
_SMAPI_MODEL = "ask_smapi_model.v1.skill.interaction_model.interaction_model_data.InteractionModelData"
_SMAPI_MANIFEST = "ask_smapi_model.v1.skill.manifest.skill_manifest_envelope.SkillManifestEnvelope"


@dataclass(frozen=True)
class Problem:
    severity: str  # "error" | "warning"
    where: str  # JSON path, with the intent or type named where that helps
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.where}: {self.message}"


def _err(where: str, message: str) -> Problem:
    return Problem("error", where, message)


def _warn(where: str, message: str) -> Problem:
    return Problem("warning", where, message)


# --- schema: round trip through the console's own classes --------------------------------------------


def _round_trip_problems(data: Any, type_name: str, root: str) -> list[Problem]:
    """Load into the ask-smapi-model classes and back; what they drop or change is not in the schema."""
    from ask_sdk_model_runtime.serializer import DefaultSerializer

    serializer = DefaultSerializer()
    try:
        back = serializer.serialize(serializer.deserialize(json.dumps(data), type_name))
    except Exception as exc:  # the SDK raises assorted errors on malformed payloads
        return [_err(root, f"does not load as {type_name.rsplit('.', 1)[-1]}: {exc}")]
    problems: list[Problem] = []
    _diff(data, back, root, problems)
    return problems


def _diff(original: Any, loaded: Any, path: str, out: list[Problem]) -> None:
    if isinstance(original, dict):
        if not isinstance(loaded, dict):
            out.append(_err(path, f"expected an object, found {type(original).__name__}"))
            return
        for key, value in original.items():
            if key not in loaded:
                if value is not None:
                    out.append(_err(f"{path}.{key}", "unknown property (not in the Alexa schema)"))
                continue
            _diff(value, loaded[key], f"{path}.{key}", out)
    elif isinstance(original, list):
        if not isinstance(loaded, list) or len(loaded) != len(original):
            out.append(_err(path, "expected a list"))
            return
        for i, (a, b) in enumerate(zip(original, loaded, strict=True)):
            _diff(a, b, f"{path}[{i}]", out)
    elif original != loaded and not (isinstance(original, bool) and str(original).lower() == str(loaded).lower()):
        out.append(_err(path, f"wrong type: {json.dumps(original)} read back as {json.dumps(loaded)}"))


# --- the interaction model ----------------------------------------------------------------------------


def validate_model(model: dict[str, Any]) -> list[Problem]:
    """All problems of an interaction model document ({"interactionModel": {...}})."""
    if not isinstance(model, dict) or not isinstance(model.get("interactionModel"), dict):
        return [_err("$", 'not an interaction model: expected {"interactionModel": {...}}')]
    root = "$.interactionModel"
    im = model["interactionModel"]
    problems = _round_trip_problems(model, _SMAPI_MODEL, "$")
    lm = im.get("languageModel")
    if not isinstance(lm, dict):
        return problems + [_err(f"{root}.languageModel", "missing")]
    problems += _invocation_problems(lm.get("invocationName"), f"{root}.languageModel.invocationName")
    types = _type_problems(lm.get("types") or [], f"{root}.languageModel.types", problems)
    intents = _intent_problems(lm.get("intents") or [], types, f"{root}.languageModel.intents", problems)
    _dialog_problems(im, intents, root, problems)
    size = len(json.dumps(model, separators=(",", ":")).encode())
    if size > LIMITS["model_bytes"]:
        problems.append(_err("$", f"model is {size} bytes; Alexa accepts at most {LIMITS['model_bytes']}"))
    return problems


def _invocation_problems(name: Any, where: str) -> list[Problem]:
    if not isinstance(name, str) or not name.strip():
        return [_err(where, "the invocation name is missing")]
    out = []
    if not re.fullmatch(r"[a-z][a-z .']*", name):
        out.append(_err(where, f"{name!r}: only lower-case letters, spaces, apostrophes and periods are allowed"))
    words = name.replace(".", " ").split()
    if not 2 <= len(name) <= LIMITS["invocation_chars"]:
        out.append(_err(where, f"{name!r}: must be 2 to {LIMITS['invocation_chars']} characters"))
    if len(words) < 2:
        out.append(_warn(where, f"{name!r}: one-word names are only allowed for a brand you own"))
    bad = sorted(_INVOCATION_FORBIDDEN_WORDS.intersection(w.lower() for w in words))
    if bad:
        out.append(_err(where, f"{name!r}: must not contain {', '.join(bad)}"))
    if words and words[0].lower() in _LAUNCH_WORDS:
        out.append(_err(where, f"{name!r}: must not start with the launch word {words[0]!r}"))
    if words and (words[0].lower() in _CONNECTING_WORDS or words[-1].lower() in _CONNECTING_WORDS):
        out.append(_err(where, f"{name!r}: must not start or end with a connecting word"))
    return out


def _type_problems(types: list[Any], where: str, out: list[Problem]) -> dict[str, dict[str, Any]]:
    by_name: dict[str, dict[str, Any]] = {}
    total = 0
    for ti, t in enumerate(types):
        path = f"{where}[{ti}]"
        name = t.get("name") if isinstance(t, dict) else None
        if not isinstance(name, str) or not _NAME.match(name):
            out.append(_err(path, f"slot type name {name!r} must be letters and underscores"))
            continue
        path += f" ({name})"
        if name in by_name:
            out.append(_err(path, f"slot type {name} is defined twice"))
        by_name[name] = t
        values = t.get("values") or []
        if not values and not t.get("valueSupplier"):
            out.append(_err(path, f"slot type {name} has no values"))
        seen_ids: set[str] = set()
        seen_words: dict[str, int] = {}
        for vi, v in enumerate(values):
            vpath = f"{path}.values[{vi}]"
            body = (v or {}).get("name") or {}
            value = body.get("value")
            if not isinstance(value, str) or not value.strip():
                out.append(_err(vpath, "slot value is empty"))
                continue
            total += 1
            vid = v.get("id")
            if vid:
                if vid in seen_ids:
                    out.append(_err(vpath, f"duplicate id {vid!r} in {name}"))
                seen_ids.add(vid)
            for si, word in enumerate([value, *(body.get("synonyms") or [])]):
                wpath = vpath if si == 0 else f"{vpath}.name.synonyms[{si - 1}]"
                if len(word) > LIMITS["slot_value_chars"]:
                    out.append(_err(wpath, f"longer than {LIMITS['slot_value_chars']} characters"))
                key = word.strip().lower()
                if key in seen_words and seen_words[key] != vi:
                    out.append(_warn(wpath, f"{word!r} also belongs to value #{seen_words[key]} of {name}"))
                elif si == 0 and key in seen_words:
                    out.append(_err(wpath, f"duplicate value {word!r} in {name}"))
                seen_words.setdefault(key, vi)
    if total > LIMITS["values_per_model"]:
        out.append(_err(where, f"{total} slot values; Alexa accepts at most {LIMITS['values_per_model']}"))
    return by_name


def _intent_problems(
    intents: list[Any], types: dict[str, dict[str, Any]], where: str, out: list[Problem]
) -> dict[str, dict[str, Any]]:
    by_name: dict[str, dict[str, Any]] = {}
    sample_owner: dict[str, tuple[str, str]] = {}
    used_types: set[str] = set()
    for ii, intent in enumerate(intents):
        name = intent.get("name") if isinstance(intent, dict) else None
        path = f"{where}[{ii}]"
        if not isinstance(name, str) or not (name.startswith("AMAZON.") or _NAME.match(name)):
            out.append(_err(path, f"intent name {name!r} must be letters and underscores"))
            continue
        path += f" ({name})"
        if name in by_name:
            out.append(_err(path, f"intent {name} is defined twice"))
        by_name[name] = intent
        slots: dict[str, str] = {}
        for si, slot in enumerate(intent.get("slots") or []):
            spath = f"{path}.slots[{si}]"
            sname, stype = slot.get("name"), slot.get("type")
            if not isinstance(sname, str) or not _NAME.match(sname):
                out.append(_err(spath, f"slot name {sname!r} must be letters and underscores"))
                continue
            if sname in slots:
                out.append(_err(spath, f"slot {sname} is defined twice in {name}"))
            slots[sname] = stype
            used_types.add(stype)
            if not isinstance(stype, str):
                out.append(_err(spath, f"slot {sname} has no type"))
            elif stype.startswith("AMAZON."):
                if stype not in KNOWN_BUILTIN_TYPES:
                    out.append(_warn(spath, f"built-in slot type {stype} is not one this validator knows"))
            elif stype not in types:
                out.append(_err(spath, f"slot {sname} uses undefined slot type {stype}"))
            for xi, sample in enumerate(slot.get("samples") or []):
                _sample_problems(sample, slots | {sname: stype}, f"{spath}.samples[{xi}]", out, slot_sample=True)
        seen: set[str] = set()
        for xi, sample in enumerate(intent.get("samples") or []):
            xpath = f"{path}.samples[{xi}]"
            if not _sample_problems(sample, slots, xpath, out):
                continue
            shape = _shape(sample, slots)
            if shape in seen:
                out.append(_warn(xpath, f"{sample!r} repeats an earlier sample of {name}"))
            seen.add(shape)
            other = sample_owner.get(shape)
            if other and other[0] != name:
                out.append(
                    _err(
                        xpath,
                        f"{sample!r} conflicts with {other[1]!r} of {other[0]}: "
                        "Alexa cannot tell the two intents apart",
                    )
                )
            sample_owner.setdefault(shape, (name, sample))
        if not name.startswith("AMAZON.") and not intent.get("samples"):
            out.append(_err(path, f"custom intent {name} has no sample utterances"))
    for builtin in REQUIRED_BUILTINS:
        if builtin not in by_name:
            out.append(_err(where, f"required built-in intent {builtin} is missing"))
    for tname in types:
        if tname not in used_types:
            out.append(_warn(f"$.interactionModel.languageModel.types ({tname})", f"slot type {tname} is not used"))
    return by_name


def _shape(sample: str, slots: dict[str, str]) -> str:
    """A sample with each slot replaced by its type: two intents with one shape are a conflict."""
    text = _SLOT_REF.sub(lambda m: "{" + str(slots.get(m.group(1).strip(), m.group(1))) + "}", sample)
    return " ".join(text.lower().split())


def _sample_problems(
    sample: Any, slots: dict[str, str], where: str, out: list[Problem], *, slot_sample: bool = False
) -> bool:
    if not isinstance(sample, str) or not sample.strip():
        out.append(_err(where, "empty sample utterance"))
        return False
    ok = True
    if len(sample) > LIMITS["sample_chars"]:
        out.append(_err(where, f"longer than {LIMITS['sample_chars']} characters"))
        ok = False
    if re.search(r"\d", _SLOT_REF.sub("", sample)):
        out.append(_err(where, f"{sample!r}: numbers must be written as words"))
        ok = False
    elif not _SAMPLE_CHARS.match(sample):
        out.append(_err(where, f"{sample!r}: only letters, spaces, periods, apostrophes and {{slots}} are allowed"))
        ok = False
    refs = _SLOT_REF.findall(sample)
    for ref in refs:
        if ref.strip() not in slots:
            out.append(_err(where, f"{sample!r} names slot {{{ref}}} which the intent does not define"))
            ok = False
    if len(refs) != len(set(refs)):
        out.append(_err(where, f"{sample!r} uses a slot twice"))
    search = [r for r in refs if slots.get(r.strip()) == "AMAZON.SearchQuery"]
    if search and not slot_sample and not _SLOT_REF.sub("", sample).strip():
        out.append(_err(where, f"{sample!r}: an AMAZON.SearchQuery slot needs a carrier phrase"))
    return ok


def _dialog_problems(im: dict[str, Any], intents: dict[str, dict[str, Any]], root: str, out: list[Problem]) -> None:
    prompts: dict[str, dict[str, Any]] = {}
    for pi, prompt in enumerate(im.get("prompts") or []):
        pid = (prompt or {}).get("id")
        if not pid:
            out.append(_err(f"{root}.prompts[{pi}]", "prompt without an id"))
            continue
        if pid in prompts:
            out.append(_err(f"{root}.prompts[{pi}]", f"prompt id {pid!r} is used twice"))
        if not (prompt.get("variations") or []):
            out.append(_err(f"{root}.prompts[{pi}]", f"prompt {pid!r} has no variations"))
        prompts[pid] = prompt
    used: set[str] = set()
    dialog = im.get("dialog")
    if not dialog:
        return
    for di, d in enumerate(dialog.get("intents") or []):
        name = d.get("name")
        path = f"{root}.dialog.intents[{di}] ({name})"
        intent = intents.get(name)
        if intent is None:
            out.append(_err(path, f"dialog rules for intent {name} which the language model does not define"))
            continue
        slot_types = {s.get("name"): s.get("type") for s in intent.get("slots") or []}
        slot_samples = {s.get("name"): s.get("samples") for s in intent.get("slots") or []}
        if d.get("confirmationRequired"):
            pid = (d.get("prompts") or {}).get("confirmation")
            _prompt_ref(pid, prompts, slot_types, f"{path}.prompts.confirmation", out, used)
        for si, slot in enumerate(d.get("slots") or []):
            sname = slot.get("name")
            spath = f"{path}.slots[{si}] ({sname})"
            if sname not in slot_types:
                out.append(_err(spath, f"dialog slot {sname} is not a slot of {name}"))
                continue
            if slot.get("type") != slot_types[sname]:
                out.append(
                    _err(spath, f"type {slot.get('type')} differs from the language model's {slot_types[sname]}")
                )
            sprompts = slot.get("prompts") or {}
            if slot.get("elicitationRequired"):
                _prompt_ref(sprompts.get("elicitation"), prompts, slot_types, f"{spath}.prompts.elicitation", out, used)
                if not slot_samples.get(sname):
                    out.append(_warn(spath, f"required slot {sname} has no slot samples for elicitation"))
            if slot.get("confirmationRequired"):
                _prompt_ref(
                    sprompts.get("confirmation"), prompts, slot_types, f"{spath}.prompts.confirmation", out, used
                )
            for vi, rule in enumerate(slot.get("validations") or []):
                vpath = f"{spath}.validations[{vi}]"
                if rule.get("type") not in _VALIDATION_TYPES:
                    out.append(_err(vpath, f"unknown validation type {rule.get('type')!r}"))
                _prompt_ref(rule.get("prompt"), prompts, slot_types, f"{vpath}.prompt", out, used)
    for pid in prompts:
        if pid not in used:
            out.append(_warn(f"{root}.prompts ({pid})", "prompt is not used by any dialog rule"))


def _prompt_ref(
    pid: Any,
    prompts: dict[str, dict[str, Any]],
    slot_types: dict[str, Any],
    where: str,
    out: list[Problem],
    used: set[str],
) -> None:
    if not pid:
        out.append(_err(where, "a prompt is required here"))
        return
    prompt = prompts.get(pid)
    if prompt is None:
        out.append(_err(where, f"prompt {pid!r} is not defined in prompts"))
        return
    used.add(pid)
    for vi, variation in enumerate(prompt.get("variations") or []):
        for ref in _SLOT_REF.findall(str(variation.get("value", ""))):
            if ref not in slot_types:
                out.append(
                    _err(
                        f"{where} → {pid}.variations[{vi}]",
                        f"prompt names slot {{{ref}}} which the intent does not define",
                    )
                )


# --- the manifest ---------------------------------------------------------------------------------------


def validate_manifest(manifest: dict[str, Any], models: dict[str, dict[str, Any]] | None = None) -> list[Problem]:
    """Problems of a skill.json; with `models` (locale → interaction model) also checks they agree."""
    if not isinstance(manifest, dict) or not isinstance(manifest.get("manifest"), dict):
        return [_err("$", 'not a skill manifest: expected {"manifest": {...}}')]
    problems = _round_trip_problems(manifest, _SMAPI_MANIFEST, "$")
    m = manifest["manifest"]
    root = "$.manifest"
    if m.get("manifestVersion") != "1.0":
        problems.append(_err(f"{root}.manifestVersion", 'must be "1.0"'))
    locales = ((m.get("publishingInformation") or {}).get("locales")) or {}
    if not locales:
        problems.append(_err(f"{root}.publishingInformation.locales", "at least one locale is required"))
    custom = (m.get("apis") or {}).get("custom")
    if custom is None:
        problems.append(_err(f"{root}.apis.custom", "a custom skill needs apis.custom"))
    else:
        uri = ((custom.get("endpoint") or {}).get("uri")) or ""
        if uri and not (uri.startswith("https://") or uri.startswith("arn:aws:lambda:")):
            problems.append(_err(f"{root}.apis.custom.endpoint.uri", f"{uri!r}: must be https:// or a Lambda ARN"))
    for locale, info in locales.items():
        lpath = f"{root}.publishingInformation.locales.{locale}"
        for key in ("name", "summary", "description"):
            if not (info or {}).get(key):
                problems.append(_err(f"{lpath}.{key}", "required for publishing"))
        phrases = (info or {}).get("examplePhrases") or []
        if not 1 <= len(phrases) <= 3:
            problems.append(_err(f"{lpath}.examplePhrases", "give one to three example phrases"))
        model = (models or {}).get(locale)
        if models is not None and model is None:
            problems.append(_warn(lpath, f"no interaction model was built for {locale}"))
        invocation = (model or {}).get("interactionModel", {}).get("languageModel", {}).get("invocationName")
        for pi, phrase in enumerate(phrases):
            ppath = f"{lpath}.examplePhrases[{pi}]"
            if pi == 0 and not phrase.startswith("Alexa, "):
                problems.append(_err(ppath, f'{phrase!r}: the first example phrase must start with "Alexa, "'))
            if invocation and pi == 0 and invocation not in phrase.lower():
                problems.append(_err(ppath, f"{phrase!r} does not use the invocation name {invocation!r}"))
    privacy = m.get("privacyAndCompliance") or {}
    if "allowsPurchases" not in privacy:
        problems.append(_err(f"{root}.privacyAndCompliance.allowsPurchases", "must be declared"))
    return problems


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def group_by_severity(problems: list[Problem]) -> dict[str, list[Problem]]:
    out: dict[str, list[Problem]] = defaultdict(list)
    for p in problems:
        out[p.severity].append(p)
    return out
