"""Why a request was refused. Every verifier raises `VerificationError` with one of these reason codes,
so the endpoint can answer 400 with a code a developer can look up in docs/request-verification.md."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    MISSING_SIGNATURE = "missing_signature"
    MALFORMED_SIGNATURE = "malformed_signature"
    SIGNATURE_MISMATCH = "signature_mismatch"
    MISSING_CERT_URL = "missing_cert_url"
    CERT_URL_SCHEME = "cert_url_scheme"
    CERT_URL_HOST = "cert_url_host"
    CERT_URL_PATH = "cert_url_path"
    CERT_URL_PORT = "cert_url_port"
    CERT_URL_MALFORMED = "cert_url_malformed"
    CERT_FETCH_FAILED = "cert_fetch_failed"
    CERT_UNPARSEABLE = "cert_unparseable"
    CERT_EXPIRED = "cert_expired"
    CERT_NOT_YET_VALID = "cert_not_yet_valid"
    CERT_WRONG_SAN = "cert_wrong_san"
    CERT_UNTRUSTED = "cert_untrusted"
    MISSING_TIMESTAMP = "missing_timestamp"
    TIMESTAMP_TOO_OLD = "timestamp_too_old"
    TIMESTAMP_IN_FUTURE = "timestamp_in_future"
    MISSING_SKILL_ID = "missing_skill_id"
    WRONG_SKILL_ID = "wrong_skill_id"
    SKILL_ID_MISMATCH = "skill_id_mismatch"
    MISSING_REQUEST_ID = "missing_request_id"
    REPLAYED_REQUEST = "replayed_request"


class VerificationError(Exception):
    """A request that must not reach the skill. `reason` is stable; `message` is for people."""

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message

    def __repr__(self) -> str:
        return f"VerificationError({self.reason.value!r}, {self.message!r})"
