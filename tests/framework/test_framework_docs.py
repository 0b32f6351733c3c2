"""docs/framework.md's runnable example runs and prints what the page says."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from test_framework_tutorial import blocks, expect

FRAMEWORK = Path(__file__).resolve().parents[2] / "docs" / "framework.md"


def test_the_framework_page_example_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    found = blocks(FRAMEWORK.read_text(encoding="utf-8"))
    runs = [i for i, b in enumerate(found) if b.info == "python run"]
    assert runs
    for index in runs:
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            exec(compile(found[index].body, f"docs/framework.md:{found[index].line}", "exec"), {})  # noqa: S102
        assert found[index + 1].info == "output"
        expect(buffer.getvalue(), found[index + 1].body.splitlines(), f"docs/framework.md:{found[index].line}")
