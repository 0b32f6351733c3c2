"""Which language understanding the simulator uses for a skill's interaction model.

The project's own NluEngine (intents.nlu) is preferred: it resolves catalog names fuzzily. When that
package is not installed, the simulator falls back to its own sample-utterance matcher so any skill
can still be exercised offline.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Collection
from datetime import date
from functools import cache
from typing import Any, Protocol


class Nlu(Protocol):
    def parse(
        self, text: str, *, dynamic_entities: list[dict] | None = None, expected_intents: Collection[str] | None = None
    ) -> Any: ...


# factory(model, locale) or factory(model, locale, skill_id=...): the device passes the skill's id to a
# factory that accepts it, so entity-resolution authorities read amzn1.er-authority.echo-sdk.<skill id>.<type>.
NluFactory = Callable[..., Nlu]
SIMULATED_SKILL_ID = "amzn1.ask.skill.simulated"


def sample_nlu(model: dict, locale: str, *, skill_id: str = SIMULATED_SKILL_ID) -> Nlu:
    from device_sim.sample_nlu import SampleNlu

    return SampleNlu(model, locale=locale, skill_id=skill_id)


def default_nlu(model: dict, locale: str, *, skill_id: str = SIMULATED_SKILL_ID) -> Nlu:
    try:
        from intents.engine_cache import cached_engine
    except ImportError:
        return sample_nlu(model, locale, skill_id=skill_id)
    # Built once per model and engine version, then read from the cache (a third of a second saved per run).
    engine: Nlu = cached_engine(model, locale=locale, skill_id=skill_id)
    return engine


def heard_on(nlu: Nlu, day: date, text: str, **kwargs: Any) -> Any:
    """`nlu.parse(text, ...)`, telling an engine that takes it which day the device's clock says it is, so a date
    said on a simulated clock ("tomorrow at nine") is read against that clock, as the skill's backend reads it."""
    if _takes_today(type(nlu)):
        kwargs["today"] = day
    return nlu.parse(text, **kwargs)


@cache
def _takes_today(kind: type[Nlu]) -> bool:
    try:
        return "today" in inspect.signature(kind.parse).parameters
    except (TypeError, ValueError, AttributeError):
        return False
