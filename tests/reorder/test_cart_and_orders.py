"""The backend's use cases and the errors that guard them."""

from __future__ import annotations

import dataclasses
import time
from datetime import date, timedelta

import pytest

from reorder.domain.model import OrderStatus, scaled_quantity
from reorder.errors import (
    EmptyCart,
    InvalidInput,
    InvalidQuantity,
    NotCancellable,
    NotFound,
    ProductUnavailable,
    PurchaseCodeRequired,
    PurchaseNotAllowed,
    PurchasingLocked,
    SpendingLimitExceeded,
    UnknownProduct,
    WrongPurchaseCode,
)

DIAPERS = "pampers-swaddlers-size-3-84"
TOWELS = "bounty-select-a-size-12"


def test_lines_added_in_the_same_instant_are_listed_in_the_order_added(backend, household, clock):
    # "Diapers and wipes" is two adds at one clock time: the order had fallen to the random line ids, so the cart
    # and its read-back named them either way round from one run to the next.
    for first, second in ((DIAPERS, TOWELS), (TOWELS, DIAPERS)) * 5:  # by chance right 1 time in 1,024
        backend.carts.clear(household.id)
        backend.carts.add(household.id, first, 1)
        cart, _ = backend.carts.add(household.id, second, 1)  # the clock has not moved
        assert [ln.product_id for ln in cart.lines] == [first, second]
        assert [ln.product_id for ln in backend.carts.get(household.id).lines] == [first, second]


def test_cart_add_merge_update_remove_with_member_savings(backend, household):
    cart, line = backend.carts.add(household.id, DIAPERS, 1, channel="voice")
    cart, _ = backend.carts.add(household.id, DIAPERS, 2, channel="web")
    assert [(ln.product_id, ln.quantity) for ln in cart.lines] == [(DIAPERS, 3)]
    cart, towels = backend.carts.add(household.id, TOWELS, 1)
    assert cart.totals.subtotal_cents == 3 * 4799 + 3199
    assert cart.totals.savings_cents == (3 * 4799 + 3199) * 5 // 100
    cart = backend.carts.set_quantity(household.id, line.id, 1)
    assert cart.line(line.id).quantity == 1
    cart = backend.carts.remove(household.id, towels.id)
    assert [ln.product_id for ln in cart.lines] == [DIAPERS]
    assert backend.carts.clear(household.id).lines == ()


def test_replacing_a_product_keeps_its_quantity_in_one_step(backend, household):
    backend.carts.add(household.id, DIAPERS, 2, channel="voice")
    cart, line = backend.carts.replace_product(household.id, DIAPERS, TOWELS, channel="voice")
    assert [(ln.product_id, ln.quantity) for ln in cart.lines] == [(TOWELS, 2)] and line.product_id == TOWELS
    # Already in the cart, the product's own line grows; the same product is no change.
    backend.carts.add(household.id, DIAPERS, 1)
    cart, line = backend.carts.replace_product(household.id, DIAPERS, TOWELS)
    assert [(ln.product_id, ln.quantity) for ln in cart.lines] == [(TOWELS, 3)]
    cart, _ = backend.carts.replace_product(household.id, TOWELS, TOWELS)
    assert [(ln.product_id, ln.quantity) for ln in cart.lines] == [(TOWELS, 3)]


def test_replacing_what_is_not_in_the_cart_or_with_what_is_not_sold_changes_nothing(backend, household):
    backend.carts.add(household.id, DIAPERS, 2)
    with pytest.raises(NotFound):
        backend.carts.replace_product(household.id, TOWELS, DIAPERS)
    with pytest.raises(UnknownProduct):
        backend.carts.replace_product(household.id, DIAPERS, "no-such-thing")
    assert [(ln.product_id, ln.quantity) for ln in backend.carts.get(household.id).lines] == [(DIAPERS, 2)]


@pytest.mark.parametrize("quantity", [0, -1, 100, 10**9, 1.5, "2", True])
def test_bad_quantities_are_refused_and_nothing_is_written(backend, household, quantity):
    with pytest.raises(InvalidQuantity):
        backend.carts.add(household.id, DIAPERS, quantity)
    assert backend.carts.get(household.id).lines == ()


def test_merging_past_the_line_limit_is_refused_and_keeps_the_old_quantity(backend, household):
    backend.carts.add(household.id, DIAPERS, 60)
    with pytest.raises(InvalidQuantity, match="99"):
        backend.carts.add(household.id, DIAPERS, 60)
    assert backend.carts.get(household.id).lines[0].quantity == 60


def test_unknown_and_discontinued_products(backend, household):
    with pytest.raises(UnknownProduct):
        backend.carts.add(household.id, "no-such-thing", 1)
    with pytest.raises(ProductUnavailable):
        backend.carts.add(household.id, "old-brand-diapers-size-2", 1)
    with pytest.raises(NotFound):
        backend.carts.add("hh_missing", DIAPERS, 1)


def test_checkout_places_an_order_clears_the_cart_and_writes_the_outbox(backend, household):
    backend.carts.add(household.id, DIAPERS, 2)
    placed = backend.orders.checkout(household.id, channel="web", idempotency_key="k1")
    assert placed.created
    order = placed.order
    assert order.status is OrderStatus.PLACED
    assert order.total_cents == 2 * 4799 - (2 * 4799 * 5 // 100)
    assert backend.carts.get(household.id).lines == ()
    [note] = backend.notifications.pending(household.id)
    assert note.kind == "order_placed" and note.order_id == order.id
    assert "Pampers Swaddlers" in note.message


def test_same_idempotency_key_gives_the_same_order(backend, household):
    first = backend.orders.place(household.id, [(DIAPERS, 1)], channel="api", idempotency_key="abc")
    again = backend.orders.place(household.id, [(DIAPERS, 1)], channel="api", idempotency_key="abc")
    assert again.order.id == first.order.id and not again.created
    assert len(backend.orders.recent(household.id)) == 1


def test_empty_cart_checkout_is_refused(backend, household):
    with pytest.raises(EmptyCart):
        backend.orders.checkout(household.id, channel="web")


def test_spending_limit_refuses_and_leaves_the_cart(backend, household):
    backend.households.update_settings(household.id, spending_limit_cents=5000)
    backend.carts.add(household.id, DIAPERS, 2)
    with pytest.raises(SpendingLimitExceeded):
        backend.orders.checkout(household.id, channel="web")
    assert backend.carts.get(household.id).lines[0].quantity == 2
    assert backend.orders.recent(household.id) == []


def test_a_child_cannot_order(backend, household):
    maya = household.members[2]
    with pytest.raises(PurchaseNotAllowed, match="Maya"):
        backend.orders.place(household.id, [(DIAPERS, 1)], channel="voice", member_id=maya.id)
    assert backend.orders.recent(household.id) == []


def test_purchase_code_and_lockout_after_three_wrong_codes(backend, household, clock):
    backend.households.update_settings(household.id, purchase_code="4821")
    with pytest.raises(PurchaseCodeRequired):
        backend.orders.place(household.id, [(DIAPERS, 1)], channel="voice")
    # Other channels authenticate otherwise; the spoken code is for voice.
    assert backend.orders.place(household.id, [(TOWELS, 1)], channel="web").created
    for _ in range(2):
        with pytest.raises(WrongPurchaseCode):
            backend.orders.place(household.id, [(DIAPERS, 1)], channel="voice", purchase_code="0000")
    with pytest.raises(PurchasingLocked):
        backend.orders.place(household.id, [(DIAPERS, 1)], channel="voice", purchase_code="0000")
    with pytest.raises(PurchasingLocked, match="about 15 more minutes"):  # even the right code, while locked
        backend.orders.place(household.id, [(DIAPERS, 1)], channel="voice", purchase_code="4821")
    clock.advance(timedelta(minutes=14, seconds=30))
    with pytest.raises(PurchasingLocked, match="about 1 more minute after"):
        backend.orders.place(household.id, [(DIAPERS, 1)], channel="voice", purchase_code="4821")
    clock.advance(timedelta(minutes=1, seconds=30))
    assert backend.orders.place(household.id, [(DIAPERS, 1)], channel="voice", purchase_code="4821").created


def test_cart_review_says_whether_to_offer_checking_out(backend, household, clock):
    adult, maya = household.members[0], household.members[2]
    backend.carts.add(household.id, DIAPERS, 2)
    review = backend.orders.review_cart(household.id, adult.id, "voice")
    assert [ln.quantity for ln in review.cart.lines] == [2] and review.checkout_blocked is None
    assert backend.orders.review_cart(household.id, maya.id, "voice").checkout_blocked == "child"
    backend.households.update_settings(household.id, purchase_code="4821")
    for _ in range(3):
        with pytest.raises((WrongPurchaseCode, PurchasingLocked)):
            backend.orders.place(household.id, [(DIAPERS, 1)], channel="voice", purchase_code="0000")
    assert backend.orders.review_cart(household.id, adult.id, "voice").checkout_blocked == "locked"
    assert backend.orders.review_cart(household.id, adult.id, "web").checkout_blocked is None  # no code on the web
    clock.advance(timedelta(minutes=16))
    assert backend.orders.review_cart(household.id, adult.id, "voice").checkout_blocked is None


def test_fulfilment_walks_the_lifecycle_and_cancel_only_before_shipping(backend, household, clock):
    order = backend.orders.place(household.id, [(DIAPERS, 1)], channel="voice").order
    # Placed Monday 9 a.m. New York: earliest delivery two days later.
    assert order.estimated_delivery == date(2026, 11, 4)
    clock.advance(timedelta(days=1))
    assert backend.orders.get(household.id, order.id).status is OrderStatus.SHIPPED
    with pytest.raises(NotCancellable):
        backend.orders.cancel(household.id, order.id)
    clock.advance(timedelta(days=2))
    done = backend.orders.get(household.id, order.id)
    assert done.status is OrderStatus.DELIVERED
    assert [c.status for c in done.history] == [
        OrderStatus.PLACED,
        OrderStatus.SHIPPED,
        OrderStatus.OUT_FOR_DELIVERY,
        OrderStatus.DELIVERED,
    ]
    kinds = [n.kind for n in backend.notifications.pending(household.id)]
    assert kinds == ["order_placed", "order_shipped", "order_out_for_delivery", "order_delivered"]


def test_cancel_in_window(backend, household):
    order = backend.orders.place(household.id, [(DIAPERS, 1)], channel="voice").order
    assert backend.orders.latest_cancellable(household.id).id == order.id
    cancelled = backend.orders.cancel(household.id, order.id, reason="pressed by mistake")
    assert cancelled.status is OrderStatus.CANCELLED
    with pytest.raises(NotCancellable):
        backend.orders.cancel(household.id, order.id)
    with pytest.raises(NotCancellable):
        backend.orders.latest_cancellable(household.id)


def test_tracking_names_orders_on_their_way_newest_first_else_the_last_one(backend, household, clock):
    assert backend.orders.tracking(household.id).on_the_way == ()
    assert backend.orders.tracking(household.id).last_finished is None
    first = backend.orders.place(household.id, [(DIAPERS, 1)], channel="voice").order
    clock.advance(timedelta(days=1))  # the first one ships
    second = backend.orders.place(household.id, [(TOWELS, 1)], channel="web").order
    tracking = backend.orders.tracking(household.id)
    assert [o.id for o in tracking.on_the_way] == [second.id, first.id]
    assert [o.status for o in tracking.on_the_way] == [OrderStatus.PLACED, OrderStatus.SHIPPED]
    assert tracking.household.id == household.id
    assert [o.id for o in backend.orders.tracking(household.id, DIAPERS).on_the_way] == [first.id]
    assert [o.id for o in backend.orders.in_flight(household.id)] == [second.id, first.id]
    # Only the newest order that has not shipped can be cancelled without naming one.
    assert backend.orders.latest_cancellable(household.id).id == second.id
    with pytest.raises(NotCancellable):
        backend.orders.latest_cancellable(household.id, [DIAPERS])
    assert backend.orders.cancellable_products(household.id) == [TOWELS]  # the shipped diapers no longer
    backend.orders.cancel(household.id, second.id)
    clock.advance(timedelta(days=5))  # everything arrives
    tracking = backend.orders.tracking(household.id)
    assert tracking.on_the_way == ()
    assert tracking.last_finished.id == second.id and tracking.last_finished.status is OrderStatus.CANCELLED
    last_diapers = backend.orders.tracking(household.id, DIAPERS).last_finished
    assert last_diapers.id == first.id and last_diapers.status is OrderStatus.DELIVERED
    other = backend.households.create("other-home", members=[("Pat", "adult")])
    assert backend.orders.tracking(other.id).last_finished is None


def test_preferred_delivery_day_groups_deliveries(backend, household):
    backend.households.update_settings(household.id, preferred_delivery_day=4)  # Friday
    order = backend.orders.place(household.id, [(DIAPERS, 1)], channel="web").order
    assert order.estimated_delivery == date(2026, 11, 6)
    assert order.estimated_delivery.weekday() == 4


def test_another_households_order_is_not_found(backend, household):
    other = backend.households.create("other-home", members=[("Pat", "adult")])
    order = backend.orders.place(household.id, [(DIAPERS, 1)], channel="web").order
    with pytest.raises(NotFound):
        backend.orders.get(other.id, order.id)
    with pytest.raises(NotFound):
        backend.orders.cancel(other.id, order.id)


def test_buy_it_again_ranks_by_frequency_and_recency(backend, household, clock):
    for _ in range(3):
        backend.orders.place(household.id, [(DIAPERS, 2)], channel="voice")
        clock.advance(timedelta(days=10))
    backend.orders.place(household.id, [(TOWELS, 1)], channel="web")
    cancelled = backend.orders.place(household.id, [("tide-pods-original-81", 1)], channel="web").order
    backend.orders.cancel(household.id, cancelled.id)
    items = backend.orders.buy_it_again(household.id)
    assert [i.product.id for i in items] == [DIAPERS, TOWELS]
    assert items[0].last_quantity == 2 and items[0].times_ordered == 3
    assert backend.orders.purchase_counts(household.id) == {DIAPERS: 3, TOWELS: 1}


def test_quote_reads_back_totals_and_delivery(backend, household):
    backend.households.update_settings(household.id, purchase_code="1234")
    quote = backend.orders.quote(household.id, [(DIAPERS, 2)], channel="voice")
    assert quote.totals.total_cents == 2 * 4799 - 2 * 4799 * 5 // 100
    assert quote.code_required
    assert quote.estimated_delivery == date(2026, 11, 4)


def test_household_settings_are_validated(backend, household):
    with pytest.raises(InvalidInput):
        backend.households.update_settings(household.id, timezone="Mars/Olympus")
    with pytest.raises(InvalidInput):
        backend.households.update_settings(household.id, purchase_code="12a4")
    with pytest.raises(InvalidInput):
        backend.households.update_settings(household.id, colour="blue")
    assert backend.households.get(household.id).timezone == "America/New_York"


def test_tokens_authenticate_their_household_only(backend, household):
    token = backend.households.issue_token(household.id, "kitchen tablet")
    assert backend.households.authenticate(token).household_id == household.id
    from reorder.errors import Unauthorized

    with pytest.raises(Unauthorized):
        backend.households.authenticate(token + "x")


def test_saving_settings_keeps_who_is_who(backend, household):
    alex = household.members[0]
    backend.households.link_identity("alexa_person", "amzn1.ask.person.alex", household.id, alex.id)
    backend.households.update_settings(household.id, member_pricing=False)
    backend.households.add_member(household.id, "Robin", "adult")
    identity = backend.households.find_identity("alexa_person", "amzn1.ask.person.alex")
    assert identity.member_id == alex.id
    assert [m.name for m in backend.households.get(household.id).members] == ["Alex", "Sam", "Maya", "Robin"]


def test_products_cached_for_speech_are_reread_after_a_minute_or_an_import(backend, household):
    seconds = [1000.0]
    catalog = backend.catalog
    catalog._monotonic = lambda: seconds[0]
    first = catalog.cached_many([DIAPERS, "no-such-thing"])
    assert list(first) == [DIAPERS]
    renamed = dataclasses.replace(first[DIAPERS], synonyms=("swaddlers", "the green ones"))
    # Written behind the service's back (another process): the cache still answers, for up to a minute.
    with backend.store.unit_of_work() as uow:
        uow.products.upsert_many([renamed])
    assert catalog.cached_many([DIAPERS])[DIAPERS].synonyms == first[DIAPERS].synonyms
    seconds[0] += catalog.CACHE_SECONDS
    assert catalog.cached_many([DIAPERS])[DIAPERS].synonyms == ("swaddlers", "the green ones")
    # An import through the service is seen at once.
    catalog.load([dataclasses.replace(renamed, synonyms=())])
    assert catalog.cached_many([DIAPERS])[DIAPERS].synonyms == ()


def _history_from_orders(backend, household_id):  # noqa: ANN001, ANN202
    """What the household bought, worked out from its orders: the stats kept as orders come and go must agree."""
    stats: dict[str, tuple] = {}
    orders = [o for o in backend.orders.recent(household_id, limit=500) if o.status is not OrderStatus.CANCELLED]
    for order in sorted(orders, key=lambda o: o.placed_at):
        for line in order.lines:
            times, total, _, _ = stats.get(line.product_id, (0, 0, 0, None))
            stats[line.product_id] = (times + 1, total + line.quantity, line.quantity, order.placed_at)
    return stats


def test_purchase_stats_follow_every_order_placed_and_cancelled(backend, household, clock):
    import random

    rng = random.Random(7)
    products = [DIAPERS, TOWELS, "tide-pods-original-81"]
    placed = []
    for step in range(25):
        if placed and rng.random() < 0.3:
            order = placed.pop(rng.randrange(len(placed)))
            try:
                backend.orders.cancel(household.id, order.id)
            except NotCancellable:
                pass  # it has shipped: it stays bought
        else:
            lines = [(pid, rng.randint(1, 4)) for pid in rng.sample(products, rng.randint(1, 2))]
            placed.append(backend.orders.place(household.id, lines, channel="web").order)
        clock.advance(timedelta(hours=rng.choice([1, 5, 30])))
        expected = _history_from_orders(backend, household.id)
        with backend.store.unit_of_work(write=False) as uow:
            kept = {
                i.product_id: (i.times_ordered, i.total_quantity, i.last_quantity, i.last_ordered_at)
                for i in uow.orders.purchase_history(household.id)
            }
        assert kept == expected, step
        assert backend.orders.purchase_counts(household.id) == {pid: s[0] for pid, s in expected.items()}, step
        for pid in products:  # what "reorder X" orders when no number is said
            assert backend.orders.last_quantity(household.id, pid) == (expected[pid][2] if pid in expected else None)


def test_the_cart_an_add_answers_with_is_the_cart_as_stored(backend, household, clock):
    products = [DIAPERS, TOWELS, "tide-pods-original-81", DIAPERS, TOWELS]
    for step, product_id in enumerate(products):
        if step == 3:
            clock.advance(timedelta(seconds=1))  # some lines added at the same moment, some later
        cart, line = backend.carts.add(household.id, product_id, step + 1, channel="voice", member_id=None)
        assert cart == backend.carts.get(household.id), step
        assert line == cart.line(line.id), step


def test_removing_a_product_takes_its_line_out_and_a_missing_one_changes_nothing(backend, household):
    backend.carts.add(household.id, DIAPERS, 2)
    backend.carts.add(household.id, TOWELS, 1)
    cart = backend.carts.remove_product(household.id, DIAPERS)
    assert [(ln.product_id, ln.quantity) for ln in cart.lines] == [(TOWELS, 1)]
    with pytest.raises(NotFound):
        backend.carts.remove_product(household.id, DIAPERS)
    assert [ln.product_id for ln in backend.carts.get(household.id).lines] == [TOWELS]


def test_the_alexa_users_kept_for_notifications_are_the_newest_few(backend, household):
    from reorder.services.households import MAX_ALEXA_USERS

    ids = [f"amzn1.ask.account.user-{i:03d}" for i in range(MAX_ALEXA_USERS + 5)]
    for user_id in ids:
        backend.households.note_alexa_user(household.id, user_id)
    backend.households.note_alexa_user(household.id, ids[-1])  # a known one: nothing changes
    assert backend.households.alexa_users(household.id) == ids[-MAX_ALEXA_USERS:]


@pytest.mark.parametrize("pause", [0, 0.05], ids=["at-once", "answer-arrived"])
def test_the_store_refuses_a_second_order_with_the_same_idempotency_key(backend, household, clock, pause):
    """The unique constraint behind the service's own check: a second insert with the key is refused as a
    duplicate, on every store (on PostgreSQL the order's rows go in one pipelined batch, whose error
    arrives when the batch is sent)."""
    import dataclasses as dc

    from reorder.store.base import DuplicateIdempotencyKey, Notification

    if backend.store.__class__.__name__.startswith("Dynamo"):
        pytest.skip("DynamoDB keeps idempotency keys in its own conditional write (tested in test_checkout_race)")
    backend.carts.add(household.id, DIAPERS, 1)
    first = backend.orders.checkout(household.id, channel="web", idempotency_key="same-key").order
    twin = dc.replace(first, id="VC-twin-0001")
    with pytest.raises(DuplicateIdempotencyKey), backend.store.unit_of_work() as uow:
        uow.orders.add(twin)
    # The batch is sent with the COMMIT, or by the next statement that needs an answer: the duplicate is
    # reported either way, and the notification and cart change written in the batch after it are undone.
    pending = len(backend.notifications.pending(household.id))
    backend.carts.add(household.id, DIAPERS, 1)
    with pytest.raises(DuplicateIdempotencyKey), backend.store.unit_of_work() as uow:
        uow.orders.add(dc.replace(twin, id="VC-twin-0002"))
        time.sleep(pause)  # PostgreSQL: the refusal has arrived when the next statement of the batch is sent
        uow.outbox.add(Notification("nt-twin", household.id, "order_placed", "twin", clock.now(), twin.id))
        uow.carts.clear(household.id)
        uow.carts.lines(household.id)
    assert len(backend.notifications.pending(household.id)) == pending
    assert len(backend.carts.get(household.id).lines) == 1
    assert [o.id for o in backend.orders.recent(household.id, 10) if o.idempotency_key == "same-key"] == [first.id]


def test_recent_orders_of_a_product_are_those_on_their_way_or_placed_lately_not_cancelled(backend, household, clock):
    from reorder.services.orders import RECENT_ORDER_DAYS

    assert backend.orders.recent_orders_of(household.id, [DIAPERS]) == []
    placed = []
    for lines in ([(DIAPERS, 1)], [(TOWELS, 2)], [(DIAPERS, 1), (TOWELS, 1)], [(DIAPERS, 3)]):
        placed.append(backend.orders.place(household.id, lines, channel="voice").order)
        clock.advance(timedelta(minutes=1))  # newest first is then one order
    diapers, towels, both, cancelled = placed
    backend.orders.cancel(household.id, cancelled.id)
    assert [o.id for o in backend.orders.recent_orders_of(household.id, [DIAPERS])] == [both.id, diapers.id]
    assert [o.id for o in backend.orders.recent_orders_of(household.id, [TOWELS, DIAPERS])] == [
        both.id,
        towels.id,
        diapers.id,
    ]
    assert backend.orders.recent_orders_of(household.id, []) == []
    # Delivered (no longer on its way) and older than the window: no longer a repeat to point out.
    clock.advance(timedelta(days=RECENT_ORDER_DAYS + 4))
    assert backend.orders.recent_orders_of(household.id, [DIAPERS]) == []
    other = backend.households.create("other-home", members=[("Pat", "adult")])
    assert backend.orders.recent_orders_of(other.id, [DIAPERS]) == []


def test_an_order_still_on_its_way_counts_as_recent_however_long_ago_it_was_placed(backend, household, clock):
    from reorder.services.orders import RECENT_ORDER_DAYS

    orders = [backend.orders.place(household.id, [(DIAPERS, n)], channel="voice").order for n in (1, 2, 3)]
    old, slow, lately = orders
    with backend.store.unit_of_work() as uow:
        if not hasattr(uow, "conn"):
            pytest.skip("statuses and dates are set through SQL here")
        long_ago = (clock.now() - timedelta(days=RECENT_ORDER_DAYS + 30)).isoformat(timespec="microseconds")
        uow.conn.execute(
            "UPDATE orders SET placed_at = ?, status = ?, next_transition_at = NULL WHERE id = ?",
            (long_ago, "delivered", old.id),
        )
        uow.conn.execute(
            "UPDATE orders SET placed_at = ?, status = ?, next_transition_at = NULL WHERE id = ?",
            (long_ago, "shipped", slow.id),
        )
    assert [o.id for o in backend.orders.recent_orders_of(household.id, [DIAPERS])] == [lately.id, slow.id]
    assert [o.id for o in backend.orders.recent_orders_of(household.id, [DIAPERS], limit=1)] == [lately.id]
    assert backend.orders.recent_orders_of(household.id, [TOWELS]) == []


@pytest.mark.parametrize(
    ("quantity", "factor", "scaled"), [(1, 2, 2), (3, 3, 9), (5, 0.5, 3), (1, 0.5, 1), (4, 0.5, 2)]
)
def test_a_count_said_as_a_multiple_rounds_half_up_and_keeps_at_least_one(quantity, factor, scaled):
    assert scaled_quantity(quantity, factor) == scaled


def test_a_factor_of_zero_or_less_is_refused():
    with pytest.raises(InvalidInput):
        scaled_quantity(2, 0)
