"""The device's notification inbox: the yellow light and "you have a new notification".

Notifications arrive three ways: `Device.notify(text)`, a polled source (the order backend's outbox,
any callable returning new items), and Proactive Events a skill posts to the emulated Alexa API.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from device_sim.locales import ENGLISH, DeviceLanguage

NotificationSource = Callable[[], Iterable["str | dict"]]


@dataclass
class Notification:
    text: str
    source: str
    received: datetime
    read: bool = False


@dataclass
class Inbox:
    items: list[Notification] = field(default_factory=list)
    sources: list[tuple[str, NotificationSource]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def add(self, text: str, source: str, when: datetime) -> Notification:
        text = " ".join(str(text).split())
        if not text:
            raise ValueError("a notification needs some text")
        item = Notification(text, source, when)
        self.items.append(item)
        return item

    def watch(self, poll: NotificationSource, source: str = "backend") -> None:
        self.sources.append((source, poll))

    def poll(self, when: datetime) -> list[Notification]:
        """Collects whatever the watched sources have published since the last poll. A failing source
        is skipped this time (its error kept in `failures`) so the device keeps answering."""
        arrived = []
        for source, poll in self.sources:
            try:
                items = list(poll() or [])
            except Exception as exc:  # a backend outage must not take the speaker down with it
                self.failures.append(f"{source}: {type(exc).__name__}: {exc}")
                continue
            for item in items:
                if isinstance(item, dict):
                    text = item.get("text") or item.get("message") or item.get("speech") or ""
                    origin = item.get("source", source)
                else:
                    text, origin = str(item), source
                if str(text).strip():
                    arrived.append(self.add(text, origin, when))
        return arrived

    def unread(self) -> list[Notification]:
        return [n for n in self.items if not n.read]

    def read_aloud(self, language: DeviceLanguage = ENGLISH) -> str:
        """What the device says for "read my notifications", in its language; marks them read."""
        unread = self.unread()
        if not unread:
            return language.no_notifications
        parts = [
            language.one_notification if len(unread) == 1 else language.many_notifications.format(count=len(unread))
        ]
        for item in unread:
            parts.append(language.notification_from.format(source=item.source, text=item.text))
            item.read = True
        return " ".join(parts)


def render_proactive_event(event: dict, locale: str) -> str:
    """Words for a Proactive Events API event, for the schemas commerce and care skills use."""
    name = event.get("name", "")
    payload = event.get("payload") or {}
    if name == "AMAZON.OrderStatus.Updated":
        state = payload.get("state", {})
        status = str(state.get("status", "UPDATED")).replace("_", " ").lower()
        seller = payload.get("order", {}).get("seller", {}).get("name", "your seller")
        delivery = state.get("deliveryDetails", {}).get("expectedArrival")
        text = f"Your order from {seller} is {status}."
        return f"{text} Expected {delivery}." if delivery else text
    if name == "AMAZON.MessageAlert.Activated":
        creator = payload.get("messageGroup", {}).get("creator", {}).get("name", "someone")
        count = payload.get("messageGroup", {}).get("count", 1)
        return f"You have {count} new message{'s' if count != 1 else ''} from {creator}."
    if name == "AMAZON.Occasion.Updated":
        kind = str(payload.get("occasion", {}).get("occasionType", "appointment")).lower()
        status = str(payload.get("state", {}).get("confirmationStatus", "updated")).lower()
        return f"Your {kind} is {status}."
    if name == "AMAZON.WeatherAlert.Activated":
        alert = payload.get("weatherAlert", {})
        return f"Weather alert: {alert.get('alertType', 'warning').replace('_', ' ').lower()}."
    message = payload.get("text") or payload.get("message")
    return str(message) if message else f"You have a new {name or 'notification'}."
