"""The emulated Alexa API's TLS material for 127.0.0.1 is made once and kept, privately, in the cache folder."""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from device_sim import tls


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("VOICECART_CACHE", str(tmp_path))
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv(tls.ROOTS_VARIABLE, raising=False)
    return tmp_path / "sim-tls"


def test_made_once_then_read_back_without_the_x509_machinery(cache):
    made = tls._generate_and_keep()
    assert tls._cached() == made
    assert oct(cache.stat().st_mode & 0o777) == "0o700" and oct(made[1].stat().st_mode & 0o777) == "0o600"
    # A new process reads what was kept and serves TLS with it, without importing cryptography.
    probe = (
        "import sys, ssl\n"
        "from device_sim import tls\n"
        "tls.server_context()\n"
        "print(tls._material[0].parent.name, 'cryptography' in sys.modules)\n"
    )
    env = {**os.environ, "VOICECART_CACHE": str(cache.parent), "PYTHONPATH": str(Path(__file__).parents[2])}
    env.pop("REQUESTS_CA_BUNDLE", None)
    env.pop(tls.ROOTS_VARIABLE, None)
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [made[0].parent.name, "False"]


def test_the_kept_certificate_is_trusted_by_the_kept_bundle(cache):
    cert, key, bundle = tls._generate_and_keep()
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert, key)
    client = ssl.create_default_context(cafile=str(bundle))
    assert client.cert_store_stats()["x509_ca"] >= 1
    # The CA's key was not kept: only the server's certificate and key are in the folder.
    assert sorted(p.name for p in cert.parent.iterdir()) == ["bundle.pem", "meta.json", "server.key", "server.pem"]


def test_expired_or_readable_by_others_or_for_other_roots_is_made_again(cache, tmp_path, monkeypatch):
    cert, _, _ = tls._generate_and_keep()
    meta_path = cert.parent / "meta.json"
    meta = json.loads(meta_path.read_text())

    soon = dict(meta, not_after=(datetime.now(UTC) + timedelta(hours=12)).isoformat())
    meta_path.write_text(json.dumps(soon))
    assert tls._cached() is None  # renewed a day before it expires
    meta_path.write_text(json.dumps(meta))
    assert tls._cached() is not None

    os.chmod(cert.parent / "server.key", 0o644)
    assert tls._cached() is None
    os.chmod(cert.parent / "server.key", 0o600)
    assert tls._cached() is not None

    other_roots = tmp_path / "roots.pem"
    other_roots.write_bytes(b"")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(other_roots))
    assert tls._cached() is None
    again = tls._generate_and_keep()
    assert tls._cached() == again and again[0].parent != cert.parent
    # The earlier material stays until it expires: a simulator still running reads its bundle on every call.
    assert cert.parent.exists()
    meta_path.write_text(json.dumps(dict(meta, not_after=(datetime.now(UTC) - timedelta(days=1)).isoformat())))
    tls._generate_and_keep()
    assert not cert.parent.exists() and again[0].parent.exists()


def test_material_removed_under_a_running_simulator_is_made_again(cache, monkeypatch):
    monkeypatch.setattr(tls, "_material", tls._generate_and_keep())
    for file in tls._material[0].parent.iterdir():
        file.unlink()
    assert isinstance(tls.server_context(), ssl.SSLContext)
    assert tls._material is not None and tls._material[0].is_file()


def test_child_processes_start_from_the_roots_the_user_set(cache, tmp_path, monkeypatch):
    user_roots = tmp_path / "corporate.pem"
    user_roots.write_bytes(b"")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(user_roots))
    monkeypatch.setattr(tls, "_material", None)
    bundle = tls.trust_bundle()
    # This process now points requests at its own bundle; a child inheriting that still knows the user's roots.
    assert os.environ["REQUESTS_CA_BUNDLE"] == str(bundle)
    assert os.environ[tls.ROOTS_VARIABLE] == str(user_roots)
    assert tls._public_roots() == str(user_roots) and tls._cached() is not None


def test_damaged_material_is_made_again(cache):
    cert, _, _ = tls._generate_and_keep()
    (cert.parent / "meta.json").write_text("{not json")
    assert tls._cached() is None
    (cache / "CURRENT").write_text("gen-missing")
    assert tls._cached() is None
