"""Start-up benchmark: wall time of `voicecart --help` and of a one-shot `voicecart sim --say`, beside the floor.

    python bench/startup_bench.py [--runs N] [--before CHECKOUT]

Baseline (same run): `python -c "import ask_sdk_core"`, the least a process built on the SDK pays before it
does anything. A second row imports only the libraries a sim turn needs (LIBRARIES): the sim row above it is
the project's own share. Every command runs as a fresh process, as a user runs it, and the commands alternate run by
run (hyperfine-style) so a busy moment of the shared machine falls on all of them alike. One warm-up round
first: it writes the byte-code and the engine's caches, which an installed product already has, so the rows
measure a warm start. Goals (issue 20): `--help` within 2x the floor, `sim --say` within 8x.
`--before PATH` adds the same two commands run from another checkout (e.g. the main branch's), in the same
alternation, for a before/after measured in one run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _table import print_table  # noqa: E402

SAY = "alexa, reorder diapers"
FLOOR = ['python -c "import ask_sdk_core" (floor)', [sys.executable, "-c", "import ask_sdk_core"]]
# What the sim turn cannot do without, imported and nothing else: the learnt language stage's numpy (with one
# BLAS thread, as the voicecart command sets it), the skill's ask_sdk_core.skill (which imports every Alexa
# service client's models), its serializer and rapidfuzz. The project's own share is the sim row minus this.
LIBRARIES = [
    "libraries the sim turn needs (numpy, ask_sdk_core.skill and .serialize, rapidfuzz)",
    [
        sys.executable,
        "-c",
        "import os; os.environ.setdefault('OPENBLAS_NUM_THREADS', '1'); "
        "import numpy, ask_sdk_core.skill, ask_sdk_core.serialize, rapidfuzz.fuzz, rapidfuzz.process",
    ],
]
GOALS = {"--help": 2.0, "sim": 8.0}  # the ratio to the floor each command must stay within


def _commands(root: Path, label: str) -> list[tuple[str, list[str], Path, str | None]]:
    cli = [sys.executable, "-m", "voicecart.cli"]
    return [
        (f"voicecart --help{label}", [*cli, "--help"], root, "--help"),
        (f'voicecart sim --say "{SAY}" --json{label}', [*cli, "sim", "--say", SAY, "--json"], root, "sim"),
    ]


def _env(root: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    # An installed product has its byte-code compiled; without it every run would compile the project again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if root != ROOT:  # another checkout's byte-code goes beside the temp folder, never into that checkout
        env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "voicecart-startup-bench-pycache")
    return env


def _wall(command: list[str], root: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=_env(root), cwd=root, capture_output=True, timeout=120)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="alternating runs of each command (default 10)")
    parser.add_argument("--before", type=Path, help="another checkout to measure in the same run")
    args = parser.parse_args()
    commands = [(FLOOR[0], FLOOR[1], ROOT, None), (LIBRARIES[0], LIBRARIES[1], ROOT, None), *_commands(ROOT, "")]
    if args.before:
        commands += _commands(args.before.resolve(), f" (before: {args.before})")
    for _, command, root, _ in commands:
        _wall(command, root)  # warm-up: byte-code and caches written
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(args.runs):
        for index, (_, command, root, _) in enumerate(commands):
            times[index].append(_wall(command, root) * 1000)
    floor = statistics.median(times[0])
    rows = []
    for index, (name, _, _, kind) in enumerate(commands):
        median = statistics.median(times[index])
        ratio = median / floor
        goal = GOALS.get(kind or "")
        verdict = "" if goal is None else (f"<= {goal:.0f}x: " + ("met" if ratio <= goal else "not met"))
        rows.append([name, min(times[index]), median, max(times[index]), f"{ratio:.2f}x", verdict])
    print_table(
        f"Start-up wall time, ms ({args.runs} alternating runs each, fresh processes; ratio of medians to the floor)",
        ["command", "min ms", "median ms", "max ms", "ratio", "goal"],
        rows,
    )


if __name__ == "__main__":
    main()
