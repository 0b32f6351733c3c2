"""Importing a skill from a Python file, as the simulator (`--skill path.py`) and `voicecart serve`
(VOICECART_SKILLS) both do: one way, so a skill that loads in one loads the same way in the other.

It lives in `intents`, the lowest layer both `device_sim` and `skills` may import."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType


class FileImportError(Exception):
    """The file is missing, is not Python, or raised while it was imported; the message says which."""


def import_file(path: Path, prefix: str) -> ModuleType:
    """Executes `path` afresh as a module named `<prefix>_<hash of its path>` and returns it."""
    if not path.is_file():
        raise FileImportError(f"no skill file at {path}")
    # A skill folder imports its sibling modules by plain name, as it would in a Lambda bundle.
    folder = path.resolve().parent
    if str(folder) in sys.path:
        sys.path.remove(str(folder))
    sys.path.insert(0, str(folder))
    for sibling in folder.glob("*.py"):
        # A sibling imported earlier (from this folder or another skill's of the same name) is read again.
        sys.modules.pop(sibling.stem, None)
    # Loaded afresh each time, so a long-running process (or a test) sees the files as they are now.
    name = f"{prefix}_{hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:10]}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise FileImportError(f"cannot load {path} as Python")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[name]
        raise FileImportError(f"importing {path} failed: {type(exc).__name__}: {exc}") from exc
    return module
