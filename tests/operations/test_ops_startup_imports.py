"""Each command imports what it needs: `voicecart --help` neither the simulator, nor a web server, nor NumPy;
a simulator turn not Flask. Checked in a fresh interpreter, where nothing else has imported them first."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _imported_after(code: str, tmp_path: Path) -> set[str]:
    script = f"import contextlib, io, json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    env = {"VOICECART_CACHE": str(tmp_path / "cache"), "PATH": "", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=True
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_help_loads_no_simulator_server_or_numpy(tmp_path):
    modules = _imported_after(
        "from voicecart.cli import build_parser\nwith contextlib.redirect_stdout(io.StringIO()):\n"
        "    build_parser().format_help()",
        tmp_path,
    )
    for heavy in ("device_sim.device", "http.server", "flask", "numpy", "reorder.services.backend", "yaml"):
        assert heavy not in modules, heavy


def test_a_simulator_turn_does_not_load_flask(tmp_path):
    store = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    modules = _imported_after(
        "from voicecart.cli import main\nwith contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    assert main(['--store', {store!r}, 'sim', '--say', 'alexa, reorder diapers', '--json']) == 0\n"
        "assert 'ReorderIntent' in out.getvalue(), out.getvalue()",
        tmp_path,
    )
    assert "device_sim.device" in modules
    assert "flask" not in modules
    # A turn that calls no Alexa API does not load `requests`: the API client is made on first use.
    assert "requests" not in modules


def test_a_one_shot_turn_on_a_warm_cache_loads_only_what_it_uses(tmp_path):
    """What docs/speed.md's start-up row counts on: with the caches written by a first run, a one-shot turn
    reads no YAML, starts no HTTP server (the skill calls no Alexa API), reads entry points without
    importlib.metadata, and loads neither the local AWS, the Lambda runtime nor the HTTP stubs."""
    store = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    turn = (
        "from voicecart.cli import main\nwith contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    assert main(['--store', {store!r}, 'sim', '--say', 'alexa, reorder diapers', '--json']) == 0\n"
        "assert 'ReorderIntent' in out.getvalue(), out.getvalue()\n"
        "import os\nassert os.environ['OPENBLAS_NUM_THREADS'] == '1'"
    )
    _imported_after(turn, tmp_path)  # writes the caches
    modules = _imported_after(turn, tmp_path)
    for unused in (
        "yaml",
        "http.server",
        "device_sim.cloud_http",
        "importlib.metadata",
        "numpy.ma",
        "xml.sax",
        "device_sim.local_aws",
        "device_sim.lambda_runtime",
        "device_sim.http_stubs",
        "cryptography",
    ):
        assert unused not in modules, unused


@pytest.mark.parametrize(
    "argv",
    [
        ["sim", "--help"],
        ["sim", "--say", "hi", "--json"],
        ["--store", "sqlite:///x", "sim", "--say", "x"],
        ["--store=sqlite:///y", "sim", "--bogus"],
        ["sim", "--times", "x"],
        ["--log-level", "debug", "test", "a.yaml"],
        ["test", "--help"],
    ],
)
def test_a_command_parsed_by_its_own_module_alone_reads_as_with_every_command(argv):
    """`voicecart sim` builds only the simulator's subcommands (voicecart/cli.py COMMAND_HOMES): what it
    parses, prints and refuses is what the whole parser would."""
    import contextlib
    import io

    from voicecart import cli

    def parse(parser):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                parsed = sorted((k, str(v)) for k, v in vars(parser.parse_args(argv)).items() if k != "handler")
            except SystemExit as exc:
                parsed = exc.code
        return parsed, out.getvalue(), err.getvalue()

    own = cli._parser_for(argv)
    assert cli._commands(own) == {"sim", "test"}
    assert parse(own) == parse(cli.build_parser())


def test_other_command_lines_get_every_command():
    from voicecart import cli

    everything = cli._commands(cli.build_parser())
    for argv in (["model", "build"], ["--help"], ["--version", "sim"], []):
        assert cli._commands(cli._parser_for(argv)) == everything


def test_collection_is_off_only_for_the_start_of_a_command(monkeypatch):
    import gc
    import os
    import time

    from voicecart import cli

    monkeypatch.setattr(cli, "QUIET_START_SECONDS", 0.05)
    try:
        cli._quiet_start()
        assert not gc.isenabled()
        pid = os.fork()
        if pid == 0:  # a child forked meanwhile has no timer thread: it collects at once
            os._exit(0 if gc.isenabled() else 1)
        assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
        deadline = time.monotonic() + 5
        while not gc.isenabled() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert gc.isenabled()
    finally:
        gc.enable()
