"""The standard verifier list, built from a few settings the composition root knows."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta

from skills.hosting.cert_chain import ChainFetcher, roots_from_pems
from skills.hosting.replay import ReplayStore
from skills.hosting.verification import (
    REQUEST_TOLERANCE,
    AbstractVerifier,
    Clock,
    ReplayVerifier,
    SignatureVerifier,
    SkillIdVerifier,
    TimestampVerifier,
)


def verifiers_from_config(
    skill_ids: Iterable[str],
    *,
    trust: tuple[Sequence[bytes | str], ChainFetcher | None] | None = None,
    clock: Clock | None = None,
    replay_store: ReplayStore | None = None,
    tolerance: timedelta = REQUEST_TOLERANCE,
    allow_legacy_sha1: bool = True,
    fetch_chain: Callable[[str], bytes] | None = None,
) -> list[AbstractVerifier]:
    """Signature, timestamp, skill id and replay checks, in that order (cheap refusals never reach
    the replay store, and nothing is trusted before the signature is).

    `trust` is `(root_pems, chain_fetcher)`, e.g. `LocalAlexaCA.trust_config()`; None means the system's
    CA roots and fetching Amazon's chain over HTTPS. `fetch_chain` overrides the fetcher alone."""
    skill_ids = [skill_id for skill_id in skill_ids if skill_id]
    if not skill_ids:
        raise ValueError("name at least one skill id this endpoint serves (amzn1.ask.skill....)")
    roots = None
    if trust is not None:
        root_pems, trusted_fetcher = trust
        roots = roots_from_pems(root_pems)
        fetch_chain = fetch_chain or trusted_fetcher
    return [
        SignatureVerifier(
            trusted_roots=roots, fetch_chain=fetch_chain, clock=clock, allow_legacy_sha1=allow_legacy_sha1
        ),
        TimestampVerifier(clock=clock, tolerance=tolerance),
        SkillIdVerifier(skill_ids),
        ReplayVerifier(store=replay_store, clock=clock),
    ]
