"""Each command imports what it needs: `voicecart --help` neither the simulator, nor a web server, nor NumPy;
a simulator turn not Flask. Checked in a fresh interpreter, where nothing else has imported them first."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
