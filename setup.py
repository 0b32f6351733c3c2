"""Build: the language engine's innermost modules compiled with mypyc where a C compiler is at hand.

pyproject.toml holds the project's metadata; this file adds only the compiled modules. They are optional: where
mypyc or the compiler fails, the package installs as plain Python and runs the same (intents/compiled.py says
which runs; docs/decisions/0003-compiled-engine.md says why). `VOICECART_BUILD_COMPILED=0 pip install .` skips
the compiler on purpose.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
# intents/compiled.py alone, not the package: nothing the package imports is installed while it builds.
_spec = importlib.util.spec_from_file_location("voicecart_compiled_plan", ROOT / "intents" / "compiled.py")
assert _spec is not None and _spec.loader is not None
plan = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(plan)
SOURCES = [str(Path("intents") / plan.source_name(module)) for module in plan.COMPILED]


class BuildWithManifest(build_ext):
    """Builds the compiled modules, each optional, and records the sources they came from once all are built:
    intents/compiled.py runs them only then, and only while the sources are unchanged."""

    def run(self) -> None:
        super().run()
        built = [Path(self.get_ext_fullpath(ext.name)) for ext in self.extensions]
        target = Path(self.get_ext_fullpath(plan.COMPILED[0])).parent / plan.MANIFEST
        if built and all(path.exists() for path in built):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps({"sources": plan.sources_hash(ROOT / "intents")}), encoding="utf-8")
        else:
            target.unlink(missing_ok=True)
            print("voicecart: the language engine is installed as plain Python (no C build)", file=sys.stderr)


def compiled_modules() -> list:
    if os.environ.get("VOICECART_BUILD_COMPILED", "1") == "0":
        return []
    try:
        from mypyc.build import mypycify

        # No mypy configuration: the project's [tool.mypy] checks the whole code base; mypyc needs only the types
        # of the modules it compiles. The modules they import are not read (their names are Any): the build
        # environment has none of the project's dependencies, and what it compiles must not depend on whether
        # mypy happens to find them.
        options = ["--config-file=", "--follow-imports=skip", "--ignore-missing-imports"]
        extensions = mypycify([*options, *SOURCES], group_name="intents.compiled_group", opt_level="3")
    except (Exception, SystemExit) as exc:  # noqa: BLE001  any failure of the optional build leaves the plain Python
        print(f"voicecart: not compiling the language engine ({exc})", file=sys.stderr)
        return []
    for extension in extensions:
        extension.optional = True  # a compiler error skips the build rather than failing the install
    return extensions


setup(ext_modules=compiled_modules(), cmdclass={"build_ext": BuildWithManifest})
