"""Learn the engine's confidence stage (intents/confidence.py) from the development sets.

    python bench/train_confidence.py [--check]

Reads only development material, never a held-out set:
- bench/data/nlu_devset.yaml (voicecart's model),
- bench/data/dev/*.yaml: paraphrases of voicecart's model, and of other skills' models
  (bench/data/dev/models/<name>.json), written for tuning.
Every candidate intent the earlier stages propose for a turn becomes one row (its numbers, and whether it
is what the turn meant); a small network learnt over the rows is written to intents/data/confidence.json.
--check prints the accuracy of each set with the stage learnt from every set, and learnt without that
set (how well the stage carries over to a set it did not see).
With VOICECART_ENCODER=contextual the stage is learnt on the contextual encoder's features and written to
intents/data/confidence-contextual.json (each encoder has its own weights).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from intents import confidence, encoders, intent_projection  # noqa: E402
from intents.model import load_model  # noqa: E402
from intents.nlu import FALLBACK, NluEngine  # noqa: E402
from intents.training_data import phrasings_without  # noqa: E402

TODAY = dt.date(2026, 11, 23)
DEV = ROOT / "bench" / "data" / "dev"
_SHIPPED_MAP = intent_projection.PROJECTION


def _read_through(folds: dict[str, str] | None, model: str) -> None:
    """Engines built next read turns through the map learnt without `model` (bench/train_projection.py --folds):
    the learnt stage is as sure of a development model's turns as of a model the map never saw."""
    if folds is None:
        return
    # A model added to the development sets after the maps were learnt was never seen by the shipped map either.
    intent_projection.PROJECTION = Path(folds[model]) if model in folds else _SHIPPED_MAP
    intent_projection._matrix.cache_clear()
    intent_projection.fingerprint.cache_clear()


def dev_sets(folds: dict[str, str] | None = None) -> list[tuple[str, NluEngine, list[dict]]]:
    _read_through(folds, "voicecart")
    own = NluEngine(load_model("en-US"), today=TODAY)  # its learnt stage is built now, through that map
    sets = []

    def cases(data: dict) -> list[dict]:
        if "turns" in data:
            return list(data["turns"])
        return [c for items in data.values() if isinstance(items, list) for c in items]

    sets.append(("voicecart dev", own, cases(yaml.safe_load((ROOT / "bench/data/nlu_devset.yaml").read_text()))))
    for path in sorted(DEV.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "model" in data:
            model = json.loads((DEV / "models" / f"{data['model']}.json").read_text(encoding="utf-8"))
            _read_through(folds, data["model"])
            sets.append((data["model"], NluEngine(model, today=TODAY), cases(data)))
        else:
            # voicecart's learnt stage learns these batches (intents/data/phrasings.yaml): each is read by a
            # stage learnt without it, so its rows say how sure the stage is of a turn it never saw.
            turns = cases(data)
            _read_through(folds, "voicecart")
            with phrasings_without(c["text"] for c in turns):
                sets.append((path.stem, NluEngine(load_model("en-US"), today=TODAY), turns))
    return sets


def rows(engine: NluEngine, cases: list[dict]) -> list[tuple[list[tuple[float, ...]], list[str], str]]:
    out = []
    for case in cases:
        cands = engine.explain(case["text"])
        out.append(([c.features for c in cands], [c.intent for c in cands], case["intent"]))
    return out


HIDDEN = 12
STEPS = 1500
L2 = 1e-3


def fit(
    turns: list[tuple[list[tuple[float, ...]], list[str], str]], turn_weights: list[float] | None = None
) -> confidence.Scorer:
    """One hidden layer, full-batch Adam on the weighted log loss; a fixed seed, so the same every run."""
    x, y, weight = [], [], []
    for n, (feats, intents, gold) in enumerate(turns):
        for f, intent in zip(feats, intents, strict=True):
            x.append(f)
            y.append(1.0 if intent == gold else 0.0)
            weight.append(turn_weights[n] if turn_weights else 1.0)
    xa = np.array(x, dtype=np.float64)
    ya = np.array(y, dtype=np.float64)
    # Rows keep their natural frequencies (so the probability stays calibrated); only whole sets are
    # weighed, so voicecart's large dev set does not decide alone how a sparse model's turns are read.
    sw = np.array(weight, dtype=np.float64)
    sw /= sw.sum()
    mean = xa.mean(axis=0)
    scale = xa.std(axis=0) + 1e-6
    xs = (xa - mean) / scale
    rng = np.random.default_rng(0)
    params = [rng.normal(0, 0.3, (xs.shape[1], HIDDEN)), np.zeros(HIDDEN), rng.normal(0, 0.3, HIDDEN), np.zeros(1)]
    moments = [[np.zeros_like(p), np.zeros_like(p)] for p in params]
    for step in range(1, STEPS + 1):
        w1, b1, w2, b2 = params
        h = np.tanh(xs @ w1 + b1)
        z = np.clip(h @ w2 + b2[0], -30, 30)
        p = 1 / (1 + np.exp(-z))
        g = (p - ya) * sw
        gw2 = h.T @ g + L2 * w2
        gb2 = np.array([g.sum()])
        gh = np.outer(g, w2) * (1 - h * h)
        gw1 = xs.T @ gh + L2 * w1
        gb1 = gh.sum(axis=0)
        for param, grad, m in zip(params, (gw1, gb1, gw2, gb2), moments, strict=True):
            m[0] = 0.9 * m[0] + 0.1 * grad
            m[1] = 0.999 * m[1] + 0.001 * grad * grad
            param -= 0.01 * (m[0] / (1 - 0.9**step)) / (np.sqrt(m[1] / (1 - 0.999**step)) + 1e-8)
    w1, b1, w2, b2 = params
    return confidence.Scorer(mean, scale, w1, b1, w2, float(b2[0]))


def accuracy(turns, scorer: confidence.Scorer, threshold: float = 0.5) -> tuple[float, float, float]:
    """Intent accuracy, fallback precision and recall of a decision on the learnt stage alone."""
    ok = fb_pred = fb_true = fb_both = 0
    for feats, intents, gold in turns:
        best, best_intent = 0.0, FALLBACK
        if feats:
            probs = scorer.predict(np.asarray(feats, dtype=np.float64))
            for p, intent in sorted(zip(probs.tolist(), intents, strict=True), key=lambda q: (-q[0], q[1])):
                best, best_intent = p, intent
                break
        said = best_intent if best >= threshold else FALLBACK
        ok += said == gold
        fb_pred += said == FALLBACK
        fb_true += gold == FALLBACK
        fb_both += said == FALLBACK and gold == FALLBACK
    return ok / len(turns), fb_both / max(fb_pred, 1), fb_both / max(fb_true, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="report per-set accuracy, leaving each set out")
    parser.add_argument(
        "--projections",
        metavar="FOLDER",
        help="read each development model through the map learnt without it (bench/train_projection.py --folds); "
        "needed for the contextual encoder, whose map was learnt on these very turns",
    )
    args = parser.parse_args(argv)
    folds = json.loads((Path(args.projections) / "folds.json").read_text()) if args.projections else None
    if folds is None and encoders.chosen() == encoders.CONTEXTUAL and intent_projection.fingerprint():
        parser.error("the contextual encoder reads through a map learnt on the development turns: pass --projections")
    data = {name: rows(engine, cases) for name, engine, cases in dev_sets(folds)}

    def weighted(sets: dict) -> tuple[list, list[float]]:
        turns = [t for ts in sets.values() for t in ts]
        weights = [1.0 / len(ts) ** 0.5 for ts in sets.values() for _ in ts]
        return turns, weights

    every, every_w = weighted(data)
    scorer = fit(every, turn_weights=every_w)
    if args.check:
        for name, turns in data.items():
            rest, rest_w = weighted({other: ts for other, ts in data.items() if other != name})
            left_out = fit(rest, turn_weights=rest_w)
            acc, fp, fr = accuracy(turns, scorer)
            lacc, lfp, lfr = accuracy(turns, left_out)
            print(
                f"{name:32s} {len(turns):4d} turns  all sets: {acc:.3f} (fallback P {fp:.2f} R {fr:.2f})   "
                f"left out: {lacc:.3f} (fallback P {lfp:.2f} R {lfr:.2f})"
            )
        return 0
    target = confidence.weights_file(encoders.chosen())
    target.write_text(
        json.dumps(
            {
                "comment": "Learnt by bench/train_confidence.py from the development sets; do not edit by hand.",
                "features": list(confidence.FEATURES),
                "scorer": scorer.to_json(),
                "trained_on": {name: len(turns) for name, turns in data.items()},
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {target.relative_to(ROOT)}: {len(every)} turns")
    for name, turns in data.items():
        acc, fp, fr = accuracy(turns, scorer)
        print(f"  {name:32s} intent accuracy {acc:.3f}  fallback precision {fp:.2f} recall {fr:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
