"""Serving skills the way Alexa calls them: request verification, the Flask endpoint, Lambda."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from skills.hosting.cert_chain import ChainTrust, UrllibChainFetcher, default_trusted_roots
    from skills.hosting.config import verifiers_from_config
    from skills.hosting.endpoint import skill_blueprint
    from skills.hosting.errors import Reason, VerificationError
    from skills.hosting.lambda_entry import lambda_handler
    from skills.hosting.replay import InMemoryReplayStore, ReplayStore
    from skills.hosting.verification import (
        AbstractVerifier,
        ReplayVerifier,
        SignatureVerifier,
        SkillIdVerifier,
        TimestampVerifier,
    )

# Imported on first use: a skill's handlers reach in here for the apology, and must not load Flask with it
# (the simulator and Lambda never serve HTTP).
_HOMES = {
    "AbstractVerifier": "skills.hosting.verification",
    "ChainTrust": "skills.hosting.cert_chain",
    "InMemoryReplayStore": "skills.hosting.replay",
    "Reason": "skills.hosting.errors",
    "ReplayStore": "skills.hosting.replay",
    "ReplayVerifier": "skills.hosting.verification",
    "SignatureVerifier": "skills.hosting.verification",
    "SkillIdVerifier": "skills.hosting.verification",
    "TimestampVerifier": "skills.hosting.verification",
    "UrllibChainFetcher": "skills.hosting.cert_chain",
    "VerificationError": "skills.hosting.errors",
    "default_trusted_roots": "skills.hosting.cert_chain",
    "lambda_handler": "skills.hosting.lambda_entry",
    "skill_blueprint": "skills.hosting.endpoint",
    "verifiers_from_config": "skills.hosting.config",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'skills.hosting' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)


__all__ = [
    "AbstractVerifier",
    "ChainTrust",
    "InMemoryReplayStore",
    "Reason",
    "ReplayStore",
    "ReplayVerifier",
    "SignatureVerifier",
    "SkillIdVerifier",
    "TimestampVerifier",
    "UrllibChainFetcher",
    "VerificationError",
    "default_trusted_roots",
    "lambda_handler",
    "skill_blueprint",
    "verifiers_from_config",
]
