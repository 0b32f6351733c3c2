"""Identifiers people may have to read or say: order numbers are digits, spoken as "ending in 4821"."""

import secrets


def new_order_id() -> str:
    return f"VC{secrets.randbelow(10**10):010d}"


def new_id(prefix: str) -> str:
    # 16 random hex digits, as the first 16 of a random UUID's were (a fifth of the cost: no UUID is built).
    return f"{prefix}_{secrets.token_hex(8)}"
