"""The clearly labelled demo household an empty store gets, so a newcomer's first "reorder diapers" works.

Two adults and a baby, a kitchen speaker, and a few weeks of delivered orders of diapers, wipes,
formula and paper goods.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from reorder.domain.catalog import Product
from reorder.domain.model import Household, Role
from reorder.services.backend import Backend

DEMO_HOUSEHOLD = "demo"
DEMO_USER_ID = "amzn1.ask.account.demo-adult-1"
DEMO_PERSON_IDS = ("amzn1.ask.person.demo-adult-1", "amzn1.ask.person.demo-adult-2")
DEMO_CHILD_PERSON_ID = "amzn1.ask.person.demo-child-1"
DEMO_DEVICE_ID = "amzn1.ask.device.demo-kitchen-echo"

# What the demo family buys: (catalog id, quantity, days ago of each past order). A custom catalog without
# one of these ids simply gives the demo a shorter history.
DEMO_PURCHASES = (
    ("pampers-swaddlers-size-3-84", 1, (40, 26, 12)),
    ("pampers-sensitive-wipes-336", 2, (40, 12)),
    ("similac-pro-advance-30-8-oz-powder", 1, (33, 19, 5)),
    ("bounty-select-a-size-double-plus-rolls-12", 1, (30, 9)),
    ("charmin-ultra-soft-mega-rolls-18", 1, (30,)),
)


def ensure_demo_household(backend: Backend) -> Household | None:
    """Create the demo household if the store has no household at all; returns it when created."""
    if backend.households.list():
        return None
    household = backend.households.create(
        DEMO_HOUSEHOLD,
        members=[("Alex", Role.ADULT), ("Sam", Role.ADULT), ("Maya", Role.CHILD)],
        timezone="America/New_York",
        address_label="Demo household (sample data)",
        member_pricing=True,
        member_discount_pct=5,
        spending_limit_cents=250_00,
        is_demo=True,
    )
    alex, sam, maya = household.members
    links = [
        ("alexa_user", DEMO_USER_ID, None),
        ("alexa_person", DEMO_PERSON_IDS[0], alex.id),
        ("alexa_person", DEMO_PERSON_IDS[1], sam.id),
        ("alexa_person", DEMO_CHILD_PERSON_ID, maya.id),
        ("alexa_device", DEMO_DEVICE_ID, None),
    ]
    for kind, external_id, member_id in links:
        backend.households.link_identity(kind, external_id, household.id, member_id)

    products = backend.catalog.get_many(product_id for product_id, _, _ in DEMO_PURCHASES)
    now = backend.clock.now()
    for product_id, quantity, days_ago_list in DEMO_PURCHASES:
        product = products.get(product_id)
        if product is None or product.discontinued:
            continue
        for days_ago in days_ago_list:
            _place_past_order(backend, household, product, quantity, now - timedelta(days=days_ago))
    backend.orders.advance_fulfilment(now)
    # The seeded past is history, not news: its notifications count as already delivered.
    history = backend.notifications.pending(household.id, limit=10_000)
    backend.notifications.mark_delivered([n.id for n in history])
    return backend.households.get(household.id)


class _FixedClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


def _place_past_order(backend: Backend, household: Household, product: Product, quantity: int, at: datetime) -> None:
    from reorder.services.orders import OrderService

    past = OrderService(backend.store, _FixedClock(at))
    past.place(
        household.id,
        [(product.id, quantity)],
        channel="voice",
        member_id=household.members[0].id,
        idempotency_key=f"demo-{product.id}-{at.date().isoformat()}",
    )
