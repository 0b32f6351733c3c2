"""Verifiers run on every request before the skill sees it; any one of them can refuse it.

Same shape as ask-sdk-webservice-support's verifiers, so a developer adds a check by subclassing
`AbstractVerifier` and appending it to the list given to `skill_blueprint`.
"""

from __future__ import annotations

import base64
import binascii
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from skills.hosting.cert_chain import CACHE_SIZE, CertificateChainValidator, ChainFetcher
from skills.hosting.cert_url import check_cert_chain_url
from skills.hosting.errors import Reason, VerificationError
from skills.hosting.replay import InMemoryReplayStore, ReplayStore

SIGNATURE_256_HEADER = "Signature-256"
LEGACY_SIGNATURE_HEADER = "Signature"
CERT_URL_HEADER = "SignatureCertChainUrl"
# Alexa's documented tolerance for ordinary requests; skill events may arrive up to an hour late.
REQUEST_TOLERANCE = timedelta(seconds=150)
SKILL_EVENT_TOLERANCE = timedelta(hours=1)
SKILL_EVENT_PREFIX = "AlexaSkillEvent."
# A base64 RSA signature is a few hundred characters; refuse to decode anything far larger.
MAX_SIGNATURE_LENGTH = 2048


class Clock(Protocol):
    """Anything with `now()` returning an aware UTC datetime (reorder.clock's clocks qualify)."""

    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class AbstractVerifier(ABC):
    """One check on an incoming request; raise VerificationError to refuse it."""

    @abstractmethod
    def verify(
        self,
        headers: Mapping[str, str],
        serialized_request_env: str | bytes,
        deserialized_request_env: Any,
    ) -> None: ...


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by name, case-insensitively, whether `headers` is Flask's or a plain dict (Lambda)."""
    value = headers.get(name)
    if value is not None:
        return value
    wanted = name.lower()
    for key, candidate in headers.items():
        if isinstance(key, str) and key.lower() == wanted:
            return candidate
    return None


def _as_bytes(body: str | bytes) -> bytes:
    return body if isinstance(body, bytes) else body.encode("utf-8")


def _request_of(envelope: Any) -> Any:
    return getattr(envelope, "request", None)


def is_skill_event(envelope: Any) -> bool:
    request_type = getattr(_request_of(envelope), "object_type", None) or ""
    return request_type.startswith(SKILL_EVENT_PREFIX)


def tolerance_for(envelope: Any) -> timedelta:
    return SKILL_EVENT_TOLERANCE if is_skill_event(envelope) else REQUEST_TOLERANCE


def request_timestamp(envelope: Any) -> datetime | None:
    timestamp = getattr(_request_of(envelope), "timestamp", None)
    if not isinstance(timestamp, datetime):
        return None
    # Alexa always sends UTC; a timestamp without an offset is read as UTC rather than local time.
    return timestamp.replace(tzinfo=UTC) if timestamp.tzinfo is None else timestamp.astimezone(UTC)


class SignatureVerifier(AbstractVerifier):
    """The request body was signed by Alexa: certificate URL rules, a trusted chain, a matching signature.

    `Signature-256` (RSA PKCS#1 v1.5 over SHA-256) is checked when sent; the legacy SHA-1 `Signature`
    header is accepted only when it is the only one sent, and only if `allow_legacy_sha1`."""

    def __init__(
        self,
        *,
        trusted_roots: Sequence[x509.Certificate] | None = None,
        fetch_chain: ChainFetcher | None = None,
        clock: Clock | None = None,
        allow_legacy_sha1: bool = True,
        chain_cache_size: int = CACHE_SIZE,
    ) -> None:
        self._chains = CertificateChainValidator(
            trusted_roots=trusted_roots, fetch_chain=fetch_chain, cache_size=chain_cache_size
        )
        self._clock = clock or SystemClock()
        self._allow_legacy_sha1 = allow_legacy_sha1

    def verify(self, headers, serialized_request_env, deserialized_request_env) -> None:
        signature, algorithm = self._signature(headers)
        cert_url = header(headers, CERT_URL_HEADER)
        if cert_url is None:
            raise VerificationError(Reason.MISSING_CERT_URL, f"the {CERT_URL_HEADER} header is missing")
        check_cert_chain_url(cert_url)
        key = self._chains.public_key(cert_url, self._clock.now())
        try:
            key.verify(signature, _as_bytes(serialized_request_env), padding.PKCS1v15(), algorithm)
        except InvalidSignature as exc:
            raise VerificationError(Reason.SIGNATURE_MISMATCH, "the request body does not match its signature") from exc

    def _signature(self, headers: Mapping[str, str]) -> tuple[bytes, hashes.HashAlgorithm]:
        value = header(headers, SIGNATURE_256_HEADER)
        algorithm: hashes.HashAlgorithm = hashes.SHA256()
        name = SIGNATURE_256_HEADER
        if value is None and self._allow_legacy_sha1:
            value = header(headers, LEGACY_SIGNATURE_HEADER)
            algorithm, name = hashes.SHA1(), LEGACY_SIGNATURE_HEADER
        if value is None or not value.strip():
            raise VerificationError(Reason.MISSING_SIGNATURE, f"the request carries no {SIGNATURE_256_HEADER} header")
        if len(value) > MAX_SIGNATURE_LENGTH:
            raise VerificationError(Reason.MALFORMED_SIGNATURE, f"the {name} header is too long")
        try:
            return base64.b64decode(value.strip(), validate=True), algorithm
        except (binascii.Error, ValueError) as exc:
            raise VerificationError(Reason.MALFORMED_SIGNATURE, f"the {name} header is not base64") from exc


class TimestampVerifier(AbstractVerifier):
    """The request was made just now: within the tolerance, in either direction."""

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        tolerance: timedelta = REQUEST_TOLERANCE,
        skill_event_tolerance: timedelta = SKILL_EVENT_TOLERANCE,
    ) -> None:
        self._clock = clock or SystemClock()
        self._tolerance = tolerance
        self._skill_event_tolerance = skill_event_tolerance

    def verify(self, headers, serialized_request_env, deserialized_request_env) -> None:
        timestamp = request_timestamp(deserialized_request_env)
        if timestamp is None:
            raise VerificationError(Reason.MISSING_TIMESTAMP, "the request has no timestamp")
        tolerance = self._skill_event_tolerance if is_skill_event(deserialized_request_env) else self._tolerance
        age = self._clock.now() - timestamp
        if age > tolerance:
            raise VerificationError(
                Reason.TIMESTAMP_TOO_OLD,
                f"the request is {age.total_seconds():.0f} s old; at most {tolerance.total_seconds():.0f} s",
            )
        if -age > tolerance:
            raise VerificationError(
                Reason.TIMESTAMP_IN_FUTURE,
                f"the request is dated {-age.total_seconds():.0f} s in the future; "
                f"at most {tolerance.total_seconds():.0f} s",
            )


def application_ids(envelope: Any) -> list[str]:
    """The skill ids the envelope names, in `context.System` and then in `session`."""
    system = getattr(getattr(envelope, "context", None), "system", None)
    found = []
    for holder in (system, getattr(envelope, "session", None)):
        app_id = getattr(getattr(holder, "application", None), "application_id", None)
        if app_id:
            found.append(app_id)
    return found


def application_id(envelope: Any) -> str | None:
    ids = application_ids(envelope)
    return ids[0] if ids else None


class SkillIdVerifier(AbstractVerifier):
    """The request is for one of our skills, not another skill's traffic pointed at this endpoint."""

    def __init__(self, skill_ids: Iterable[str]) -> None:
        self._skill_ids = frozenset(skill_ids)
        if not self._skill_ids:
            raise ValueError("SkillIdVerifier needs at least one skill id to accept")

    def verify(self, headers, serialized_request_env, deserialized_request_env) -> None:
        ids = application_ids(deserialized_request_env)
        if not ids:
            raise VerificationError(Reason.MISSING_SKILL_ID, "the request names no skill (application id)")
        if len(set(ids)) > 1:
            # Alexa names the same skill in both; two different ids mean the envelope was put together.
            raise VerificationError(Reason.SKILL_ID_MISMATCH, "context.System and session name different skills")
        app_id = ids[0]
        if app_id not in self._skill_ids:
            raise VerificationError(Reason.WRONG_SKILL_ID, f"this endpoint does not serve skill {app_id!r}")


class ReplayVerifier(AbstractVerifier):
    """A request id is accepted once; a copy sent again while it could still pass the timestamp check
    is refused."""

    def __init__(self, *, store: ReplayStore | None = None, clock: Clock | None = None) -> None:
        self._clock = clock or SystemClock()
        self._store = store if store is not None else InMemoryReplayStore(now=self._clock.now)

    def verify(self, headers, serialized_request_env, deserialized_request_env) -> None:
        request_id = getattr(_request_of(deserialized_request_env), "request_id", None)
        if not isinstance(request_id, str) or not request_id:
            raise VerificationError(Reason.MISSING_REQUEST_ID, "the request has no request id")
        now = self._clock.now()
        timestamp = request_timestamp(deserialized_request_env) or now
        # Long enough that the copy would be too old for the timestamp check by the time we forget it.
        expires_at = max(now, timestamp) + tolerance_for(deserialized_request_env)
        if self._store.seen_before(request_id, expires_at):
            raise VerificationError(Reason.REPLAYED_REQUEST, f"request {request_id!r} was already received")
