"""HTTPS for the emulated Alexa API on 127.0.0.1.

ask-sdk's DefaultApiClient refuses plain-HTTP endpoints, as the real service only speaks HTTPS. So the
simulator makes a private certificate authority and a certificate for 127.0.0.1, and points `requests` at a
CA bundle holding the usual public roots plus this one (REQUESTS_CA_BUNDLE).

The material is made once and kept in the user's cache folder (`sim-tls/` under `VOICECART_CACHE`, a folder
only its owner can read; the key file is 0600) for its 30 days, less one, so a `voicecart sim` run does not
import the X.509 machinery and sign certificates every time (about 40-60 ms of a one-shot run). The CA's own
key is discarded as soon as it has signed the one certificate: what is kept can serve 127.0.0.1 and sign
nothing else. A damaged, expired or unreadable entry is made again; so is one whose public roots changed.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ssl

# ssl, secrets, shutil and the X.509 machinery are imported where they are used: a run that finds its
# material kept only sets REQUESTS_CA_BUNDLE, and serves TLS only when a skill calls (device_sim/cloud_http.py).

VALID_DAYS = 30
RENEW_BEFORE = timedelta(days=1)  # made again a day before it expires, never mid-conversation

_lock = threading.Lock()
_material: tuple[Path, Path, Path] | None = None  # (cert, key, bundle)


def server_context() -> ssl.SSLContext:
    """A TLS server context for 127.0.0.1 whose issuer the process's `requests` calls trust."""
    import ssl

    global _material
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert, key, _ = _ensure()
    try:
        context.load_cert_chain(cert, key)
    except OSError:  # the kept material was removed under this process: make it again
        with _lock:
            _material = None
        cert, key, _ = _ensure()
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
            _material = _cached() or _generate_and_keep()
        bundle = str(_material[2])
        if os.environ.get("REQUESTS_CA_BUNDLE") != bundle:
            os.environ.setdefault(ROOTS_VARIABLE, os.environ.get("REQUESTS_CA_BUNDLE", ""))
            os.environ["REQUESTS_CA_BUNDLE"] = bundle
        return _material


def _folder() -> Path:
    from intents.build_cache import cache_root

    return cache_root() / "sim-tls"


def _roots_source() -> tuple[str, int, int] | None:
    """Which public roots the bundle holds: a changed file (a certifi update) means a new bundle."""
    public_roots = _public_roots()
    if not public_roots:
        return None
    try:
        stat = Path(public_roots).stat()
    except OSError:
        return None
    return (public_roots, stat.st_size, int(stat.st_mtime))


# REQUESTS_CA_BUNDLE as it was before the simulator pointed it at its own bundle, handed down to child
# processes (an out-of-process skill, a simulator it starts) so they start from the same public roots.
ROOTS_VARIABLE = "VOICECART_SIM_PUBLIC_ROOTS"


def _public_roots() -> str | None:
    """The public roots the bundle starts from: REQUESTS_CA_BUNDLE's as the user set it, else certifi's."""
    configured = os.environ.get(ROOTS_VARIABLE, os.environ.get("REQUESTS_CA_BUNDLE"))
    return configured or _certifi_roots()


def _cached() -> tuple[Path, Path, Path] | None:
    """The kept material, when it is whole, owned by this user alone, unexpired and for the same roots."""
    folder = _folder()
    try:
        current = folder / (folder / "CURRENT").read_text(encoding="utf-8").strip()
        meta = json.loads((current / "meta.json").read_text(encoding="utf-8"))
        if folder.stat().st_mode & 0o077 or (current / "server.key").stat().st_mode & 0o077:
            return None  # readable by others: make new material rather than trust it
        not_after = datetime.fromisoformat(meta["not_after"])
        roots = meta.get("roots")
        if datetime.now(UTC) + RENEW_BEFORE >= not_after or (tuple(roots) if roots else None) != _roots_source():
            return None
        paths = (current / "server.pem", current / "server.key", current / "bundle.pem")
        if all(p.is_file() for p in paths):
            return paths
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def _generate_and_keep() -> tuple[Path, Path, Path]:
    """New material, kept in the cache folder when it can be written, else in a temporary folder."""
    import secrets
    import shutil
    import tempfile

    roots = _roots_source()
    folder = _folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)
        generation = folder / f"gen-{secrets.token_hex(8)}"
        generation.mkdir(mode=0o700)
    except OSError:  # a read-only home: this process only, as before
        return _generate(Path(tempfile.mkdtemp(prefix="voicecart-sim-tls-")))[:3]
    cert, key, bundle, not_after = _generate(generation)
    (generation / "meta.json").write_text(
        json.dumps({"not_after": not_after.isoformat(), "roots": list(roots) if roots else None}), encoding="utf-8"
    )
    pointer = folder / f".CURRENT.{os.getpid()}.tmp"
    try:
        pointer.write_text(generation.name, encoding="utf-8")
        os.replace(pointer, folder / "CURRENT")
    except OSError:
        return cert, key, bundle
    # Earlier material goes once it has expired: until then a simulator still running may read its bundle
    # (requests opens REQUESTS_CA_BUNDLE on every call).
    now = datetime.now(UTC)
    for old in folder.glob("gen-*"):
        if old == generation:
            continue
        try:
            expired = datetime.fromisoformat(json.loads((old / "meta.json").read_text())["not_after"]) < now
        except (OSError, ValueError, KeyError, TypeError):
            expired = now.timestamp() - old.stat().st_mtime > VALID_DAYS * 86400
        if expired:
            shutil.rmtree(old, ignore_errors=True)
    return cert, key, bundle


def _generate(directory: Path) -> tuple[Path, Path, Path, datetime]:
    import ipaddress

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
        .not_valid_after(now + timedelta(days=VALID_DAYS))
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
        .not_valid_after(now + timedelta(days=VALID_DAYS))
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
    public_roots = _public_roots()
    roots = Path(public_roots).read_bytes() if public_roots and Path(public_roots).is_file() else b""
    bundle_path.write_bytes(roots + b"\n" + ca_cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path, bundle_path, now + timedelta(days=VALID_DAYS)


def _certifi_roots() -> str | None:
    try:
        import certifi
    except ImportError:
        return None
    return certifi.where()
