"""Reading a skill's response envelope the way the device does: validate its shape, turn SSML into
the words a person would hear, and pull out cards, directives and the session decision."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import NoReturn

from device_sim.transports import SkillError

# Limits Alexa enforces on a response; a skill over them gets "a problem with the requested skill's response".
MAX_RESPONSE_BYTES = 24 * 1024
MAX_SPEECH_CHARS = 8000
CARD_TYPES = {"Simple", "Standard", "LinkAccount", "AskForPermissionsConsent"}
SPEECH_TYPES = {"PlainText", "SSML"}


@dataclass
class SkillResponse:
    speech: str = ""
    ssml: str | None = None
    reprompt: str | None = None
    card: dict | None = None
    directives: list[dict] = field(default_factory=list)
    should_end_session: bool | None = None
    session_attributes: dict = field(default_factory=dict)

    def directive(self, kind: str) -> dict | None:
        return next((d for d in self.directives if d.get("type") == kind), None)


def read_response(payload: dict) -> SkillResponse:
    """Validate a decoded response envelope; raises SkillError('invalid_response', why) on a bad one."""
    if len(json.dumps(payload).encode("utf-8")) > MAX_RESPONSE_BYTES:
        _invalid(f"the response is larger than {MAX_RESPONSE_BYTES // 1024} KB")
    if not isinstance(payload.get("version"), str):
        _invalid("the response has no 'version' string")
    body = payload.get("response")
    if not isinstance(body, dict):
        _invalid("the response has no 'response' object")
    attributes = payload.get("sessionAttributes")
    attributes = {} if attributes is None else attributes
    if not isinstance(attributes, dict):
        _invalid("'sessionAttributes' must be an object")
    result = SkillResponse(session_attributes=attributes)
    if body.get("outputSpeech") is not None:
        result.speech, result.ssml = _speech(body["outputSpeech"], "outputSpeech")
    reprompt = body.get("reprompt")
    if reprompt is not None:
        if not isinstance(reprompt, dict) or not isinstance(reprompt.get("outputSpeech"), dict):
            _invalid("'reprompt' must hold an 'outputSpeech' object")
        result.reprompt = _speech(reprompt["outputSpeech"], "reprompt")[0]
    card = body.get("card")
    if card is not None:
        if not isinstance(card, dict) or card.get("type") not in CARD_TYPES:
            _invalid(f"card type must be one of {sorted(CARD_TYPES)}")
        result.card = card
    directives = body.get("directives") or []
    if not isinstance(directives, list) or not all(
        isinstance(d, dict) and isinstance(d.get("type"), str) for d in directives
    ):
        _invalid("'directives' must be a list of objects with a 'type'")
    result.directives = directives
    end = body.get("shouldEndSession")
    if end is not None and not isinstance(end, bool):
        _invalid("'shouldEndSession' must be true, false or absent")
    result.should_end_session = end
    return result


def _speech(speech: object, where: str) -> tuple[str, str | None]:
    if not isinstance(speech, dict) or speech.get("type") not in SPEECH_TYPES:
        _invalid(f"{where} type must be PlainText or SSML")
    if speech["type"] == "PlainText":
        text = speech.get("text")
        if not isinstance(text, str):
            _invalid(f"{where} PlainText has no 'text'")
        if len(text) > MAX_SPEECH_CHARS:
            _invalid(f"{where} is longer than {MAX_SPEECH_CHARS} characters")
        return text.strip(), None
    ssml = speech.get("ssml")
    if not isinstance(ssml, str):
        _invalid(f"{where} SSML has no 'ssml'")
    if len(ssml) > MAX_SPEECH_CHARS:
        _invalid(f"{where} is longer than {MAX_SPEECH_CHARS} characters")
    return ssml_to_text(ssml, where), ssml


def ssml_to_text(ssml: str, where: str = "outputSpeech") -> str:
    """The words a listener hears; raises SkillError when the SSML is not well-formed <speak> markup."""
    try:
        root = ET.fromstring(ssml.strip())
    except ET.ParseError as exc:
        raise SkillError("invalid_response", f"{where} SSML is not well-formed: {exc}") from exc
    if _local(root.tag) != "speak":
        raise SkillError("invalid_response", f"{where} SSML must be wrapped in <speak>")
    parts: list[str] = []
    _collect(root, parts)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _collect(node: ET.Element, parts: list[str]) -> None:
    tag = _local(node.tag)
    if tag == "audio":
        parts.append(" [audio] ")
    elif tag == "break":
        parts.append(" ")
    elif tag == "sub" and node.get("alias"):
        parts.append(node.get("alias", ""))
    else:
        if tag in {"p", "s"}:
            parts.append(" ")  # paragraphs and sentences are separated by a pause
        parts.append(node.text or "")
        for child in node:
            _collect(child, parts)
            parts.append(child.tail or "")
        if tag in {"p", "s"}:
            parts.append(" ")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _invalid(why: str) -> NoReturn:
    raise SkillError("invalid_response", why)
