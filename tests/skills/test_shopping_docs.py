"""docs/skills.md's example runs and says what the page shows."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "skills.md"


def test_the_in_process_example_runs(monkeypatch):
    monkeypatch.setattr("skills.app.CAPABILITY_MODULES", ("skills.shopping",))
    text = DOC.read_text()
    code = re.findall(r"```python\n(.*?)```", text, re.S)[0]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(DOC), "exec"), {})
    said = out.getvalue()
    shown = re.search(r"Prints.*?```\n(.*?)```", text, re.S).group(1)
    spoken = " ".join(line.strip() for line in shown.splitlines() if not line.strip().startswith(">"))
    collapsed = " ".join(said.split())
    for sentence in re.split(r"(?<=[.?]) ", spoken.replace("...", "")):
        assert sentence.strip() in collapsed, sentence
    assert "Should I place the order?" in said and "Done. I ordered" in said
