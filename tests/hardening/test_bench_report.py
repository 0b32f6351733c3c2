"""`voicecart bench`: the report's parts that do not need a benchmark run (that is the command's job)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # bench/ is a folder of the checkout, not installed

from bench.report import BENCHMARKS, Benchmark, Outcome, plot_load, render, report, table_rows  # noqa: E402
from voicecart.cli import main  # noqa: E402

TABLE = """
Entity resolution: top-1 accuracy and latency (ms) beside brute-force WRatio over all names
products  build s  index MB  top-1 (name)  top-1 (id)  p50 ms  p99 ms  brute top-1  brute p50 ms  speed-up
--------  -------  --------  ------------  ----------  ------  ------  -----------  ------------  --------
   2,000      0.1         5         97.5%       68.5%    0.15    0.81          10%          3.29       23x
  20,000      1.4        39         96.5%       70.0%    0.15    0.98          10%         39.37      269x

footnote
"""


def test_every_benchmark_script_is_in_the_report():
    scripts = {p.name for p in (Path(__file__).resolve().parents[2] / "bench").glob("*_bench.py")}
    assert scripts == {b.script for b in BENCHMARKS}


def test_a_printed_table_is_read_back_row_by_row():
    rows = table_rows(TABLE, "products")
    assert [r[0] for r in rows] == ["2,000", "20,000"] and rows[1][8] == "39.37"
    assert table_rows(TABLE, "nothing") == []


def test_an_unknown_benchmark_is_a_clear_error(capsys):
    assert main(["bench", "--only", "order,warp"]) == 2
    assert "unknown benchmark warp" in capsys.readouterr().err
    with pytest.raises(ValueError):
        report(quick=True, only=["warp"], out=None, plots_dir=None)


def test_the_report_lists_failures_and_links_plots():
    ok = Outcome(Benchmark("order", "order_bench.py", "orders/s"), "python bench/order_bench.py", 3.0, TABLE, True)
    bad = Outcome(Benchmark("store", "store_bench.py", "stores"), "python bench/store_bench.py", 1.0, "boom", False)
    text = render([ok, bad], quick=True, plots={"resolver": ("resolver_latency.png", "Latency")})
    assert "| ok |" in text and "**failed**" in text and "![Latency](benchmarks/resolver_latency.png)" in text
    assert "voicecart bench --quick" in text and "boom" in text


def test_the_load_plot_is_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    results = [
        {"mode": m, "clients": c, "rps": 100.0 * c, "p50_ms": 5.0 * c, "p99_ms": 9.0 * c}
        for m in ("off", "on")
        for c in (1, 4)
    ]
    assert plot_load(results, tmp_path / "load.png")
    assert (tmp_path / "load.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_help_of_voicecart_bench_names_every_benchmark():
    import argparse

    from voicecart.bench_cmd import register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    only = next(
        a for sub in parser._subparsers._group_actions[0].choices.values() for a in sub._actions if a.dest == "only"
    )
    assert all(f"{b.name}," in only.help or f"{b.name})" in only.help for b in BENCHMARKS)
