"""Hypothesis strategies for what a hostile or confused client can send the skill: request envelopes (the
right shape with wrong contents, and the wrong shape) and utterances. Example counts come from
VOICECART_FUZZ_EXAMPLES, so the normal suite stays bounded and `voicecart bench fuzz` can run long."""

from __future__ import annotations

import os
from datetime import datetime

from hardening_support import DEMO_PERSON, DEMO_USER, RIVAL_DEVICE, RIVAL_PERSON, RIVAL_USER, envelope
from hypothesis import strategies as st

from intents.model import load_model


def fuzz_examples(default: int) -> int:
    """How many examples a fuzz test runs: its bounded default, or VOICECART_FUZZ_EXAMPLES for a long run."""
    raw = os.environ.get("VOICECART_FUZZ_EXAMPLES", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else default


def long_run() -> bool:
    """A long, randomised run (`voicecart bench fuzz`); the bounded run in the suite uses fixed examples, so a
    CI result does not depend on the luck of the draw (the long run is where new inputs are searched for)."""
    raw = os.environ.get("VOICECART_FUZZ_EXAMPLES", "")
    return raw.isdigit() and int(raw) > 0


_MODEL = load_model("en-US")["interactionModel"]["languageModel"]
INTENT_SLOTS: dict[str, list[str]] = {
    intent["name"]: [slot["name"] for slot in intent.get("slots", [])] for intent in _MODEL["intents"]
}
SAMPLES: list[str] = sorted({s for intent in _MODEL["intents"] for s in intent.get("samples", [])})

# Text a person (or an attacker with a recording) could make the speech recogniser produce, and worse.
hostile_text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "99999999999999999999",
            "1e309",
            "NaN",
            "two and a half",
            "½",
            "'; DROP TABLE orders; --",
            "<speak>hi</speak>",
            "&amp;",
            "\x00",
            "\u202e",
            "ñandú",
            "a" * 500,
            "pamper swaddlers size three",
            "maya",
            "Zebulon",
            "garage tide button",
            "yesterday at 25 o'clock",
            "PT9999H",
            "2026-02-30",
            "four ounces",
            "minus three",
        ]
    ),
)

json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), hostile_text)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(hostile_text, inner, max_size=3)),
    max_leaves=8,
)

REQUEST_TYPES = [
    "LaunchRequest",
    "IntentRequest",
    "SessionEndedRequest",
    "CanFulfillIntentRequest",
    "Connections.Response",
    "Alexa.Presentation.APL.UserEvent",
    "Reminders.ReminderCreated",
    "AlexaSkillEvent.SkillEnabled",
    "Messaging.MessageReceived",
]


@st.composite
def request_envelopes(draw, now: datetime) -> dict:
    """A request envelope as Alexa would shape it, with hostile slot values, identities, session attributes
    and, sometimes, a field removed or replaced by junk."""
    intent = draw(st.sampled_from(sorted(INTENT_SLOTS)) | hostile_text)
    names = INTENT_SLOTS.get(intent, [])
    slot_names = draw(st.lists(st.sampled_from(names) if names else hostile_text, max_size=4, unique=True))
    user, person, device = draw(
        st.sampled_from(
            [
                (DEMO_USER, DEMO_PERSON, "amzn1.ask.device.demo-kitchen-echo"),
                (DEMO_USER, None, "amzn1.ask.device.unknown"),
                (RIVAL_USER, RIVAL_PERSON, RIVAL_DEVICE),
                ("amzn1.ask.account.nobody", None, "amzn1.ask.device.nobody"),
                (DEMO_USER, RIVAL_PERSON, RIVAL_DEVICE),
            ]
        )
    )
    env = envelope(
        now,
        request_type=draw(st.sampled_from(REQUEST_TYPES)),
        intent=intent,
        slots={name: draw(hostile_text) for name in slot_names},
        user_id=user,
        person_id=person,
        device_id=device,
        new_session=draw(st.booleans()),
    )
    request = env["request"]
    if draw(st.booleans()):
        request["dialogState"] = draw(st.sampled_from(["STARTED", "IN_PROGRESS", "COMPLETED", "BOGUS"]))
    if draw(st.booleans()):
        request["intent"]["confirmationStatus"] = draw(st.sampled_from(["CONFIRMED", "DENIED", "NONE", "MAYBE"]))
    if draw(st.booleans()):
        env["session"]["attributes"] = draw(st.dictionaries(hostile_text, json_value, max_size=4))
    for _ in range(draw(st.integers(0, 2))):
        _mutate(draw, env)
    return env


def _mutate(draw, env: dict) -> None:  # noqa: ANN001 - hypothesis' draw
    """Delete a field or give it a value of the wrong type, anywhere in the envelope except the request id
    and timestamp (a request without those is refused before any handler runs, which other tests cover)."""
    paths: list[tuple[dict, str]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key not in ("requestId", "timestamp", "applicationId", "version"):
                    paths.append((node, key))
                walk(value)

    walk(env)
    if not paths:
        return
    parent, key = draw(st.sampled_from(paths))
    if draw(st.booleans()):
        parent.pop(key, None)
    else:
        parent[key] = draw(json_value)


utterances = st.one_of(
    hostile_text,
    st.sampled_from(SAMPLES).flatmap(
        lambda sample: (
            st.just(sample) | st.builds(lambda word: sample.replace("{", "").replace("}", " " + word), hostile_text)
        )
    ),
)
