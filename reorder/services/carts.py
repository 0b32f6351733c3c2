"""The household's one cart, shared by every channel: a cart started by voice is the same on the web."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from reorder.clock import Clock
from reorder.domain.model import Cart, CartLine, Household, validate_channel, validate_quantity
from reorder.errors import InvalidQuantity, NotFound, ProductUnavailable, UnknownProduct
from reorder.services.ids import new_id
from reorder.store.base import Store, UnitOfWork
from reorder.store.timestamps import parse_ts, ts


def _listed(line: CartLine) -> tuple[str, str]:
    """Where a store lists a cart line: by the time it was added (as stored, text in UTC), then by id."""
    return (ts(line.added_at) or "", line.id)


def load_household(uow: UnitOfWork, household_id: str) -> Household:
    return found(uow.households.get(household_id), household_id)


def found(household: Household | None, household_id: str) -> Household:
    """`household`, read for `household_id`; NotFound (404) when there is none."""
    if household is None:
        raise NotFound(f"There is no household {household_id!r}.")
    return household


class CartService:
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def get(self, household_id: str) -> Cart:
        with self.store.unit_of_work(write=False) as uow:
            household = load_household(uow, household_id)
            return Cart(household_id, tuple(uow.carts.lines(household_id)), household.discount_pct)

    def add(
        self,
        household_id: str,
        product_id: str,
        quantity: int = 1,
        *,
        channel: str = "api",
        member_id: str | None = None,
    ) -> tuple[Cart, CartLine]:
        """Add a product; if it is in the cart already, its quantity grows (up to the per-line limit)."""
        validate_quantity(quantity)
        validate_channel(channel)
        with self.store.unit_of_work(household=household_id) as uow:
            household = load_household(uow, household_id)
            before = uow.carts.lines(household_id)
            line = self._put(uow, household_id, product_id, quantity, channel, member_id, before)
        # The cart as the store now holds it, without reading it again: the line put in place of its old self,
        # or added in the order the store lists lines (by when they were added, then by id).
        if any(ln.id == line.id for ln in before):
            lines = [line if ln.id == line.id else ln for ln in before]
        else:
            lines = sorted([*before, line], key=_listed)
        return Cart(household_id, tuple(lines), household.discount_pct), line

    def replace_product(
        self,
        household_id: str,
        old_product_id: str,
        new_product_id: str,
        *,
        channel: str = "api",
        member_id: str | None = None,
    ) -> tuple[Cart, CartLine]:
        """Put one product in place of another, keeping how many ("no, I meant Bounty"): in one transaction,
        so the cart is never seen with both or with neither. Already in the cart, the new one's line grows."""
        validate_channel(channel)
        with self.store.unit_of_work(household=household_id) as uow:
            household = load_household(uow, household_id)
            old = next((ln for ln in uow.carts.lines(household_id) if ln.product_id == old_product_id), None)
            if old is None:
                raise NotFound(f"Your cart has no {old_product_id!r}.")
            if new_product_id == old_product_id:
                line_id = old.id
            else:
                line_id = self._put(uow, household_id, new_product_id, old.quantity, channel, member_id).id
                uow.carts.remove_line(household_id, old.id)
            cart = Cart(household_id, tuple(uow.carts.lines(household_id)), household.discount_pct)
        line = cart.line(line_id)
        assert line is not None
        return cart, line

    def _put(
        self,
        uow: UnitOfWork,
        household_id: str,
        product_id: str,
        quantity: int,
        channel: str,
        member_id: str | None,
        lines: list[CartLine] | None = None,
    ) -> CartLine:
        """Add `quantity` of a product that is sold to the cart (its line grows when it is there): the line as
        the store now lists it. `lines`: the cart's lines, when the caller has read them in this transaction."""
        product = uow.products.get(product_id)
        if product is None:
            raise UnknownProduct(f"There is no product with id {product_id!r}.", product_id=product_id)
        if product.discontinued:
            raise ProductUnavailable(f"{product.name} is no longer sold.", product_id=product_id)
        if lines is None:
            lines = uow.carts.lines(household_id)
        existing = next((ln for ln in lines if ln.product_id == product_id), None)
        if existing:
            new_quantity = existing.quantity + quantity
            try:
                validate_quantity(new_quantity)
            except InvalidQuantity as exc:
                raise InvalidQuantity(
                    f"Your cart has {existing.quantity} of {product.name} already; {new_quantity} would be "
                    f"more than the 99 allowed on one line.",
                    max=99,
                ) from exc
            uow.carts.set_quantity(household_id, existing.id, new_quantity)
            return replace(existing, quantity=new_quantity)
        # Lines are listed in the order they were added (by time, then id): a line added in the same instant as
        # another ("diapers and wipes", one turn) is a microsecond after it, so the order never falls to the ids.
        added_at = self.clock.now()
        latest = max((ln.added_at for ln in lines if ln.added_at is not None), default=None)
        if latest is not None and latest >= added_at:
            added_at = latest + timedelta(microseconds=1)
        line = CartLine(
            new_id("line"),
            product_id,
            quantity,
            product.price_cents,
            product.name,
            member_id,
            channel,
            added_at,
        )
        uow.carts.add_line(household_id, line)
        # Read back, its time is the one stored (UTC, to the microsecond).
        return replace(line, added_at=parse_ts(ts(line.added_at)))

    def set_quantity(self, household_id: str, line_id: str, quantity: int) -> Cart:
        validate_quantity(quantity)
        with self.store.unit_of_work(household=household_id) as uow:
            household = load_household(uow, household_id)
            if not any(ln.id == line_id for ln in uow.carts.lines(household_id)):
                raise NotFound(f"Your cart has no line {line_id!r}.")
            uow.carts.set_quantity(household_id, line_id, quantity)
            return Cart(household_id, tuple(uow.carts.lines(household_id)), household.discount_pct)

    def remove(self, household_id: str, line_id: str) -> Cart:
        with self.store.unit_of_work(household=household_id) as uow:
            household = load_household(uow, household_id)
            if not any(ln.id == line_id for ln in uow.carts.lines(household_id)):
                raise NotFound(f"Your cart has no line {line_id!r}.")
            uow.carts.remove_line(household_id, line_id)
            return Cart(household_id, tuple(uow.carts.lines(household_id)), household.discount_pct)

    def remove_product(self, household_id: str, product_id: str) -> Cart:
        """Take a product out of the cart, whichever line holds it ("remove the paper towels")."""
        with self.store.unit_of_work(household=household_id) as uow:
            household = load_household(uow, household_id)
            line = next((ln for ln in uow.carts.lines(household_id) if ln.product_id == product_id), None)
            if line is None:
                raise NotFound(f"Your cart has no {product_id!r}.")
            uow.carts.remove_line(household_id, line.id)
            return Cart(household_id, tuple(uow.carts.lines(household_id)), household.discount_pct)

    def line_for_product(self, household_id: str, product_id: str) -> CartLine | None:
        with self.store.unit_of_work(write=False) as uow:
            return next((ln for ln in uow.carts.lines(household_id) if ln.product_id == product_id), None)

    def clear(self, household_id: str) -> Cart:
        with self.store.unit_of_work(household=household_id) as uow:
            household = load_household(uow, household_id)
            uow.carts.clear(household_id)
            return Cart(household_id, (), household.discount_pct)
