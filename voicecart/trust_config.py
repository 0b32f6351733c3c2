"""Which local test CA a verifying server trusts beside Amazon's, from the server's configuration.

`--trust-ca DIR` (VOICECART_TRUST_CA) names a CA directory; `--trust-local-ca` (VOICECART_TRUST_LOCAL_CA=1
for voicecart.wsgi) means the device simulator's own signing CA, created in the user data directory the first
time it is needed, so `voicecart serve --trust-local-ca` and `voicecart sim --url ...` meet in either order.
The server itself (voicecart/server.py) only reads the directory it is given."""

from __future__ import annotations


def trust_ca_directory(trust_ca: str | None, trust_local_ca: bool) -> str | None:
    """The CA directory to trust, or None to trust Amazon's chain alone."""
    if trust_ca:
        return trust_ca
    if trust_local_ca:
        from device_sim.signing import LocalAlexaCA

        return str(LocalAlexaCA.create().directory)
    return None
