"""Entity-resolution benchmark: noisy spoken product names against catalogs of 10k, 100k and 1M products.

    python bench/resolver_bench.py [--quick] [--queries N] [--sizes 10000,100000,1000000] [--before-max N]

Queries come from the shipped catalog with a fixed seed: words dropped (only while the words left
still name that product), number words, plural changes and ASR-like misspellings. Each size is the
shipped catalog plus synthetic filler, shuffled so the shipped products have no head start. In the
same run, brute force `rapidfuzz.process.extractOne(query, names, scorer=WRatio,
processor=default_process)` answers a small sample of the queries; its latency and accuracy are printed
beside ours as ratios (and its accuracy without `processor=` too: case-sensitive, as it was first run).

The index is built as a server builds it (`EntityResolver.from_products`), saved to a temporary folder,
and opened memory-mapped by two worker processes at once: their RSS and PSS (proportional set size,
shared pages split between the processes that map them) show what a worker costs. The index as it was
before the arrays (bench/_resolver_before.py: Python lists, dicts and sets, built in every process)
runs the same queries in the same run up to --before-max products, for build time, memory and top-1.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process, utils  # noqa: E402

from bench import _resolver_before as before  # noqa: E402
from bench._table import print_table  # noqa: E402
from intents.resolver import EntityResolver, resolver_keys  # noqa: E402
from reorder.catalog import load_default_catalog, synthetic_catalog  # noqa: E402

_DIGIT_WORDS = {
    "1": "one",
    "2": "two",
    "3": "three",
    "4": "four",
    "5": "five",
    "6": "six",
    "7": "seven",
    "8": "eight",
    "9": "nine",
    "10": "ten",
    "12": "twelve",
}
_SOUND_SLIPS = (
    ("ph", "f"),
    ("ck", "k"),
    ("ee", "ea"),
    ("ie", "y"),
    ("s", "z"),
    ("c", "k"),
    ("ll", "l"),
    ("dd", "d"),
    ("er", "ur"),
    ("oo", "u"),
    ("tion", "shun"),
)


def _misspell(word: str, rng: random.Random) -> str:
    slips = [(a, b) for a, b in _SOUND_SLIPS if a in word]
    if slips and rng.random() < 0.6:
        a, b = rng.choice(slips)
        return word.replace(a, b, 1)
    if len(word) >= 5:
        i = rng.randrange(1, len(word) - 1)
        op = rng.choice(("drop", "swap", "double"))
        if op == "drop":
            return word[:i] + word[i + 1 :]
        if op == "swap":
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        return word[:i] + word[i] + word[i:]
    return word


def _toggle_plural(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word + "s"


class QueryMaker:
    """Noisy spoken forms of catalog products, checked to still name the product they came from."""

    def __init__(self, products, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.products = [p for p in products if not p.discontinued]
        self.names: dict[str, set[str]] = {}  # spoken name → product ids with it (pack sizes share one)
        self.name_keys: dict[str, frozenset[str]] = {}
        for p in self.products:
            self.names.setdefault(p.spoken_name, set()).add(p.id)
            self.name_keys[p.spoken_name] = frozenset(resolver_keys(p.spoken_name))

    def _unique(self, words: list[str], spoken_name: str) -> bool:
        keys = frozenset(resolver_keys(" ".join(words)))
        return bool(keys) and all(name == spoken_name for name, nk in self.name_keys.items() if keys <= nk)

    def make(self, n: int) -> list[tuple[str, str, set[str]]]:
        out = []
        while len(out) < n:
            p = self.rng.choice(self.products)
            words = p.spoken_name.replace(",", "").split()
            # Drop a word people leave out, but only while what is left still names this product.
            for _ in range(2):
                if len(words) > 2 and self.rng.random() < 0.6:
                    i = self.rng.randrange(len(words))
                    trial = words[:i] + words[i + 1 :]
                    if self._unique(trial, p.spoken_name):
                        words = trial
            words = [w.lower() for w in words]
            words = [_DIGIT_WORDS.get(w, w) if self.rng.random() < 0.8 else w for w in words]
            if self.rng.random() < 0.4:
                i = self.rng.randrange(len(words))
                if words[i].isalpha():
                    words[i] = _toggle_plural(words[i])
            if self.rng.random() < 0.5:
                candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
                if candidates:
                    i = self.rng.choice(candidates)
                    words[i] = _misspell(words[i], self.rng)
            out.append((" ".join(words), p.id, self.names[p.spoken_name]))
        return out


def _rss_mb() -> float:
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 1e6
    except OSError:
        return float("nan")


def _dir_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


# A worker: opens the saved index memory-mapped, answers every query, says so, and when told (both
# workers are then alive and mapping the same files) prints its RSS and PSS in MB.
_WORKER = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from intents.resolver import EntityResolver

def mem():
    fields = {}
    for line in open("/proc/self/smaps_rollup"):
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            fields[parts[0].rstrip(":")] = int(parts[1]) / 1000
    return fields.get("Rss", float("nan")), fields.get("Pss", float("nan"))

bare = mem()[0]
resolver = EntityResolver.open(sys.argv[2])
for text in json.loads(open(sys.argv[3]).read()):
    resolver.resolve(text)
print("ready", flush=True)
sys.stdin.readline()
rss, pss = mem()
print(json.dumps({"bare": bare, "rss": rss, "pss": pss}), flush=True)
"""


def _two_workers(folder: Path, texts: list[str]) -> list[dict[str, float]]:
    queries = folder.parent / "queries.json"
    queries.write_text(json.dumps(texts))
    cmd = [sys.executable, "-c", _WORKER, str(ROOT), str(folder), str(queries)]
    procs = [subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    try:
        for proc in procs:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        out = []
        for proc in procs:
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
            out.append(json.loads(proc.stdout.readline()))
        return out
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()


def _accuracy(resolver, queries) -> tuple[int, int, list[float]]:  # noqa: ANN001 - either index
    exact = named = 0
    times = []
    for text, pid, same_name in queries:
        t = time.perf_counter()
        res = resolver.resolve(text)
        times.append(time.perf_counter() - t)
        best = res.best.id if res.best else None
        exact += best == pid
        named += best in same_name
    return exact, named, times


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small run: 2k and 20k products, 200 queries")
    parser.add_argument("--queries", type=int, default=None, help="noisy queries per size (default 600)")
    parser.add_argument("--sizes", default=None, help="comma-separated catalog sizes")
    parser.add_argument("--brute", type=int, default=None, help="queries the brute-force baseline answers")
    parser.add_argument(
        "--before-max", type=int, default=1_000_000, help="largest size the index as it was before also runs"
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in (args.sizes or ("2000,20000" if args.quick else "10000,100000,1000000")).split(",")]
    n_queries = args.queries or (200 if args.quick else 600)
    n_brute = args.brute or (10 if args.quick else 20)

    real = load_default_catalog()
    queries = QueryMaker(real).make(n_queries)
    print(f"{len(queries)} noisy queries from {len(real)} shipped products, e.g.:")
    for text, pid, _ in queries[:5]:
        print(f"  {text!r} → {pid}")

    rows = []
    compare = []
    spoken = {p.id: p.spoken_name for p in real}
    work = Path(tempfile.mkdtemp(prefix="resolver-bench-"))
    try:
        for size in sizes:
            filler = list(synthetic_catalog(max(0, size - len(real)), seed=1))
            products = real + filler
            random.Random(size).shuffle(products)
            old = None
            if size <= args.before_max:
                rss = _rss_mb()
                start = time.perf_counter()
                old_index = before.EntityResolver(before.product_entries(products))
                old_build = time.perf_counter() - start
                old_mb = _rss_mb() - rss
                old = (old_build, old_mb, *_accuracy(old_index, queries))
                del old_index
            start = time.perf_counter()
            resolver = EntityResolver.from_products(products)
            build_s = time.perf_counter() - start
            folder = work / f"index-{size}"
            start = time.perf_counter()
            resolver.index.save(folder)
            save_s = time.perf_counter() - start
            del resolver
            resolver = EntityResolver.open(folder)  # as a worker has it: memory-mapped
            exact, named, times = _accuracy(resolver, queries)
            workers = _two_workers(folder, [q[0] for q in queries])
            names = [p.spoken_name for p in products]
            brute_times = []
            brute_named = brute_raw_named = 0
            # The choices are prepared once, as any caller would; the query goes through the same processor.
            prepared = [utils.default_process(n) for n in names]
            for text, pid, _ in queries[:n_brute]:
                t = time.perf_counter()
                hit = process.extractOne(utils.default_process(text), prepared, scorer=fuzz.WRatio, processor=None)
                brute_times.append(time.perf_counter() - t)
                brute_named += hit is not None and names[hit[2]] == spoken[pid]
                raw = process.extractOne(text, names, scorer=fuzz.WRatio)  # without processor=: case-sensitive
                brute_raw_named += raw is not None and raw[0] == spoken[pid]
            ours_p50 = statistics.median(times) * 1000
            brute_p50 = statistics.median(brute_times) * 1000
            rows.append(
                [
                    f"{size:,}",
                    f"{build_s:.1f}",
                    f"{_dir_mb(folder):.0f}",
                    f"{named / len(queries) * 100:.1f}%",
                    f"{exact / len(queries) * 100:.1f}%",
                    ours_p50,
                    _percentile(times, 0.99) * 1000,
                    f"{brute_named / n_brute * 100:.0f}%",
                    brute_p50,
                    f"{brute_p50 / ours_p50:,.0f}x",
                    f"{brute_raw_named / n_brute * 100:.0f}%",
                ]
            )
            w = " / ".join(f"{x['rss']:.0f}" for x in workers)
            pss = " / ".join(f"{x['pss']:.0f}" for x in workers)
            if old is not None:
                o_build, o_mb, o_exact, o_named, o_times = old
                compare.append(
                    [
                        f"{size:,}",
                        f"{o_build:.1f} → {build_s:.1f} (+{save_s:.1f} save)",
                        f"{o_mb:.0f} in RAM → {_dir_mb(folder):.0f} on disk",
                        f"{o_mb + workers[0]['bare']:.0f} → {w} (PSS {pss})",
                        f"{statistics.median(o_times) * 1000:.2f}/{_percentile(o_times, 0.99) * 1000:.2f}"
                        f" → {ours_p50:.2f}/{_percentile(times, 0.99) * 1000:.2f}",
                        f"{o_named / len(queries) * 100:.1f}% → {named / len(queries) * 100:.1f}%",
                        f"{o_exact / len(queries) * 100:.1f}% → {exact / len(queries) * 100:.1f}%",
                    ]
                )
            else:
                compare.append(
                    [
                        f"{size:,}",
                        f"— → {build_s:.1f}",
                        f"— → {_dir_mb(folder):.0f} on disk",
                        f"— → {w} (PSS {pss})",
                        f"— → {ours_p50:.2f}/{_percentile(times, 0.99) * 1000:.2f}",
                        f"— → {named / len(queries) * 100:.1f}%",
                        f"— → {exact / len(queries) * 100:.1f}%",
                    ]
                )
            del resolver, products, filler, names, prepared
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_table(
        "Entity resolution: top-1 accuracy and latency (ms) beside brute-force WRatio over all names",
        [
            "products",
            "build s",
            "index MB",
            "top-1 (name)",
            "top-1 (id)",
            "p50 ms",
            "p99 ms",
            "brute top-1",
            "brute p50 ms",
            "speed-up",
            "brute top-1 no processor",
        ],
        rows,
    )
    print("\ntop-1 (name): the best candidate is the intended product or a pack size of it (same spoken name);")
    print("top-1 (id): the exact catalog id (pack sizes are told apart by the household's history or a question).")
    print("index MB: the saved index on disk; brute force uses processor=default_process (lower case, no")
    print("punctuation); `brute top-1 no processor` is the same search without it, as this benchmark first ran it.")
    print_table(
        "The index before (Python structures in every process) → after (arrays, memory-mapped), same queries",
        [
            "products",
            "build s",
            "index MB",
            "RSS MB per worker (two workers)",
            "p50/p99 ms",
            "top-1 (name)",
            "top-1 (id)",
        ],
        compare,
    )
    print("\nRSS before: the process before the index plus what building the index added. After: each of two")
    print("worker processes that mapped the saved index and answered every query; PSS splits shared pages.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
