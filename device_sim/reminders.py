"""Reminders as the Alexa Reminders API keeps them, and when they go off on the simulated clock."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MAX_REMINDERS = 100  # per skill and user, like the service


class ReminderError(ValueError):
    """A reminder request the service refuses: `code` is the API's error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Reminder:
    alert_token: str
    request: dict
    created: datetime
    next_fire: datetime | None
    every: timedelta | None = None
    status: str = "ON"
    version: int = 1
    fired: list[datetime] = field(default_factory=list)

    def text(self, locale: str) -> str:
        content = self.request.get("alertInfo", {}).get("spokenInfo", {}).get("content", [])
        chosen = next((c for c in content if c.get("locale") == locale), content[0] if content else {})
        if chosen.get("text"):
            return chosen["text"]
        if chosen.get("ssml"):
            from device_sim.responses import ssml_to_text

            return ssml_to_text(chosen["ssml"], "reminder")
        return "reminder"

    def to_api(self) -> dict:
        stamp = _iso(self.created)
        return {
            "alertToken": self.alert_token,
            "createdTime": stamp,
            "updatedTime": stamp,
            "trigger": self.request.get("trigger"),
            "status": self.status,
            "alertInfo": self.request.get("alertInfo"),
            "pushNotification": self.request.get("pushNotification", {"status": "ENABLED"}),
            "version": str(self.version),
        }


class ReminderBook:
    def __init__(self, default_time_zone: str) -> None:
        self.default_time_zone = default_time_zone
        self.reminders: dict[str, Reminder] = {}

    def create(self, request: dict, now: datetime) -> Reminder:
        if len([r for r in self.reminders.values() if r.status == "ON"]) >= MAX_REMINDERS:
            raise ReminderError("MAX_REMINDERS_EXCEEDED", "this user has too many reminders from the skill")
        first, every = self._schedule(request, now)
        _validate_alert(request)
        reminder = Reminder(str(uuid.uuid4()), request, now, first, every)
        self.reminders[reminder.alert_token] = reminder
        return reminder

    def update(self, token: str, request: dict, now: datetime) -> Reminder:
        reminder = self.get(token)
        first, every = self._schedule(request, now)
        _validate_alert(request)
        reminder.request, reminder.next_fire, reminder.every = request, first, every
        reminder.status, reminder.version = "ON", reminder.version + 1
        return reminder

    def get(self, token: str) -> Reminder:
        if token not in self.reminders:
            raise ReminderError("ALERT_NOT_FOUND", f"no reminder {token}")
        return self.reminders[token]

    def delete(self, token: str) -> None:
        self.get(token)
        del self.reminders[token]

    def due(self, now: datetime) -> list[Reminder]:
        """Fires every reminder whose time has come (recurring ones re-arm); returns them in time order."""
        fired: list[tuple[datetime, Reminder]] = []
        for reminder in self.reminders.values():
            while reminder.status == "ON" and reminder.next_fire is not None and reminder.next_fire <= now:
                fired.append((reminder.next_fire, reminder))
                reminder.fired.append(reminder.next_fire)
                if reminder.every:
                    reminder.next_fire += reminder.every
                else:
                    reminder.status, reminder.next_fire = "COMPLETED", None
        return [r for _, r in sorted(fired, key=lambda pair: pair[0])]

    def _schedule(self, request: dict, now: datetime) -> tuple[datetime, timedelta | None]:
        trigger = request.get("trigger")
        if not isinstance(trigger, dict):
            raise ReminderError("INVALID_TRIGGER", "the reminder has no trigger")
        kind = trigger.get("type")
        if kind == "SCHEDULED_RELATIVE":
            offset = trigger.get("offsetInSeconds")
            if not isinstance(offset, int) or offset <= 0:
                raise ReminderError("INVALID_TRIGGER", "offsetInSeconds must be a positive whole number")
            return now + timedelta(seconds=offset), None
        if kind == "SCHEDULED_ABSOLUTE":
            zone_name = trigger.get("timeZoneId") or self.default_time_zone
            try:
                zone = ZoneInfo(zone_name)
                local = datetime.fromisoformat(str(trigger.get("scheduledTime")))
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise ReminderError("INVALID_TRIGGER", f"bad scheduledTime or timeZoneId: {exc}") from exc
            when = (local if local.tzinfo else local.replace(tzinfo=zone)).astimezone(UTC)
            every = _recurrence(trigger.get("recurrence"))
            if every is None and when <= now:
                raise ReminderError("PAST_SCHEDULED_TIME", "the scheduled time is in the past")
            while every and when <= now:
                when += every
            return when, every
        raise ReminderError("INVALID_TRIGGER", f"unknown trigger type {kind!r}")


def _recurrence(recurrence: dict | None) -> timedelta | None:
    if not recurrence:
        return None
    rules = " ".join([recurrence.get("freq", ""), *recurrence.get("recurrenceRules", [])]).upper()
    if "DAILY" in rules:
        return timedelta(days=1)
    if "WEEKLY" in rules:
        return timedelta(weeks=1)
    raise ReminderError("INVALID_RECURRENCE", "the simulator repeats reminders daily or weekly only")


def _validate_alert(request: dict) -> None:
    content = request.get("alertInfo", {}).get("spokenInfo", {}).get("content")
    if (
        not isinstance(content, list)
        or not content
        or not all(isinstance(c, dict) and (c.get("text") or c.get("ssml")) for c in content)
    ):
        raise ReminderError("INVALID_ALERT_INFO", "alertInfo.spokenInfo.content needs text for each locale")


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000")
