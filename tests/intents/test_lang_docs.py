import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "language.md"


def test_python_examples_in_the_language_doc_run():
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), {})  # noqa: S102 - our own documentation
