"""Turning what was said into one catalog product, the way this household means it.

Outcomes are explicit: a product, a short list to ask about ("did you mean A or B?"), or nothing found.
"It" and "that" mean the product last spoken about in this session.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ask_sdk_core.handler_input import HandlerInput

from intents.normalize import normalize_phrase
from reorder.domain.catalog import Product, household_order, variant_rank
from skills.common import session, slots
from skills.common.context import SkillContext
from skills.common.people import PEOPLE

if TYPE_CHECKING:  # the resolver is loaded with the catalog, not at import
    from intents.resolver import Resolution, Scored

PRONOUNS = slots.REFERENCES  # "it", "that", "the same": the product last spoken about
MAX_OPTIONS = 3
_TIED_AT_MOST = 24  # candidates read for the household's own sizes among ties (a line has up to 8 sizes, packs)
# Below this score a candidate is a guess, not an option worth offering ("candy" is no cat food): the
# product is said not to be found instead.
OFFER_SCORE = 80.0


@dataclass
class Lookup:
    status: str  # "match" | "ambiguous" | "no_match"
    product: Product | None = None
    options: list[Product] = field(default_factory=list)
    said: str = ""


# Words a misheard product slot can carry that name nothing ("add to my cart" heard as product "to").
_GLUE = frozenset(
    {
        "to",
        "in",
        "into",
        "on",
        "onto",
        "from",
        "my",
        "our",
        "the",
        "a",
        "an",
        "some",
        "cart",
        "basket",
        "please",
        "more",
        "of",
        "pack",
        "packs",
        "package",  # "what a single package costs": how many, not which product
        "packages",
        "single",
    }
)


def product_words(said: str | None) -> str | None:
    """What was said for a product without the glue around it; None when nothing is left."""
    if said is None:
        return None
    words = [w for w in said.strip().split() if w.lower() not in _GLUE]
    if words and all(re.sub(r"'s$", "", w.lower()) in PEOPLE for w in words):
        return None  # "my wife already grabbed some": who, not what (it had been looked for as wipes)
    return " ".join(words) or None


_A_RUNG_ALONE = re.compile(r"^(?:the|a|those|them|in|into)?\s*(size|stage|step)\s+(\d+)$")


def in_another_size(product: Product | None, said: str | None) -> str | None:
    """What to look up when a product is said as a size of the product spoken about ("change it to the size fours"):
    that product's own line in the new size ("Pampers Swaddlers diapers size 4"), rather than every brand's size 4.
    None when more than a size was said, or the product has no sizes."""
    if product is None or said is None or variant_rank(product.variant) in (None, 0):
        return None
    found = _A_RUNG_ALONE.match(normalize_phrase(said))
    if found is None:
        return None
    head = " ".join(p for p in (product.brand, product.line, product.kind) if p)
    return f"{head} {found.group(1)} {found.group(2)}"


def _without_a_child_s(ctx: SkillContext, household_id: str, said: str | None) -> str | None:
    """ "Maya's diapers" are the diapers bought for Maya: a child of the household named as the owner says whose,
    not which product (a brand's own possessive, "johnson's", stays: no child of the household is called so)."""
    if said is None or "'s " not in said.lower():
        return said
    owner, _, rest = said.partition(" ")
    if not owner.lower().endswith("'s") or not rest.strip():
        return said
    names = {child.name.lower() for child in ctx.backend.households.get(household_id).children}
    return rest if owner.lower()[:-2] in names else said


def is_pronoun(said: str | None) -> bool:
    """Whether what was said for a product refers back to one: "it", "the same", or a few words around "they"
    or "them" that the recogniser put in the slot ("when will they come": "will they")."""
    said = product_words(said)
    if said is None:
        return False
    words = said.lower().split()
    return said.lower() in PRONOUNS or (len(words) <= 3 and any(w in ("they", "them") for w in words))


# Words for an order itself, not for what is in it: "when is the parcel expected", "where's my delivery".
_ORDER_ITSELF = frozenset(
    {"parcel", "parcels", "package", "packages", "delivery", "deliveries", "shipment", "shipments", "order", "orders"}
    | {"stuff", "things", "everything", "box", "boxes", "all", "lot"}
)


def names_the_order_itself(said: str | None) -> bool:
    """Whether what was said for a product names the order rather than a product ("the parcel", "my stuff")."""
    said = product_words(said)
    return said is not None and all(w in _ORDER_ITSELF for w in said.lower().split())


def product_by_id(ctx: SkillContext, product_id: str | None) -> Product | None:
    """The product, or None when the id is unknown (an old session may name a product since removed)."""
    if not product_id:
        return None
    return ctx.backend.catalog.cached_many([product_id]).get(product_id)


def _distinct_products(ctx: SkillContext, ids: list[str]) -> list[Product]:
    products = ctx.backend.catalog.cached_many(ids)
    out: list[Product] = []
    seen_names: set[str] = set()
    for pid in ids:
        product = products.get(pid)
        if product is None or product.discontinued:
            continue
        # Pack sizes share a spoken name: offering "A or A" would be no choice at all.
        if product.spoken_name in seen_names:
            continue
        seen_names.add(product.spoken_name)
        out.append(product)
    return out


# A question's opening words: what follows them in a product slot is no product name.
_ASKING = re.compile(
    r"^(?:(?:have|did|do|does|are|am|is|can|should|will|would)\s+(?:i|we|you|it|they|she|he)\b|what\b|when\b|where\b|why\b|how\b)"
)


def find_product(
    ctx: SkillContext,
    handler_input: HandlerInput,
    household_id: str,
    said: str | None,
    *,
    history_only: bool = False,
    within: list[str] | None = None,
) -> Lookup:
    """Resolve `said` for this household: bought products weigh more; `history_only` looks only at them;
    `within` (e.g. the cart's products) limits the search to those ids."""
    said = _without_a_child_s(ctx, household_id, product_words(said))
    if said is not None and _ASKING.match(said.lower()):
        # "How much have I spent this month": the recogniser put a question in the product slot; it names
        # nothing, and is not said back as if it were a product nobody sells.
        return Lookup("no_match", said="")
    if within is not None and said is not None and not is_pronoun(said):
        return _find_within(ctx, said, within) if within else Lookup("no_match", said=said)
    if said is None or is_pronoun(said):
        if session.last_thing(handler_input) not in (None, "product"):
            # "Make it five" just after a bottle was logged is about the bottle, not the wipes added before it.
            return Lookup("no_match", said=said or "")
        last = session.last_product(handler_input)
        product = product_by_id(ctx, last)
        if product is not None:
            return Lookup("match", product, said=product.spoken_name)
        return Lookup("no_match", said=said or "")
    counts = ctx.backend.orders.purchase_counts(household_id)
    if history_only and not counts:
        return Lookup("no_match", said=said)
    scored = ctx.resolver.score(said, prior=counts or None, restrict_to=list(counts) if history_only else None)
    resolution = scored.top(6)
    ids = [c.id for c in resolution.candidates]
    if resolution.status == "no_match" or not ids or resolution.candidates[0].score < OFFER_SCORE:
        return Lookup("no_match", said=said)
    if counts and not history_only:
        # The purchase history weighs in among products that fit the words about as well; a product it lifted
        # past a clearly better fit is set aside ("tissues" are the catalog's facial tissues, not the Charmin
        # "bath tissue" this household buys).
        resolution = _fitting_the_words(ctx, scored, resolution)
        ids = [c.id for c in resolution.candidates]
    if counts and not history_only and resolution.status != "match":
        # The household first: what it has bought and that fits as well as anything ("paper towels" → the
        # Bounty it buys, not three brands it never has).
        own = _household_choice(ctx, scored, counts)
        if own is not None:
            return Lookup("match", own, said=said)
        mine = _household_options(ctx, scored, counts)
        if len(mine) > 1:
            # Several of its own fit as well as anything ("pampers": its diapers and its wipes): those are the
            # choice, not the catalog's other sizes that tie with them on the words.
            return Lookup("ambiguous", options=mine, said=said)
    if resolution.status == "match":
        product = product_by_id(ctx, ids[0])
        if product is not None and not product.discontinued:
            return Lookup("match", product, said=said)
    # Only candidates close to the best are real alternatives. Among many that tie (every size of a line), the
    # household's sizes may lie past the first few: look further where the household has bought anything.
    best = resolution.candidates[0].score
    pool = resolution
    if counts and not history_only:
        pool = _fitting_the_words(ctx, scored, scored.top(_TIED_AT_MOST))
    close = [c.id for c in pool.candidates if best - c.score <= 15.0]
    # Among near-equal candidates, the one this household buys is what they mean ("bounty" → their Bounty).
    bought = [i for i in close if counts.get(i)]
    if len(bought) == 1 and not history_only:
        product = product_by_id(ctx, bought[0])
        if product is not None and not product.discontinued:
            return Lookup("match", product, said=said)
    # Sizes the words alone cannot tell apart are offered the household's first: "huggies" to a home that buys
    # size 3 diapers offers size 3, then 2 and 4, not the catalog's 6, 5 and 4.
    theirs = list(ctx.backend.catalog.cached_many(list(counts)).values()) if counts else []
    options = household_order(_distinct_products(ctx, close), theirs)[:MAX_OPTIONS]
    if not options:
        return Lookup("no_match", said=said)
    if len(options) == 1 and resolution.candidates[0].score >= ctx.resolver.MATCH_SCORE:
        return Lookup("match", options[0], said=said)
    return Lookup("ambiguous", options=options, said=said)


# How far below the best fit of the words alone a product the purchase history lifted may be, and still be
# offered or chosen: a purchase breaks near-ties, it does not turn a worse name into the answer.
HISTORY_WINDOW = 5.0


def _fitting_the_words(ctx: SkillContext, scored: Scored, resolution: Resolution) -> Resolution:
    """`resolution` (scored with the purchase history) without the candidates whose words alone fit more than
    HISTORY_WINDOW points worse than the best fit of the words, both read from the same scoring."""
    best = scored.best_words()
    kept = [c for c in resolution.candidates if scored.words_of(c.id) >= best - HISTORY_WINDOW]
    if len(kept) == len(resolution.candidates):
        return resolution
    return ctx.resolver.resolution_of(kept)


def _household_choice(ctx: SkillContext, scored: Scored, counts: dict[str, int]) -> Product | None:
    """The one product among the household's purchases that fits what was said as well as the catalog's best.

    `scored` weighed the whole catalog with `counts` as the prior, so it holds every purchase's score: ranking
    those is what resolving the words again among the purchases would answer, without a second scoring. Its
    words alone must fit within HISTORY_WINDOW of the catalog's best ("tissues" are not the household's
    Charmin "bath tissue")."""
    mine = scored.top(3, among=counts)
    if mine.status != "match" or not mine.candidates:
        return None
    if scored.words_of(mine.candidates[0].id) < scored.best_words() - HISTORY_WINDOW:
        return None
    product = product_by_id(ctx, mine.candidates[0].id)
    return product if product is not None and not product.discontinued else None


def _household_options(ctx: SkillContext, scored: Scored, counts: dict[str, int]) -> list[Product]:
    """The household's purchases that fit the words about as well as the catalog's best (within HISTORY_WINDOW),
    best first, as distinct products to offer; at most MAX_OPTIONS."""
    best = scored.best_words()
    mine = scored.top(MAX_OPTIONS * 2, among=counts).candidates
    fitting = [
        c.id for c in mine if c.score >= best - HISTORY_WINDOW and scored.words_of(c.id) >= best - HISTORY_WINDOW
    ]
    return _distinct_products(ctx, fitting)[:MAX_OPTIONS]


# An ordinal and what it counts: "the second item", "the last one", "the 3rd thing i added".
_A_POSITION = re.compile(
    r"^(?:the\s+)?(?P<at>first|second|third|[a-z]+th|last|\d+(?:st|nd|rd|th))"
    r"(?:\s+(?:one|item|thing|line|product))?(?:\s+(?:i|we)\s+(?:added|put in|got))?$"
)


def place_said(said: str) -> int | None:
    """The place an ordinal names (1 for "the first item", -1 for "the last one"); None when `said` names no place."""
    found = _A_POSITION.match(" ".join(said.lower().split()))
    return slots.parse_number(found.group("at")) if found else None


def _find_within(ctx: SkillContext, said: str, ids: list[str]) -> Lookup:
    # "The second item" of the cart is its second line, in the order the lines were added (and are read out).
    place = place_said(said)
    if place is not None:
        index = len(ids) - 1 if place == -1 else place - 1
        product = product_by_id(ctx, ids[index]) if 0 <= index < len(ids) else None
        return Lookup("match", product, said=said) if product is not None else Lookup("no_match", said=said)
    resolution = ctx.resolver.resolve(said, restrict_to=ids, limit=len(ids))
    if resolution.status == "no_match" or not resolution.candidates:
        return Lookup("no_match", said=said)
    best = resolution.candidates[0]
    runner_up = resolution.candidates[1].score if len(resolution.candidates) > 1 else 0.0
    if best.score - runner_up >= ctx.resolver.CLEAR_LEAD:
        product = product_by_id(ctx, best.id)
        if product is not None:
            return Lookup("match", product, said=said)
    close = [c.id for c in resolution.candidates if best.score - c.score < ctx.resolver.CLEAR_LEAD]
    options = _distinct_products(ctx, close)[:MAX_OPTIONS]
    if len(options) == 1:
        return Lookup("match", options[0], said=said)
    return Lookup("ambiguous" if options else "no_match", options=options, said=said)


_LIST_JOINS = re.compile(r"\s*,\s*(?:and\s+)?|\s+(?:and|&|plus)\s+")  # "towels, wipes and diapers"


# "wipes, sorry, four", "towels, I mean five packs": a count corrected in the same breath, left by the
# recogniser in the product slot. The count said last is the one meant.
_COUNT_REPAIR = re.compile(
    r"^(?P<name>.+?)[,\s]+(?:sorry|i mean|no wait|wait|make (?:it|that)|actually|or rather|rather)[,\s]+"
    r"(?P<count>[a-z0-9-]+)(?:\s+(?:packs?|boxes|of (?:them|those)))?[\s.!]*$",
    re.IGNORECASE,
)


def count_repair(said: str | None) -> tuple[str, int] | None:
    """(the product's words, the count said last) when `said` ends in a corrected count; None otherwise."""
    return _name_and_count(_COUNT_REPAIR.match(said or ""))


def _name_and_count(match: re.Match[str] | None) -> tuple[str, int] | None:
    """The product's words and the count of a `_COUNT_REPAIR` or `_COUNT_FOR_EACH` match, when both are there."""
    if match is None:
        return None
    count = slots.parse_number(match.group("count"))
    name = product_words(match.group("name").strip(" ,"))
    return (name, count) if count is not None and name else None


# "wipes and paper towels, two of each": a count said after the things it counts, left by the recogniser at the end
# of a product slot; it goes with each of them.
_COUNT_FOR_EACH = re.compile(
    r"^(?P<name>.+?)\s*,\s*(?P<count>[a-z0-9-]+(?:\s+[a-z0-9-]+)?)"
    r"(?:\s+(?:of each|each|of them|of those|apiece))?[\s.!]*$",
    re.IGNORECASE,
)


def count_for_each(said: str | None) -> tuple[str, int] | None:
    """(the products' words, the count) when `said` ends in a count set apart by a comma; None otherwise."""
    return _name_and_count(_COUNT_FOR_EACH.match(said or ""))


def names_several(said: str) -> bool:
    """Whether a product slot's words join several names ("diapers and a kite"), so `find_products` is worth it."""
    return len([p for p in _LIST_JOINS.split(said) if p.strip()]) > 1


def find_products(
    ctx: SkillContext, handler_input: HandlerInput, household_id: str, said: str, *, history_only: bool = False
) -> list[Lookup]:
    """What a slot value naming several things in one breath ("paper towels and lego") means: one lookup per
    thing, so one not found is said, not dropped. A name that has "and" in it ("arm and hammer") stays whole
    when reading it whole finds more than reading it apart."""
    parts = [p for p in _LIST_JOINS.split(said) if p.strip()]
    whole = [find_product(ctx, handler_input, household_id, said, history_only=history_only)]
    if len(parts) < 2:
        return whole
    apart = [find_product(ctx, handler_input, household_id, p, history_only=history_only) for p in parts]

    def found(lookups: list[Lookup]) -> int:
        return sum(lk.status == "match" for lk in lookups)

    # Nothing found either way: the name is said back as it was said, not in pieces.
    return apart if found(apart) >= found(whole) and found(apart) > 0 else whole
