"""Verifier parts on their own: certificate URL rules, the chain cache, the replay store, Lambda."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from hosting_support import SKILL_ID, CountingFetcher, FrozenClock, body_of, envelope, hello_skill
from hypothesis import given, settings
from hypothesis import strategies as st

from skills.hosting import (
    InMemoryReplayStore,
    Reason,
    VerificationError,
    lambda_handler,
    verifiers_from_config,
)
from skills.hosting.cert_chain import CertificateChainValidator, UrllibChainFetcher, roots_from_pems
from skills.hosting.cert_url import check_cert_chain_url
from skills.hosting.envelope import BadRequest, parse_request_body
from skills.hosting.verification import ReplayVerifier, SignatureVerifier, SkillIdVerifier, TimestampVerifier

ACCEPTED_URLS = [
    "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "HTTPS://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/./sub/echo-api-cert.pem",
]

REFUSED_URLS = [
    ("http://s3.amazonaws.com/echo.api/echo-api-cert.pem", Reason.CERT_URL_SCHEME),
    ("ftp://s3.amazonaws.com/echo.api/echo-api-cert.pem", Reason.CERT_URL_SCHEME),
    ("s3.amazonaws.com/echo.api/echo-api-cert.pem", Reason.CERT_URL_SCHEME),
    ("https://notamazon.com/echo.api/echo-api-cert.pem", Reason.CERT_URL_HOST),
    ("https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert.pem", Reason.CERT_URL_HOST),
    ("https://user@s3.amazonaws.com/echo.api/echo-api-cert.pem", Reason.CERT_URL_HOST),
    ("https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem", Reason.CERT_URL_PATH),
    ("https://s3.amazonaws.com/invalid.path/echo-api-cert.pem", Reason.CERT_URL_PATH),
    ("https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert.pem", Reason.CERT_URL_PATH),
    ("https://s3.amazonaws.com/echo.api/%2e%2e/invalid.path/cert.pem", Reason.CERT_URL_PATH),
    ("https://s3.amazonaws.com//echo.api/../../x/cert.pem", Reason.CERT_URL_PATH),
    ("https://s3.amazonaws.com/echo.api", Reason.CERT_URL_PATH),
    ("https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem", Reason.CERT_URL_PORT),
    ("https://s3.amazonaws.com:notaport/echo.api/echo-api-cert.pem", Reason.CERT_URL_MALFORMED),
    ("https://s3.amazonaws.com/echo.api/a b.pem", Reason.CERT_URL_MALFORMED),
    ("", Reason.MISSING_CERT_URL),
]


@pytest.mark.parametrize("url", ACCEPTED_URLS)
def test_certificate_urls_amazon_uses_are_accepted(url):
    check_cert_chain_url(url)


@pytest.mark.parametrize(("url", "reason"), REFUSED_URLS)
def test_other_certificate_urls_are_refused_before_any_fetch(url, reason):
    with pytest.raises(VerificationError) as caught:
        check_cert_chain_url(url)
    assert caught.value.reason == reason


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_certificate_url_header_is_refused_cleanly_or_accepted(url):
    try:
        check_cert_chain_url(url)
    except VerificationError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_any_body_is_parsed_or_refused_cleanly(body):
    try:
        parse_request_body(body)
    except BadRequest as exc:
        assert exc.code in {"malformed_json", "invalid_envelope", "unknown_request_type"}


# -- the chain cache ------------------------------------------------------------------------------------


def _validator(local_ca):
    roots, fetch = local_ca.trust_config()
    fetcher = CountingFetcher(fetch)
    return CertificateChainValidator(trusted_roots=roots_from_pems(roots), fetch_chain=fetcher), fetcher


def test_a_chain_is_kept_until_its_leaf_expires_then_fetched_again(local_ca):
    validator, fetcher = _validator(local_ca)
    now = datetime.now(UTC)
    first = validator.public_key(local_ca.cert_url, now)
    assert validator.public_key(local_ca.cert_url, now + timedelta(days=300)) is first
    assert len(fetcher.urls) == 1
    with pytest.raises(VerificationError) as caught:
        validator.public_key(local_ca.cert_url, now + timedelta(days=400))
    assert caught.value.reason == Reason.CERT_EXPIRED
    assert len(fetcher.urls) == 2


def test_a_refused_chain_is_not_cached(local_ca, bad_signers):
    validator, fetcher = _validator(local_ca)
    for _ in range(2):
        with pytest.raises(VerificationError):
            validator.public_key(bad_signers["wrong_san"].cert_url, datetime.now(UTC))
    assert len(fetcher.urls) == 2


def test_the_cache_holds_a_bounded_number_of_urls(local_ca):
    roots, fetch = local_ca.trust_config()
    fetcher = CountingFetcher(lambda url: fetch(local_ca.cert_url))
    validator = CertificateChainValidator(trusted_roots=roots_from_pems(roots), fetch_chain=fetcher, cache_size=3)
    now = datetime.now(UTC)
    urls = [f"{local_ca.cert_url}?v={n}" for n in range(5)]
    for url in urls:
        validator.public_key(url, now)
    validator.public_key(urls[-1], now)
    assert len(fetcher.urls) == 5
    validator.public_key(urls[0], now)
    assert len(fetcher.urls) == 6


def test_the_default_trust_is_the_system_roots_not_the_local_ca(local_ca):
    # A signature from the local stand-in must not pass a verifier left on its defaults.
    _, fetch = local_ca.trust_config()
    verifier = SignatureVerifier(fetch_chain=fetch)
    body = body_of(envelope(timestamp=datetime.now(UTC)))
    with pytest.raises(VerificationError) as caught:
        verifier.verify(local_ca.sign(body), body.decode(), None)
    assert caught.value.reason == Reason.CERT_UNTRUSTED


def test_the_network_fetcher_refuses_oversized_chains(tmp_path):
    big = tmp_path / "big.pem"
    big.write_bytes(b"x" * 2048)
    with pytest.raises(ValueError, match="larger than"):
        UrllibChainFetcher(max_bytes=1024)(big.as_uri())


# -- timestamp, skill id, replay --------------------------------------------------------------------


def _envelope_object(**kwargs):
    text = body_of(envelope(**kwargs))
    return parse_request_body(text)[1]


def test_the_timestamp_verifier_reads_the_injected_clock():
    clock = FrozenClock(datetime(2030, 1, 1, tzinfo=UTC))
    verifier = TimestampVerifier(clock=clock)
    request = _envelope_object(timestamp=clock.now())
    verifier.verify({}, "", request)
    clock.advance(timedelta(seconds=151))
    with pytest.raises(VerificationError, match="151 s old"):
        verifier.verify({}, "", request)


def test_skill_id_verifier_needs_an_allow_list():
    with pytest.raises(ValueError):
        SkillIdVerifier([])
    with pytest.raises(ValueError):
        verifiers_from_config([""])


def test_skill_id_is_read_from_the_session_when_context_has_none():
    payload = envelope(timestamp=datetime.now(UTC), skill_id=None)
    payload["session"] = {"new": True, "sessionId": "s", "application": {"applicationId": SKILL_ID}}
    request = parse_request_body(body_of(payload))[1]
    SkillIdVerifier([SKILL_ID]).verify({}, "", request)


def test_the_replay_store_forgets_ids_once_they_expire():
    clock = FrozenClock(datetime(2030, 1, 1, tzinfo=UTC))
    store = InMemoryReplayStore(now=clock.now)
    expires = clock.now() + timedelta(seconds=150)
    assert store.seen_before("a", expires) is False
    assert store.seen_before("a", expires) is True
    clock.advance(timedelta(seconds=151))
    assert store.seen_before("b", clock.now() + timedelta(seconds=150)) is False
    assert len(store) == 1  # "a" is gone
    assert store.seen_before("a", clock.now() + timedelta(seconds=150)) is False


def test_the_replay_store_lets_exactly_one_of_concurrent_copies_through():
    store = InMemoryReplayStore()
    expires = datetime.now(UTC) + timedelta(minutes=5)
    results: list[bool] = []
    barrier = threading.Barrier(16)

    def attempt():
        barrier.wait()
        results.append(store.seen_before("same-id", expires))

    threads = [threading.Thread(target=attempt) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] + [True] * 15


def test_the_replay_verifier_remembers_future_dated_requests_long_enough():
    clock = FrozenClock(datetime(2030, 1, 1, tzinfo=UTC))
    seen: list[datetime] = []

    class RecordingStore:
        def seen_before(self, request_id, expires_at):
            seen.append(expires_at)
            return False

    request = _envelope_object(timestamp=clock.now() + timedelta(seconds=100))
    ReplayVerifier(store=RecordingStore(), clock=clock).verify({}, "", request)
    assert seen == [clock.now() + timedelta(seconds=250)]


# -- Lambda -------------------------------------------------------------------------------------------


def test_the_lambda_handler_answers_like_the_endpoint():
    handler = lambda_handler(hello_skill())
    response = handler(envelope(timestamp=datetime.now(UTC)), None)
    assert "Hello from voicecart." in response["response"]["outputSpeech"]["ssml"]


def test_the_lambda_handler_apologises_when_the_skill_fails():
    handler = lambda_handler(hello_skill())
    response = handler(envelope(timestamp=datetime.now(UTC), request_type="IntentRequest", intent="BreakIntent"), None)
    assert "Sorry" in response["response"]["outputSpeech"]["ssml"]


def test_a_zero_sized_chain_cache_validates_every_time(local_ca):
    roots, fetch = local_ca.trust_config()
    fetcher = CountingFetcher(fetch)
    validator = CertificateChainValidator(trusted_roots=roots_from_pems(roots), fetch_chain=fetcher, cache_size=0)
    for _ in range(3):
        validator.public_key(local_ca.cert_url, datetime.now(UTC))
    assert len(fetcher.urls) == 3
