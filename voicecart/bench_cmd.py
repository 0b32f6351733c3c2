"""`voicecart bench`: every benchmark in one report, and `voicecart bench fuzz`: the hardening fuzzers, long.

The benchmarks live in bench/ of a source checkout (they are development tools, not part of the installed
package), so this command runs from one and says so when it cannot find it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from intents.command_error import CommandError

ROOT = Path(__file__).resolve().parent.parent


def register(subparsers: argparse._SubParsersAction) -> None:
    bench = subparsers.add_parser(
        "bench",
        help="run every benchmark and print one report (each beside its same-run baseline)",
        description="Run each benchmark in bench/ as its own process and print their tables; --write-docs "
        "saves the report to docs/benchmarks.md with its plots in docs/benchmarks/.",
    )
    bench.add_argument("--quick", action="store_true", help="small sizes: the whole report in a few minutes")
    bench.add_argument(
        "--only",
        default="",
        metavar="NAMES",
        # Written out rather than read from bench/report.py: `voicecart --help` must not import the benchmarks
        # (a test checks that this list names every one).
        help="comma-separated benchmarks to run (order, rest_order, household_writers, button, store, resolver, "
        "nlu, language, parse_latency, persona, sim, skill_latency, verification, http_load, soak, startup); "
        "default all",
    )
    bench.add_argument(
        "--write-docs",
        action="store_true",
        help="write docs/benchmarks.md and its PNG plots (plots need: pip install -e '.[bench]')",
    )
    bench.set_defaults(handler=cmd_bench)
    actions = bench.add_subparsers(dest="bench_command", metavar="ACTION")
    fuzz = actions.add_parser(
        "fuzz",
        help="run the hardening fuzzers (envelopes, utterances, the REST API) long",
        description="Run tests/hardening's fuzz tests with many more examples than the "
        "normal suite (VOICECART_FUZZ_EXAMPLES).",
    )
    fuzz.add_argument(
        "--examples",
        type=int,
        default=2000,
        metavar="N",
        help="examples per fuzz test (default 2000; the normal suite uses 10 to 60)",
    )
    fuzz.set_defaults(handler=cmd_fuzz)


def _checkout() -> Path:
    if not (ROOT / "bench" / "report.py").is_file() or not (ROOT / "tests" / "hardening").is_dir():
        raise CommandError(f"voicecart bench runs from a source checkout; no bench/ and tests/ under {ROOT}")
    return ROOT


def cmd_bench(args: argparse.Namespace) -> int:
    root = _checkout()
    sys.path.insert(0, str(root))
    from bench.report import report

    only = [name for name in args.only.split(",") if name.strip()]
    try:
        if args.write_docs:
            try:
                import matplotlib  # noqa: F401 - checked before an hour of benchmarks, not after
            except ImportError as exc:
                raise CommandError("--write-docs draws plots with matplotlib: pip install -e '.[bench]'") from exc
            return report(
                quick=args.quick, only=only, out=root / "docs" / "benchmarks.md", plots_dir=root / "docs" / "benchmarks"
            )
        return report(quick=args.quick, only=only, out=None, plots_dir=None)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc


def cmd_fuzz(args: argparse.Namespace) -> int:
    import os
    import subprocess

    root = _checkout()
    if args.examples < 1:
        raise CommandError("--examples must be at least 1")
    tests = ["tests/hardening/test_fuzz_skill.py", "tests/hardening/test_fuzz_rest_api.py"]
    env = {**os.environ, "VOICECART_FUZZ_EXAMPLES": str(args.examples)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests], cwd=root, env=env, check=False
    ).returncode
