"""Over HTTP the device signs requests like Alexa; a verifying endpoint accepts them and refuses unsigned ones."""

from __future__ import annotations

import threading

import pytest
import sim_skills
from flask import Flask
from werkzeug.serving import make_server

from device_sim import Device, SkillEndpoint
from device_sim.device import PROBLEM
from device_sim.nlu import sample_nlu
from device_sim.signing import LocalAlexaCA
from device_sim.skill_loader import load_target
from device_sim.transports import HttpTransport

SKILL_ID = "amzn1.ask.skill.tea-timer-http"


@pytest.fixture(scope="module")
def alexa_ca(tmp_path_factory):
    return LocalAlexaCA.create(tmp_path_factory.mktemp("alexa-ca"))


@pytest.fixture(scope="module")
def skill_url(alexa_ca):
    from skills.hosting.config import verifiers_from_config
    from skills.hosting.endpoint import skill_blueprint

    skill = load_target(f"{sim_skills.TEA_TIMER / 'lambda_function.py'}:sb").create()
    app = Flask("tea-timer-endpoint")
    app.register_blueprint(
        skill_blueprint(skill, verifiers=verifiers_from_config([SKILL_ID], trust=alexa_ca.trust_config()))
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}/alexa"
    server.shutdown()


def http_device(url, signer):
    transport = HttpTransport(url, signer=signer, timeout=5)
    return Device(SkillEndpoint.over(transport, sim_skills.TEA_MODEL, application_id=SKILL_ID), nlu_factory=sample_nlu)


def test_signed_requests_are_accepted(skill_url, alexa_ca):
    with http_device(skill_url, alexa_ca.sign) as device:
        assert device.say("alexa, open tea timer").speech.startswith("Welcome to Tea Timer")
        turn = device.say("brew chamomile")
        device.advance("1 hour")  # the simulated clock moves; requests still carry wall-clock time
        later = device.say("alexa, ask tea timer to brew oolong")
    assert "6 minutes" in turn.speech
    assert "4 minutes" in later.speech and later.error is None


def test_unsigned_requests_are_refused_and_reported(skill_url):
    with http_device(skill_url, None) as device:
        turn = device.say("alexa, open tea timer")
    assert turn.speech == PROBLEM and turn.error.startswith("http_error") and "400" in turn.error


def test_unreachable_endpoint_is_reported():
    with http_device("http://127.0.0.1:9/alexa", None) as device:
        turn = device.say("alexa, open tea timer")
    assert turn.speech == PROBLEM and "could not reach" in turn.error
