"""The compiled build of the language engine (intents/compiled.py, setup.py): it runs only when built from the
sources beside it, reads every turn as the plain Python does, and an engine pickled by one reads in the other."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from intents import compiled
from intents.model import load_model
from intents.nlu import NluEngine

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "bench" / "data"


def _folder_with_sources(tmp_path: Path) -> Path:
    for module in compiled.COMPILED:
        shutil.copy(compiled.source_path(module), tmp_path / compiled.source_path(module).name)
    return tmp_path


def test_a_build_runs_only_when_it_was_built_from_the_sources_beside_it(tmp_path):
    folder = _folder_with_sources(tmp_path)
    assert compiled.why_plain(folder, environ={}) == "no build beside the sources"
    (folder / compiled.MANIFEST).write_text(json.dumps({"sources": compiled.sources_hash(folder)}), encoding="utf-8")
    assert compiled.why_plain(folder, environ={}) is None
    # An edit after the build (a checkout installed with pip install -e .): the plain Python runs, so the edit counts.
    with (folder / "alignment.py").open("a", encoding="utf-8") as source:
        source.write("\n# edited\n")
    assert "changed since the build" in (compiled.why_plain(folder, environ={}) or "")


def test_the_switch_and_a_damaged_manifest_run_the_plain_python(tmp_path):
    folder = _folder_with_sources(tmp_path)
    (folder / compiled.MANIFEST).write_text(json.dumps({"sources": compiled.sources_hash(folder)}), encoding="utf-8")
    assert compiled.why_plain(folder, environ={compiled.SWITCH: "0"}) == f"{compiled.SWITCH}=0"
    assert compiled.why_plain(folder, environ={compiled.SWITCH: "1"}) is None
    (folder / compiled.MANIFEST).write_text("{not json", encoding="utf-8")
    assert compiled.why_plain(folder, environ={}) == "no build beside the sources"


def test_status_says_what_was_loaded():
    files = [sys.modules[m].__file__ or "" for m in compiled.COMPILED if m in sys.modules]
    assert files, "the engine's modules are imported by the tests above"
    said = compiled.status()
    if all(f.endswith(".py") for f in files):
        assert said.startswith("plain Python (")
    else:
        assert said == "compiled (mypyc)"


def _turns() -> list[str]:
    dev = yaml.safe_load((DATA / "nlu_devset.yaml").read_text(encoding="utf-8"))
    cases = [c for items in dev.values() if isinstance(items, list) for c in items]
    return [c["text"] for c in cases[::4]]  # a quarter of the dev set, every intent among them


_READ = r"""
import json, pickle, sys
import intents.compiled as compiled
from intents.model import load_model
from intents.nlu import NluEngine
turns, pickled, out = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
engine = NluEngine(load_model("en-US"))
def read(e):
    return [[r.intent, {k: s.value for k, s in r.slots.items()}, r.confidence] for r in map(e.parse, turns)]
with open(pickled, "rb") as f:
    unpickled = pickle.load(f).restored(None)  # as the engine cache reads one back
json.dump({"status": compiled.status(), "fresh": read(engine), "unpickled": read(unpickled)}, open(out, "w"))
"""


@pytest.mark.skipif(compiled.status() != "compiled (mypyc)", reason="this install runs the plain Python")
def test_the_compiled_build_reads_every_turn_as_the_plain_python_and_their_pickles_mix(tmp_path):
    turns = _turns()
    engine = NluEngine(load_model("en-US"))
    here = [[r.intent, {k: s.value for k, s in r.slots.items()}, r.confidence] for r in map(engine.parse, turns)]
    pickled = tmp_path / "engine.pickle"
    pickled.write_bytes(pickle.dumps(engine, protocol=pickle.HIGHEST_PROTOCOL))
    out = tmp_path / "plain.json"
    env = {**os.environ, compiled.SWITCH: "0"}
    subprocess.run(
        [sys.executable, "-c", _READ, json.dumps(turns), str(pickled), str(out)], env=env, check=True, timeout=600
    )
    plain = json.loads(out.read_text(encoding="utf-8"))
    assert plain["status"] == f"plain Python ({compiled.SWITCH}=0)"
    assert len(turns) > 100
    assert plain["fresh"] == here  # intents, slot values and confidences, turn by turn
    assert plain["unpickled"] == here  # an engine the compiled build pickled, read back by the plain Python
