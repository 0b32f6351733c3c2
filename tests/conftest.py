"""Fixtures shared by the whole suite: a backend on a fresh SQLite file with a clock tests can move."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from reorder.clock import ManualClock
from reorder.domain.catalog import Product
from reorder.services.backend import Backend
from reorder.store import open_store

# A Monday morning in New York, so delivery-day arithmetic in tests is easy to follow.
START = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)

SMALL_CATALOG = [
    Product(
        "pampers-swaddlers-size-3-84",
        "Pampers",
        "Swaddlers",
        "diapers",
        "baby",
        "size 3",
        84,
        "box",
        4799,
        ("pampers", "swaddlers", "size 3 diapers"),
        weight_min_lb=16,
        weight_max_lb=28,
    ),
    Product(
        "pampers-swaddlers-size-4-74",
        "Pampers",
        "Swaddlers",
        "diapers",
        "baby",
        "size 4",
        74,
        "box",
        4799,
        ("pampers", "swaddlers", "size 4 diapers"),
        weight_min_lb=22,
        weight_max_lb=37,
    ),
    Product(
        "pampers-sensitive-wipes-336",
        "Pampers",
        "Sensitive",
        "wipes",
        "baby",
        "",
        336,
        "pack",
        1899,
        ("pampers wipes", "baby wipes"),
    ),
    Product(
        "similac-pro-advance-30-8oz",
        "Similac",
        "Pro-Advance",
        "infant formula",
        "baby",
        "30.8 oz",
        1,
        "can",
        4599,
        ("similac", "formula"),
        water_oz_per_scoop=2.0,
    ),
    Product(
        "bounty-select-a-size-12",
        "Bounty",
        "Select-A-Size",
        "paper towels",
        "household",
        "",
        12,
        "pack",
        3199,
        ("bounty", "paper towels"),
    ),
    Product(
        "charmin-ultra-soft-18",
        "Charmin",
        "Ultra Soft",
        "toilet paper",
        "household",
        "",
        18,
        "pack",
        2599,
        ("charmin", "toilet paper", "tp"),
    ),
    Product(
        "tide-pods-original-81",
        "Tide",
        "Pods",
        "laundry detergent",
        "household",
        "original",
        81,
        "bag",
        2699,
        ("tide pods", "detergent"),
    ),
    Product(
        "old-brand-diapers-size-2", "Oldbrand", "", "diapers", "baby", "size 2", 40, "pack", 1999, (), discontinued=True
    ),
]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def store_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'voicecart.sqlite3'}"


@pytest.fixture
def backend(store_url, clock) -> Backend:
    backend = Backend(open_store(store_url), clock)
    backend.catalog.load(SMALL_CATALOG)
    yield backend
    backend.close()


@pytest.fixture
def household(backend):
    return backend.households.create(
        "test-home",
        members=[("Alex", "adult"), ("Sam", "adult"), ("Maya", "child")],
        timezone="America/New_York",
        member_pricing=True,
        member_discount_pct=5,
    )


# -- markers for the slow groups (registered in pyproject.toml): deselect with -m "not browser", etc. --------
SLOW_BY_FOLDER = {"browser": "browser"}
STORE_MARKERS = {"postgresql": "postgres", "dynamodb": "dynamodb"}
FIXTURE_MARKERS = {"postgres_database": "postgres", "shared_postgres": "postgres", "dynamo_server": "dynamodb"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        for marker in _slow_groups(item):
            item.add_marker(marker)


def _slow_groups(item: pytest.Item) -> set[str]:
    groups = set()
    parts = item.path.parts
    for folder, marker in SLOW_BY_FOLDER.items():
        if folder in parts:
            groups.add(marker)
    obj = getattr(item, "obj", None)
    if getattr(obj, "is_hypothesis_test", False) or "fuzz" in item.path.name or "schemathesis" in item.name:
        groups.add("fuzz")
    for name in getattr(item, "fixturenames", ()):
        if name in FIXTURE_MARKERS:
            groups.add(FIXTURE_MARKERS[name])
    callspec = getattr(item, "callspec", None)
    for value in callspec.params.values() if callspec else ():
        if isinstance(value, str) and value in STORE_MARKERS:
            groups.add(STORE_MARKERS[value])
    return groups
