"""What the language engine hands a skill: an intent, its slots as Alexa sends them, a confidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FALLBACK = "AMAZON.FallbackIntent"


@dataclass
class SlotMatch:
    name: str
    slot_type: str
    value: str | None  # the words as said (built-in types: Alexa's normalised value), None if empty
    resolutions: dict[str, Any] | None = None  # {"resolutionsPerAuthority": [...]} or None

    def to_alexa(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "confirmationStatus": "NONE"}
        if self.value is not None:
            out["value"] = self.value
            out["source"] = "USER"
        if self.resolutions:
            out["resolutions"] = self.resolutions
        return out


@dataclass
class NluResult:
    intent: str
    slots: dict[str, SlotMatch]
    confidence: float

    def to_alexa_intent(self) -> dict[str, Any]:
        return {
            "name": self.intent,
            "confirmationStatus": "NONE",
            "slots": {name: slot.to_alexa() for name, slot in self.slots.items()},
        }
