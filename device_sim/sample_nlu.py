"""The simulator's own language understanding, used when the `intents` package's NluEngine is not
installed: it matches what was said against the model's sample utterances (slots as wildcards),
converts built-in slot types to Alexa's value formats and resolves custom slot values against the
model's slot types and any dynamic entities.

It honours the same contract as intents.nlu.NluEngine (parse -> NluResult) but does no fuzzy matching:
a phrase must follow one of the samples, after punctuation and case are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from device_sim import spoken

# What people say for the built-in intents when a model lists them without samples.
BUILTIN_SAMPLES: dict[str, list[str]] = {
    "AMAZON.YesIntent": [
        "yes",
        "yeah",
        "yep",
        "sure",
        "ok",
        "okay",
        "correct",
        "yes please",
        "that's right",
        "please do",
        "do it",
        "go ahead",
        "right",
    ],
    "AMAZON.NoIntent": ["no", "nope", "nah", "no thanks", "no thank you", "not now", "wrong"],
    "AMAZON.StopIntent": ["stop", "off", "shut up", "be quiet", "alexa stop"],
    "AMAZON.CancelIntent": ["cancel", "never mind", "nevermind", "forget it", "alexa cancel"],
    "AMAZON.HelpIntent": ["help", "help me", "what can i say", "what can you do", "how does this work"],
    "AMAZON.NavigateHomeIntent": ["go home", "home", "go back home"],
    "AMAZON.RepeatIntent": ["repeat", "say that again", "repeat that", "what did you say"],
    "AMAZON.StartOverIntent": ["start over", "restart", "start again"],
    "AMAZON.NextIntent": ["next", "skip"],
    "AMAZON.PreviousIntent": ["previous", "go back", "back"],
    "AMAZON.PauseIntent": ["pause"],
    "AMAZON.ResumeIntent": ["resume", "continue"],
}

CONVERTERS = {
    "AMAZON.NUMBER": spoken.to_number,
    "AMAZON.FOUR_DIGIT_NUMBER": spoken.to_digits,
    "AMAZON.DURATION": spoken.to_duration,
    "AMAZON.TIME": spoken.to_time,
}


def normalize(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^\w\s':.{}-]", " ", text)
    text = re.sub(r"(?<!\d)[.:](?!\d)", " ", text)  # keep 7:30 and 2.5, drop sentence punctuation
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class SlotMatch:
    name: str
    slot_type: str
    value: str | None
    resolutions: dict | None = None

    def to_alexa(self) -> dict:
        slot: dict = {"name": self.name, "confirmationStatus": "NONE", "source": "USER"}
        if self.value is not None:
            slot["value"] = self.value
        if self.resolutions:
            slot["resolutions"] = self.resolutions
        return slot


@dataclass
class NluResult:
    intent: str
    slots: dict[str, SlotMatch] = field(default_factory=dict)
    confidence: float = 0.0

    def to_alexa_intent(self) -> dict:
        return {
            "name": self.intent,
            "confirmationStatus": "NONE",
            "slots": {name: slot.to_alexa() for name, slot in self.slots.items()},
        }


@dataclass
class _Sample:
    intent: str
    pattern: re.Pattern[str]
    literal_words: int
    slot_names: list[str]


class SampleNlu:
    def __init__(
        self, interaction_model: dict, *, locale: str = "en-US", skill_id: str = "amzn1.ask.skill.simulated"
    ) -> None:
        language = interaction_model.get("interactionModel", interaction_model).get("languageModel", {})
        self.locale = locale
        self.skill_id = skill_id
        self.slot_types: dict[str, dict[str, str]] = {}  # type -> normalized spoken form -> canonical
        self._values: dict[str, dict[str, dict]] = {}  # type -> canonical name -> {"id","name"}
        for slot_type in language.get("types", []):
            self._index_type(slot_type["name"], slot_type.get("values", []), self.slot_types, self._values)
        self.intent_slots: dict[str, dict[str, str]] = {}
        self._samples: list[_Sample] = []
        for intent in language.get("intents", []):
            name = intent["name"]
            slots = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
            self.intent_slots[name] = slots
            samples = list(intent.get("samples", [])) + BUILTIN_SAMPLES.get(name, [])
            for sample in samples:
                self._samples.append(self._compile(name, sample, slots))

    @classmethod
    def from_file(cls, path: str | Path) -> SampleNlu:
        from device_sim.skill_loader import load_model

        return cls(load_model(path))

    def parse(
        self, text: str, *, dynamic_entities: list[dict] | None = None, expected_intents: Collection[str] | None = None
    ) -> NluResult:
        said = normalize(text)
        dynamic: dict[str, dict[str, str]] = {}
        dynamic_values: dict[str, dict[str, dict]] = {}
        for slot_type in dynamic_entities or []:
            self._index_type(slot_type.get("name", ""), slot_type.get("values", []), dynamic, dynamic_values)
        best: tuple[float, NluResult] | None = None
        for sample in self._samples:
            match = sample.pattern.fullmatch(said)
            if not match:
                continue
            scored = self._score(sample, match, dynamic, dynamic_values, expected_intents)
            if scored and (best is None or scored[0] > best[0]):
                best = scored
        if best is None:
            return self._empty("AMAZON.FallbackIntent", 0.0)
        return best[1]

    def _score(
        self,
        sample: _Sample,
        match: re.Match[str],
        dynamic: dict,
        dynamic_values: dict,
        expected: Collection[str] | None,
    ) -> tuple[float, NluResult] | None:
        result = self._empty(sample.intent, 1.0)
        score = sample.literal_words * 2.0
        for slot_name in sample.slot_names:
            raw = match.group(slot_name).strip()
            slot_type = self.intent_slots[sample.intent][slot_name]
            converter = CONVERTERS.get(slot_type)
            if converter is not None:
                value = converter(raw)
                if value is None:
                    return None  # "add blue to my cart" is not a quantity
                result.slots[slot_name].value = value
                score += 1.0
                continue
            result.slots[slot_name].value = raw
            resolutions = self._resolve(slot_type, raw, dynamic, dynamic_values)
            result.slots[slot_name].resolutions = resolutions
            if resolutions is not None:
                matched = any(r["status"]["code"] == "ER_SUCCESS_MATCH" for r in resolutions["resolutionsPerAuthority"])
                score += 1.0 if matched else -0.5
                if not matched:
                    result.confidence = min(result.confidence, 0.6)
            else:
                score += 0.25  # a free-form slot (SearchQuery, FirstName) takes anything
        if expected and sample.intent in expected:
            score += 1.5
        return score, result

    def _empty(self, intent: str, confidence: float) -> NluResult:
        slots = {
            name: SlotMatch(name, slot_type, None) for name, slot_type in self.intent_slots.get(intent, {}).items()
        }
        return NluResult(intent, slots, confidence)

    def _resolve(self, slot_type: str, raw: str, dynamic: dict, dynamic_values: dict) -> dict | None:
        if slot_type not in self.slot_types and slot_type not in dynamic:
            return None
        said = normalize(raw)
        authorities = []
        if slot_type in dynamic:
            authorities.append(
                self._authority(
                    f"amzn1.er-authority.echo-sdk.dynamic.{self.skill_id}.{slot_type}",
                    dynamic[slot_type].get(said),
                    dynamic_values[slot_type],
                )
            )
        if slot_type in self.slot_types:
            authorities.append(
                self._authority(
                    f"amzn1.er-authority.echo-sdk.{self.skill_id}.{slot_type}",
                    self.slot_types[slot_type].get(said),
                    self._values[slot_type],
                )
            )
        return {"resolutionsPerAuthority": authorities}

    @staticmethod
    def _authority(authority: str, canonical: str | None, values: dict[str, dict]) -> dict:
        if canonical is None:
            return {"authority": authority, "status": {"code": "ER_SUCCESS_NO_MATCH"}}
        return {
            "authority": authority,
            "status": {"code": "ER_SUCCESS_MATCH"},
            "values": [{"value": values[canonical]}],
        }

    @staticmethod
    def _index_type(name: str, values: list[dict], forms: dict, canon: dict) -> None:
        forms.setdefault(name, {})
        canon.setdefault(name, {})
        for value in values:
            spoken_name = value.get("name", {})
            canonical = spoken_name.get("value", "")
            if not canonical:
                continue
            canon[name][canonical] = {"name": canonical, "id": value.get("id") or canonical}
            for form in [canonical, *spoken_name.get("synonyms", [])]:
                forms[name].setdefault(normalize(form), canonical)

    @staticmethod
    def _compile(intent: str, sample: str, slots: dict[str, str]) -> _Sample:
        parts, literal_words, names = [], 0, []
        for token in re.split(r"(\{[^}]+\})", normalize(sample)):
            token = token.strip()
            if not token:
                continue
            if token.startswith("{") and token.endswith("}"):
                name = token[1:-1]
                if name not in slots:
                    raise ValueError(f"sample {sample!r} of {intent} names unknown slot {name!r}")
                if name in names:
                    parts.append(f"(?P={name})")
                else:
                    names.append(name)
                    parts.append(f"(?P<{name}>.+?)")
            else:
                words = token.split()
                literal_words += len(words)
                parts.append(r"\s+".join(re.escape(w) for w in words))
        return _Sample(intent, re.compile(r"\s+".join(parts) if parts else "^$"), literal_words, names)
