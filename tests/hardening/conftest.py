"""Fixtures: the real composition (`build_server_app`) on an SQLite file, the local Alexa CA it trusts,
the demo household and a rival household whose data must never cross over."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from hardening_support import make_rival

from device_sim.signing import LocalAlexaCA
from reorder.bootstrap import open_backend
from reorder.clock import ManualClock
from reorder.demo import DEMO_HOUSEHOLD
from reorder.services.backend import Backend


@dataclass
class Served:
    """`voicecart serve`'s app in process: its test client, backend, the CA it trusts, and both households."""

    client: object
    backend: Backend
    ca: LocalAlexaCA
    demo_id: str
    demo_token: str
    rival: dict

    def post(self, body: bytes, headers: dict[str, str]):  # noqa: ANN201 - a Flask test response
        return self.client.post("/alexa", data=body, headers={"Content-Type": "application/json", **headers})

    def post_signed(self, body: bytes):  # noqa: ANN201
        return self.post(body, self.ca.sign(body))


@pytest.fixture(scope="session")
def ca_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("alexa") / "local-ca"


@pytest.fixture(scope="session")
def local_ca(ca_dir) -> LocalAlexaCA:
    return LocalAlexaCA.create(ca_dir)  # RSA keys take a moment: generated once per run


def _served(tmp_path, ca_dir, local_ca, url: str | None = None) -> Iterator[Served]:
    # Certificates are checked against the backend's clock, so it starts at the real time.
    clock = ManualClock(datetime.now(UTC).replace(microsecond=0))
    backend = open_backend(url or f"sqlite:///{tmp_path / 'served.sqlite3'}", clock=clock)
    from voicecart.server import build_server_app

    app = build_server_app(backend, trust_ca=ca_dir)
    demo = backend.households.by_name(DEMO_HOUSEHOLD)
    rival = make_rival(backend)
    try:
        yield Served(
            client=app.test_client(),
            backend=backend,
            ca=local_ca,
            demo_id=demo.id,
            demo_token=backend.households.issue_token(demo.id, "hardening"),
            rival=rival,
        )
    finally:
        backend.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory, ca_dir, local_ca) -> Iterator[Served]:
    """One served app per test module: building the skill and its catalog index is the slow part."""
    yield from _served(tmp_path_factory.mktemp("served"), ca_dir, local_ca)


@pytest.fixture(scope="module", params=("sqlite", "postgresql"))
def served_on_each_store(request, tmp_path_factory, ca_dir, local_ca) -> Iterator[Served]:
    """`served` on SQLite, then on a PostgreSQL database of its own (where NUL bytes and subnormal floats
    once failed)."""
    if request.param == "sqlite":
        yield from _served(tmp_path_factory.mktemp("served"), ca_dir, local_ca)
        return
    from pg_server import TestDatabase, ensure_server

    problem = ensure_server()
    if problem is not None:
        if os.environ.get("CI"):
            pytest.fail(f"the hardening tests need PostgreSQL in CI: {problem}")
        pytest.skip(problem)
    database = TestDatabase()
    try:
        yield from _served(tmp_path_factory.mktemp("served"), ca_dir, local_ca, url=database.url)
    finally:
        database.drop()
