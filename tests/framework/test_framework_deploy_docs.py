"""docs/deploy.md: every voicecart command line it shows is one the command parser accepts."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from voicecart.cli import build_parser

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"


def _command_lines() -> list[list[str]]:
    lines = []
    for raw in DEPLOY.read_text(encoding="utf-8").splitlines():
        text = raw.strip()
        if not text.startswith("$ "):
            continue
        words = [w for w in shlex.split(text[2:]) if not re.fullmatch(r"[A-Z_]+=.*", w)]
        if words and words[0] == "voicecart":
            lines.append(words[1:])
    return lines


def test_every_command_in_the_deploy_guide_parses():
    parser = build_parser()
    lines = _command_lines()
    assert len(lines) >= 5
    for words in lines:
        args = parser.parse_args(words)
        assert getattr(args, "handler", None) is not None, words


def test_the_deploy_guide_names_the_real_entry_points():
    import skills.lambda_function
    import voicecart.wsgi

    text = DEPLOY.read_text(encoding="utf-8")
    assert "skills.lambda_function.lambda_handler" in text and callable(skills.lambda_function.lambda_handler)
    assert "voicecart.wsgi:create()" in text and callable(voicecart.wsgi.create)
    for variable in ("VOICECART_STORE", "VOICECART_SKILL_ID", "VOICECART_SKILLS", "VOICECART_SKILL_IDS"):
        assert variable in text
