"""Who is speaking to the simulated device, and what they have allowed skills to see.

The defaults are the `demo` household's kitchen Echo; every field can be changed per device so tests
can play a second caregiver, a child profile or a user who withheld a permission.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Short names a person types in the REPL or a script (`grant reminders`) for the scopes skills request.
PERMISSION_SCOPES: dict[str, str] = {
    "reminders": "alexa::alerts:reminders:skill:readwrite",
    "given_name": "alexa::profile:given_name:read",
    "name": "alexa::profile:name:read",
    "email": "alexa::profile:email:read",
    "mobile_number": "alexa::profile:mobile_number:read",
    "address": "alexa::devices:all:address:full:read",
}

# What the demo household granted when it enabled the skill: enough for reminders and a greeting by name.
DEFAULT_GRANTS = frozenset({PERMISSION_SCOPES["reminders"], PERMISSION_SCOPES["given_name"]})


def scope_for(name: str) -> str:
    """The full permission scope for a short name (`reminders`) or a scope given in full."""
    name = name.strip()
    if name in PERMISSION_SCOPES:
        return PERMISSION_SCOPES[name]
    if name.startswith("alexa::"):
        return name
    known = ", ".join(sorted(PERMISSION_SCOPES))
    raise ValueError(f"unknown permission {name!r}; use one of {known} or a full alexa:: scope")


@dataclass
class DeviceProfile:
    user_id: str = "amzn1.ask.account.demo-adult-1"
    person_id: str | None = "amzn1.ask.person.demo-adult-1"
    device_id: str = "amzn1.ask.device.demo-kitchen-echo"
    household: str = "demo"
    locale: str = "en-US"
    time_zone: str = "America/New_York"
    distance_units: str = "IMPERIAL"
    temperature_unit: str = "FAHRENHEIT"
    given_name: str | None = "Alex"
    full_name: str | None = "Alex Demo"
    email: str | None = "alex@demo.example"
    mobile_number: str | None = "5550100"
    permissions: set[str] = field(default_factory=lambda: set(DEFAULT_GRANTS))
    # An Echo without a screen: it plays audio, shows nothing.
    supported_interfaces: dict[str, dict] = field(default_factory=lambda: {"AudioPlayer": {}})

    def grant(self, permission: str) -> str:
        scope = scope_for(permission)
        self.permissions.add(scope)
        return scope

    def revoke(self, permission: str) -> str:
        scope = scope_for(permission)
        self.permissions.discard(scope)
        return scope

    def has(self, permission: str) -> bool:
        return scope_for(permission) in self.permissions
