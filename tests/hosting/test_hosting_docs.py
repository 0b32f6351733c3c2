"""The runnable example in docs/request-verification.md keeps working."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "request-verification.md"


def test_the_local_signing_example_prints_what_the_doc_says():
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    example = next(block for block in blocks if "LocalAlexaCA.create" in block)
    expected = re.search(r"^# (200 .*)$", example, flags=re.M).group(1)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(example, str(DOC), "exec"), {})
    assert printed.getvalue().strip() == expected
