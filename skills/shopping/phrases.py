"""How shopping things are said: order lines, totals with savings, order status. All output is SSML-safe."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from reorder.domain.catalog import Product
from reorder.domain.model import Order, OrderStatus, Totals
from skills.common import speech


def line(quantity: int, product: Product | None, name: str) -> str:
    """ "two packs of Bounty paper towels" (spoken name and unit when the catalog still knows the product)."""
    if product is None:
        return speech.item(quantity, "pack", name)
    return speech.item(quantity, product.unit, product.spoken_name)


def lines(items: Iterable[tuple[int, str, str]], products: Mapping[str, Product]) -> str:
    """(quantity, product_id, fallback name) → "A, B and C"; beyond three, "A, B, C and two more". In a
    list of several, products are named short ("Bounty paper towels", "two packs of Charmin toilet paper")
    unless two would sound the same."""
    items = list(items)
    if len(items) > 1:
        shorts = [short_name(products[pid]) if pid in products else "" for _, pid, _ in items]
        if len(set(shorts)) == len(shorts) and "" not in shorts:
            said = [
                (q != 1, speech.escape(short) if q == 1 else speech.item(q, products[pid].unit, short))
                for (q, pid, _), short in zip(items, shorts, strict=True)
            ]
            # Single packs first: "two packs of Pampers wipes and Bounty paper towels" sounds like two of each,
            # "Bounty paper towels and two packs of Pampers wipes" does not, and costs no extra word.
            return speech.join_some([text for _, text in sorted(said, key=lambda pair: pair[0])])
    return speech.join_some([line(q, products.get(pid), name) for q, pid, name in items])


def short_lines(items: Iterable[tuple[int, str]], products: Mapping[str, Product]) -> str | None:
    """(quantity, product_id) → "two packs of Pampers wipes": brand and kind only, for lines just read out in
    full; None when a product is unknown or two would sound the same."""
    items = list(items)
    shorts = [short_name(products[pid]) if pid in products else "" for _, pid in items]
    if "" in shorts or len(set(shorts)) != len(shorts):
        return None
    said = [
        speech.escape(short) if q == 1 else speech.item(q, products[pid].unit, short)
        for (q, pid), short in zip(items, shorts, strict=True)
    ]
    return speech.join_some(said)


def short_name(product: Product) -> str:
    """Brand and kind only: "Pampers diapers", "Bounty paper towels"."""
    return " ".join(p for p in (product.brand, product.kind) if p)


def totals(t: Totals, *, brief: bool = False) -> str:
    """The total, and the member savings in it unless `brief` (an answer that has more to say keeps within a
    breath: the savings are on the card)."""
    said = f"The total is {speech.money(t.total_cents)}"
    if t.savings_cents and not brief:
        said += f", after {speech.money(t.savings_cents)} in member savings"
    return said + "."


def product_name(product: Product) -> str:
    return speech.escape(speech.natural_sizes(product.spoken_name))


def local_date(moment: datetime, tz) -> date:  # noqa: ANN001 - a tzinfo
    return moment.astimezone(tz).date()


def status(order: Order, products: Mapping[str, Product], today: date) -> str:
    """ "Your order of two packs of Bounty paper towels has shipped and arrives Wednesday, November 4th."""
    what = lines(((ln.quantity, ln.product_id, ln.name) for ln in order.lines), products)
    eta = speech.spoken_date(order.estimated_delivery, today)
    match order.status:
        case OrderStatus.PLACED:
            return f"Your order of {what} is placed and arrives {eta}."
        case OrderStatus.SHIPPED:
            return f"Your order of {what} has shipped and arrives {eta}."
        case OrderStatus.OUT_FOR_DELIVERY:
            return f"Your order of {what} is out for delivery and arrives {eta}."
        case OrderStatus.DELIVERED:
            at = order.status_changed_at(OrderStatus.DELIVERED)
            when = speech.spoken_date(at.date() if at else order.estimated_delivery, today)
            return f"Your order of {what} was delivered {'on ' if when not in ('today', 'tomorrow') else ''}{when}."
        case _:
            return f"Your order of {what} was cancelled."


def card_text(items: Iterable[tuple[int, str]], t: Totals, eta: date | None = None) -> str:
    """Plain text for the Alexa app card: one line per item, then the money (no SSML in cards)."""
    rows = [f"{q} x {name}" for q, name in items]
    rows.append(f"Total: ${t.total_cents / 100:.2f}")
    if t.savings_cents:
        rows.append(f"Member savings: ${t.savings_cents / 100:.2f}")
    if eta is not None:
        rows.append(f"Arrives: {eta:%A, %B} {eta.day}")
    return "\n".join(rows)
