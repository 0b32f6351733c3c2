"""Conversation files: parsing, the step registry, pass/fail reports, the CLI and the pytest plugin."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sim_skills

from device_sim import Device, SkillEndpoint
from device_sim.conversation import ConversationError, parse_conversation
from device_sim.nlu import sample_nlu
from device_sim.runner import run_conversation
from device_sim.steps import STEPS, StepOutcome, register_step
from voicecart.cli import main

REPO = Path(__file__).resolve().parents[2]
TEA_ARGS = ["--skill", sim_skills.TEA_HANDLER, "--model", str(sim_skills.TEA_MODEL)]


def hello_factory(conversation):
    return Device(
        SkillEndpoint.of(sim_skills.hello_skill(), sim_skills.HELLO_MODEL, timeout=1.0),
        nlu_factory=sample_nlu,
        cloud=False,
    )


def run(text: str, backend=None):
    return run_conversation(parse_conversation(text), hello_factory, backend)


def test_a_passing_conversation():
    result = run("""
steps:
  - say: alexa, open hello world
    expect: {speech: Say hello, reprompt: Say hello, session_ended: false}
  - say: greet maya
    expect: {intent: HelloIntent, slots: {name: maya}, speech: [Hi maya, Hello maya]}
  - silence: true
    expect: {speech: Anything else}
  - say: ""
    expect: {session_ended: true, request: SessionEndedRequest}
""")
    assert result.passed, result.report()
    assert result.report().startswith("PASS")


def test_failures_name_the_step_and_show_what_was_said():
    result = run("""
steps:
  - say: alexa, open hello world
    expect: {speech: Goodbye}
  - say: count to nine
    expect: {slots: {number: {value: "8"}}, session_ended: true, card: something}
  - say: crash
    expect: {error: false}
""")
    report = result.report()
    assert not result.passed
    assert "step 1 (say: alexa, open hello world): expected speech containing 'Goodbye', Alexa said" in report
    assert "expected slot number value '8', got '9'" in report
    assert "expected the session to end, it stayed open" in report
    assert "expected a card, the skill sent none" in report
    assert "step 3 (say: crash): expected no error, got exception: RuntimeError: the skill broke" in report


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[not yaml", "not valid YAML"),
        ("steps: []", "non-empty list"),
        ("steps: [{jump: high}]", "needs exactly one of"),
        ("steps: [{say: hi, advance: 1 day}]", "needs exactly one of"),
        ("steps: [{say: hi, expect: {speach: hi}}]", "unknown expectations ['speach']"),
        ("colour: blue\nsteps: [hi]", "unknown keys ['colour']"),
        ("start: yesterday\nsteps: [hi]", "ISO date-time"),
    ],
)
def test_bad_files_are_explained(text, problem):
    with pytest.raises(ConversationError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        parse_conversation(text)


def test_backend_checks_through_a_callable():
    calls = []

    def backend(method, path, body):
        calls.append((method, path, body))
        return 200, {"items": [{"product": "pampers", "quantity": 2}, {"product": "wipes", "quantity": 1}]}

    result = run(
        """
steps:
  - backend: {get: /households/demo/cart}
    expect: {status: 200, json: {items: [{product: wipes}]}, contains: pampers}
  - backend: {post: /households/demo/cart, body: {product: towels}}
    expect: {json: {items: [{product: towels}]}}
""",
        backend,
    )
    assert calls[1] == ("POST", "/households/demo/cart", {"product": "towels"})
    assert result.steps[0].failures == []
    assert "hold an item like" in result.steps[1].failures[0]


def test_new_step_kinds_plug_in():
    @register_step("wave")
    def wave(ctx, value, step):
        return StepOutcome(events=[f"waved {value}"])

    try:
        result = run("steps: [{wave: twice, expect: {events: waved twice}}]")
        assert result.passed, result.report()
    finally:
        del STEPS["wave"]


def test_button_presses_use_the_device_hook():
    def factory(conversation):
        device = hello_factory(conversation)
        device.on_button_press(lambda dev, name: dev.say("alexa, ask hello world to greet " + name))
        return device

    result = run_conversation(
        parse_conversation(
            "steps: [{press: sam, expect: {speech: Hi sam}}, {say: goodbye}, {notify: parcel arrived}, "
            "{say: alexa read my notifications, expect: {speech: parcel arrived}}]"
        ),
        factory,
    )
    assert result.passed, result.report()
    unhooked = run("steps: [{press: kitchen}]")
    assert "no virtual-button handler" in unhooked.report()


def test_cli_say_json(capsys):
    code = main(["sim", *TEA_ARGS, "--json", "--say", "alexa, open tea timer", "--say", "brew herbal", "--say", "no"])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0 and len(lines) == 3
    assert set(lines[0]) >= {"you", "intent", "slots", "speech", "reprompt", "card", "directives", "session_ended"}
    assert lines[1]["slots"]["tea"] == {
        "value": "herbal",
        "id": "CHAMOMILE",
        "confirmation": "NONE",
        "resolved": "chamomile",
    }
    assert lines[2]["session_ended"] is True


def test_cli_plain_output_and_device_options(capsys):
    code = main(
        [
            "sim",
            *TEA_ARGS,
            "--given-name",
            "Robin",
            "--withhold",
            "reminders",
            "--say",
            "alexa, open tea timer",
            "--say",
            "what time zone am i in",
            "--time-zone",
            "Europe/London",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "alexa> Welcome to Tea Timer, Robin." in out
    assert "alexa> This device is set to Europe/London." in out


def test_cli_errors_are_clear(capsys):
    assert main(["sim", "--skill", "no_such_module:handler", "--model", str(sim_skills.TEA_MODEL), "--say", "hi"]) == 2
    assert "cannot import skill module" in capsys.readouterr().err
    assert main(["sim", "--skill", sim_skills.TEA_HANDLER, "--say", "hi"]) == 2
    assert "interaction model" in capsys.readouterr().err
    assert main(["sim", *TEA_ARGS, "--grant", "everything", "--say", "hi"]) == 2
    assert "unknown permission" in capsys.readouterr().err
    assert main(["test", "/no/such/folder"]) == 2


def test_cli_script_and_test_commands(capsys, tmp_path):
    conversation = REPO / "tests" / "device_sim" / "conversations" / "tea_timer.conv.yaml"
    assert main(["sim", "--script", str(conversation)]) == 0
    assert "PASS" in capsys.readouterr().out
    broken = tmp_path / "test_broken.yaml"
    broken.write_text(
        conversation.read_text()
        .replace("Which tea are you brewing?", "Which coffee?")
        .replace("../../../device_sim", str(REPO / "device_sim"))
    )
    assert main(["test", str(tmp_path), str(conversation)]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "step 2 (say: brew tea): expected speech containing 'Which coffee?'" in out
    assert "1 passed, 1 failed" in out


def test_repl_reads_lines_and_commands(monkeypatch, capsys):
    import io

    monkeypatch.setattr(
        sys,
        "stdin",
        io.StringIO(
            "alexa, open tea timer\nbrew green\nyes\ntwo minutes\nyes\nadvance 3 minutes\n:reminders\n"
            ":notify your parcel is here\nalexa, read my notifications\n:grant nonsense\n:bogus\n"
        ),
    )
    assert main(["sim", *TEA_ARGS]) == 0
    out = capsys.readouterr().out
    assert "(reminder from tea timer: Your tea is ready.)" in out
    assert "'Your tea is ready.' (COMPLETED, done)" in out
    assert "From voicecart: your parcel is here" in out
    assert "! unknown permission" in out and "! unknown command :bogus" in out


def test_default_skill_missing_is_explained(monkeypatch, capsys):
    import builtins

    real_import = builtins.__import__

    def no_skills(name, *args, **kwargs):
        if name == "skills" or name.startswith("skills."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_skills)
    assert main(["sim", "--say", "alexa, reorder diapers"]) == 2
    assert "voicecart skill is not installed yet" in capsys.readouterr().err


def test_pytest_plugin_collects_conversations_and_offers_a_device(tmp_path):
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_tea.conv.yaml").write_text(
        f"skill: {sim_skills.TEA_HANDLER}\nmodel: {sim_skills.TEA_MODEL}\n"
        "steps:\n  - say: alexa, ask tea timer to brew matcha\n    expect: {speech: 3 minutes}\n"
    )
    (tests / "wrong.conv.yaml").write_text(
        f"skill: {sim_skills.TEA_HANDLER}\nmodel: {sim_skills.TEA_MODEL}\n"
        "steps:\n  - say: alexa, ask tea timer to brew matcha\n    expect: {speech: 9 minutes}\n"
    )
    (tests / "test_fixture.py").write_text(
        "def test_factory(device_factory):\n"
        f"    device = device_factory(skill={sim_skills.TEA_HANDLER!r}, model={str(sim_skills.TEA_MODEL)!r})\n"
        "    assert 'Tea Timer' in device.say('alexa, open tea timer').speech\n"
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tests)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "1 failed, 2 passed" in done.stdout, done.stdout + done.stderr
    assert "expected speech containing '9 minutes'" in done.stdout


def test_backend_over_http_sends_the_token():
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen = []

    class Api(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.headers.get("Authorization"))
            body = json.dumps({"items": [{"product": "pampers"}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/api"
        result = run(
            f"backend: {{url: '{url}', token: secret}}\n"
            "steps: [{backend: {get: /cart}, expect: {status: 200, contains: pampers}}]"
        )
    finally:
        server.shutdown()
    assert result.passed, result.report()
    assert seen == ["Bearer secret"]


def test_bad_backend_setting_is_explained():
    with pytest.raises(ConversationError, match="'backend' is a URL"):
        parse_conversation("backend: 42\nsteps: [hi]")
