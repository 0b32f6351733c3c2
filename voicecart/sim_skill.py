"""The skill the simulator runs when none is named: voicecart's own, in process, on the order backend.

The simulator does not know which skill that is: the application hands it this one through the
`voicecart.default_skill` entry point declared in pyproject.toml (see device_sim/default_skill.py).
"""

from __future__ import annotations

from typing import Any

from ask_sdk_model.services import ApiClient  # the skill's own imports load it anyway

from device_sim.default_skill import SkillNotInstalled
from device_sim.skill_loader import SkillEndpoint
from reorder.services.backend import Backend

VOICECART_SKILL_ID = "amzn1.ask.skill.voicecart-sim"


def open_voicecart(
    store_url: str | None = None, clock: Any = None, *, locale: str = "en-US", backend: Backend | None = None
) -> tuple[SkillEndpoint, Backend]:
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
        from reorder.bootstrap import open_backend

        backend = open_backend(store_url, clock=clock)
    skill_id = getattr(app, "SKILL_ID", VOICECART_SKILL_ID)
    # A real API client, so the skill's reminder and profile calls reach the emulated Alexa service.
    skill = app.build_skill(backend, skill_id=skill_id, api_client=_FirstUseApiClient())
    return SkillEndpoint.of(skill, load_model(locale), application_id=skill_id, name="voicecart"), backend


def voicecart_skill(
    store_url: str | None = None, clock: Any = None, *, locale: str = "en-US", backend: Backend | None = None
) -> SkillEndpoint:
    return open_voicecart(store_url, clock, locale=locale, backend=backend)[0]


class _FirstUseApiClient(ApiClient):
    """ask-sdk's DefaultApiClient, made on the skill's first call to an Alexa API: it imports `requests`,
    a tenth of a one-shot `voicecart sim --say` that makes no such call."""

    def __init__(self) -> None:
        self._client: Any = None

    def invoke(self, request: Any) -> Any:
        if self._client is None:
            from ask_sdk_core.api_client import DefaultApiClient

            self._client = DefaultApiClient()
        return self._client.invoke(request)
