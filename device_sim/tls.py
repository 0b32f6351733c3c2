"""HTTPS for the emulated Alexa API on 127.0.0.1.

ask-sdk's DefaultApiClient refuses plain-HTTP endpoints, as the real service only speaks HTTPS. So the
simulator makes, once per process, a private certificate authority and a certificate for 127.0.0.1,
and points `requests` at a CA bundle holding the usual public roots plus this one
(REQUESTS_CA_BUNDLE). The private key never leaves a temporary directory of this process.
"""

from __future__ import annotations

import ipaddress
import os
import ssl
import tempfile
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

_lock = threading.Lock()
_material: tuple[Path, Path, Path] | None = None  # (cert, key, bundle)


def server_context() -> ssl.SSLContext:
    """A TLS server context for 127.0.0.1 whose issuer the process's `requests` calls trust."""
    cert, key, _ = _ensure()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def trust_bundle() -> Path:
    """The CA bundle (public roots + the simulator's CA); give it to an out-of-process skill as
    REQUESTS_CA_BUNDLE so its service calls reach the simulator too."""
    return _ensure()[2]


def _ensure() -> tuple[Path, Path, Path]:
    global _material
    with _lock:
        if _material is None:
            _material = _generate(Path(tempfile.mkdtemp(prefix="voicecart-sim-tls-")))
        bundle = str(_material[2])
        if os.environ.get("REQUESTS_CA_BUNDLE") != bundle:
            os.environ["REQUESTS_CA_BUNDLE"] = bundle
        return _material


def _generate(directory: Path) -> tuple[Path, Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.now(UTC) - timedelta(minutes=5)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "voicecart simulator local CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    cert_path, key_path, bundle_path = directory / "server.pem", directory / "server.key", directory / "bundle.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.touch(mode=0o600)
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    public_roots = os.environ.get("REQUESTS_CA_BUNDLE") or _certifi_roots()
    roots = Path(public_roots).read_bytes() if public_roots and Path(public_roots).is_file() else b""
    bundle_path.write_bytes(roots + b"\n" + ca_cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path, bundle_path


def _certifi_roots() -> str | None:
    try:
        import certifi
    except ImportError:
        return None
    return certifi.where()
