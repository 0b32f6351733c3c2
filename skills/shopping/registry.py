"""The shopping handlers, in the order they are tried (context-bound answers first)."""

from __future__ import annotations

from skills.common.context import SkillContext


def shopping_handlers(ctx: SkillContext) -> list:
    return []
