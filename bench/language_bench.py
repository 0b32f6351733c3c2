"""Language benchmark: how well the NLU engine understands people it was not tuned on.

    python bench/language_bench.py [--show-errors SET] [--json FILE]

Each set is reported apart, the engine beside the previous engine (the same engine with its learnt
semantic layer and consent detector switched off: the lexical aligner and TF-IDF classifier of issue 3)
in the same run:

- dev: bench/data/nlu_devset.yaml, voicecart's own model. Used for tuning, so never the headline.
- test: bench/data/nlu_testset.yaml, written beside the first engine.
- paraphrases: bench/data/heldout/voicecart_paraphrases.yaml, written by someone playing users who never
  saw the samples or the engine. Never tuned against.
- other models: bench/data/heldout/<name>.yaml with bench/data/heldout/models/<name>.json, interaction
  models of other kinds of skills and paraphrases of them, written the same way. Never tuned against.
  Where the engine reads them with the contextual encoder (VOICECART_ENCODER=auto, the default, with the
  `contextual` extra installed), a second table puts the static vectors of the last release beside it.
- consent: bench/data/heldout/consent.yaml, what people say right after a read-back; a false yes
  spends money. Never tuned against.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from intents import builtin_values as bv  # noqa: E402
from intents import compiled  # noqa: E402
from intents.model import load_model  # noqa: E402
from intents.nlu import FALLBACK, NluEngine  # noqa: E402

TODAY = dt.date(2026, 11, 23)
DATA = ROOT / "bench" / "data"
HELDOUT = DATA / "heldout"
YES, NO = "AMAZON.YesIntent", "AMAZON.NoIntent"


def _norm(value: object) -> str:
    return " ".join(re.sub(r"[^\w:.' ]+", " ", str(value).lower()).split())


def _cases(path: Path) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and "turns" in data:
        return list(data["turns"])
    return [case for items in data.values() if isinstance(items, list) for case in items]


Parse = Callable[[str], tuple[str, dict]]


def normalizer(engine: NluEngine) -> Callable[[str, str, object], str]:
    """Gold values of built-in types as Alexa sends them, whichever way the set's author wrote them
    ("twenty minutes" and PT20M are the same duration)."""

    def gold(intent: str, slot: str, value: object) -> str:
        slot_type = engine.intent_slots.get(intent, {}).get(slot, "")
        words = _norm(value).split()
        if slot_type == "AMAZON.DATE":
            return _norm(bv.parse_date(words, TODAY) or value)
        parser = bv.BUILTIN_PARSERS.get(slot_type)
        return _norm((parser(words) if parser else None) or value)

    return gold


def evaluate(parse: Parse, cases: list[dict], gold: Callable[[str, str, object], str] | None = None) -> dict:
    """Intent accuracy (all, in-domain), fallback precision / recall, slot F1 and latency."""
    correct = in_domain = in_domain_ok = 0
    tp = fp = fn = 0
    fb_pred = fb_true = fb_both = 0
    times: list[float] = []
    errors = []
    for case in cases:
        start = time.perf_counter()
        intent, slots = parse(case["text"])
        times.append(time.perf_counter() - start)
        ok = intent == case["intent"]
        correct += ok
        if case["intent"] != FALLBACK:
            in_domain += 1
            in_domain_ok += ok
        if "slots" in case:
            expected = {
                (k, gold(case["intent"], k, v) if gold else _norm(v)) for k, v in (case.get("slots") or {}).items()
            }
            got = {(k, _norm(v)) for k, v in slots.items() if v is not None}
            tp += len(expected & got)
            fp += len(got - expected)
            fn += len(expected - got)
        fb_pred += intent == FALLBACK
        fb_true += case["intent"] == FALLBACK
        fb_both += intent == FALLBACK and case["intent"] == FALLBACK
        if not ok:
            errors.append((case["text"], case["intent"], intent))
    n = len(cases)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "n": n,
        "intent_accuracy": correct / n if n else 0.0,
        "in_domain_accuracy": in_domain_ok / in_domain if in_domain else 0.0,
        "fallback_precision": fb_both / fb_pred if fb_pred else 1.0,
        "fallback_recall": fb_both / fb_true if fb_true else 1.0,
        "slot_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        # The counts behind the rates, so sets pool by turns (bench/_pooled), not by averaging their rates.
        "counts": {
            "correct": correct,
            "in_domain": in_domain,
            "in_domain_ok": in_domain_ok,
            "fb_pred": fb_pred,
            "fb_true": fb_true,
            "fb_both": fb_both,
            "tp": tp,
            "fp": fp,
            "fn": fn,
        },
        "p50_ms": statistics.median(times) * 1000 if times else 0.0,
        "p99_ms": sorted(times)[int(0.99 * (len(times) - 1))] * 1000 if times else 0.0,
        "errors": errors,
    }


def evaluate_consent(engine: NluEngine, cases: list[dict]) -> dict:
    """After a read-back the device expects a yes or a no: count the yeses that were not consent."""
    false_yes = true_yes = real = 0
    errors = []
    for case in cases:
        heard = engine.parse(case["text"], expected_intents=[YES, NO]).intent
        if case["consent"]:
            real += 1
            true_yes += heard == YES
            if heard != YES:
                errors.append((case["text"], "consent", heard))
        elif heard == YES:
            false_yes += 1
            errors.append((case["text"], f"not consent ({case.get('kind', '?')})", heard))
    return {
        "n": len(cases),
        "false_yes": false_yes,
        "not_consent": len(cases) - real,
        "yes_recall": true_yes / real if real else 0.0,
        "errors": errors,
    }


def _parser(engine: NluEngine) -> Parse:
    def parse(text: str) -> tuple[str, dict]:
        r = engine.parse(text)
        return r.intent, {k: s.value for k, s in r.slots.items()}

    return parse


def _engines(model: dict) -> tuple[NluEngine, NluEngine, float, float]:
    start = time.perf_counter()
    previous = NluEngine(model, today=TODAY, semantic=False)
    previous_s = time.perf_counter() - start
    start = time.perf_counter()
    current = NluEngine(model, today=TODAY)
    current_s = time.perf_counter() - start
    return previous, current, previous_s, current_s


def run(show_errors: set[str]) -> dict:
    report: dict = {"sets": [], "consent": None, "build": []}
    own = load_model("en-US")
    previous, current, prev_s, cur_s = _engines(own)
    report["build"].append(("voicecart", prev_s, cur_s))
    own_sets = [
        ("dev (tuned on)", DATA / "nlu_devset.yaml"),
        ("test", DATA / "nlu_testset.yaml"),
        ("paraphrases (held out)", HELDOUT / "voicecart_paraphrases.yaml"),
    ]
    for label, path in own_sets:
        if path.exists():
            report["sets"].append(_measure(label, "voicecart", previous, current, _cases(path), show_errors))
    for path in sorted(HELDOUT.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "model" not in data:
            continue
        model = json.loads((HELDOUT / "models" / f"{data['model']}.json").read_text(encoding="utf-8"))
        previous_o, current_o, prev_s, cur_s = _engines(model)
        report["build"].append((data["model"], prev_s, cur_s))
        measured = _measure(
            f"{data['model']} (held out)", data["model"], previous_o, current_o, list(data["turns"]), show_errors
        )
        if current_o.encoder != "static":
            # The engine as the last release read every model (the static vectors), beside in the same run.
            static = NluEngine(model, today=TODAY, encoder="static")
            measured["static"] = evaluate(_parser(static), list(data["turns"]), normalizer(current_o))
            measured["encoder"] = current_o.encoder
        report["sets"].append(measured)
    consent = HELDOUT / "consent.yaml"
    if consent.exists():
        cases = _cases(consent)
        report["consent"] = (evaluate_consent(previous, cases), evaluate_consent(current, cases))
        if "consent" in show_errors:
            for text, want, got in report["consent"][1]["errors"]:
                print(f"  consent  {text!r}: {want}, heard {got}")
    return report


def _measure(
    label: str, model: str, previous: NluEngine, current: NluEngine, cases: list[dict], show_errors: set[str]
) -> dict:
    for case in cases[:10]:  # warm caches so latency reflects steady state
        current.parse(case["text"])
        previous.parse(case["text"])
    before = evaluate(_parser(previous), cases, normalizer(current))
    after = evaluate(_parser(current), cases, normalizer(current))
    if label.split()[0] in show_errors or model in show_errors or "all" in show_errors:
        for text, want, got in after["errors"]:
            print(f"  {label}  {text!r}: want {want}, got {got}")
    return {"label": label, "model": model, "previous": before, "current": after}


RATES = ("intent_accuracy", "in_domain_accuracy", "fallback_precision", "fallback_recall", "slot_f1")


def pooled(sets: list[dict], which: str) -> dict[str, float]:
    """The rates of several sets read as one set: from the turns' counts. Averaging each set's rate, weighed by its
    turns, would count a fallback of a set with few fallbacks as much as one of a set with many (until 2026-12-07
    the table did so, which put other models' fallback precision at 89.1 % where the turns say 86.4 %)."""
    c = {k: sum(s[which]["counts"][k] for s in sets) for k in sets[0][which]["counts"]}
    n = sum(s[which]["n"] for s in sets)
    precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
    recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
    return {
        "intent_accuracy": c["correct"] / n if n else 0.0,
        "in_domain_accuracy": c["in_domain_ok"] / c["in_domain"] if c["in_domain"] else 0.0,
        "fallback_precision": c["fb_both"] / c["fb_pred"] if c["fb_pred"] else 1.0,
        "fallback_recall": c["fb_both"] / c["fb_true"] if c["fb_true"] else 1.0,
        "slot_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
    }


def render(report: dict) -> str:
    lines = [
        "| set | turns | intent accuracy | in-domain | fallback precision | fallback recall | slot F1 | p99 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def pair(a: dict, b: dict, key: str) -> str:
        return f"{b[key] * 100:.1f} % (was {a[key] * 100:.1f} %)"

    others = [s for s in report["sets"] if s["model"] != "voicecart"]
    for s in report["sets"]:
        a, b = s["previous"], s["current"]
        lines.append(
            f"| {s['label']} | {b['n']} | {pair(a, b, 'intent_accuracy')} | "
            f"{pair(a, b, 'in_domain_accuracy')} | {pair(a, b, 'fallback_precision')} | "
            f"{pair(a, b, 'fallback_recall')} | {pair(a, b, 'slot_f1')} | "
            f"{b['p99_ms']:.1f} (was {a['p99_ms']:.1f}) |"
        )
    if others:
        lines.append(
            f"| **other models, pooled** | {sum(s['current']['n'] for s in others)} | "
            + " | ".join(
                f"{pooled(others, 'current')[k] * 100:.1f} % (was {pooled(others, 'previous')[k] * 100:.1f} %)"
                for k in RATES
            )
            + " | |"
        )
    by_encoder = [s for s in others if "static" in s]
    if by_encoder:
        lines += [
            "",
            "Other skills' models, the learnt stage's encoder as chosen for each (`auto`: "
            f"{', '.join(sorted({s['encoder'] for s in by_encoder}))}) beside the static vectors of the last release:",
            "",
            "| other models, pooled | turns | intent accuracy | in-domain | fallback precision | fallback recall "
            "| slot F1 |",
            "|---|---|---|---|---|---|---|",
        ]
        total = sum(s["current"]["n"] for s in by_encoder)
        for label, which in (("static vectors", "static"), ("as chosen", "current")):
            rates = pooled(by_encoder, which)
            lines.append(f"| {label} | {total} | " + " | ".join(f"{rates[k] * 100:.1f} %" for k in RATES) + " |")
    if report["consent"]:
        a, b = report["consent"]
        lines += [
            "",
            "| consent set | turns | not consent | false yes | real yeses understood |",
            "|---|---|---|---|---|",
            f"| consent (held out) | {b['n']} | {b['not_consent']} | {b['false_yes']} (was {a['false_yes']}) | "
            f"{b['yes_recall'] * 100:.1f} % (was {a['yes_recall'] * 100:.1f} %) |",
        ]
    lines += ["", "| model | build, previous engine | build, this engine |", "|---|---|---|"]
    lines += [f"| {name} | {a * 1000:.0f} ms | {b * 1000:.0f} ms |" for name, a, b in report["build"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--show-errors",
        action="append",
        default=[],
        help="list the misunderstood turns of a set (dev, test, paraphrases, consent, a model name, "
        "or all); never tune on a held-out set",
    )
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    report = run(set(args.show_errors))
    print(render(report))
    # Latency depends on the build that ran (bench/parse_latency_bench.py puts the two side by side).
    print(f"\nthe engine ran {compiled.status()}")
    if args.json:
        for s in report["sets"]:
            for k in ("previous", "current", "static"):
                s.get(k, {}).pop("errors", None)
        if report["consent"]:
            for c in report["consent"]:
                c.pop("errors", None)
        Path(args.json).write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
