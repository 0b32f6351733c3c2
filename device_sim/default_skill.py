"""The skill a device talks to when none is named: voicecart's own, in process, on the order backend.

This is the one place that knows where the voicecart skill lives (skills.app.build_skill and
intents.model.load_model); until those exist the simulator says so instead of failing obscurely.
"""

from __future__ import annotations

from typing import Any

from device_sim.skill_loader import SkillEndpoint

VOICECART_SKILL_ID = "amzn1.ask.skill.voicecart-sim"


class SkillNotInstalled(RuntimeError):
    """The voicecart skill (or its interaction model) is not importable in this checkout."""


def voicecart_skill(store_url: str | None = None, clock: Any = None, *, locale: str = "en-US",
                    backend: Any = None) -> SkillEndpoint:
    """The voicecart skill on a backend opened from `store_url`, sharing the simulator's clock."""
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
    return SkillEndpoint.of(skill, load_model(locale), application_id=skill_id, name="voicecart")
