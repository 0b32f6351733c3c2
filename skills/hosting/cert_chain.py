"""Alexa's signing certificate: fetched, checked against trusted roots, and kept while it is valid.

Validation uses `cryptography`'s own X.509 path builder (chain to a trusted root, validity period, and
the `echo-api.amazon.com` subject alternative name), not oscrypto; see
docs/decisions/0001-request-verification.md.
"""

from __future__ import annotations

import os
import ssl
import threading
import urllib.error
import urllib.request
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.x509.verification import DNSName, PolicyBuilder, Store
from cryptography.x509.verification import VerificationError as X509VerificationError

from skills.hosting.errors import Reason, VerificationError

ALEXA_SAN = "echo-api.amazon.com"
# A chain is a few kilobytes; anything much larger is not Amazon's.
MAX_CHAIN_BYTES = 64 * 1024
FETCH_TIMEOUT_SECONDS = 5.0
# Distinct URLs worth remembering; a hostile sender cycling URLs cannot grow memory past this.
CACHE_SIZE = 32

ChainFetcher = Callable[[str], bytes]
"""Returns the PEM bytes served at a certificate URL; raises OSError/ValueError/LookupError on failure."""


class ChainTrust(NamedTuple):
    """Whom to trust: root certificates (PEM) and, optionally, how to fetch chains.

    `device_sim.signing.LocalAlexaCA.trust_config()` returns a tuple of this shape, so a server can be
    told to trust the local stand-in for Alexa without any network."""

    root_pems: Sequence[bytes]
    fetch_chain: ChainFetcher | None = None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D401 - urllib hook
        raise urllib.error.HTTPError(req.full_url, code, "redirects are not followed", headers, fp)


class UrllibChainFetcher:
    """Fetches a chain over HTTPS with a timeout and a size limit, following no redirects."""

    def __init__(self, *, timeout: float = FETCH_TIMEOUT_SECONDS, max_bytes: int = MAX_CHAIN_BYTES) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._opener = urllib.request.build_opener(
            _NoRedirects(), urllib.request.HTTPSHandler(context=ssl.create_default_context())
        )

    def __call__(self, url: str) -> bytes:
        with self._opener.open(url, timeout=self.timeout) as response:
            data = response.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            raise ValueError(f"certificate chain larger than {self.max_bytes} bytes")
        return data


def parse_pem_certificates(data: bytes) -> list[x509.Certificate]:
    """Each PEM block on its own, skipping ones this cryptography cannot read (old system bundles)."""
    marker = b"-----END CERTIFICATE-----"
    certificates = []
    for block in data.split(marker):
        start = block.find(b"-----BEGIN CERTIFICATE-----")
        if start < 0:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                certificates.append(x509.load_pem_x509_certificate(block[start:] + marker))
            except ValueError:
                continue
    return certificates


def _default_root_file() -> Path:
    cafile = os.environ.get("SSL_CERT_FILE") or ssl.get_default_verify_paths().cafile
    if cafile and Path(cafile).is_file():
        return Path(cafile)
    import certifi  # only when the system has no bundle, e.g. some containers and macOS

    return Path(certifi.where())


_default_roots: list[x509.Certificate] | None = None
_default_roots_lock = threading.Lock()


def default_trusted_roots() -> list[x509.Certificate]:
    """The system's CA bundle (or certifi's when there is none), read once per process."""
    global _default_roots
    with _default_roots_lock:
        if _default_roots is None:
            _default_roots = parse_pem_certificates(_default_root_file().read_bytes())
        return _default_roots


def roots_from_pems(pems: Iterable[bytes | str]) -> list[x509.Certificate]:
    roots: list[x509.Certificate] = []
    for pem in pems:
        roots.extend(parse_pem_certificates(pem.encode() if isinstance(pem, str) else pem))
    if not roots:
        raise ValueError("no certificates found in the trusted root PEMs")
    return roots


@dataclass(frozen=True)
class _Validated:
    key: RSAPublicKey
    not_after: datetime


class CertificateChainValidator:
    """Turns a certificate URL into the leaf's public key, or a VerificationError.

    A validated chain is remembered by URL until its leaf expires, so Amazon's chain is fetched once
    rather than on every request."""

    def __init__(
        self,
        *,
        trusted_roots: Sequence[x509.Certificate] | None = None,
        fetch_chain: ChainFetcher | None = None,
        cache_size: int = CACHE_SIZE,
    ) -> None:
        self._roots = list(trusted_roots) if trusted_roots is not None else None
        self._store: Store | None = None
        self._fetch = fetch_chain or UrllibChainFetcher()
        self._cache: OrderedDict[str, _Validated] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def public_key(self, url: str, now: datetime) -> RSAPublicKey:
        with self._lock:
            cached = self._cache.get(url)
            if cached is not None and now < cached.not_after:
                self._cache.move_to_end(url)
                return cached.key
            self._cache.pop(url, None)
        validated = self._validate(self._fetch_chain(url), now)
        with self._lock:
            self._cache[url] = validated
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return validated.key

    def _fetch_chain(self, url: str) -> list[x509.Certificate]:
        try:
            data = self._fetch(url)
        except (OSError, ValueError, LookupError) as exc:
            raise VerificationError(
                Reason.CERT_FETCH_FAILED, f"could not fetch the certificate chain from {url}: {exc}"
            ) from exc
        chain = parse_pem_certificates(data)
        if not chain:
            raise VerificationError(Reason.CERT_UNPARSEABLE, f"no PEM certificate found at {url}")
        return chain

    def _trust_store(self) -> Store:
        if self._store is None:
            self._store = Store(self._roots if self._roots is not None else default_trusted_roots())
        return self._store

    def _validate(self, chain: list[x509.Certificate], now: datetime) -> _Validated:
        leaf, intermediates = chain[0], chain[1:]
        # The explicit checks come first only to name the failure; the path builder checks them again.
        if now < leaf.not_valid_before_utc:
            raise VerificationError(
                Reason.CERT_NOT_YET_VALID,
                f"the signing certificate is valid only from {leaf.not_valid_before_utc}",
            )
        if now >= leaf.not_valid_after_utc:
            raise VerificationError(
                Reason.CERT_EXPIRED, f"the signing certificate expired at {leaf.not_valid_after_utc}"
            )
        try:
            names = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
            dns_names = [name.lower() for name in names.get_values_for_type(x509.DNSName)]
        except x509.ExtensionNotFound:
            dns_names = []
        if ALEXA_SAN not in dns_names:
            raise VerificationError(
                Reason.CERT_WRONG_SAN,
                f"the signing certificate is not for {ALEXA_SAN} (it names {dns_names or 'no host'})",
            )
        verifier = PolicyBuilder().store(self._trust_store()).time(now).build_server_verifier(DNSName(ALEXA_SAN))
        try:
            verifier.verify(leaf, intermediates)
        except X509VerificationError as exc:
            raise VerificationError(
                Reason.CERT_UNTRUSTED, f"the signing certificate does not chain to a trusted root: {exc}"
            ) from exc
        key = leaf.public_key()
        if not isinstance(key, RSAPublicKey):
            raise VerificationError(Reason.CERT_UNTRUSTED, "the signing certificate does not hold an RSA key")
        # Remember the chain only while every certificate in it is still valid.
        return _Validated(key=key, not_after=min(cert.not_valid_after_utc for cert in chain))
