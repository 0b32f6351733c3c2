"""Persona conversations: how many go cleanly, with friction, or break; how long the answers are; how often
the skill fell back.

    python bench/persona_bench.py [--dir tests/personas] [--list] [--json FILE]

Plays every conversation file in the persona folder through the simulator (the voicecart skill on a fresh
SQLite store per conversation, as the suite does) and sorts each conversation into one of three:

- broken: the conversation went wrong where it matters: a write that should (not) have happened (a failed
  `state:` step), the session ending or staying open against the expectation, or the turn reaching the
  wrong intent;
- friction: every such check held, but an answer was not what the person needed (a failed speech
  expectation) or a turn fell back ("Sorry, I can't help with that");
- clean: everything as expected and no fallback.

Speech length is counted in words over every spoken answer of the skill in those conversations: the
budget is a median of at most 18 words and no answer over 40 (the Alexa design guidance: one breath).
The fallback rate is over all turns the person spoke (silences left out).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from device_sim.conversation import ConversationError, load_conversation  # noqa: E402
from device_sim.runner import ConversationResult, StepResult, run_conversation  # noqa: E402

MEDIAN_BUDGET = 18
MAX_BUDGET = 40
FALLBACKS = {"AMAZON.FallbackIntent"}
# What a device says when no skill took the turn at all: a fallback too, one level up.
DEVICE_FALLBACK = "Sorry, I don't know that."
_TAG = re.compile(r"<[^>]+>")


def words(speech: str) -> int:
    return len(_TAG.sub(" ", speech).split())


def _breaks(step: StepResult, failure: str) -> bool:
    return (
        step.kind in ("state", "backend")
        or failure.startswith("expected the session to")
        or failure.startswith("expected intent")
        or failure.startswith("could not run")
    )


@dataclass
class PersonaOutcome:
    file: str
    name: str
    verdict: str  # clean | friction | broken
    turns: int
    fallbacks: int
    lengths: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)  # every spoken answer, for reading the long ones


def judge(result: ConversationResult, path: Path) -> PersonaOutcome:
    spoken = [s for s in result.steps if s.kind in ("say", "launch") and s.speech is not None]
    fallbacks = sum(1 for s in spoken if s.intent in FALLBACKS or (s.speech or "").strip() == DEVICE_FALLBACK)
    problems = [f"{s.description}: {f}" for s in result.steps for f in s.failures]
    broken = bool(result.error) or any(_breaks(s, f) for s in result.steps for f in s.failures)
    verdict = "broken" if broken else "friction" if problems or fallbacks else "clean"
    if result.error:
        problems.insert(0, result.error)
    answers = [_TAG.sub(" ", s.speech or "").strip() for s in result.steps if s.speech]
    lengths = [words(a) for a in answers]
    return PersonaOutcome(path.name, result.name, verdict, len(spoken), fallbacks, lengths, problems, answers)


def play(path: Path) -> PersonaOutcome:
    from device_sim.build import DeviceSpec, build_device

    with tempfile.TemporaryDirectory(prefix="voicecart-persona-") as store_dir:

        def factory(conversation):  # noqa: ANN001, ANN202 - a Conversation, a Device
            spec = DeviceSpec(
                store=f"sqlite:///{store_dir}/voicecart.sqlite3",
                profile=dict(conversation.device),
                start=conversation.start,
                seed=conversation.seed,
            )
            return build_device(spec)

        try:
            conversation = load_conversation(path)
        except ConversationError as exc:
            return PersonaOutcome(path.name, path.stem, "broken", 0, 0, [], [str(exc)])
        return judge(run_conversation(conversation, factory), path)


def percentile(values: list[int], share: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default=str(ROOT / "tests" / "personas"), help="folder of persona conversations")
    parser.add_argument("--list", action="store_true", help="also list every conversation that was not clean")
    parser.add_argument("--json", help="write every conversation's outcome to this file")
    args = parser.parse_args(argv)
    files = sorted(Path(args.dir).glob("*.conv.yaml"))
    if not files:
        print(f"no persona conversations in {args.dir}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    outcomes = [play(path) for path in files]
    seconds = time.perf_counter() - started
    counts = {v: sum(1 for o in outcomes if o.verdict == v) for v in ("clean", "friction", "broken")}
    lengths = [n for o in outcomes for n in o.lengths]
    turns = sum(o.turns for o in outcomes)
    fallbacks = sum(o.fallbacks for o in outcomes)
    median = statistics.median(lengths) if lengths else 0
    longest = max(lengths, default=0)
    print(f"## Persona conversations ({len(outcomes)} files, {turns} spoken turns, {seconds:.0f} s)\n")
    print("| clean | friction | broken | fallback rate | words: median | p95 | max | over 40 |")
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {counts['clean']} | {counts['friction']} | {counts['broken']} | "
        f"{100 * fallbacks / max(turns, 1):.1f} % ({fallbacks}/{turns}) | {median:g} | "
        f"{percentile(lengths, 0.95) if lengths else 0} | {longest} | {sum(1 for n in lengths if n > MAX_BUDGET)} |"
    )
    within = median <= MEDIAN_BUDGET and longest <= MAX_BUDGET
    print(
        f"\nBudget (median <= {MEDIAN_BUDGET} words, none over {MAX_BUDGET}): {'within' if within else 'NOT within'}."
    )
    if args.list:
        for outcome in outcomes:
            if outcome.verdict != "clean":
                print(f"\n{outcome.verdict.upper()} {outcome.file} ({outcome.name}); fallbacks {outcome.fallbacks}")
                for problem in outcome.problems[:4]:
                    print(f"  {problem[:300]}")
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(o) for o in outcomes], indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
