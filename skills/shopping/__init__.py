"""Shopping by voice: cart, checkout, reorder, buy it again, order status and cancelling."""

from __future__ import annotations

from skills.common.context import SkillContext


def handlers(ctx: SkillContext) -> list:
    from skills.shopping.registry import shopping_handlers

    return shopping_handlers(ctx)
