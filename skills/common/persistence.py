"""Skill persistent attributes in our own store (`uow.attributes`), keyed by the Alexa user id.

The ask-sdk adapter contract: `attributes_manager.persistent_attributes` loads through `get_attributes`
on first use, and `save_persistent_attributes()` writes through `save_attributes`.
"""

from __future__ import annotations

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope

from reorder.clock import Clock
from reorder.store.base import Store

KEY_PREFIX = "alexa-user:"


def attributes_key(request_envelope: RequestEnvelope) -> str:
    try:
        # A missing part raises AttributeError, turned into the error below.
        user_id = request_envelope.context.system.user.user_id  # type: ignore[union-attr]
    except AttributeError as exc:
        raise PersistenceException("the request names no Alexa user to keep attributes for") from exc
    if not user_id:
        raise PersistenceException("the request names no Alexa user to keep attributes for")
    return KEY_PREFIX + user_id


class StoreAttributesAdapter(AbstractPersistenceAdapter):
    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict:
        key = attributes_key(request_envelope)
        with self.store.unit_of_work(write=False) as uow:
            return uow.attributes.get(key) or {}

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict) -> None:
        key = attributes_key(request_envelope)
        with self.store.unit_of_work() as uow:
            uow.attributes.put(key, dict(attributes), self.clock.now())

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        key = attributes_key(request_envelope)
        with self.store.unit_of_work() as uow:
            uow.attributes.delete(key)
