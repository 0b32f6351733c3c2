"""The capabilities voicecart ships, declared as skill packages like any other developer's.

Each names the module with its handlers, its file of the interaction-model source under `intents/data`,
and the shared capabilities it uses. `skills.app.build_skill` composes the voicecart skill from these.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from skills.framework.package import ModelFragment, SkillPackage

VOICECART_SKILL_NAME = "voicecart"

# module -> (model file under intents/data/<locale>/, shared capabilities used)
_SHIPPED: dict[str, tuple[str, frozenset[str]]] = {
    "skills.shopping": ("shopping.yaml", frozenset({"cart", "orders", "purchase"})),
    "skills.buttons": ("buttons.yaml", frozenset({"buttons", "cart", "purchase"})),  # cart: "get rid of the wipes"
    "skills.babycare": ("babycare.yaml", frozenset({"babylog", "orders", "cart", "purchase"})),
}


def package_of(module: ModuleType) -> SkillPackage:
    """The package a capability module declares: its own `SKILL_PACKAGE`, the shipped declaration, or, for a
    module that only has `handlers(ctx)` (the older plug-in form), a package with no model fragment that
    may use every capability."""
    declared = getattr(module, "SKILL_PACKAGE", None)
    if isinstance(declared, SkillPackage):
        return declared
    entities = getattr(module, "dynamic_entities", None)
    if module.__name__ in _SHIPPED:
        from intents.source import DATA_DIR

        model_file, uses = _SHIPPED[module.__name__]
        return SkillPackage(
            module.__name__,
            module.handlers,
            model=ModelFragment(DATA_DIR, files=(model_file,)),
            uses=uses,
            dynamic_entities=entities,
            description=(module.__doc__ or "").strip(),
            example=str(getattr(module, "EXAMPLE", "") or ""),
            slot_examples=dict(getattr(module, "SLOT_EXAMPLES", {}) or {}),
        )
    from skills.framework.package import CAPABILITIES

    return SkillPackage(
        module.__name__,
        module.handlers,
        uses=frozenset(CAPABILITIES),
        dynamic_entities=entities,
        description=(module.__doc__ or "").strip(),
    )


def shipped_package(module_name: str) -> SkillPackage:
    return package_of(importlib.import_module(module_name))
