"""Conversation files: words read as typed, errors that name the line, a schema; and a pytest plugin
that collects them only where configured, with markers for the suite's slow groups."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml

from device_sim.conversation import ConversationError, parse_conversation, schema, schema_problems

REPO = Path(__file__).resolve().parents[2]


def test_words_that_yaml_would_read_as_booleans_or_numbers_are_read_as_typed():
    conversation = parse_conversation(
        textwrap.dedent("""
        steps:
          - say: yes
          - say: No
          - say: 10
          - say: 1e3
          - say: off
          - on
          - say: "quoted: yes"
          - say: yes
            expect: {speech: yes, session_ended: false}
          - say:
    """)
    )
    assert [s.value for s in conversation.steps] == ["yes", "No", "10", "1e3", "off", "on", "quoted: yes", "yes", None]
    assert conversation.steps[7].expect == {"speech": "yes", "session_ended": False}


def test_a_list_where_words_are_expected_is_an_error_naming_the_line():
    with pytest.raises(ConversationError, match=r"convo.yaml: line 4: `say` should be words, not a list"):
        parse_conversation("name: x\nsteps:\n  - say: hello\n  - say: [open, it]\n", Path("convo.yaml"))


def test_a_step_problem_names_its_line():
    with pytest.raises(ConversationError, match=r"step 2 \(line 5\) needs exactly one of"):
        parse_conversation("name: x\nsteps:\n  - say: hello\n\n  - shout: hello\n")


def test_the_schema_names_the_line_of_a_wrong_value():
    text = "name: x\nseed: seven\nsteps:\n  - say: hi\n    expect:\n      session_ended: maybe\n"
    with pytest.raises(ConversationError) as raised:
        parse_conversation(text)
    assert "line 2, seed: 'seven' is not of type 'integer'" in str(raised.value)
    data = yaml.safe_load(text)
    assert any(p.startswith("line 6, steps/0/expect/session_ended") for p in schema_problems(data, yaml.compose(text)))


def test_every_conversation_file_in_the_repository_satisfies_the_schema():
    validator = jsonschema.Draft202012Validator(schema())
    jsonschema.Draft202012Validator.check_schema(schema())
    files = [*REPO.glob("tests/**/*.conv.yaml"), *REPO.glob("examples/**/test_*.yaml")]
    assert len(files) >= 3
    for path in files:
        data = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))
        assert list(validator.iter_errors(data)) == [], path


def test_http_aws_and_env_settings_are_read():
    conversation = parse_conversation(
        textwrap.dedent("""
        skill: skill/lambda_function.py
        model: skill/en-US.json
        aws: {state: state.json, tables: [Games]}
        env: {API_KEY: 123}
        http:
          - {url: "https://api.example.com/a", json: {ok: true}}
        steps: [hello]
    """),
        Path("/somewhere/chat.conv.yaml"),
    )
    assert conversation.http == [{"url": "https://api.example.com/a", "json": {"ok": True}}]
    assert conversation.http_declared and conversation.env == {"API_KEY": "123"}
    assert conversation.aws == {"state": "state.json", "tables": ["Games"]}
    with pytest.raises(ConversationError, match="http/0"):
        parse_conversation("http:\n  - {url: 'https://x.example/', jsn: 1}\nsteps: [hi]\n")


def _pytest(folder: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.stdout + done.stderr


def test_the_plugin_collects_only_configured_conversation_files(tmp_path):
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_fixture_data.yaml").write_text("rows: [1, 2, 3]\n")  # another project's data file
    (tests / "greeting.conv.yaml").write_text("name: greeting\nsteps: [alexa, open tea timer]\n")
    (tests / "test_unit.py").write_text("def test_one():\n    pass\n")
    out = _pytest(tmp_path)
    assert "greeting.conv.yaml::greeting" in out and "test_unit.py::test_one" in out
    assert "test_fixture_data" not in out
    (tmp_path / "pytest.ini").write_text("[pytest]\nvoicecart_conversations = off\n")
    out = _pytest(tmp_path)
    assert "greeting.conv.yaml" not in out and "test_unit.py::test_one" in out
    (tmp_path / "pytest.ini").write_text("[pytest]\nvoicecart_conversations = test_*.yaml\n")
    assert "test_fixture_data.yaml" in _pytest(tmp_path)


def test_this_repository_collects_its_conversation_files_and_marks_slow_groups():
    out = _pytest(REPO, "tests/device_sim/conversations", "tests/device_sim/real_skills")
    assert "tea_timer.conv.yaml::" in out and "forecast.conv.yaml::" in out
    out = _pytest(REPO, "-m", "browser", "tests/browser/test_page.py", "tests/device_sim/test_sim_locales.py")
    assert "tests/browser/test_page.py::" in out and "test_sim_locales" not in out
    ini = (REPO / "pyproject.toml").read_text()
    for marker in ("browser:", "postgres:", "dynamodb:", "fuzz:"):
        assert f'"{marker}' in ini


def test_not_speech_with_a_list_fails_on_any_of_them():
    from device_sim.steps import StepOutcome, check
    from device_sim.turn import Turn

    outcome = StepOutcome(turn=Turn(you="buy me a lego set", speech="I couldn't find set in the catalog."))
    assert check(outcome, {"not_speech": ["did you mean", "find set"]}) == [
        "expected speech without 'find set', Alexa said \"I couldn't find set in the catalog.\""
    ]
    assert check(outcome, {"not_speech": ["did you mean", "paper towels"]}) == []
    assert check(outcome, {"not_speech": "Find Set"}) != []
