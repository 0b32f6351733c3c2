"""One turn at the speaker: what was said, what the skill understood and answered."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Turn:
    you: str
    skill: str | None = None
    request_type: str | None = None  # LaunchRequest, IntentRequest, SessionEndedRequest; None if the device answered
    intent: str | None = None
    slots: dict[str, dict] = field(default_factory=dict)  # filled slots: {"value", "id", "confirmation"}
    dialog_state: str | None = None
    speech: str = ""
    ssml: str | None = None
    reprompt: str | None = None
    card: dict | None = None
    directives: list[dict] = field(default_factory=list)
    session_ended: bool = True
    error: str | None = None
    events: list[str] = field(default_factory=list)  # things the device did on its own: chimes, reminders
    exchanges: list[tuple[dict, dict | None]] = field(default_factory=list)  # (request envelope, response)
    skill_log: list[str] = field(default_factory=list)  # what the skill logged at ERROR level (root causes)
    unstubbed: list[str] = field(default_factory=list)  # outbound HTTP calls no declared stub answered

    def slot_value(self, name: str) -> str | None:
        return (self.slots.get(name) or {}).get("value")

    def slot_id(self, name: str) -> str | None:
        return (self.slots.get(name) or {}).get("id")

    def to_json(self, *, envelopes: bool = False) -> dict:
        data = {
            "you": self.you,
            "skill": self.skill,
            "request": self.request_type,
            "intent": self.intent,
            "slots": self.slots,
            "dialog_state": self.dialog_state,
            "speech": self.speech,
            "reprompt": self.reprompt,
            "card": self.card,
            "directives": self.directives,
            "session_ended": self.session_ended,
            "error": self.error,
            "events": self.events,
            "skill_log": self.skill_log,
            "unstubbed": self.unstubbed,
        }
        if envelopes:
            data["exchanges"] = [{"request": req, "response": resp} for req, resp in self.exchanges]
        return data


def describe_slots(intent: dict) -> dict[str, dict]:
    """The filled slots of an Alexa intent dict, with the first resolved id when entity resolution matched."""
    described = {}
    for name, slot in (intent.get("slots") or {}).items():
        if slot.get("value") is None:
            continue
        entry = {"value": slot["value"], "id": None, "confirmation": slot.get("confirmationStatus", "NONE")}
        for authority in (slot.get("resolutions") or {}).get("resolutionsPerAuthority", []):
            if authority.get("status", {}).get("code") == "ER_SUCCESS_MATCH" and authority.get("values"):
                entry["id"] = authority["values"][0]["value"].get("id")
                entry["resolved"] = authority["values"][0]["value"].get("name")
                break
        described[name] = entry
    return described
