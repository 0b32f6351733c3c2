"""docs/tutorial.md, executed: its files are written, its commands run and their output compared, in an
empty folder; and the finished files are exactly examples/bean_box."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest

from voicecart.cli import build_parser, main

REPO = Path(__file__).resolve().parents[2]
TUTORIAL = REPO / "docs" / "tutorial.md"
EXAMPLE = REPO / "examples" / "bean_box"


@dataclass
class Block:
    info: str
    body: str
    line: int

    @property
    def file(self) -> str | None:
        match = re.search(r"\bfile=(\S+)", self.info)
        return match.group(1) if match else None


def blocks(text: str) -> list[Block]:
    found, current, start, lines = [], None, 0, []
    for number, line in enumerate(text.splitlines(), start=1):
        if current is None and line.startswith("```"):
            current, start, lines = line[3:].strip(), number, []
        elif current is not None and line == "```":
            found.append(Block(current, "\n".join(lines) + "\n", start))
            current = None
        elif current is not None:
            lines.append(line)
    return found


def commands(block: Block) -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for each `$ ` line of a console block."""
    out: list[tuple[str, list[str]]] = []
    for line in block.body.splitlines():
        if line.startswith("$ "):
            out.append((line[2:], []))
        elif line.strip() and out:
            out[-1][1].append(line)
    return out


def expect(output: str, wanted: list[str], where: str) -> None:
    for line in wanted:
        pattern = ".*".join(re.escape(part) for part in line.strip().split("..."))
        assert re.search(pattern, output), f"{where}: expected {line!r} in the output:\n{output}"


def run_command(command: str, cwd: Path, monkeypatch) -> tuple[Path, str]:
    monkeypatch.setenv("PWD", str(cwd))
    words = [os.path.expandvars(word) for word in shlex.split(command)]
    if words[0] == "cd":
        return (cwd / words[1]).resolve(), ""
    while words and re.fullmatch(r"[A-Z_]+=.*", words[0]):
        name, _, value = words.pop(0).partition("=")
        monkeypatch.setenv(name, value)
    assert words[0] == "voicecart", f"the tutorial may only run voicecart commands, not {command!r}"
    monkeypatch.chdir(cwd)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        status = main(words[1:])
    assert status == 0, f"{command!r} exited {status}:\n{buffer.getvalue()}"
    return cwd, buffer.getvalue()


def test_the_tutorial_runs_as_written(tmp_path, monkeypatch):
    monkeypatch.delenv("VOICECART_STORE", raising=False)
    monkeypatch.delenv("VOICECART_SKILLS", raising=False)
    cwd, ran, pending_output = tmp_path, 0, None
    for block in blocks(TUTORIAL.read_text(encoding="utf-8")):
        where = f"docs/tutorial.md:{block.line}"
        if block.file:
            target = tmp_path / block.file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.body, encoding="utf-8")
        elif block.info == "console":
            for command, wanted in commands(block):
                cwd, output = run_command(command, cwd, monkeypatch)
                expect(output, wanted, f"{where}: {command}")
                ran += 1
        elif block.info == "python run":
            monkeypatch.chdir(cwd)
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer):
                exec(compile(block.body, where, "exec"), {"__name__": "tutorial"})  # noqa: S102 - the doc's code
            pending_output = buffer.getvalue()
            ran += 1
        elif block.info == "output":
            assert pending_output is not None, f"{where}: output block without code before it"
            expect(pending_output, block.body.splitlines(), where)
            pending_output = None
    assert ran >= 7


def test_console_blocks_that_are_not_run_still_parse():
    """Commands shown but not run (a server, `ask deploy`) are still valid voicecart command lines."""
    parser = build_parser()
    checked = 0
    for block in blocks(TUTORIAL.read_text(encoding="utf-8")):
        if block.info != "console norun":
            continue
        for command, _ in commands(block):
            for part in command.split("&&"):
                words = [w for w in shlex.split(part) if not re.fullmatch(r"[A-Z_]+=.*", w)]
                if words and words[0] == "voicecart":
                    parser.parse_args(words[1:])
                    checked += 1
    assert checked >= 2


@pytest.mark.parametrize(
    "block", [b for b in blocks(TUTORIAL.read_text(encoding="utf-8")) if b.file], ids=lambda b: b.file
)
def test_the_tutorial_files_are_the_example(block):
    relative = Path(block.file).relative_to("bean_box")
    assert (EXAMPLE / relative).read_text(encoding="utf-8") == block.body, (
        f"docs/tutorial.md:{block.line} and examples/bean_box/{relative} differ: change both"
    )
