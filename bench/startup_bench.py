"""Start-up benchmark: wall time of `voicecart --help` and of a one-shot `voicecart sim --say`, beside the floor.

    python bench/startup_bench.py [--runs N]

Baseline (same run): `python -c "import ask_sdk_core"`, the least a process built on the SDK pays before it
does anything. Every command runs as a fresh process, as a user runs it, and the commands alternate run by
run (hyperfine-style) so a busy moment of the shared machine falls on all of them alike. One warm-up round
first: it writes the byte-code and the engine's caches, which an installed product already has, so the rows
measure a warm start. Goals (issue 20): `--help` within 2x the floor, `sim --say` within 8x.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _table import print_table  # noqa: E402

SAY = "alexa, reorder diapers"
CLI = [sys.executable, "-m", "voicecart.cli"]
COMMANDS: tuple[tuple[str, list[str]], ...] = (
    ('python -c "import ask_sdk_core" (floor)', [sys.executable, "-c", "import ask_sdk_core"]),
    ("voicecart --help", [*CLI, "--help"]),
    (f'voicecart sim --say "{SAY}" --json', [*CLI, "sim", "--say", SAY, "--json"]),
)
GOALS = {1: 2.0, 2: 8.0}  # row index -> the ratio to the floor it must stay within


def _env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # An installed product has its byte-code compiled; without it every run would compile the project again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _wall(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, timeout=120)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="alternating runs of each command (default 10)")
    args = parser.parse_args()
    env = _env()
    for _, command in COMMANDS:
        _wall(command, env)  # warm-up: byte-code and caches written
    times: list[list[float]] = [[] for _ in COMMANDS]
    for _ in range(args.runs):
        for index, (_, command) in enumerate(COMMANDS):
            times[index].append(_wall(command, env) * 1000)
    floor = statistics.median(times[0])
    rows = []
    for index, (name, _) in enumerate(COMMANDS):
        median = statistics.median(times[index])
        ratio = median / floor
        goal = GOALS.get(index)
        verdict = "" if goal is None else (f"<= {goal:.0f}x: " + ("met" if ratio <= goal else "not met"))
        rows.append([name, min(times[index]), median, max(times[index]), f"{ratio:.2f}x", verdict])
    print_table(
        f"Start-up wall time, ms ({args.runs} alternating runs each, fresh processes; ratio of medians to the floor)",
        ["command", "min ms", "median ms", "max ms", "ratio", "goal"],
        rows,
    )


if __name__ == "__main__":
    main()
