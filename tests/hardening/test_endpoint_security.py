"""The request-verification checklist against the real composition: `build_server_app` with the store-backed
replay guard, the whole voicecart skill behind it. docs/request-verification.md has the full table; these are
the checks issue 11 lists, proven once more where a customer's order is really at stake."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from hardening_support import body_of, envelope, speech_of

from skills.app import SKILL_ID


def _refused(response, reason: str) -> None:
    assert response.status_code == 400, response.get_data(as_text=True)
    payload = response.get_json()
    assert payload["error"] == "verification_failed" and payload["reason"] == reason, payload


_OTHER: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _signature_of_another_body(served):
    _OTHER.update(served.ca.sign(b'{"version": "1.0", "request": {}}'))


def _url(headers: dict, old: str, new: str) -> dict:
    return {**headers, "SignatureCertChainUrl": headers["SignatureCertChainUrl"].replace(old, new)}


def test_a_valid_signed_request_is_answered_by_the_skill(served):
    body = body_of(envelope(served.backend.clock.now()))
    response = served.post_signed(body)
    assert response.status_code == 200
    assert "welcome" in speech_of(response).lower()


HEADER_CASES = {
    "no signature": (lambda h: {k: v for k, v in h.items() if k != "Signature-256"}, "missing_signature"),
    "signature not base64": (lambda h: {**h, "Signature-256": "&&" + h["Signature-256"]}, "malformed_signature"),
    "signature of another body": (lambda h: {**h, "Signature-256": _OTHER["Signature-256"]}, "signature_mismatch"),
    "cert URL scheme http": (lambda h: _url(h, "https://", "http://"), "cert_url_scheme"),
    "cert URL another host": (lambda h: _url(h, "s3.amazonaws.com", "s3.evil.example"), "cert_url_host"),
    "cert URL outside /echo.api/": (lambda h: _url(h, "/echo.api/", "/echo.apix/"), "cert_url_path"),
    "cert URL escaping with ..": (lambda h: _url(h, "/echo.api/", "/echo.api/../other/"), "cert_url_path"),
    "cert URL port 444": (lambda h: _url(h, "amazonaws.com/", "amazonaws.com:444/"), "cert_url_port"),
}


@pytest.mark.parametrize("case", list(HEADER_CASES))
def test_tampered_signature_headers_are_refused(served, case):
    tamper, reason = HEADER_CASES[case]
    body = body_of(envelope(served.backend.clock.now()))
    _refused(served.post(body, tamper(served.ca.sign(body))), reason)


def test_a_body_changed_after_signing_is_refused(served):
    now = served.backend.clock.now()
    signed = body_of(envelope(now, request_type="IntentRequest", intent="ReadCartIntent"))
    changed = signed.replace(b"ReadCartIntent", b"CheckoutIntent")
    assert changed != signed
    _refused(served.post(changed, served.ca.sign(signed)), "signature_mismatch")


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("expired", "cert_expired"),
        ("self_signed", "cert_untrusted"),
        ("untrusted_root", "cert_untrusted"),
        ("wrong_san", "cert_wrong_san"),
    ],
)
def test_bad_certificates_are_refused(served, kind, reason):
    signer = served.ca.bad_signer(kind)
    body = body_of(envelope(served.backend.clock.now()))
    _refused(served.post(body, signer.sign(body)), reason)


@pytest.mark.parametrize(
    ("offset", "reason"),
    [
        (timedelta(seconds=-151), "timestamp_too_old"),
        (timedelta(hours=-2), "timestamp_too_old"),
        (timedelta(seconds=151), "timestamp_in_future"),
    ],
)
def test_timestamps_outside_150_seconds_are_refused(served, offset, reason):
    body = body_of(envelope(served.backend.clock.now() + offset))
    _refused(served.post_signed(body), reason)


@pytest.mark.parametrize("offset", [timedelta(seconds=-149), timedelta(seconds=149)])
def test_timestamps_within_150_seconds_are_accepted(served, offset):
    body = body_of(envelope(served.backend.clock.now() + offset))
    assert served.post_signed(body).status_code == 200


def test_another_skills_request_is_refused(served):
    body = body_of(envelope(served.backend.clock.now(), skill_id="amzn1.ask.skill.somebody-else"))
    _refused(served.post_signed(body), "wrong_skill_id")


def test_a_replayed_request_is_refused_and_changes_nothing(served):
    """A recorded "add two packs of paper towels" played again must not add them twice: the guard is in the store."""
    backend = served.backend
    body = body_of(
        envelope(
            backend.clock.now(),
            request_type="IntentRequest",
            intent="AddToCartIntent",
            slots={"product": "bounty paper towels", "quantity": "2"},
            request_id="amzn1.echo-api.request.replayed-once",
        )
    )
    first = served.post_signed(body)
    assert first.status_code == 200 and "added" in speech_of(first).lower(), speech_of(first)
    cart = repr(backend.carts.get(served.demo_id))
    _refused(served.post_signed(body), "replayed_request")
    assert repr(backend.carts.get(served.demo_id)) == cart


def test_the_replay_guard_is_shared_by_every_server_on_the_store(served, ca_dir):
    """A second `voicecart serve` on the same store (another worker, another machine) knows the id too."""
    from voicecart.server import build_server_app

    body = body_of(envelope(served.backend.clock.now(), request_id="amzn1.echo-api.request.seen-by-one"))
    assert served.post_signed(body).status_code == 200
    other = build_server_app(served.backend, trust_ca=ca_dir).test_client()
    response = other.post("/alexa", data=body, headers={"Content-Type": "application/json", **served.ca.sign(body)})
    _refused(response, "replayed_request")


def test_a_refused_request_does_not_use_up_its_request_id(served):
    now = served.backend.clock.now()
    body = body_of(envelope(now, request_id="amzn1.echo-api.request.first-refused"))
    _refused(served.post(body, {}), "missing_signature")
    assert served.post_signed(body).status_code == 200


def test_a_request_refused_for_its_shape_does_not_use_up_its_request_id(served_on_each_store):
    """An envelope without context.System.application is refused as `invalid_envelope`; the real request with
    the same id, sent again properly, is accepted (on SQLite and PostgreSQL, whose replay guard is shared)."""
    served = served_on_each_store
    now = served.backend.clock.now()
    proper = envelope(now, request_id=f"amzn1.echo-api.request.shape-{now.timestamp()}")
    broken = json.loads(body_of(proper))
    del broken["context"]["System"]["application"]
    broken["session"] = {"new": True, "sessionId": "s-1", "application": {"applicationId": SKILL_ID}}
    refused = served.post_signed(json.dumps(broken).encode())
    assert refused.status_code == 400 and refused.get_json()["error"] == "invalid_envelope"
    assert served.post_signed(body_of(proper)).status_code == 200
    _refused(served.post_signed(body_of(proper)), "replayed_request")


def test_context_and_session_must_name_the_same_skill(served_on_each_store):
    served = served_on_each_store
    now = served.backend.clock.now()
    for session_skill in ("amzn1.ask.skill.somebody-else", SKILL_ID):
        payload = envelope(now, request_id=f"amzn1.echo-api.request.mixed-{session_skill}-{now.timestamp()}")
        payload["session"] = {
            "new": True,
            "sessionId": "s-2",
            "application": {"applicationId": session_skill},
            "user": payload["context"]["System"]["user"],
        }
        response = served.post_signed(body_of(payload))
        if session_skill == SKILL_ID:
            assert response.status_code == 200
        else:
            _refused(response, "skill_id_mismatch")
