"""Virtual buttons by voice: create, list, press, rename, re-quantity and delete the household's buttons."""

from __future__ import annotations

from skills.common.context import SkillContext

HELP = "press or set up a button"
EXAMPLE = "press the coffee button"


def handlers(ctx: SkillContext) -> list:
    from skills.buttons.intent_handlers import button_handlers

    return button_handlers(ctx)


def dynamic_entities(ctx: SkillContext, household_id: str) -> list:
    """The household's button names, heard as ButtonName values from the first turn of a session."""
    from skills.buttons.entities import button_entities

    return list(button_entities(ctx.backend.buttons.list(household_id)).types or [])
