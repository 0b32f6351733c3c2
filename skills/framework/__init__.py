"""The framework for skills on the shared voicecart backend: declare packages, compose skills.

    from skills.framework import ModelFragment, SkillDefinition, SkillPackage

See docs/framework.md; the public names are re-exported here.
"""

from skills.framework.definition import SkillDefinition
from skills.framework.package import CAPABILITIES, ModelFragment, PackageError, SkillPackage

__all__ = ["CAPABILITIES", "ModelFragment", "PackageError", "SkillDefinition", "SkillPackage"]
