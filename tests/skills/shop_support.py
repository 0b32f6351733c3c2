"""Helpers for the skill tests: what the backend holds after a conversation."""

from __future__ import annotations

from reorder.services.backend import Backend


def orders_of(backend: Backend, household_id: str) -> list:
    return backend.orders.recent(household_id, limit=50)


def cart_of(backend: Backend, household_id: str) -> dict[str, int]:
    return {ln.product_id: ln.quantity for ln in backend.carts.get(household_id).lines}
