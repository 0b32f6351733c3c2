"""Baby care by voice: log feedings, diapers, sleep and more, ask about them, run routines, set reminders,
and hear when the diapers or the formula are about to run out."""

from __future__ import annotations

from skills.common.context import SkillContext


def handlers(ctx: SkillContext) -> list:
    from skills.babycare.registry import babycare_handlers

    return babycare_handlers(ctx)
