"""Shared pieces of the framework tests: the Bean Box example, loaded once, and a fresh store per test."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BEAN_BOX = REPO / "examples" / "bean_box"


@pytest.fixture(scope="session")
def bean_box():
    """The example's SkillDefinition (imported by path, as `voicecart serve` and Lambda bundles do)."""
    from skills.framework.hosting import load_definition

    return load_definition(str(BEAN_BOX))


@pytest.fixture
def store_env(tmp_path, monkeypatch) -> str:
    """A fresh SQLite store (seeded with the demo household on first open) for skills that read VOICECART_STORE."""
    url = f"sqlite:///{tmp_path / 'skill.sqlite3'}"
    monkeypatch.setenv("VOICECART_STORE", url)
    return url


@pytest.fixture
def backend_demo(tmp_path, clock):
    """The shipped catalog and the demo household on a fresh SQLite store, on the test clock."""
    from reorder.bootstrap import open_backend

    backend = open_backend(f"sqlite:///{tmp_path / 'demo.sqlite3'}", clock=clock)
    yield backend
    backend.close()
