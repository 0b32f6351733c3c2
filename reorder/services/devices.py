"""Device replenishment, after Amazon's Dash Replenishment: a smart device registered to a household watches
one supply slot per consumable and reorders when it runs low.

Each slot is backed by a hidden button, so a device gets the same exactly-once press as a person: however
often a low-ink printer reports, one order is on its way until it arrives or is cancelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reorder.clock import Clock
from reorder.domain.buttons import (
    Button,
    ButtonPolicy,
    Device,
    DeviceSlot,
    validate_button_quantity,
    validate_level,
    validate_slot_name,
)
from reorder.errors import InvalidInput, NotFound
from reorder.services.buttons import ButtonService, PressResult
from reorder.services.carts import load_household
from reorder.services.ids import new_id
from reorder.store.base import Store, UnitOfWork

MAX_SLOTS = 10
MAX_DEVICE_NAME = 60


@dataclass(frozen=True, slots=True)
class SlotSpec:
    slot: str
    product_id: str
    quantity: int = 1
    capacity: float = 100.0
    threshold: float = 20.0  # reorder when `remaining` reaches this (same unit as capacity)


@dataclass(frozen=True, slots=True)
class SlotStatusResult:
    slot: DeviceSlot
    replenishment: PressResult | None  # None when the supply is above the threshold

    @property
    def below_threshold(self) -> bool:
        return self.replenishment is not None


class DeviceService:
    def __init__(self, store: Store, clock: Clock, buttons: ButtonService) -> None:
        self.store = store
        self.clock = clock
        self.buttons = buttons

    def register(self, household_id: str, name: str, slots: Sequence[SlotSpec], *, model: str = "generic") -> Device:
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_DEVICE_NAME:
            raise InvalidInput(f"A device needs a name of 1 to {MAX_DEVICE_NAME} characters.")
        if not isinstance(model, str) or len(model) > MAX_DEVICE_NAME:
            raise InvalidInput(f"A device model is at most {MAX_DEVICE_NAME} characters.")
        if not slots or len(slots) > MAX_SLOTS:
            raise InvalidInput(f"A device has 1 to {MAX_SLOTS} supply slots.")
        names = [validate_slot_name(s.slot) for s in slots]
        if len(set(names)) != len(names):
            raise InvalidInput("Each slot of a device needs its own name.")
        now = self.clock.now()
        device_id = new_id("dev")
        device = Device(device_id, household_id, name.strip(), model.strip() or "generic", now, [])
        with self.store.unit_of_work() as uow:
            load_household(uow, household_id)
            for spec in slots:
                capacity = validate_level(spec.capacity, "capacity")
                threshold = validate_level(spec.threshold, "threshold")
                if capacity <= 0 or threshold >= capacity:
                    raise InvalidInput(f"Slot {spec.slot!r}: the threshold must be below a positive capacity.")
                button = Button(
                    id=new_id("btn"),
                    household_id=household_id,
                    name=f"{device.name} {spec.slot}",
                    product_id=spec.product_id,
                    quantity=validate_button_quantity(spec.quantity),
                    policy=ButtonPolicy(),
                    created_at=now,
                    device_id=device_id,
                )
                self.buttons.add_in_uow(uow, button)
                device.slots.append(
                    DeviceSlot(device_id, spec.slot, button.id, button.product_id, button.quantity, capacity, threshold)
                )
            uow.devices.add(device)
        return device

    def get(self, household_id: str, device_id: str) -> Device:
        with self.store.unit_of_work(write=False) as uow:
            return _own_device(uow, household_id, device_id)

    def list(self, household_id: str) -> list[Device]:
        with self.store.unit_of_work(write=False) as uow:
            load_household(uow, household_id)
            return uow.devices.list_for_household(household_id)

    def replenish(
        self, household_id: str, device_id: str, slot: str, *, idempotency_key: str | None = None
    ) -> PressResult:
        """The device asks for more of one consumable: an order, or the one already on its way."""
        found = self._slot(household_id, device_id, slot)
        return self.buttons.press(
            household_id, found.button_id, channel="device", device_id=device_id, idempotency_key=idempotency_key
        )

    def report_status(
        self, household_id: str, device_id: str, slot: str, remaining: float, *, idempotency_key: str | None = None
    ) -> SlotStatusResult:
        """Record how much supply is left; at or below the slot's threshold this replenishes."""
        level = validate_level(remaining, "remaining")
        with self.store.unit_of_work() as uow:
            found = _own_slot(uow, household_id, device_id, slot)
            if level > found.capacity:
                raise InvalidInput(f"remaining ({level:g}) is more than the slot's capacity ({found.capacity:g}).")
            uow.devices.set_slot_status(device_id, found.slot, level, self.clock.now())
            found = _own_slot(uow, household_id, device_id, slot)
        replenishment = None
        if level <= found.threshold:
            replenishment = self.buttons.press(
                household_id, found.button_id, channel="device", device_id=device_id, idempotency_key=idempotency_key
            )
        return SlotStatusResult(found, replenishment)

    def _slot(self, household_id: str, device_id: str, slot: str) -> DeviceSlot:
        with self.store.unit_of_work(write=False) as uow:
            return _own_slot(uow, household_id, device_id, slot)


def _own_device(uow: UnitOfWork, household_id: str, device_id: str) -> Device:
    device = uow.devices.get(device_id) if isinstance(device_id, str) else None
    if device is None or device.household_id != household_id:
        raise NotFound(f"There is no device {device_id!r}.")
    return device


def _own_slot(uow: UnitOfWork, household_id: str, device_id: str, slot: str) -> DeviceSlot:
    device = _own_device(uow, household_id, device_id)
    found = next((s for s in device.slots if s.slot == slot), None)
    if found is None:
        raise NotFound(f"Device {device.name!r} has no slot {slot!r}.", slots=[s.slot for s in device.slots])
    return found
