"""Simulator benchmark: conversation turns per second through the device, beside the skill alone.

    python bench/sim_bench.py [--turns N] [--nlu auto|samples]

Baseline (same run, same skill): the Tea Timer example's Lambda handler called directly with
prebuilt request envelopes, which is all a skill does per turn without a device in front of it. The
device rows add what the simulator does per turn: language understanding, dialog bookkeeping, building
and JSON round-tripping the envelope, validating the response, and (in the default mode) the 8-second
guard thread. Ratios below 1 are the simulator's overhead.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _table import print_table  # noqa: E402

from device_sim import Device, SkillEndpoint  # noqa: E402
from device_sim.nlu import default_nlu, sample_nlu  # noqa: E402
from device_sim.skill_loader import load_target  # noqa: E402
from device_sim.transports import InProcessTransport, LambdaTransport, TimeLimited  # noqa: E402

TEA = ROOT / "device_sim" / "examples" / "tea_timer"
# Turns inside one open session; each costs the skill exactly one request (no dialog round trips).
UTTERANCES = ["list teas", "what teas do you know", "which teas can you time", "help"]


def device_for(transport, nlu_factory) -> Device:
    endpoint = SkillEndpoint.over(transport, str(TEA / "en-US.json"))
    return Device(endpoint, nlu_factory=nlu_factory)


def run_device(device: Device, turns: int) -> tuple[float, list[dict]]:
    device.say("alexa, ask tea timer what teas do you know")
    envelopes = []
    started = time.perf_counter()
    for index in range(turns):
        turn = device.say(UTTERANCES[index % len(UTTERANCES)])
        if turn.error or turn.session_ended:
            raise SystemExit(f"turn {index} went wrong: {turn.error or 'the session ended'}")
        if index < len(UTTERANCES):
            envelopes.append(turn.exchanges[-1][0])
    return time.perf_counter() - started, envelopes


def run_direct(handler, envelopes: list[dict], turns: int) -> float:
    started = time.perf_counter()
    for index in range(turns):
        response = handler(envelopes[index % len(envelopes)], None)
        if "response" not in response:
            raise SystemExit("the handler returned no response")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=10_000, help="turns per row (default 10,000)")
    parser.add_argument(
        "--nlu",
        choices=("auto", "samples"),
        default="auto",
        help="auto: the intents package's NluEngine when installed; samples: the simulator's own",
    )
    args = parser.parse_args()
    nlu_factory = default_nlu if args.nlu == "auto" else sample_nlu
    handler = load_target(f"{TEA / 'lambda_function.py'}:lambda_handler")
    skill = load_target(f"{TEA / 'lambda_function.py'}:sb").create()

    rows = []
    with device_for(TimeLimited(LambdaTransport(handler)), nlu_factory) as device:
        nlu_name = type(device._skills[0].nlu).__name__
        guarded, envelopes = run_device(device, args.turns)
    baseline = run_direct(handler, envelopes, args.turns)
    rows.append(("Lambda handler, prebuilt envelopes (baseline)", args.turns, baseline))
    rows.append(("device → Lambda handler, 8 s guard thread", args.turns, guarded))
    with device_for(LambdaTransport(handler), nlu_factory) as device:
        rows.append(("device → Lambda handler, no guard", args.turns, run_device(device, args.turns)[0]))
    with device_for(InProcessTransport(skill), nlu_factory) as device:
        rows.append(("device → CustomSkill object, no guard", args.turns, run_device(device, args.turns)[0]))

    table = [(name, turns, seconds, turns / seconds, f"{baseline / seconds:.2f}x") for name, turns, seconds in rows]
    print_table(
        f"Simulator turns per second (Tea Timer skill, NLU: {nlu_name})",
        ["path", "turns", "seconds", "turns/s", "vs baseline"],
        table,
    )


if __name__ == "__main__":
    main()
