"""Parse latency: the compiled language engine beside the plain Python, turn by turn, in the same run.

    python bench/parse_latency_bench.py [--rounds 3] [--passes 3] [--json FILE]

The baseline is the same engine run as plain Python (VOICECART_COMPILED=0, intents/compiled.py). Each build
runs in its own process, the two alternating `--rounds` times; each process reads every turn `--passes` times.
A turn's time is its best over all its reads: the machine is shared, and a neighbour's burst would otherwise
decide the tail. Beside it, the p99 of a single pass (the median over passes), as bench/language_bench.py
measures it. The answers of both builds are compared turn by turn.

Sets: voicecart's dev and test sets (the issue's target is p99 <= 5 ms on them), its held-out paraphrases, and
the other skills' models of bench/data/heldout, pooled (only timed here; bench/language_bench.py scores them).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _table import print_table  # noqa: E402

SWITCH = "VOICECART_COMPILED"


def _sets() -> dict[str, list[tuple[str | None, str]]]:
    """(model name or None for voicecart's own, text) per set."""
    import language_bench as lb
    import yaml

    own = [*lb._cases(lb.DATA / "nlu_devset.yaml"), *lb._cases(lb.DATA / "nlu_testset.yaml")]
    sets: dict[str, list[tuple[str | None, str]]] = {"voicecart dev + test": [(None, c["text"]) for c in own]}
    paraphrases = lb.HELDOUT / "voicecart_paraphrases.yaml"
    if paraphrases.exists():
        sets["voicecart paraphrases"] = [(None, c["text"]) for c in lb._cases(paraphrases)]
    others: list[tuple[str | None, str]] = []
    for path in sorted(lb.HELDOUT.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "model" in data:
            others += [(data["model"], t["text"]) for t in data["turns"]]
    if others:
        sets["other models, pooled"] = others
    return sets


def worker(passes: int, out: Path) -> None:
    """One process, one build: every turn `passes` times; per-turn best, per-pass p99 and the answers."""
    import language_bench as lb

    from intents import compiled
    from intents.model import load_model
    from intents.nlu import NluEngine

    engines: dict[str | None, NluEngine] = {None: NluEngine(load_model("en-US"), today=lb.TODAY)}
    result: dict = {"status": compiled.status(), "sets": {}}
    for label, turns in _sets().items():
        for model in {m for m, _ in turns} - set(engines):
            data = json.loads((lb.HELDOUT / "models" / f"{model}.json").read_text(encoding="utf-8"))
            engines[model] = NluEngine(data, today=lb.TODAY)
        for model, text in turns[:20]:  # warm the caches: steady state, as a server's turns are
            engines[model].parse(text)
        best = [float("inf")] * len(turns)
        pass_p99 = []
        answers = hashlib.sha256()
        for n in range(passes):
            times = []
            for i, (model, text) in enumerate(turns):
                start = time.perf_counter()
                heard = engines[model].parse(text)
                took = time.perf_counter() - start
                times.append(took)
                best[i] = min(best[i], took)
                if n == 0:
                    slots = sorted((k, s.value) for k, s in heard.slots.items())
                    answers.update(json.dumps([heard.intent, slots, heard.confidence]).encode())
            pass_p99.append(_quantile(times, 0.99))
        result["sets"][label] = {"best": best, "pass_p99": pass_p99, "answers": answers.hexdigest()}
    out.write_text(json.dumps(result), encoding="utf-8")


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))] if ordered else 0.0


def _run_build(compiled_build: bool, passes: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        env = {**os.environ, SWITCH: "1" if compiled_build else "0"}
        subprocess.run(
            [sys.executable, __file__, "--worker", str(out), "--passes", str(passes)], env=env, check=True, cwd=ROOT
        )
        return json.loads(out.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="processes per build, the builds alternating")
    parser.add_argument("--passes", type=int, default=3, help="reads of every turn per process")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.passes, Path(args.worker))
        return 0
    runs: dict[bool, list[dict]] = {False: [], True: []}
    for n in range(args.rounds):
        for build in (False, True):
            print(f"round {n + 1}/{args.rounds}: {'compiled' if build else 'plain Python'} ...", file=sys.stderr)
            runs[build].append(_run_build(build, args.passes))
    compiled_status = runs[True][0]["status"]
    have_compiled = compiled_status == "compiled (mypyc)"
    rows = []
    report: dict = {"compiled": compiled_status, "sets": {}}
    for label in runs[False][0]["sets"]:
        figures = {}
        for build in (False, True):
            sets = [r["sets"][label] for r in runs[build]]
            best = [min(times) for times in zip(*(s["best"] for s in sets), strict=True)]
            figures[build] = {
                "p50_ms": statistics.median(best) * 1000,
                "p90_ms": _quantile(best, 0.90) * 1000,
                "p99_ms": _quantile(best, 0.99) * 1000,
                "pass_p99_ms": statistics.median(p for s in sets for p in s["pass_p99"]) * 1000,
                "answers": {s["answers"] for s in sets},
            }
        same = figures[False]["answers"] == figures[True]["answers"] and len(figures[True]["answers"]) == 1
        plain, comp = figures[False], figures[True]
        rows.append(
            [
                label,
                str(len(runs[False][0]["sets"][label]["best"])),
                f"{plain['p50_ms']:.2f} / {plain['p99_ms']:.2f}",
                f"{comp['p50_ms']:.2f} / {comp['p90_ms']:.2f} / {comp['p99_ms']:.2f}",
                f"{comp['p99_ms'] / plain['p99_ms']:.2f}",
                f"{comp['pass_p99_ms']:.2f} (plain {plain['pass_p99_ms']:.2f})",
                "yes" if same else "NO",
            ]
        )
        report["sets"][label] = {
            "turns": len(runs[False][0]["sets"][label]["best"]),
            "plain": {k: v for k, v in plain.items() if k != "answers"},
            "compiled": {k: v for k, v in comp.items() if k != "answers"},
            "same_answers": same,
        }
    print(f"the compiled build: {compiled_status}")
    if not have_compiled:
        print("(both columns ran the plain Python: pip install -e . with a C compiler builds the compiled one)")
    print_table(
        "parse latency: the compiled engine beside the plain Python (each turn's best of its reads)",
        [
            "set",
            "turns",
            "plain Python p50 / p99 ms (baseline)",
            "compiled p50 / p90 / p99 ms",
            "p99 ratio",
            "p99 of one pass, compiled",
            "same answers",
        ],
        rows,
    )
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
