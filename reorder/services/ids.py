"""Identifiers people may have to read or say: order numbers are digits, spoken as "ending in 4821"."""

import secrets
import uuid


def new_order_id() -> str:
    return f"VC{secrets.randbelow(10**10):010d}"


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:16]}"
