"""Baby care by voice: log feedings, diapers, sleep and more, ask about them, run routines, set reminders,
and hear when the diapers or the formula are about to run out."""

from __future__ import annotations

from skills.common.context import SkillContext

HELP = "log your baby's feedings, diapers and sleep, and ask how the day went"
# What the fallback offers to try when the person was last logging or asking about the baby.
EXAMPLE = "log a wet diaper, or when did she last eat"
# An example answer for each slot the handlers ask for, offered when the answer was not understood.
# (a question that lists its answers, "wet, dirty, or both?", needs no example)
SLOT_EXAMPLES = {"amount": "four ounces", "routine": "bedtime"}


def handlers(ctx: SkillContext) -> list:
    from skills.babycare.registry import babycare_handlers

    return babycare_handlers(ctx)


def dynamic_entities(ctx: SkillContext, household_id: str) -> list:
    """The household's children's names, heard as ChildName values (an unusual name is still understood)."""
    from ask_sdk_model.er.dynamic import Entity, EntityListItem, EntityValueAndSynonyms

    children = ctx.backend.households.get(household_id).children
    if not children:
        return []
    return [
        EntityListItem(
            name="ChildName",
            values=[
                Entity(id=child.id, name=EntityValueAndSynonyms(value=child.name, synonyms=[])) for child in children
            ],
        )
    ]
