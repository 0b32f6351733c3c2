"""Button names as dynamic entities: the household's own names reach language understanding as `ButtonName`
values (a Dialog.UpdateDynamicEntities directive, REPLACE), and come back resolved to a button id."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.dialog import DynamicEntitiesDirective
from ask_sdk_model.er.dynamic import Entity, EntityListItem, EntityValueAndSynonyms, UpdateBehavior

from reorder.domain.buttons import Button, button_name_key
from skills.common import slots

BUTTON_TYPE = "ButtonName"
MAX_VALUES = 100  # Alexa accepts at most 100 values per dynamic type


def button_entities(buttons: list[Button]) -> DynamicEntitiesDirective:
    """REPLACE the ButtonName values with these buttons: id = button id, value = its name, the short form
    ("paper towel" for "The paper towel button") as a synonym."""
    values = []
    for button in buttons[:MAX_VALUES]:
        short = button_name_key(button.name)
        synonyms: list[object] = [short] if short and short != button.name.casefold() else []
        values.append(Entity(id=button.id, name=EntityValueAndSynonyms(value=button.name, synonyms=synonyms)))
    return DynamicEntitiesDirective(
        update_behavior=UpdateBehavior.REPLACE, types=[EntityListItem(name=BUTTON_TYPE, values=values)]
    )


def resolved_button_id(handler_input: HandlerInput, slot_name: str = "buttonName") -> str | None:
    """The button id dynamic entity resolution matched for `slot_name`, if any."""
    current = slots.intent(handler_input)
    slot = (current.slots or {}).get(slot_name) if current is not None else None
    resolutions = getattr(getattr(slot, "resolutions", None), "resolutions_per_authority", None) or []
    for authority in resolutions:
        code = getattr(getattr(authority, "status", None), "code", None)
        if getattr(code, "value", code) != "ER_SUCCESS_MATCH" or ".dynamic." not in (authority.authority or ""):
            continue
        for wrapped in authority.values or []:
            value_id = getattr(getattr(wrapped, "value", None), "id", None)
            if isinstance(value_id, str) and value_id:
                return value_id
    return None
