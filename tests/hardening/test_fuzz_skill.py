"""Fuzzing the skill: whatever a signed request or an utterance holds, the customer gets a valid answer (or
the endpoint a 400), never a server error and never the catch-all apology of a crashed handler."""

from __future__ import annotations

import logging

import pytest
from fuzz_strategies import fuzz_examples, long_run, request_envelopes, utterances
from hardening_support import body_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# What the skill's catch-all exception handler and the endpoint log when a handler (or the SDK) raised: the
# customer hears an apology with status 200, so only the log tells a crash from an answer.
CRASH_LOGS = ("skill handler failed", "skill failed on ")


class CrashLog(logging.Handler):
    """Collects the skill's own report of a handler that raised (it answers with an apology, status 200)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.crashes: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith(CRASH_LOGS):
            self.crashes.append(self.format(record))


@pytest.fixture
def crash_log():
    handler = CrashLog()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)


@settings(
    max_examples=fuzz_examples(60),
    deadline=None,
    derandomize=not long_run(),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_signed_envelope_gets_a_valid_answer_or_400(served, crash_log, data):
    env = data.draw(request_envelopes(served.backend.clock.now()))
    response = served.post_signed(body_of(env))
    assert response.status_code in (200, 400), (response.status_code, response.get_data(as_text=True))
    payload = response.get_json()
    if response.status_code == 200:
        assert payload["version"] == "1.0" and isinstance(payload["response"], dict), payload
    else:
        # A mutation can remove the skill id, which verification refuses; nothing else may be refused.
        refused_for = payload["error"], payload.get("reason")
        assert refused_for in (
            ("invalid_envelope", None),
            ("unknown_request_type", None),
            ("malformed_json", None),
            ("verification_failed", "missing_skill_id"),
            ("verification_failed", "wrong_skill_id"),
        ), payload
    assert not crash_log.crashes, crash_log.crashes[0]


@pytest.fixture(scope="module")
def speaker(served):
    """A simulated Echo of the demo household, talking to the served skill in process."""
    from device_sim.device import Device
    from device_sim.skill_loader import SkillEndpoint
    from intents.model import load_model
    from skills.app import SKILL_ID, build_skill

    skill = build_skill(served.backend)
    endpoint = SkillEndpoint.of(skill, load_model("en-US"), application_id=SKILL_ID, name="voicecart")
    with Device(endpoint, clock=served.backend.clock, cloud=False) as device:
        device.say("alexa, open voice cart")
        yield device


@settings(
    max_examples=fuzz_examples(40),
    deadline=None,
    derandomize=not long_run(),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=utterances)
def test_any_utterance_gets_a_valid_answer(speaker, crash_log, text):
    turn = speaker.say(text)
    assert turn.error is None, (text, turn.error)
    assert not crash_log.crashes, (text, crash_log.crashes[0])
    if turn.session_ended:
        speaker.say("alexa, open voice cart")


def test_the_crash_detector_hears_both_kinds_of_crash(crash_log):
    """The fuzz tests pass only if this log stays empty, so it must hear what the skill logs on a crash."""
    logging.getLogger("skills.common.handlers").error("skill handler failed")
    logging.getLogger("skills.hosting.endpoint").error("skill failed on %s", "IntentRequest")
    logging.getLogger("skills.common.handlers").error("something else")
    assert len(crash_log.crashes) == 2
