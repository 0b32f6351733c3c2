"""Trusting a local test CA beside Amazon's, from a directory that configuration names.

The directory holds the CA's root certificate (`root.pem`) and the certificate chains it issued
(`echo.api/<name>.pem`), which is how the device simulator's local signing CA keeps them. Requests signed by
that CA then pass real verification: their chain URL (`https://s3.amazonaws.com/echo.api/<name>.pem`) is read
from the directory, any other chain URL is fetched from Amazon as usual, and Amazon's roots stay trusted.
`voicecart serve --trust-ca DIR` (VOICECART_TRUST_CA) names the directory; never configure one in production.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from skills.hosting.cert_chain import ChainFetcher, UrllibChainFetcher, default_trusted_roots

ROOT_FILE = "root.pem"
CHAIN_FOLDER = "echo.api"
CERT_URL_BASE = "https://s3.amazonaws.com/echo.api/"


class LocalTrustError(ValueError):
    """The configured directory holds no local CA; the message says what is missing."""


class DirectoryChainFetcher:
    """Serves `https://s3.amazonaws.com/echo.api/<name>` from `<directory>/echo.api/<name>`; LookupError for
    any URL or name the directory does not hold."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def __call__(self, url: str) -> bytes:
        parts, prefix = urlsplit(url), urlsplit(CERT_URL_BASE)
        name = parts.path.removeprefix(prefix.path)
        if (
            parts.scheme.lower() != "https"
            or (parts.hostname or "").lower() != prefix.hostname
            or not parts.path.startswith(prefix.path)
            or not name
            or "/" in name
            or name.startswith(".")
        ):
            raise LookupError(f"the local CA in {self.directory} does not serve {url}")
        path = self.directory / CHAIN_FOLDER / name
        if not path.is_file():
            raise LookupError(f"the local CA in {self.directory} has no certificate chain {name!r}")
        return path.read_bytes()


def trust_with_local_ca(
    directory: Path | str, *, remote: ChainFetcher | None = None
) -> tuple[list[bytes], Callable[[str], bytes]]:
    """(trusted root PEMs, chain fetcher) for `verifiers_from_config(trust=...)`: the system's roots plus the
    local CA's; chains the local CA wrote are read from disk, any other chain is fetched with `remote`."""
    from cryptography.hazmat.primitives.serialization import Encoding

    directory = Path(directory)
    root_file = directory / ROOT_FILE
    if not root_file.is_file():
        raise LocalTrustError(f"no local CA in {directory}: {ROOT_FILE} is missing")
    local = DirectoryChainFetcher(directory)
    fetch_remote = remote or UrllibChainFetcher()

    def fetch(url: str) -> bytes:
        # Every chain the local CA wrote (its own and the deliberately bad ones the tests sign with) is read
        # from disk, so a bad local chain is refused for what is wrong with it, not for a failed download.
        try:
            return local(url)
        except LookupError:
            return fetch_remote(url)

    roots = [cert.public_bytes(Encoding.PEM) for cert in default_trusted_roots()]
    return [*roots, root_file.read_bytes()], fetch
