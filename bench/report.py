"""Every benchmark of the project in one run, one report: each table beside its own same-run baseline, plus
the curves a table hides (resolver latency against catalog size, endpoint latency against load) as PNG.

Each benchmark runs as its own process (as a developer would run it) with a time limit; one that fails is
reported as failed with its last words, and the rest still run.
Run: python bench/report.py [--quick] [--only NAME,...] [--out docs/benchmarks.md] [--plots docs/benchmarks]
(`voicecart bench` is the same command.)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@dataclass(frozen=True)
class Benchmark:
    name: str
    script: str
    what: str
    full: tuple[str, ...] = ()
    quick: tuple[str, ...] = ()


BENCHMARKS: tuple[Benchmark, ...] = (
    Benchmark(
        "order",
        "order_bench.py",
        "orders/s with a large history, beside bare sqlite3 writes",
        quick=("--history", "2000", "--orders", "300"),
    ),
    Benchmark(
        "rest_order",
        "rest_order_bench.py",
        "orders/s through POST /api/orders on SQLite and PostgreSQL, beside the bare drivers writing the same rows",
        quick=("--orders", "200"),
    ),
    Benchmark(
        "household_writers",
        "household_writers_bench.py",
        "orders/s on PostgreSQL with several households ordering at once, household locks beside one lock for all",
        quick=("--processes", "3", "--orders", "40", "--rounds", "1"),
    ),
    Benchmark("button", "button_bench.py", "button presses/s, beside direct orders", quick=("--presses", "300")),
    Benchmark(
        "store",
        "store_bench.py",
        "orders and presses/s on SQLite, PostgreSQL, DynamoDB (moto)",
        quick=("--operations", "100"),
    ),
    Benchmark(
        "resolver",
        "resolver_bench.py",
        "entity resolution accuracy and latency against catalog size",
        full=("--sizes", "10000,100000,300000"),
        quick=("--sizes", "1000,5000,20000", "--queries", "200"),
    ),
    Benchmark("nlu", "nlu_bench.py", "language understanding accuracy on the held-out test set"),
    Benchmark(
        "language",
        "language_bench.py",
        "language understanding on held-out paraphrases, other skills' models and consent, beside the previous engine",
    ),
    Benchmark(
        "parse_latency",
        "parse_latency_bench.py",
        "parse latency per turn, the compiled engine beside the plain Python",
        quick=("--rounds", "1", "--passes", "2"),
    ),
    Benchmark(
        "persona",
        "persona_bench.py",
        "persona conversations: clean / friction / broken, speech length (median, p95, max), fallback rate",
    ),
    Benchmark("sim", "sim_bench.py", "simulator turns/s", quick=("--turns", "300")),
    Benchmark(
        "skill_latency",
        "skill_latency_bench.py",
        "voicecart skill latency beside a hello-world skill",
        quick=("--rounds", "10"),
    ),
    Benchmark(
        "verification", "verification_bench.py", "cost of request verification in process", quick=("--requests", "300")
    ),
    Benchmark(
        "http_load",
        "http_load_bench.py",
        "skill endpoint over HTTP under load, verification on/off, beside a bare ask-sdk hello world",
        quick=("--quick",),
    ),
    Benchmark(
        "soak",
        "soak_bench.py",
        "RSS of one serving worker over 150k signed requests and its slope (from 20 % and once the bounded caches "
        "can be full), beside a bare ask-sdk hello world",
        full=("--requests", "150000", "--every", "10000"),
        quick=("--requests", "5000", "--every", "1000"),
    ),
    Benchmark(
        "startup",
        "startup_bench.py",
        "wall time of `voicecart --help` and a one-shot `sim --say`, beside importing ask-sdk-core",
        quick=("--runs", "3"),
    ),
)
TIME_LIMIT_S = 900


@dataclass
class Outcome:
    bench: Benchmark
    command: str
    seconds: float
    output: str
    ok: bool


def run_one(bench: Benchmark, quick: bool, extra: tuple[str, ...] = ()) -> Outcome:
    args = [sys.executable, str(ROOT / "bench" / bench.script), *(bench.quick if quick else bench.full), *extra]
    command = "python " + " ".join(["bench/" + bench.script, *(bench.quick if quick else bench.full)])
    started = time.perf_counter()
    try:
        done = subprocess.run(
            args,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=TIME_LIMIT_S,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        ok, output = done.returncode == 0, done.stdout + ("" if done.returncode == 0 else done.stderr[-2000:])
    except subprocess.TimeoutExpired as exc:
        ok, output = False, f"timed out after {TIME_LIMIT_S} s\n{(exc.stdout or b'')[-2000:]!r}"
    return Outcome(bench, command, time.perf_counter() - started, output.strip("\n"), ok)


def table_rows(output: str, first_header: str) -> list[list[str]]:
    """The rows of the printed table whose header starts with `first_header` (see bench/_table.py)."""
    lines = output.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(first_header) and i + 1 < len(lines) and set(lines[i + 1]) <= {"-", " "}:
            rows = []
            for row in lines[i + 2 :]:
                if not row.strip():
                    break
                rows.append(re.split(r"\s{2,}", row.strip()))
            return rows
    return []


def _number(cell: str) -> float:
    return float(cell.replace(",", "").rstrip("x%"))


def plot_resolver(output: str, path: Path) -> bool:
    rows = table_rows(output, "products")
    if len(rows) < 2:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [_number(r[0]) for r in rows]
    fig, ax = plt.subplots(figsize=(6.4, 4))
    ax.plot(sizes, [_number(r[5]) for r in rows], "o-", label="indexed resolver p50")
    ax.plot(sizes, [_number(r[6]) for r in rows], "o--", label="indexed resolver p99")
    ax.plot(sizes, [_number(r[8]) for r in rows], "s:", label="brute-force WRatio p50 (baseline)")
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="catalog size (products)",
        ylabel="latency per query (ms)",
        title="Entity resolution latency against catalog size",
    )
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def plot_load(results: list[dict], path: Path) -> bool:
    if not results:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4))
    for mode in dict.fromkeys(r["mode"] for r in results):
        mine = [r for r in results if r["mode"] == mode]
        ax.plot([r["rps"] for r in mine], [r["p50_ms"] for r in mine], "o-", label=f"{mode}: p50")
        ax.plot([r["rps"] for r in mine], [r["p99_ms"] for r in mine], "o--", label=f"{mode}: p99")
        for r in mine:
            ax.annotate(
                f"{r['clients']} clients",
                (r["rps"], r["p50_ms"]),
                fontsize=7,
                textcoords="offset points",
                xytext=(4, -10),
            )
    ax.set(
        yscale="log",
        xlabel="throughput (requests/s)",
        ylabel="latency (ms)",
        title="Skill endpoint latency against load (voicecart serve, loopback)",
    )
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def render(outcomes: list[Outcome], quick: bool, plots: dict[str, tuple[str, str]]) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmarks",
        "",
        f"The latest report of `voicecart bench{' --quick' if quick else ''}` ({when}; Python "
        f"{platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs). Every benchmark compares "
        "against a baseline measured in the same run, so read the ratios: absolute numbers move with the "
        "machine and its neighbours. Regenerate with `voicecart bench --write-docs` "
        "(`--quick` for a smaller run); each benchmark also runs alone as `python bench/NAME.py`.",
        "",
        "| benchmark | what it measures | command | time | result |",
        "|---|---|---|---|---|",
    ]
    for o in outcomes:
        lines.append(
            f"| [{o.bench.name}](#{o.bench.name}) | {o.bench.what} | `{o.command}` | {o.seconds:.0f} s | "
            f"{'ok' if o.ok else '**failed**'} |"
        )
    for file, caption in plots.values():
        lines += ["", f"![{caption}](benchmarks/{file})", "", f"*{caption}.*"]
    for o in outcomes:
        lines += ["", f"## {o.bench.name}", "", f"{o.bench.what}. `{o.command}`", "", "```", o.output, "```"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: the whole report in a few minutes")
    parser.add_argument("--only", default="", help="comma-separated benchmark names (default: all)")
    parser.add_argument("--out", metavar="FILE", help="write the report as Markdown to FILE")
    parser.add_argument("--plots", metavar="DIR", help="write the PNG plots to DIR (needs matplotlib)")
    args = parser.parse_args(argv)
    return report(
        quick=args.quick,
        only=[n for n in args.only.split(",") if n],
        out=Path(args.out) if args.out else None,
        plots_dir=Path(args.plots) if args.plots else None,
    )


def report(*, quick: bool, only: list[str], out: Path | None, plots_dir: Path | None) -> int:
    unknown = set(only) - {b.name for b in BENCHMARKS}
    if unknown:
        raise ValueError(
            f"unknown benchmark {', '.join(sorted(unknown))}; one of {', '.join(b.name for b in BENCHMARKS)}"
        )
    chosen = [b for b in BENCHMARKS if not only or b.name in only]
    load_json = Path(tempfile.mkdtemp(prefix="voicecart-bench-")) / "http_load.json"
    outcomes = []
    for bench in chosen:
        print(f"voicecart bench: {bench.name} ...", file=sys.stderr, flush=True)
        extra = ("--json", str(load_json)) if bench.name == "http_load" else ()
        outcome = run_one(bench, quick, extra)
        print(outcome.output + ("" if outcome.ok else "\n(FAILED)"), flush=True)
        outcomes.append(outcome)
    plots: dict[str, tuple[str, str]] = {}
    if plots_dir is not None:
        plots_dir.mkdir(parents=True, exist_ok=True)
        by_name = {o.bench.name: o for o in outcomes if o.ok}
        if "resolver" in by_name and plot_resolver(by_name["resolver"].output, plots_dir / "resolver_latency.png"):
            plots["resolver"] = ("resolver_latency.png", "Entity resolution latency against catalog size")
        if (
            "http_load" in by_name
            and load_json.exists()
            and plot_load(json.loads(load_json.read_text()), plots_dir / "endpoint_latency.png")
        ):
            plots["http_load"] = ("endpoint_latency.png", "Skill endpoint latency against load")
    if out is not None:
        out.write_text(render(outcomes, quick, plots))
        print(f"voicecart bench: report written to {out}", file=sys.stderr)
    return 0 if all(o.ok for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
