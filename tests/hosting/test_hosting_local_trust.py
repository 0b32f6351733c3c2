"""A verifying server trusts a local test CA from a directory its configuration names (--trust-ca DIR,
VOICECART_TRUST_CA, --trust-local-ca), reading the directory as the simulator's signing CA writes it."""

from __future__ import annotations

import pytest

from device_sim.signing import LocalChainFetcher
from skills.hosting.local_trust import DirectoryChainFetcher, LocalTrustError, trust_with_local_ca
from voicecart.cli import main
from voicecart.trust_config import trust_ca_directory


def test_the_root_and_the_chains_come_from_the_named_directory(local_ca):
    seen: list[str] = []

    def remote(url: str) -> bytes:
        seen.append(url)
        return b"from amazon"

    roots, fetch = trust_with_local_ca(local_ca.directory, remote=remote)
    assert roots[-1] == local_ca.root_pem and len(roots) > 1  # Amazon's roots stay trusted
    assert fetch(local_ca.cert_url) == local_ca.chain_pem and seen == []
    assert fetch("https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem") == b"from amazon"
    assert seen == ["https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem"]


@pytest.mark.parametrize(
    "url",
    [
        "http://s3.amazonaws.com/echo.api/voicecart-local-echo-api.pem",
        "https://s3.amazonaws.com/other/voicecart-local-echo-api.pem",
        "https://evil.example.com/echo.api/voicecart-local-echo-api.pem",
        "https://s3.amazonaws.com/echo.api/../root.pem",
        "https://s3.amazonaws.com/echo.api/.hidden.pem",
        "https://s3.amazonaws.com/echo.api/no-such-chain.pem",
    ],
)
def test_the_server_reads_the_directory_exactly_as_the_simulator_serves_it(local_ca, url):
    """The server's reader and the simulator's own fetcher agree on every URL, served or refused."""
    ours, theirs = DirectoryChainFetcher(local_ca.directory), LocalChainFetcher(local_ca.directory)
    with pytest.raises(LookupError):
        theirs(url)
    with pytest.raises(LookupError):
        ours(url)
    assert ours(local_ca.cert_url) == theirs(local_ca.cert_url)


def test_a_directory_without_a_ca_is_refused_with_the_reason(tmp_path):
    with pytest.raises(LocalTrustError, match="root.pem is missing"):
        trust_with_local_ca(tmp_path)


def test_serve_with_a_wrong_trust_directory_stops_with_a_clear_message(tmp_path, capsys):
    status = main(["--store", f"sqlite:///{tmp_path / 'v.sqlite3'}", "serve", "--trust-ca", str(tmp_path / "none")])
    assert status == 2
    assert f"--trust-ca: no local CA in {tmp_path / 'none'}: root.pem is missing" in capsys.readouterr().err


def test_trust_local_ca_means_the_simulators_ca_created_where_it_lives(tmp_path, monkeypatch):
    from device_sim import signing

    monkeypatch.setattr(signing, "default_directory", lambda: tmp_path / "alexa-local-ca")
    assert trust_ca_directory(None, True) == str(tmp_path / "alexa-local-ca")
    assert (tmp_path / "alexa-local-ca" / "root.pem").is_file()
    assert trust_ca_directory("/some/dir", False) == "/some/dir"
    assert trust_ca_directory(None, False) is None
