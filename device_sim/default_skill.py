"""The skill a device talks to when none is named: voicecart's own, in process, on the order backend.

This is the one place that knows where the voicecart skill lives (skills.app and intents.model.load_model)
and how the device meets the backend beyond speech: the backend's notification outbox feeds the
device's notifications, and pressing a virtual button presses it in the backend. Until the skill
exists the simulator says so instead of failing obscurely.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from device_sim.skill_loader import SkillEndpoint

VOICECART_SKILL_ID = "amzn1.ask.skill.voicecart-sim"


class SkillNotInstalled(RuntimeError):
    """The voicecart skill (or its interaction model) is not importable in this checkout."""


def open_voicecart(store_url: str | None = None, clock: Any = None, *, locale: str = "en-US",
                   backend: Any = None) -> tuple[SkillEndpoint, Any]:
    """The voicecart skill and the backend it runs on, sharing the simulator's clock."""
    try:
        from intents.model import load_model
        from skills import app
    except ImportError as exc:
        raise SkillNotInstalled(
            f"the voicecart skill is not installed yet ({exc}); point the simulator at a skill with "
            "--skill MODULE:HANDLER --model MODEL.json, e.g. the example in device_sim/examples/tea_timer"
        ) from exc
    if backend is None:
        # The composition root wires stores and seeds the demo household; the simulator only borrows it.
        from voicecart.bootstrap import open_backend

        backend = open_backend(store_url, clock=clock)
    from ask_sdk_core.api_client import DefaultApiClient

    skill_id = getattr(app, "SKILL_ID", VOICECART_SKILL_ID)
    # A real API client, so the skill's reminder and profile calls reach the emulated Alexa service.
    skill = app.build_skill(backend, skill_id=skill_id, api_client=DefaultApiClient())
    return SkillEndpoint.of(skill, load_model(locale), application_id=skill_id, name="voicecart"), backend


def voicecart_skill(store_url: str | None = None, clock: Any = None, *, locale: str = "en-US",
                    backend: Any = None) -> SkillEndpoint:
    return open_voicecart(store_url, clock, locale=locale, backend=backend)[0]


def household_of(backend: Any, profile: Any) -> str:
    """The household the device's Alexa account is linked to (by name when the account is not linked)."""
    identity = backend.households.find_identity("alexa_user", profile.user_id)
    if identity is not None:
        return identity.household_id
    return backend.households.by_name(profile.household).id


def outbox_source(backend: Any, profile: Any) -> Callable[[], list[dict]]:
    """Polls the household's notification outbox; what it returns is marked delivered to this device."""

    def poll() -> list[dict]:
        pending = backend.notifications.pending(household_of(backend, profile))
        if pending:
            backend.notifications.mark_delivered([n.id for n in pending])
        return [{"text": n.message, "source": "voicecart"} for n in pending]

    return poll


class BackendLink:
    """The backend a device's voicecart session uses; replaced when the session moves to a scratch store."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend


def connect(device: Any, backend: Any) -> BackendLink:
    """Notifications from the backend's outbox, and virtual-button presses into the backend."""
    from reorder.errors import BackendError

    link = BackendLink(backend)
    # What was already waiting when the device was switched on is history (the demo household's past
    # orders), not news: it is marked delivered without a chime, so only new notifications arrive.
    backlog = backend.notifications.pending(household_of(backend, device.profile), limit=10_000)
    if backlog:
        backend.notifications.mark_delivered([n.id for n in backlog])

    def poll() -> list[dict]:
        return outbox_source(link.backend, device.profile)()

    device.watch_notifications(poll, source="voicecart")

    def press(dev: Any, name: str) -> str:
        current = link.backend
        try:
            result = current.buttons.press_by_name(household_of(current, dev.profile), name, channel="button",
                                                   device_id=dev.profile.device_id)
        except BackendError as exc:
            return f"[error] the button did nothing: {exc}"
        return f"[{result.outcome.value}] {result.message}"

    device.on_button_press(press)
    return link
