"""The baby-care handlers, in the order they are tried."""

from __future__ import annotations

from skills.common.context import SkillContext


def babycare_handlers(ctx: SkillContext) -> list:
    from skills.babycare import logging_handlers as log
    from skills.babycare import question_handlers as ask
    from skills.babycare import reminder_handlers as reminders
    from skills.babycare import routine_handlers as routines

    return [
        log.LogFeedingHandler(ctx),
        log.LogDiaperHandler(ctx),
        log.LogSleepHandler(ctx),
        log.LogMedicineHandler(ctx),
        log.LogPumpingHandler(ctx),
        log.LogGrowthHandler(ctx),
        log.LogNoteHandler(ctx),
        log.UndoLastEntryHandler(ctx),
        log.CorrectLastEntryHandler(ctx),
        log.EntryAmountHandler(ctx),
        ask.LastEventQueryHandler(ctx),
        ask.SleepDurationQueryHandler(ctx),
        ask.CountTodayQueryHandler(ctx),
        ask.IntakeTodayQueryHandler(ctx),
        ask.DailySummaryHandler(ctx),
        ask.FormulaMixHandler(ctx),
        ask.MedicalQuestionHandler(ctx),
        ask.SupplyQueryHandler(ctx),
        routines.StartRoutineHandler(ctx),
        routines.CreateRoutineHandler(ctx),
        routines.SetReminderHandler(ctx),
        reminders.ListRemindersHandler(ctx),
        reminders.CancelReminderHandler(ctx),
        reminders.RemoveReminderHandler(ctx),
    ]
