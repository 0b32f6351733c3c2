"""A local stand-in for Alexa's request signing, so the simulator's requests pass real verification.

`LocalAlexaCA.create()` makes, once, a root CA, an intermediate and a leaf for `echo-api.amazon.com`
(RSA 2048) and keeps them on disk. The simulator signs request bodies with `sign(body)`; a server that
should accept them is told to trust the root with `trust_config()`, which also serves the chain for
`cert_url` from disk, so nothing ever touches the network. Nothing here is trusted by anyone else:
the root exists only in this directory.

The `bad_signer(kind)` helpers make the certificates verification must refuse (expired, self-signed,
wrong name), for tests.
"""

from __future__ import annotations

import base64
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal, NamedTuple
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ALEXA_SAN = "echo-api.amazon.com"
CERT_URL_BASE = "https://s3.amazonaws.com/echo.api/"
CHAIN_NAME = "voicecart-local-echo-api.pem"
KEY_SIZE = 2048
ROOT_LIFETIME = timedelta(days=3650)
LEAF_LIFETIME = timedelta(days=365)
# A leaf this close to expiry is renewed on load, so a long-lived checkout never starts failing.
RENEW_BEFORE = timedelta(days=7)

BadKind = Literal["expired", "not_yet_valid", "self_signed", "wrong_san", "untrusted_root"]
BAD_KINDS: tuple[str, ...] = ("expired", "not_yet_valid", "self_signed", "wrong_san", "untrusted_root")


def default_directory() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("voicecart")) / "alexa-local-ca"


class TrustConfig(NamedTuple):
    """What a server needs to trust this CA: root PEMs and a chain fetcher reading from disk."""

    root_pems: Sequence[bytes]
    fetch_chain: Callable[[str], bytes]


def _now() -> datetime:
    return datetime.now(UTC)


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "voicecart local Alexa stand-in"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _certificate(
    *,
    subject: str,
    key: rsa.RSAPrivateKey,
    issuer: x509.Certificate | None,
    issuer_key: rsa.RSAPrivateKey,
    not_before: datetime,
    not_after: datetime,
    ca: bool,
    san: str | None = None,
) -> x509.Certificate:
    """A certificate with the extensions a WebPKI path builder insists on (cryptography's included)."""
    public = key.public_key()
    issuer_name = issuer.subject if issuer is not None else _name(subject)
    issuer_public = issuer_key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer_name)
        .public_key(public)
        .serial_number(secrets.randbits(120) | 1)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public), critical=False)
    )
    if ca:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=True, path_length=None if issuer is None else 0), critical=True
        ).add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    else:
        builder = (
            builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=False,
                    key_encipherment=True,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(san or ALEXA_SAN)]), critical=False)
        )
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _load_key(path: Path) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError(f"{path} does not hold an RSA key")
    return key


def _write_private(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    os.chmod(path, 0o600)


@dataclass(frozen=True)
class LocalSigner:
    """Signs request bodies with one leaf key, pointing Alexa's header at where its chain is served."""

    cert_url: str
    chain_pem: bytes
    key: rsa.RSAPrivateKey

    def sign(self, body: bytes, *, sha256: bool = True, legacy_sha1: bool = False) -> dict[str, str]:
        """Headers Alexa would send with `body`: `Signature-256` and `SignatureCertChainUrl`, plus the
        legacy SHA-1 `Signature` when asked (`sha256=False, legacy_sha1=True` sends only the legacy one)."""
        headers = {"SignatureCertChainUrl": self.cert_url}
        if sha256:
            headers["Signature-256"] = self._signature(body, hashes.SHA256())
        if legacy_sha1:
            headers["Signature"] = self._signature(body, hashes.SHA1())
        return headers

    def _signature(self, body: bytes, algorithm: hashes.HashAlgorithm) -> str:
        return base64.b64encode(self.key.sign(body, padding.PKCS1v15(), algorithm)).decode("ascii")


class LocalChainFetcher:
    """Serves `https://s3.amazonaws.com/echo.api/<name>` from `<directory>/echo.api/<name>`."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def __call__(self, url: str) -> bytes:
        parts = urlsplit(url)
        prefix = urlsplit(CERT_URL_BASE)
        name = parts.path.removeprefix(prefix.path)
        if (
            parts.scheme.lower() != "https"
            or (parts.hostname or "").lower() != prefix.hostname
            or not parts.path.startswith(prefix.path)
            or not name
            or "/" in name
            or name.startswith(".")
        ):
            raise LookupError(f"the local Alexa stand-in does not serve {url}")
        path = self.directory / "echo.api" / name
        if not path.is_file():
            raise LookupError(f"the local Alexa stand-in has no certificate chain {name!r}")
        return path.read_bytes()


class LocalAlexaCA:
    """Root + intermediate + `echo-api.amazon.com` leaf, kept in `directory`."""

    ROOT = "root.pem"
    INTERMEDIATE = "intermediate.pem"
    INTERMEDIATE_KEY = "intermediate-key.pem"
    LEAF_KEY = "leaf-key.pem"

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.root_pem = (self.directory / self.ROOT).read_bytes()
        self._root = x509.load_pem_x509_certificate(self.root_pem)
        self._intermediate = x509.load_pem_x509_certificate((self.directory / self.INTERMEDIATE).read_bytes())
        self._intermediate_key = _load_key(self.directory / self.INTERMEDIATE_KEY)
        chain_path = self.directory / "echo.api" / CHAIN_NAME
        self.chain_pem = chain_path.read_bytes()
        self._signer = LocalSigner(
            cert_url=CERT_URL_BASE + CHAIN_NAME,
            chain_pem=self.chain_pem,
            key=_load_key(self.directory / self.LEAF_KEY),
        )

    # -- creating and loading -------------------------------------------------------------------

    @classmethod
    def create(cls, directory: Path | str | None = None) -> LocalAlexaCA:
        """Load the CA in `directory`, generating it first if there is none (only ever once)."""
        directory = Path(directory) if directory is not None else default_directory()
        if not (directory / cls.ROOT).is_file():
            cls._generate(directory)
        return cls.load(directory)

    @classmethod
    def load(cls, directory: Path | str | None = None) -> LocalAlexaCA:
        """The CA already in `directory`; renews the leaf when it is about to expire."""
        directory = Path(directory) if directory is not None else default_directory()
        if not (directory / cls.ROOT).is_file():
            raise FileNotFoundError(
                f"no local Alexa CA in {directory}; create one with LocalAlexaCA.create({str(directory)!r})"
            )
        ca = cls(directory)
        leaf = x509.load_pem_x509_certificate(ca.chain_pem)
        if leaf.not_valid_after_utc - _now() < RENEW_BEFORE:
            ca._write_leaf(_load_key(directory / cls.LEAF_KEY))
            ca = cls(directory)
        return ca

    @classmethod
    def _generate(cls, directory: Path) -> None:
        directory.parent.mkdir(parents=True, exist_ok=True)
        # Built in a sibling directory and renamed into place, so a concurrent create sees all or nothing.
        staging = Path(tempfile.mkdtemp(prefix=".alexa-local-ca-", dir=directory.parent))
        try:
            now = _now()
            root_key, intermediate_key = _new_key(), _new_key()
            root = _certificate(
                subject="voicecart local Alexa root",
                key=root_key,
                issuer=None,
                issuer_key=root_key,
                not_before=now - timedelta(days=1),
                not_after=now + ROOT_LIFETIME,
                ca=True,
            )
            intermediate = _certificate(
                subject="voicecart local Alexa intermediate",
                key=intermediate_key,
                issuer=root,
                issuer_key=root_key,
                not_before=now - timedelta(days=1),
                not_after=now + ROOT_LIFETIME,
                ca=True,
            )
            (staging / cls.ROOT).write_bytes(_pem(root))
            (staging / cls.INTERMEDIATE).write_bytes(_pem(intermediate))
            _write_private(staging / cls.INTERMEDIATE_KEY, _key_pem(intermediate_key))
            (staging / "echo.api").mkdir()
            cls._write_leaf_files(staging, intermediate, intermediate_key, _new_key())
            # The root key is not kept: nothing more is ever signed by it.
            try:
                os.rename(staging, directory)
            except OSError:
                if not (directory / cls.ROOT).is_file():
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    @classmethod
    def _write_leaf_files(
        cls,
        directory: Path,
        intermediate: x509.Certificate,
        intermediate_key: rsa.RSAPrivateKey,
        leaf_key: rsa.RSAPrivateKey,
    ) -> None:
        now = _now()
        leaf = _certificate(
            subject=ALEXA_SAN,
            key=leaf_key,
            issuer=intermediate,
            issuer_key=intermediate_key,
            not_before=now - timedelta(days=1),
            not_after=min(now + LEAF_LIFETIME, intermediate.not_valid_after_utc),
            ca=False,
        )
        _write_private(directory / cls.LEAF_KEY, _key_pem(leaf_key))
        (directory / "echo.api" / CHAIN_NAME).write_bytes(_pem(leaf) + _pem(intermediate))

    def _write_leaf(self, leaf_key: rsa.RSAPrivateKey) -> None:
        self._write_leaf_files(self.directory, self._intermediate, self._intermediate_key, leaf_key)

    # -- signing --------------------------------------------------------------------------------

    @property
    def cert_url(self) -> str:
        return self._signer.cert_url

    @property
    def signer(self) -> LocalSigner:
        return self._signer

    def sign(self, body: bytes, *, sha256: bool = True, legacy_sha1: bool = False) -> dict[str, str]:
        return self._signer.sign(body, sha256=sha256, legacy_sha1=legacy_sha1)

    def trust_config(self) -> TrustConfig:
        """(trusted root PEMs, chain fetcher): give both to the server's verifier configuration."""
        return TrustConfig(root_pems=[self.root_pem], fetch_chain=LocalChainFetcher(self.directory))

    # -- certificates verification must refuse (for tests) ---------------------------------------

    def bad_signer(self, kind: BadKind) -> LocalSigner:
        """A signer whose chain is wrong in one way, served at its own URL by `trust_config()`'s fetcher.

        expired / not_yet_valid: issued by this CA outside its validity period; wrong_san: issued by this
        CA for another host; self_signed: an `echo-api.amazon.com` leaf that signs itself;
        untrusted_root: a complete, well-formed chain from a root nobody trusts."""
        if kind not in BAD_KINDS:
            raise ValueError(f"unknown bad certificate kind {kind!r}; one of {', '.join(BAD_KINDS)}")
        now = _now()
        key = _new_key()
        issuer: x509.Certificate | None
        issuer, issuer_key, extra = self._intermediate, self._intermediate_key, [self._intermediate]
        not_before, not_after, san = now - timedelta(days=1), now + LEAF_LIFETIME, ALEXA_SAN
        if kind == "expired":
            not_before, not_after = now - timedelta(days=30), now - timedelta(days=1)
        elif kind == "not_yet_valid":
            not_before, not_after = now + timedelta(days=1), now + timedelta(days=30)
        elif kind == "wrong_san":
            san = "not-alexa.example.com"
        elif kind == "self_signed":
            issuer, issuer_key, extra = None, key, []
        elif kind == "untrusted_root":
            stranger_key = _new_key()
            issuer = _certificate(
                subject="a root nobody trusts",
                key=stranger_key,
                issuer=None,
                issuer_key=stranger_key,
                not_before=now - timedelta(days=1),
                not_after=now + ROOT_LIFETIME,
                ca=True,
            )
            issuer_key, extra = stranger_key, [issuer]
        leaf = _certificate(
            subject=ALEXA_SAN,
            key=key,
            issuer=issuer,
            issuer_key=issuer_key,
            not_before=not_before,
            not_after=not_after,
            ca=False,
            san=san,
        )
        chain = _pem(leaf) + b"".join(_pem(cert) for cert in extra)
        name = f"voicecart-bad-{kind.replace('_', '-')}.pem"
        (self.directory / "echo.api" / name).write_bytes(chain)
        return LocalSigner(cert_url=CERT_URL_BASE + name, chain_pem=chain, key=key)
