"""NLU benchmark: intent accuracy, slot F1 and fallback precision on a labelled test set.

    python bench/nlu_bench.py [--show-errors] [--testset FILE]

The test set (bench/data/nlu_testset.yaml) is written apart from the sample utterances. The same run
measures a baseline, the nearest whole sample by rapidfuzz WRatio (a string-similarity matcher with a
fallback threshold), and prints our figures beside it as ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

from intents.model import load_model  # noqa: E402
from intents.nlu import FALLBACK, NluEngine  # noqa: E402

TODAY = dt.date(2026, 11, 23)


def _norm(value: str) -> str:
    return " ".join(re.sub(r"[^\w:.' ]+", " ", str(value).lower()).split())


class WholeSampleBaseline:
    """Nearest sample utterance (slots removed) by WRatio; below 70 it answers Fallback."""

    def __init__(self, model: dict) -> None:
        self.texts: list[str] = []
        self.intents: list[str] = []
        for intent in model["interactionModel"]["languageModel"]["intents"]:
            for sample in intent.get("samples") or []:
                self.texts.append(re.sub(r"\{\w+\}", "", sample))
                self.intents.append(intent["name"])

    def parse(self, text: str) -> tuple[str, dict]:
        hit = process.extractOne(text.lower(), self.texts, scorer=fuzz.WRatio, score_cutoff=70)
        return (self.intents[hit[2]] if hit else FALLBACK), {}


def evaluate(parse, cases) -> dict:
    correct = 0
    tp = fp = fn = 0
    fb_pred = fb_true = fb_both = 0
    by_section: dict[str, list[int]] = {}
    asr = [0, 0]
    times = []
    errors = []
    for section, case in cases:
        start = time.perf_counter()
        intent, slots = parse(case["text"])
        times.append(time.perf_counter() - start)
        ok = intent == case["intent"]
        correct += ok
        by_section.setdefault(section, [0, 0])
        by_section[section][0] += ok
        by_section[section][1] += 1
        if case.get("asr"):
            asr[0] += ok
            asr[1] += 1
        expected = {(k, _norm(v)) for k, v in (case.get("slots") or {}).items()}
        got = {(k, _norm(v)) for k, v in slots.items() if v is not None}
        tp += len(expected & got)
        fp += len(got - expected)
        fn += len(expected - got)
        fb_pred += intent == FALLBACK
        fb_true += case["intent"] == FALLBACK
        fb_both += intent == FALLBACK and case["intent"] == FALLBACK
        if not ok or expected != got:
            errors.append((case["text"], case["intent"], intent, sorted(expected - got), sorted(got - expected)))
    n = len(cases)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "n": n,
        "intent_accuracy": correct / n,
        "slot_precision": precision,
        "slot_recall": recall,
        "slot_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "fallback_precision": fb_both / fb_pred if fb_pred else 0.0,
        "fallback_recall": fb_both / fb_true if fb_true else 0.0,
        "asr_accuracy": asr[0] / asr[1] if asr[1] else 0.0,
        "sections": {k: v[0] / v[1] for k, v in by_section.items()},
        "p50_ms": statistics.median(times) * 1000,
        "p99_ms": sorted(times)[int(0.99 * (len(times) - 1))] * 1000,
        "errors": errors,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--testset", default=str(ROOT / "bench" / "data" / "nlu_testset.yaml"))
    parser.add_argument("--show-errors", action="store_true", help="list every misunderstood turn")
    parser.add_argument(
        "--sweep",
        action="store_true",
        help="also print accuracy at other fallback thresholds (use on the dev set only)",
    )
    args = parser.parse_args(argv)
    data = yaml.safe_load(Path(args.testset).read_text(encoding="utf-8"))
    cases = [(section, case) for section, items in data.items() for case in items]

    model = load_model("en-US")
    start = time.perf_counter()
    engine = NluEngine(model, today=TODAY)
    build_s = time.perf_counter() - start

    def ours(text):
        r = engine.parse(text)
        return r.intent, {k: s.value for k, s in r.slots.items()}

    for _, case in cases[:20]:  # warm caches so latency reflects steady state
        ours(case["text"])
    result = evaluate(ours, cases)
    base = evaluate(WholeSampleBaseline(model).parse, cases)

    def ratio(a, b):
        return f"{a / b:.2f}x" if b else "-"

    print(f"NLU benchmark: {result['n']} labelled turns, engine built in {build_s * 1000:.0f} ms")
    print(f"{'metric':28s} {'voicecart NLU':>14s} {'baseline':>10s} {'ratio':>8s}")
    rows = [
        ("intent accuracy", "intent_accuracy"),
        ("slot precision", "slot_precision"),
        ("slot recall", "slot_recall"),
        ("slot F1", "slot_f1"),
        ("fallback precision", "fallback_precision"),
        ("fallback recall", "fallback_recall"),
        ("ASR-slip accuracy", "asr_accuracy"),
    ]
    for label, key in rows:
        print(f"{label:28s} {result[key] * 100:13.1f}% {base[key] * 100:9.1f}% {ratio(result[key], base[key]):>8s}")
    for section, acc in result["sections"].items():
        b = base["sections"][section]
        print(f"{'  accuracy: ' + section:28s} {acc * 100:13.1f}% {b * 100:9.1f}% {ratio(acc, b):>8s}")
    print(
        f"{'latency p50':28s} {result['p50_ms']:12.2f}ms {base['p50_ms']:8.2f}ms "
        f"{ratio(result['p50_ms'], base['p50_ms']):>8s}"
    )
    print(
        f"{'latency p99':28s} {result['p99_ms']:12.2f}ms {base['p99_ms']:8.2f}ms "
        f"{ratio(result['p99_ms'], base['p99_ms']):>8s}"
    )
    if args.sweep:
        default = engine.THRESHOLD
        rows = []
        for threshold in (0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
            engine.THRESHOLD = threshold
            swept = evaluate(ours, cases)
            rows.append(
                f"  threshold {threshold:.2f}: intent accuracy {swept['intent_accuracy'] * 100:5.1f}%  "
                f"fallback precision {swept['fallback_precision'] * 100:5.1f}%  "
                f"recall {swept['fallback_recall'] * 100:5.1f}%"
            )
        engine.THRESHOLD = default
        print("\nfallback threshold sweep:")
        print("\n".join(rows))
    if args.show_errors:
        print("\nmisunderstood turns (text | expected | got | missing slots | extra slots):")
        for text, want, got, missing, extra in result["errors"]:
            print(f"  {text!r} | {want} | {got} | {missing} | {extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
