"""AWS Lambda entry point: `lambda_function.lambda_handler`.

The store comes from the VOICECART_STORE environment variable; the backend and skill are built once per
container (on the first event) and reused while the container lives.
"""

from __future__ import annotations

import os
import threading
from typing import Any

_handler = None
_lock = threading.Lock()


def _build():
    from skills.app import build_skill
    from skills.hosting.lambda_entry import lambda_handler as wrap
    from voicecart.bootstrap import open_backend

    backend = open_backend(os.environ.get("VOICECART_STORE"))
    skill_id = os.environ.get("VOICECART_SKILL_ID")
    return wrap(build_skill(backend, **({"skill_id": skill_id} if skill_id else {})))


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    global _handler
    if _handler is None:
        with _lock:
            if _handler is None:
                _handler = _build()
    return _handler(event, context)
