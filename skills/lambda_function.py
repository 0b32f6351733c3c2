"""AWS Lambda entry point: `lambda_function.lambda_handler`.

The store comes from the VOICECART_STORE environment variable; the backend and skill are built once per
container (on the first event) and reused while the container lives.
"""

from __future__ import annotations

import os
from typing import Any

from skills.hosting.lambda_entry import LambdaHandler, built_on_first_event


def _build(clock: Any) -> LambdaHandler:
    from reorder.bootstrap import open_backend
    from skills.app import build_skill
    from skills.hosting.lambda_entry import lambda_handler as wrap

    backend = open_backend(os.environ.get("VOICECART_STORE"), clock=clock)
    skill_id = os.environ.get("VOICECART_SKILL_ID")
    return wrap(build_skill(backend, skill_id=skill_id) if skill_id else build_skill(backend))


lambda_handler = built_on_first_event(_build)
