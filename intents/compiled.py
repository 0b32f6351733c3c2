"""Which build of the language engine's innermost modules runs: compiled, or the plain Python beside it.

`pip install` compiles the modules in `COMPILED` with mypyc where it can (setup.py): the same source, run as C,
reads every turn the same way in about two thirds of the time (docs/decisions/0003-compiled-engine.md). The
compiled modules are used only when they were built from the very sources beside them. Otherwise the plain
Python runs, so that an edit of alignment.py in a checkout installed with `pip install -e .` takes effect at
once, and never behind an older build. `VOICECART_COMPILED=0` runs the plain Python on purpose (the benchmark's
baseline, or a debugger stepping through the aligner).

This module must import none of `COMPILED`: `intents/__init__.py` runs `choose()` before any of them is imported.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

# The modules compiled together, as setup.py lists them: the aligner's dynamic programme and what it reads in
# its innermost loops. One group, all or none: a compiled module calls the others of its group directly.
COMPILED = ("intents.alignment", "intents.slot_values", "intents.normalize")
# What the build writes beside the compiled modules once every one of them is built: the hash of the sources
# they were built from.
MANIFEST = "compiled_build.json"
SWITCH = "VOICECART_COMPILED"
_HERE = Path(__file__).resolve().parent

_reason = "not chosen yet"


def source_name(module: str) -> str:
    """The file name of a compiled module's source within the package ("alignment.py")."""
    return f"{module.rsplit('.', 1)[1]}.py"


def source_path(module: str) -> Path:
    return _HERE / source_name(module)


def sources_hash(folder: Path = _HERE) -> str:
    """The hash of the compiled modules' sources, as setup.py records it."""
    digest = hashlib.sha256()
    for module in COMPILED:
        digest.update(module.encode())
        digest.update((folder / source_name(module)).read_bytes())
    return digest.hexdigest()


def why_plain(folder: Path = _HERE, environ: dict[str, str] | None = None) -> str | None:
    """Why the plain Python must run instead of the compiled build in `folder`; None when the build may run."""
    env = os.environ if environ is None else environ
    if env.get(SWITCH, "1").strip().lower() in ("0", "false", "no", "off"):
        return f"{SWITCH}=0"
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "no build beside the sources"
    if not isinstance(manifest, dict) or manifest.get("sources") != sources_hash(folder):
        return "the sources changed since the build; pip install -e . compiles them again"
    return None


class _PlainPython:
    """Finds the plain Python source of the compiled modules, ahead of their builds (a meta path finder: only
    `find_spec` is asked for; importlib.abc is not imported for it, a few milliseconds of every start)."""

    def __init__(self, modules: Sequence[str]) -> None:
        self.modules = frozenset(modules)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.modules:
            return None
        return importlib.util.spec_from_file_location(fullname, source_path(fullname))


def choose() -> None:
    """Before any compiled module is imported: make the plain Python run where the build may not."""
    global _reason
    if any(module in sys.modules for module in COMPILED):
        return  # chosen already (an earlier import of the package)
    reason = why_plain()
    if reason is not None and not any(isinstance(f, _PlainPython) for f in sys.meta_path):
        sys.meta_path.insert(0, _PlainPython(COMPILED))
    _reason = reason or "compiled"


def status() -> str:
    """What runs, for benchmarks and `voicecart model validate`: "compiled (mypyc)" or "plain Python (why)"."""
    # Asked before the engine ran (a fresh process): load the modules, or the answer would be a guess.
    loaded = [sys.modules.get(module) or importlib.import_module(module) for module in COMPILED]
    files = [getattr(m, "__file__", "") or "" for m in loaded if m is not None]
    if files and all(not f.endswith(".py") for f in files):
        return "compiled (mypyc)"
    if _reason == "compiled":
        # The build matched its sources but Python did not load it (built for another interpreter).
        return "plain Python (the build is for another Python)"
    return f"plain Python ({_reason})"
