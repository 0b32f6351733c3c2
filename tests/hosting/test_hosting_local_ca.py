"""The local stand-in for Alexa's signing certificate: made once, kept on disk, renewed in time."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509

from device_sim import signing
from device_sim.signing import LocalAlexaCA, LocalChainFetcher


def _leaf(ca: LocalAlexaCA) -> x509.Certificate:
    return x509.load_pem_x509_certificates(ca.chain_pem)[0]


def test_the_ca_is_generated_once_and_then_loaded(local_ca):
    again = LocalAlexaCA.create(local_ca.directory)
    assert again.root_pem == local_ca.root_pem
    assert again.chain_pem == local_ca.chain_pem
    assert LocalAlexaCA.load(local_ca.directory).cert_url == local_ca.cert_url


def test_the_leaf_is_an_echo_api_certificate_under_the_root(local_ca):
    chain = x509.load_pem_x509_certificates(local_ca.chain_pem)
    root = x509.load_pem_x509_certificate(local_ca.root_pem)
    assert len(chain) == 2
    assert chain[0].extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
        x509.DNSName
    ) == ["echo-api.amazon.com"]
    assert chain[0].public_key().key_size == 2048
    assert chain[1].issuer == root.subject
    assert local_ca.cert_url.startswith("https://s3.amazonaws.com/echo.api/")


def test_private_keys_are_readable_only_by_their_owner(local_ca):
    for name in (LocalAlexaCA.LEAF_KEY, LocalAlexaCA.INTERMEDIATE_KEY):
        assert stat.S_IMODE((local_ca.directory / name).stat().st_mode) == 0o600
    assert not list(local_ca.directory.glob("root-key*"))


def test_loading_a_missing_ca_says_how_to_create_one(tmp_path):
    with pytest.raises(FileNotFoundError, match="LocalAlexaCA.create"):
        LocalAlexaCA.load(tmp_path / "nothing-here")


def test_a_leaf_about_to_expire_is_renewed_on_load(tmp_path, monkeypatch):
    monkeypatch.setattr(signing, "LEAF_LIFETIME", timedelta(days=2))
    short_lived = LocalAlexaCA.create(tmp_path / "ca")
    assert _leaf(short_lived).not_valid_after_utc < datetime.now(UTC) + timedelta(days=3)
    monkeypatch.undo()
    renewed = LocalAlexaCA.load(tmp_path / "ca")
    assert _leaf(renewed).not_valid_after_utc > datetime.now(UTC) + timedelta(days=300)
    assert renewed.root_pem == short_lived.root_pem
    assert renewed.cert_url == short_lived.cert_url


@pytest.mark.parametrize(
    "url",
    [
        "https://s3.amazonaws.com/echo.api/../root.pem",
        "https://s3.amazonaws.com/echo.api/",
        "https://s3.amazonaws.com/other/voicecart-local-echo-api.pem",
        "https://example.com/echo.api/voicecart-local-echo-api.pem",
        "http://s3.amazonaws.com/echo.api/voicecart-local-echo-api.pem",
        "https://s3.amazonaws.com/echo.api/missing.pem",
    ],
)
def test_the_local_fetcher_serves_only_its_own_chains(local_ca, url):
    with pytest.raises(LookupError):
        LocalChainFetcher(local_ca.directory)(url)


def test_an_unknown_bad_certificate_kind_is_refused(local_ca):
    with pytest.raises(ValueError, match="unknown bad certificate kind"):
        local_ca.bad_signer("slightly_off")  # type: ignore[arg-type]
