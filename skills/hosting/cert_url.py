"""The rules for a `SignatureCertChainUrl` header, checked before anything is fetched.

Amazon only serves its signing chain from https://s3.amazonaws.com/echo.api/..., so any other URL is
refused without a network call. Dot segments are resolved first, so `/echo.api/../echo.api/x.pem` is
accepted (Amazon's own documented example) while `/echo.api/../elsewhere/x.pem` is not.
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlsplit

from skills.hosting.errors import Reason, VerificationError

CERT_HOST = "s3.amazonaws.com"
CERT_PATH_PREFIX = "/echo.api/"
CERT_PORT = 443
# Longer than any URL Amazon sends; keeps hostile headers from costing anything.
MAX_URL_LENGTH = 2048


def _normalised(path: str) -> str:
    resolved = posixpath.normpath(path)
    # normpath keeps a leading "//" (POSIX allows it to mean something else); S3 does not.
    resolved = "/" + resolved.lstrip("/")
    if path.endswith("/") and not resolved.endswith("/"):
        resolved += "/"
    return resolved


def check_cert_chain_url(url: str) -> None:
    """Raise VerificationError unless `url` is a place Amazon publishes its signing certificate."""
    if not url or not url.strip():
        raise VerificationError(Reason.MISSING_CERT_URL, "the SignatureCertChainUrl header is empty")
    if len(url) > MAX_URL_LENGTH or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in url):
        raise VerificationError(Reason.CERT_URL_MALFORMED, "the certificate URL is not a plain URL")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise VerificationError(Reason.CERT_URL_MALFORMED, f"the certificate URL cannot be parsed: {exc}") from exc
    if parts.scheme.lower() != "https":
        raise VerificationError(
            Reason.CERT_URL_SCHEME, f"the certificate URL must use https, not {parts.scheme or 'nothing'!r}"
        )
    if parts.username is not None or parts.password is not None:
        raise VerificationError(Reason.CERT_URL_HOST, "the certificate URL must not carry credentials")
    if (parts.hostname or "").lower() != CERT_HOST:
        raise VerificationError(
            Reason.CERT_URL_HOST, f"the certificate URL must be on {CERT_HOST}, not {parts.hostname!r}"
        )
    if port is not None and port != CERT_PORT:
        raise VerificationError(Reason.CERT_URL_PORT, f"the certificate URL must use port 443, not {port}")
    # Check the path both as sent and percent-decoded, so "%2e%2e" cannot climb out of /echo.api/.
    for path in {parts.path, unquote(parts.path)}:
        if not _normalised(path).startswith(CERT_PATH_PREFIX):
            raise VerificationError(
                Reason.CERT_URL_PATH,
                f"the certificate URL path must be under {CERT_PATH_PREFIX} (case-sensitive), got {parts.path!r}",
            )
