"""Virtual buttons: a saved one-press order, the record of every press, and smart devices' supply slots.

The rule that makes a button safe in a guest's hands: unless the owner allows more, a button orders
nothing new while an order it placed is still on its way (not yet delivered or cancelled).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from reorder.domain.model import validate_quantity
from reorder.errors import InvalidInput

MAX_BUTTON_NAME = 60
MAX_DAILY_CAP = 50
MAX_SLOT_NAME = 40
PRESS_CHANNELS = ("voice", "button", "device", "web", "api")

# Words people wrap around a button's name when they say it: "the paper towel button".
_SLOT_NAME = re.compile(rf"[a-z0-9][a-z0-9_-]{{0,{MAX_SLOT_NAME - 1}}}")
_FILLER = {"the", "my", "a", "an", "button", "buttons", "dash"}


class PressOutcome(StrEnum):
    ORDERED = "ordered"
    ALREADY_IN_PROGRESS = "already_in_progress"
    BLOCKED = "blocked"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class ButtonPolicy:
    allow_multiple: bool = False  # off: no new order while this button's last one is on its way
    daily_cap: int | None = None  # most orders per household-local day; None means no cap

    def __post_init__(self) -> None:
        if not isinstance(self.allow_multiple, bool):
            raise InvalidInput("allow_multiple must be true or false.")
        cap = self.daily_cap
        if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or not 1 <= cap <= MAX_DAILY_CAP):
            raise InvalidInput(f"A daily cap is a whole number from 1 to {MAX_DAILY_CAP}.")


@dataclass(slots=True)
class Button:
    id: str
    household_id: str
    name: str
    product_id: str
    quantity: int
    policy: ButtonPolicy
    created_at: datetime
    device_id: str | None = None  # set for the hidden button behind a device's supply slot
    deleted_at: datetime | None = None

    @property
    def name_key(self) -> str:
        key = button_name_key(self.name)
        # A device's slot buttons share the device's name, so the device id keeps them apart.
        return f"{self.device_id} {key}" if self.device_id else key

    @property
    def label(self) -> str:
        """How answers name it: "the paper towel button", never "the paper towel button button"."""
        return self.name if self.name.casefold().endswith("button") else f"{self.name} button"

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


@dataclass(frozen=True, slots=True)
class Press:
    """One press, whatever came of it: pressing is never lost, even when nothing is ordered."""

    id: str
    button_id: str
    household_id: str
    at: datetime
    outcome: PressOutcome
    channel: str
    order_id: str | None = None  # the new order, or the one still in progress
    reason: str | None = None  # a stable code for blocked/error: daily_cap, child_profile, button_deleted …
    message: str = ""
    member_id: str | None = None
    device_id: str | None = None
    idempotency_key: str | None = None


@dataclass(slots=True)
class Device:
    id: str
    household_id: str
    name: str
    model: str
    created_at: datetime
    slots: list[DeviceSlot]


@dataclass(slots=True)
class DeviceSlot:
    """One consumable a device watches (a printer's ink, a washer's detergent), reordered at a threshold."""

    device_id: str
    slot: str
    button_id: str
    product_id: str
    quantity: int
    capacity: float
    threshold: float  # reorder when the remaining supply reaches this level (same unit as capacity)
    remaining: float | None = None
    status_at: datetime | None = None


def button_name_key(name: str) -> str:
    """The form two spoken names compare in: "The Paper-Towel Button" and "paper towel" are one button."""
    text = unicodedata.normalize("NFKC", name).casefold()
    words = re.findall(r"[^\W_]+", text)
    kept = [w for w in words if w not in _FILLER]
    return " ".join(kept or words)


def validate_button_name(name: object) -> str:
    if not isinstance(name, str):
        raise InvalidInput("A button name must be text.")
    cleaned = " ".join(name.split())
    if not cleaned or not button_name_key(cleaned):
        raise InvalidInput("A button needs a name with at least one letter or digit.")
    if len(cleaned) > MAX_BUTTON_NAME:
        raise InvalidInput(f"A button name is at most {MAX_BUTTON_NAME} characters.")
    if any(unicodedata.category(ch).startswith("C") for ch in cleaned):
        raise InvalidInput("A button name cannot contain control characters.")
    return cleaned


def validate_button_quantity(quantity: object) -> int:
    return validate_quantity(quantity)


def validate_slot_name(slot: object) -> str:
    if not isinstance(slot, str) or not _SLOT_NAME.fullmatch(slot):
        raise InvalidInput(f"A slot name is 1 to {MAX_SLOT_NAME} lowercase letters, digits, '-' or '_'.")
    return slot


def validate_level(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value or value < 0:
        raise InvalidInput(f"{name} must be a number of at least 0.")
    if value > 1_000_000:
        raise InvalidInput(f"{name} is too large.")
    return float(value)
