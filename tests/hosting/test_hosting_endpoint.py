"""The skill endpoint end to end: signed requests from a local CA standing in for Amazon's."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from hosting_support import SKILL_ID, body_of, envelope, hello_skill, make_app

from skills.hosting import SignatureVerifier, verifiers_from_config


def speech(response) -> str:
    return response.get_json()["response"]["outputSpeech"]["ssml"]


def assert_refused(response, reason: str) -> None:
    assert response.status_code == 400, response.get_data(as_text=True)
    data = response.get_json()
    assert data["error"] == "verification_failed"
    assert data["reason"] == reason, data


def test_a_signed_request_reaches_the_skill(harness):
    response = harness.send(harness.request())
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "Hello from voicecart." in speech(response)


def test_the_legacy_sha1_signature_is_accepted_when_it_is_the_only_one(harness):
    response = harness.send(harness.request(), sha256=False, legacy_sha1=True)
    assert response.status_code == 200


def test_the_legacy_signature_is_refused_when_the_operator_turned_it_off(local_ca, clock):
    roots, fetch = local_ca.trust_config()
    app = make_app(
        hello_skill(),
        verifiers_from_config([SKILL_ID], trust=(roots, fetch), clock=clock, allow_legacy_sha1=False),
    )
    body = body_of(envelope(timestamp=clock.now()))
    response = app.test_client().post("/alexa", data=body, headers=local_ca.sign(body, sha256=False, legacy_sha1=True))
    assert_refused(response, "missing_signature")


def test_a_valid_legacy_signature_cannot_rescue_a_wrong_sha256_one(harness):
    body = body_of(harness.request())
    headers = harness.ca.sign(body, legacy_sha1=True)
    headers["Signature-256"] = harness.ca.sign(b"something else")["Signature-256"]
    assert_refused(harness.post(body, headers), "signature_mismatch")


def test_header_names_are_case_insensitive(harness):
    body = body_of(harness.request())
    headers = {name.lower(): value for name, value in harness.ca.sign(body).items()}
    assert harness.post(body, headers).status_code == 200


# -- the table in docs/request-verification.md --------------------------------------------------------


def _without(headers: dict, name: str) -> dict:
    return {key: value for key, value in headers.items() if key != name}


def _with(headers: dict, **changes) -> dict:
    return {**headers, **{key.replace("_", "-"): value for key, value in changes.items()}}


TAMPERED_HEADERS = {
    "no signature": (lambda h, ca: _without(h, "Signature-256"), "missing_signature"),
    "no certificate URL": (lambda h, ca: _without(h, "SignatureCertChainUrl"), "missing_cert_url"),
    "signature not base64": (lambda h, ca: _with(h, Signature_256="not base64!"), "malformed_signature"),
    "signature of another body": (
        lambda h, ca: _with(h, Signature_256=ca.sign(b'{"other": 1}')["Signature-256"]),
        "signature_mismatch",
    ),
    "URL scheme http": (
        lambda h, ca: {**h, "SignatureCertChainUrl": ca.cert_url.replace("https:", "http:")},
        "cert_url_scheme",
    ),
    "URL on another host": (
        lambda h, ca: {**h, "SignatureCertChainUrl": ca.cert_url.replace("s3.amazonaws.com", "evil.example")},
        "cert_url_host",
    ),
    "URL outside /echo.api/": (
        lambda h, ca: {**h, "SignatureCertChainUrl": ca.cert_url.replace("/echo.api/", "/other.api/")},
        "cert_url_path",
    ),
    "URL climbing out with ../": (
        lambda h, ca: {**h, "SignatureCertChainUrl": ca.cert_url.replace("/echo.api/", "/echo.api/../x/")},
        "cert_url_path",
    ),
    "URL on port 8443": (
        lambda h, ca: {**h, "SignatureCertChainUrl": ca.cert_url.replace(".com/", ".com:8443/")},
        "cert_url_port",
    ),
}


@pytest.mark.parametrize("case", list(TAMPERED_HEADERS))
def test_tampered_headers_are_refused(harness, case):
    tamper, reason = TAMPERED_HEADERS[case]
    body = body_of(harness.request())
    assert_refused(harness.post(body, tamper(harness.ca.sign(body), harness.ca)), reason)


def test_a_body_changed_after_signing_is_refused(harness):
    body = body_of(harness.request())
    headers = harness.ca.sign(body)
    changed = body.replace(b"LaunchRequest", b"SessionEndedRequest")
    assert changed != body
    assert_refused(harness.post(changed, headers), "signature_mismatch")


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("expired", "cert_expired"),
        ("not_yet_valid", "cert_not_yet_valid"),
        ("self_signed", "cert_untrusted"),
        ("untrusted_root", "cert_untrusted"),
        ("wrong_san", "cert_wrong_san"),
    ],
)
def test_bad_certificates_are_refused(harness, bad_signers, kind, reason):
    assert_refused(harness.send(harness.request(), signer=bad_signers[kind]), reason)


def test_a_chain_that_cannot_be_fetched_is_refused(harness):
    body = body_of(harness.request())
    headers = harness.ca.sign(body)
    headers["SignatureCertChainUrl"] = "https://s3.amazonaws.com/echo.api/not-there.pem"
    assert_refused(harness.post(body, headers), "cert_fetch_failed")


@pytest.mark.parametrize(
    ("offset", "reason"),
    [(timedelta(seconds=-151), "timestamp_too_old"), (timedelta(seconds=151), "timestamp_in_future")],
)
def test_timestamps_outside_150_seconds_are_refused(harness, offset, reason):
    payload = harness.request(timestamp=harness.clock.now() + offset)
    assert_refused(harness.send(payload), reason)


@pytest.mark.parametrize("offset", [timedelta(seconds=-150), timedelta(seconds=150), timedelta(0)])
def test_timestamps_within_150_seconds_are_accepted(harness, offset):
    assert harness.send(harness.request(timestamp=harness.clock.now() + offset)).status_code == 200


def test_skill_events_may_be_up_to_an_hour_old(harness):
    payload = harness.request(
        request_type="AlexaSkillEvent.SkillPermissionAccepted",
        timestamp=harness.clock.now() - timedelta(minutes=50),
    )
    assert harness.send(payload).status_code == 200
    old = harness.request(
        request_type="AlexaSkillEvent.SkillPermissionAccepted",
        timestamp=harness.clock.now() - timedelta(minutes=61),
    )
    assert_refused(harness.send(old), "timestamp_too_old")


def test_another_skills_request_is_refused(harness):
    assert_refused(harness.send(harness.request(skill_id="amzn1.ask.skill.someone-else")), "wrong_skill_id")


def test_a_request_naming_no_skill_is_refused(harness):
    assert_refused(harness.send(harness.request(skill_id=None)), "missing_skill_id")


def test_a_replayed_request_is_refused(harness):
    payload = harness.request(request_id="amzn1.echo-api.request.once")
    body = body_of(payload)
    headers = harness.ca.sign(body)
    assert harness.post(body, headers).status_code == 200
    assert_refused(harness.post(body, headers), "replayed_request")


def test_a_refused_request_does_not_use_up_its_request_id(harness):
    stale = harness.request(
        request_id="amzn1.echo-api.request.retry", timestamp=harness.clock.now() - timedelta(hours=1)
    )
    assert_refused(harness.send(stale), "timestamp_too_old")
    assert harness.send(harness.request(request_id="amzn1.echo-api.request.retry")).status_code == 200


def test_the_chain_is_fetched_once_for_many_requests(harness):
    for _ in range(25):
        assert harness.send(harness.request()).status_code == 200
    assert harness.fetcher.urls == [harness.ca.cert_url]


# -- bad bodies -------------------------------------------------------------------------------------


def _signed_post(harness, body: bytes):
    return harness.post(body, harness.ca.sign(body))


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"{not json", "malformed_json"),
        (b"", "malformed_json"),
        (b"\xff\xfe\x00garbage", "malformed_json"),
        (b"[" * 100_000, "malformed_json"),
        (b"[1, 2, 3]", "invalid_envelope"),
        (b'{"version": "1.0"}', "invalid_envelope"),
        (b'{"version": "1.0", "request": "LaunchRequest"}', "invalid_envelope"),
        (b'{"version": "1.0", "request": {"type": "LaunchRequest"}}', "invalid_envelope"),
        (
            b'{"version": "1.0", "request": {"type": "LaunchRequest", "requestId": "r", "timestamp": "soon"}}',
            "invalid_envelope",
        ),
        (
            b'{"version": "1.0", "request": '
            b'{"type": "Hack.Me", "requestId": "r", "timestamp": "2026-01-01T00:00:00Z"}}',
            "unknown_request_type",
        ),
    ],
)
def test_bodies_that_are_not_alexa_requests_get_400(harness, body, error):
    response = _signed_post(harness, body)
    assert response.status_code == 400
    assert response.get_json()["error"] == error


def test_a_truncated_request_gets_400(harness):
    body = body_of(harness.request())
    response = _signed_post(harness, body[: len(body) // 2])
    assert response.status_code == 400
    assert response.get_json()["error"] == "malformed_json"


def test_an_oversized_body_gets_413(harness):
    body = b'{"pad": "' + b"x" * 300_000 + b'"}'
    response = _signed_post(harness, body)
    assert response.status_code == 413
    assert response.get_json()["error"] == "body_too_large"


def test_only_post_is_served(harness):
    assert harness.client.get("/alexa").status_code == 405


def test_a_failing_skill_still_speaks_an_apology(harness):
    response = harness.send(harness.request(request_type="IntentRequest", intent="BreakIntent"))
    assert response.status_code == 200
    assert "Sorry" in speech(response)
    assert "Nothing was ordered" in speech(response)
    assert response.get_json()["response"]["shouldEndSession"] is True


def test_the_apology_follows_the_request_language(harness):
    payload = harness.request(request_type="IntentRequest", intent="BreakIntent")
    payload["request"]["locale"] = "de-DE"
    assert "Entschuldigung" in speech(harness.send(payload))


# -- mounting -----------------------------------------------------------------------------------------


def test_verifiers_must_be_given_explicitly():
    from skills.hosting import skill_blueprint

    with pytest.raises(TypeError):
        skill_blueprint(hello_skill())  # type: ignore[call-arg]


def test_mounting_without_verification_warns_loudly(caplog, clock):
    with caplog.at_level(logging.WARNING):
        app = make_app(hello_skill(), [])
    assert any("WITHOUT request verification" in record.getMessage() for record in caplog.records)
    body = body_of(envelope(timestamp=clock.now()))
    assert app.test_client().post("/alexa", data=body).status_code == 200


def test_mounting_with_verification_does_not_warn(caplog, local_ca, clock):
    with caplog.at_level(logging.WARNING):
        make_app(hello_skill(), verifiers_from_config([SKILL_ID], trust=local_ca.trust_config(), clock=clock))
    assert not any("WITHOUT" in record.getMessage() for record in caplog.records)


def test_a_broken_custom_verifier_refuses_rather_than_crashes(clock):
    class Broken(SignatureVerifier):
        def verify(self, headers, serialized_request_env, deserialized_request_env):
            raise KeyError("bug")

    app = make_app(hello_skill(), [Broken()])
    response = app.test_client().post("/alexa", data=body_of(envelope(timestamp=clock.now())))
    assert response.status_code == 400
    assert response.get_json()["reason"] == "verifier_error"


def test_the_blueprint_can_be_mounted_under_another_name_and_url(clock):
    from flask import Flask

    from skills.hosting import skill_blueprint

    app = Flask("two-skills")
    app.register_blueprint(skill_blueprint(hello_skill(), verifiers=[], name="shop", url="/skills/shop"))
    app.register_blueprint(skill_blueprint(hello_skill(), verifiers=[], name="baby", url="/skills/baby"))
    body = body_of(envelope(timestamp=clock.now()))
    for url in ("/skills/shop", "/skills/baby"):
        assert json.loads(app.test_client().post(url, data=body).data)["version"] == "1.0"
