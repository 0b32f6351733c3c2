"""Fixtures: a local CA standing in for Amazon's, a clock, and an endpoint that trusts that CA."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hosting_support import SKILL_ID, CountingFetcher, FrozenClock, Harness, hello_skill, make_app

from device_sim.signing import LocalAlexaCA
from skills.hosting import verifiers_from_config


@pytest.fixture(scope="session")
def local_ca(tmp_path_factory) -> LocalAlexaCA:
    return LocalAlexaCA.create(tmp_path_factory.mktemp("alexa") / "local-ca")


@pytest.fixture(scope="session")
def bad_signers(local_ca) -> dict:
    return {
        kind: local_ca.bad_signer(kind)
        for kind in ("expired", "not_yet_valid", "self_signed", "wrong_san", "untrusted_root")
    }


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def harness(local_ca, clock) -> Harness:
    roots, fetch = local_ca.trust_config()
    fetcher = CountingFetcher(fetch)
    verifiers = verifiers_from_config([SKILL_ID], trust=(roots, fetcher), clock=clock)
    app = make_app(hello_skill(), verifiers)
    return Harness(ca=local_ca, clock=clock, fetcher=fetcher, client=app.test_client())
