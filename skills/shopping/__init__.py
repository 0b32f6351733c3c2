"""Shopping by voice: cart, checkout, reorder, buy it again, order status and cancelling."""

from __future__ import annotations

from skills.common.context import SkillContext

# What help says this capability does (a clause of one sentence; see skills.app.help_text).
HELP = "add to your cart, reorder, or ask where's my order"
# What the fallback offers to try when the person was last shopping (and at launch: shopping comes first).
EXAMPLE = "add paper towels, or what's in my cart"
SLOT_EXAMPLES = {"product": "paper towels", "quantity": "two"}


def handlers(ctx: SkillContext) -> list:
    from skills.shopping.registry import shopping_handlers

    return shopping_handlers(ctx)
