"""The project's own static checks, run in CI by the README's one test command.

- `lint-imports`: the layers of the README's table (voicecart above skills and device_sim, which never import
  each other, above intents, above reorder) and no import circles between the modules of a package;
- `mypy`: the whole project type-checks, reorder/ and intents/ under mypy's strict flags;
- `ruff check` and `ruff format --check`: lint-clean and formatted as `ruff format` writes it.

Both read their configuration from pyproject.toml and run as subprocesses from the project root, exactly as a
developer runs them. They take a while on a cold cache: `pytest -m "not static"` leaves them out.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.static


def _console_script(name: str) -> str:
    beside_python = Path(sys.executable).parent / name
    found = str(beside_python) if beside_python.is_file() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return found


def _run(command: list[str], timeout: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False)


def test_imports_keep_to_the_layers_and_make_no_circles():
    done = _run([_console_script("lint-imports")], timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_the_project_type_checks():
    done = _run([sys.executable, "-m", "mypy"], timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success: no issues found" in done.stdout


def test_the_code_is_lint_clean_and_formatted():
    ruff = _console_script("ruff")
    lint = _run([ruff, "check", "."], timeout=300)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    layout = _run([ruff, "format", "--check", "."], timeout=300)
    assert layout.returncode == 0, "run `ruff format .`:\n" + layout.stdout + layout.stderr
