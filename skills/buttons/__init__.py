"""Virtual buttons by voice: create, list, press, rename, re-quantity and delete the household's buttons."""

from __future__ import annotations

from skills.common.context import SkillContext


def handlers(ctx: SkillContext) -> list:
    from skills.buttons.intent_handlers import button_handlers

    return button_handlers(ctx)
