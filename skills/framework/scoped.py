"""The backend as one package sees it: only the services of the capabilities it declared.

Declaring what a package uses is then more than documentation: a handler reaching for an undeclared
service fails loudly in the package's first test instead of quietly growing a dependency.
"""

from __future__ import annotations

from typing import Any

from skills.common.context import SkillContext
from skills.framework.package import CAPABILITIES, SkillPackage

_GUARDED = frozenset(service for services in CAPABILITIES.values() for service in services)


class CapabilityNotDeclared(AttributeError):
    """A package's handler used a backend service of a capability the package does not declare."""


class ScopedBackend:
    def __init__(self, backend: Any, package: SkillPackage) -> None:
        self._backend = backend
        self._package = package
        self._allowed = package.services()

    def __getattr__(self, name: str) -> Any:
        if name in _GUARDED and name not in self._allowed:
            wanted = sorted(c for c, services in CAPABILITIES.items() if name in services)
            raise CapabilityNotDeclared(
                f"package {self._package.name!r} uses backend.{name} but does not declare "
                f"{' or '.join(repr(c) for c in wanted)} in its `uses`"
            )
        return getattr(self._backend, name)

    @property
    def unscoped(self) -> Any:
        return self._backend


class PackageContext(SkillContext):
    """A SkillContext for one package: its scoped backend, its use cases, and the skill's shared product
    resolver (the catalog index is built once per skill, not once per package)."""

    def __init__(self, parent: SkillContext, package: SkillPackage, use_cases: dict[str, Any]) -> None:
        super().__init__(ScopedBackend(parent.backend, package), parent.clock)  # type: ignore[arg-type]
        self.parent = parent
        self.package = package
        self._use_cases = use_cases

    @property
    def resolver(self):  # noqa: ANN201 - an EntityResolver, imported lazily
        return self.parent.resolver

    def forget_resolver(self) -> None:
        self.parent.forget_resolver()

    def use_case(self, name: str) -> Any:
        try:
            return self._use_cases[name]
        except KeyError:
            known = ", ".join(sorted(self._use_cases)) or "none"
            raise KeyError(f"package {self.package.name!r} has no use case {name!r} (it has: {known})") from None
