"""Serving skills the way Alexa calls them: request verification, the Flask endpoint, Lambda."""

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
