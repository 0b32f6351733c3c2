"""Learn the contextual encoder's intent projection (intents/intent_projection.py) from the development sets.

    python bench/train_projection.py [--check]

Reads only development material, never a held-out set: for voicecart's model and every model of
bench/data/dev/models, the sentences its learnt stage trains on (NluEngine.training_sentences) and what people
said to it (bench/data/nlu_devset.yaml, bench/data/dev/*.yaml). A linear map W is learnt so that, within each
model, what a person said lies nearest the mean of its intent's training sentences (a prototype network's loss
over all models at once, W kept near the identity), and is written to intents/data/projection-contextual.npy.
--check learns it three times, each time without a third of the other skills' models, and prints how the learnt
stage (a classifier trained on each left-out model as the engine trains it) reads that model's turns with and
without the map: how the map carries over to a model it never saw.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from intents import encoders, intent_projection, semantic  # noqa: E402
from intents.model import load_model  # noqa: E402
from intents.nlu import NluEngine, semantic_text  # noqa: E402
from intents.normalize import clean, tokenize  # noqa: E402

DATA = ROOT / "bench" / "data"
DEV = DATA / "dev"
OWN = "voicecart"
# Found with --check on the development models (docs/decisions/0002): sharper prototypes than 5 overfit the
# training models, a pull to the identity of 0.01 keeps what the encoder knows.
TEMPERATURE = 5.0
PULL_TO_IDENTITY = 1e-2
STEPS = 300
LEARNING_RATE = 0.01


def _turns(path: Path) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, dict) and "turns" in data:
        return list(data["turns"])
    return [case for items in data.values() if isinstance(items, list) for case in items]


def dev_models() -> list[tuple[str, NluEngine, list[dict]]]:
    own_turns = _turns(DATA / "nlu_devset.yaml")
    models = []
    for path in sorted(DEV.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "model" in data:
            model = json.loads((DEV / "models" / f"{data['model']}.json").read_text(encoding="utf-8"))
            models.append((data["model"], NluEngine(model, encoder=encoders.CONTEXTUAL), list(data["turns"])))
        else:
            own_turns += _turns(path)
    models.insert(0, (OWN, NluEngine(load_model("en-US"), encoder=encoders.CONTEXTUAL), own_turns))
    return models


class ModelData:
    """One model's vectors as the encoder gives them: training sentences, negatives, and what was said."""

    def __init__(self, name: str, engine: NluEngine, turns: list[dict], embedder: object) -> None:
        texts, labels, negatives = engine.training_sentences()
        self.name = name
        self.intents = sorted(set(labels))
        index = {intent: i for i, intent in enumerate(self.intents)}
        self.x = embedder.embed_many(texts)  # type: ignore[attr-defined]
        self.labels = np.array([index[label] for label in labels])
        self.negatives = semantic._shared_vectors(embedder, negatives)
        said = [t for t in turns if t["intent"] in index]  # in the domain: which request, not whether one
        self.q = embedder.embed_many([semantic_text(clean(tokenize(t["text"]))) for t in said])  # type: ignore[attr-defined]
        self.q_labels = np.array([index[t["intent"]] for t in said])
        self.prototypes = np.stack([self.x[self.labels == k].mean(0) for k in range(len(self.intents))])


def learn(models: list[ModelData]) -> np.ndarray:
    """W minimising, over all models at once, the log loss of each turn's intent among its model's prototypes
    (-TEMPERATURE × squared distance in the mapped space), plus PULL_TO_IDENTITY × ||W - I||²; full-batch Adam."""
    dim = models[0].x.shape[1]
    w = np.eye(dim)
    m, v = np.zeros_like(w), np.zeros_like(w)
    for step in range(1, STEPS + 1):
        grad = PULL_TO_IDENTITY * (w - np.eye(dim))
        for d in models:
            zp, zq = d.prototypes @ w, d.q @ w
            dist = (zq**2).sum(1)[:, None] - 2 * zq @ zp.T + (zp**2).sum(1)[None]
            logits = -TEMPERATURE * dist
            logits -= logits.max(1, keepdims=True)
            p = np.exp(logits)
            p /= p.sum(1, keepdims=True)
            p[np.arange(len(d.q_labels)), d.q_labels] -= 1.0
            c = -TEMPERATURE * p / len(d.q_labels)
            # d(loss)/dM for the metric M = W Wᵀ, summed over turn-prototype differences; d/dW = 2 (that) W.
            a = d.q.T @ (c.sum(1)[:, None] * d.q) - (d.q.T @ c @ d.prototypes + d.prototypes.T @ c.T @ d.q)
            a += d.prototypes.T @ (c.sum(0)[:, None] * d.prototypes)
            grad += 2 * a @ w
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= LEARNING_RATE * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return w


def stage_accuracy(d: ModelData, w: np.ndarray) -> float:
    """Share of the model's turns whose intent the learnt stage ranks first (the engine's classifier, trained in
    the mapped space on the model's sentences and the negatives)."""

    def mapped(a: np.ndarray) -> np.ndarray:
        z = a @ w
        return (z / np.linalg.norm(z, axis=1, keepdims=True)).astype(np.float32)

    x, negatives, q = mapped(d.x), mapped(d.negatives), mapped(d.q)
    keep = (negatives @ x.T).max(1) < semantic.NEGATIVE_TOO_CLOSE
    k = len(d.intents)
    weight = np.ones(k + 1, dtype=np.float32)
    weight[-1] = semantic.FALLBACK_WEIGHT
    y = np.concatenate([d.labels, np.full(int(keep.sum()), k)]).astype(np.int32)
    coef, bias = semantic._fit_softmax(np.vstack([x, negatives[keep]]), y, k + 1, weight)
    return float(((q @ coef + bias)[:, :k].argmax(1) == d.q_labels).mean())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="how the map carries over to models it did not see")
    parser.add_argument(
        "--folds",
        metavar="FOLDER",
        help="instead, write maps learnt without each model's fold, for bench/train_confidence.py --projections",
    )
    args = parser.parse_args(argv)
    embedder = encoders.encoder(encoders.CONTEXTUAL)  # the encoder's own vectors, not a map learnt before
    print("embedding the development models' sentences…", file=sys.stderr)
    models = [ModelData(name, engine, turns, embedder) for name, engine, turns in dev_models()]
    others = [d for d in models if d.name != OWN]
    folds = [others[i::3] for i in range(3)]
    if args.folds:
        # The confidence stage learns how far to trust the learnt stage on models the map never saw: each
        # development model's rows are read through a map learnt without it (voicecart's without voicecart).
        out = Path(args.folds)
        out.mkdir(parents=True, exist_ok=True)
        chosen: dict[str, str] = {}
        for i, fold in enumerate([[d for d in models if d.name == OWN], *folds]):
            print(f"map {i + 1} of {len(folds) + 1}…", file=sys.stderr)
            path = out / f"projection-without-{i}.npy"
            np.save(path, learn([d for d in models if d not in fold]).astype(np.float16))
            chosen.update({d.name: str(path) for d in fold})
        (out / "folds.json").write_text(json.dumps(chosen, indent=2), encoding="utf-8")
        print(f"wrote {len(folds) + 1} maps and {out / 'folds.json'}")
        return 0
    if args.check:
        rows, before, after, n = [], 0.0, 0.0, 0
        for i, fold in enumerate(folds, 1):
            print(f"fold {i} of 3…", file=sys.stderr)
            w = learn([d for d in models if d not in fold])
            for d in fold:
                a, b = stage_accuracy(d, np.eye(w.shape[0])), stage_accuracy(d, w)
                rows.append(f"| {d.name} | {len(d.q)} | {a * 100:.1f} % | {b * 100:.1f} % |")
                before, after, n = before + a * len(d.q), after + b * len(d.q), n + len(d.q)
        print("| model (left out) | turns | learnt stage, encoder's vectors | with the map |\n|---|---|---|---|")
        print("\n".join(sorted(rows)))
        print(f"| **pooled** | {n} | {before / n * 100:.1f} % | {after / n * 100:.1f} % |")
        return 0
    w = learn(models)
    np.save(intent_projection.PROJECTION, w.astype(np.float16))
    print(f"wrote {intent_projection.PROJECTION.relative_to(ROOT)} from {len(models)} models")
    for d in models:
        print(f"  {d.name:24s} {len(d.q):5d} turns  learnt stage {stage_accuracy(d, w) * 100:.1f} % on them")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
