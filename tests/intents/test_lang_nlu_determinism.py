"""The NLU gives the same answer, to the last digit of its confidence, whatever Python's hash seed.

Sets and dicts built from sets iterate in an order that changes with PYTHONHASHSEED; where the engine
sorts or cuts a candidate list, a tie must fall to a name or an index, never to that order. Otherwise a
conversation that passes on one run can fail on the next (or on CI only).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import datetime as dt, json, sys
import yaml
from intents.model import load_model
from intents.nlu import NluEngine

engine = NluEngine(load_model(), today=dt.date(2026, 11, 23))
cases = yaml.safe_load(open(sys.argv[1]))
texts = [case["text"] for section in cases.values() for case in section]
answers = []
for text in texts:
    result = engine.parse(text)
    answers.append([text, result.to_alexa_intent(), result.confidence])
print(json.dumps(answers, sort_keys=True))
"""


def _answers(seed: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(ROOT / "bench/data/nlu_devset.yaml")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_answers_do_not_depend_on_the_hash_seed():
    runs = [_answers(seed) for seed in (0, 4, 11)]
    outputs = []
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        outputs.append(json.loads(out))
    first = outputs[0]
    assert len(first) > 300
    for other in outputs[1:]:
        differing = [(a, b) for a, b in zip(first, other, strict=True) if a != b]
        assert not differing, differing[:3]
