"""Alexa's side of dialog management, driven by the skill's dialog model.

`DialogModel` answers one question: given a partly filled intent, what does Alexa ask next (elicit a
slot, confirm a slot, confirm the intent), and with which prompt. `PendingStep` remembers that question
until the user answers it on the next turn.
"""

from __future__ import annotations

import copy
import random
import re
from dataclasses import dataclass

ELICIT, CONFIRM_SLOT, CONFIRM_INTENT = "elicit", "confirm_slot", "confirm_intent"


@dataclass
class PendingStep:
    kind: str  # ELICIT, CONFIRM_SLOT or CONFIRM_INTENT
    intent: dict  # the intent as Alexa will send it back, slots filled so far
    slot: str | None
    origin: str  # "delegate" (Dialog.Delegate), "skill" (Elicit/Confirm directive) or "auto"
    prompt: str = ""


@dataclass
class NextStep:
    kind: str
    slot: str | None
    prompt: str


class DialogModel:
    def __init__(self, model: dict, *, rng: random.Random | None = None) -> None:
        root = model.get("interactionModel", model)
        dialog = root.get("dialog") or {}
        self._strategy = dialog.get("delegationStrategy", "SKILL_RESPONSE")
        self._intents = {i["name"]: i for i in dialog.get("intents", [])}
        self._prompts = {p["id"]: p.get("variations", []) for p in root.get("prompts", [])}
        self._slot_samples: dict[tuple[str, str], list[str]] = {}
        for intent in root.get("languageModel", {}).get("intents", []):
            for slot in intent.get("slots", []):
                self._slot_samples[(intent["name"], slot["name"])] = list(slot.get("samples", []))
        self._rng = rng or random.Random(0)

    def has_dialog(self, intent_name: str) -> bool:
        return intent_name in self._intents

    def auto_delegates(self, intent_name: str) -> bool:
        rules = self._intents.get(intent_name)
        if rules is None:
            return False
        return rules.get("delegationStrategy", self._strategy) == "ALWAYS"

    def slot_samples(self, intent_name: str, slot: str) -> list[str]:
        return self._slot_samples.get((intent_name, slot), [])

    def next_step(self, intent: dict) -> NextStep | None:
        """What Alexa asks next for this intent; None when the dialog is complete.

        May change `intent`: a denied or invalid slot value is cleared before it is asked for again.
        """
        rules = self._intents.get(intent["name"])
        if rules is None:
            return None
        slots = intent.setdefault("slots", {})
        for rule in rules.get("slots", []):
            name = rule["name"]
            slot = slots.setdefault(name, {"name": name, "confirmationStatus": "NONE"})
            prompts = rule.get("prompts", {})
            if slot.get("value") and slot.get("confirmationStatus") == "DENIED":
                _clear(slot)
            if slot.get("value"):
                failed = self._failed_validation(rule, slot)
                if failed is not None:
                    _clear(slot)
                    return NextStep(ELICIT, name, self.prompt(failed, intent))
            if not slot.get("value") and rule.get("elicitationRequired") and prompts.get("elicitation"):
                return NextStep(ELICIT, name, self.prompt(prompts["elicitation"], intent))
            if (
                slot.get("value")
                and rule.get("confirmationRequired")
                and prompts.get("confirmation")
                and slot.get("confirmationStatus", "NONE") == "NONE"
            ):
                return NextStep(CONFIRM_SLOT, name, self.prompt(prompts["confirmation"], intent))
        prompts = rules.get("prompts", {})
        if (
            rules.get("confirmationRequired")
            and prompts.get("confirmation")
            and intent.get("confirmationStatus", "NONE") == "NONE"
        ):
            return NextStep(CONFIRM_INTENT, None, self.prompt(prompts["confirmation"], intent))
        return None

    def prompt(self, prompt_id: str, intent: dict) -> str:
        """A randomly chosen variation of a prompt with {slot} references filled from the intent."""
        variations = self._prompts.get(prompt_id)
        if not variations:
            raise KeyError(f"the model has no prompt {prompt_id!r}")
        chosen = self._rng.choice(variations)
        text = chosen.get("value", "")
        if chosen.get("type") == "SSML":
            from device_sim.responses import ssml_to_text

            text = ssml_to_text(text, f"prompt {prompt_id}")
        values = {name: slot.get("value") or "" for name, slot in intent.get("slots", {}).items()}
        return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), text).strip()

    def _failed_validation(self, rule: dict, slot: dict) -> str | None:
        """The prompt of the first validation rule the slot value breaks, if any."""
        value = str(slot.get("value", ""))
        for check in rule.get("validations", []):
            kind = check.get("type")
            ok = True
            if kind == "hasEntityResolutionMatch":
                ok = _resolved_id(slot) is not None
            elif kind in {"isInSet", "isNotInSet"}:
                allowed = {v.lower() for v in check.get("values", [])}
                inside = value.lower() in allowed or (_resolved_id(slot) or "").lower() in allowed
                ok = inside if kind == "isInSet" else not inside
            elif kind in _COMPARE:
                try:
                    ok = _COMPARE[kind](float(value), float(check.get("value")))
                except (TypeError, ValueError):
                    ok = False
            if not ok:
                return check.get("prompt")
        return None


_COMPARE = {
    "isGreaterThan": lambda a, b: a > b,
    "isGreaterThanOrEqualTo": lambda a, b: a >= b,
    "isLessThan": lambda a, b: a < b,
    "isLessThanOrEqualTo": lambda a, b: a <= b,
}


def _clear(slot: dict) -> None:
    for key in ("value", "resolutions", "slotValue"):
        slot.pop(key, None)
    slot["confirmationStatus"] = "NONE"


def _resolved_id(slot: dict) -> str | None:
    for authority in (slot.get("resolutions") or {}).get("resolutionsPerAuthority", []):
        if authority.get("status", {}).get("code") == "ER_SUCCESS_MATCH" and authority.get("values"):
            return authority["values"][0]["value"].get("id")
    return None


def elicitation_model(model: dict, intent_name: str, slot: str, slot_samples: list[str]) -> dict:
    """A one-intent model for understanding the answer to "which product?": the slot's own
    elicitation samples, the bare slot, and the intent's samples; the slot types are kept."""
    root = model.get("interactionModel", model)
    language = root.get("languageModel", {})
    source = next(i for i in language.get("intents", []) if i["name"] == intent_name)
    intent = copy.deepcopy(source)
    intent["samples"] = list(dict.fromkeys([*slot_samples, "{" + slot + "}", *source.get("samples", [])]))
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": language.get("invocationName", ""),
                "intents": [intent],
                "types": language.get("types", []),
            }
        }
    }


def merge_slots(intent: dict, heard: dict) -> None:
    """Copies the slots the user just filled (Alexa slot dicts) into the intent being built."""
    slots = intent.setdefault("slots", {})
    for name, slot in heard.get("slots", {}).items():
        if slot.get("value") is not None:
            merged = dict(slot)
            merged["confirmationStatus"] = "NONE"
            slots[name] = merged
