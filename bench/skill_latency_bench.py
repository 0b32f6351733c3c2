"""Voice-turn latency of the voicecart skill, in process, beside a bare ask-sdk-core hello-world skill.

A realistic shopping conversation (open, add, read the cart, remove, reorder, yes, where's my order,
cancel, yes, stop) is heard once by the device simulator to get Alexa's request envelopes; then both
skills answer rounds of those requests through the same path Alexa's requests take in production
(JSON → ask-sdk model → skill.invoke → JSON), session attributes carried from turn to turn and a new
session per round, on an SQLite store: voicecart through its endpoint's parsing (skills/hosting/envelope.py:
the envelope checks and its codec), the hello-world skill, answering the same envelopes with one handler,
through the SDK's own DefaultSerializer as a bare ask-sdk-core skill would.
Goal (issue 20): voicecart ≤ 1.6x hello world at the median, ≤ 2.5x at p99. Run: python bench/skill_latency_bench.py
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._table import print_table  # noqa: E402

BLOCK = 10  # conversations per skill before switching to the other

CONVERSATION = [
    "alexa, open voice cart",
    "add two packs of bounty paper towels to my cart",
    "what's in my cart",
    "remove the paper towels",
    "reorder paper towels",
    "yes",
    "where's my order",
    "cancel my order",
    "yes",
    "stop",
]


def record(backend, clock, modules) -> list[dict]:  # noqa: ANN001
    """The request envelopes the simulator sends for CONVERSATION (one per turn)."""
    from device_sim.device import Device
    from device_sim.skill_loader import SkillEndpoint
    from intents.model import load_model
    from skills.app import SKILL_ID, build_skill

    endpoint = SkillEndpoint.of(build_skill(backend, modules=modules), load_model("en-US"), application_id=SKILL_ID)
    requests = []
    with Device(endpoint, clock=clock, cloud=False) as device:
        for line in CONVERSATION:
            turn = device.say(line)
            if turn.error or not turn.exchanges:
                raise SystemExit(f"the conversation broke at {line!r}: {turn.error or 'no request sent'}")
            requests.append(turn.exchanges[-1][0])
    return requests


def hello_skill():
    from ask_sdk_core.dispatch_components import AbstractRequestHandler
    from ask_sdk_core.skill_builder import SkillBuilder

    class Hello(AbstractRequestHandler):
        def can_handle(self, handler_input) -> bool:  # noqa: ANN001
            return True

        def handle(self, handler_input):  # noqa: ANN001, ANN201
            return handler_input.response_builder.speak("Hello world!").ask("Hello?").response

    builder = SkillBuilder()
    builder.add_request_handler(Hello())
    return builder.create()


def sdk_codec():  # noqa: ANN201
    """What a bare ask-sdk-core skill uses: the SDK's DefaultSerializer, the body parsed by it."""
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope

    codec = DefaultSerializer()
    return (lambda body: codec.deserialize(body, RequestEnvelope)), codec.serialize


def voicecart_codec():  # noqa: ANN201
    """What voicecart's endpoint and Lambda entry use (skills/hosting/envelope.py): its checks and codec."""
    from skills.hosting.envelope import parse_request_body, serializer

    return (lambda body: parse_request_body(body.encode())[1]), serializer().serialize


def run_rounds(skill, envelopes: list[dict], rounds: int, codec) -> list[float]:  # noqa: ANN001
    """Seconds per turn, JSON in to JSON out, attributes carried like Alexa carries them."""
    decode, encode = codec
    timings: list[float] = []
    for r in range(rounds):
        attributes: dict = {}
        for i, template in enumerate(envelopes):
            event = copy.deepcopy(template)
            if "session" in event:
                event["session"]["sessionId"] = f"amzn1.echo-api.session.bench-{r}"
                event["session"]["attributes"] = attributes
                event["session"]["new"] = i == 0
            body = json.dumps(event)
            start = time.perf_counter()
            envelope = decode(body)
            response = encode(skill.invoke(request_envelope=envelope, context=None))
            out = json.dumps(response)
            timings.append(time.perf_counter() - start)
            attributes = json.loads(out).get("sessionAttributes") or {}
    return timings


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rounds", type=int, default=200, help="conversations replayed per skill (default 200, in blocks of 10)"
    )
    parser.add_argument(
        "--capabilities",
        default="skills.shopping",
        help="comma-separated capability modules in the skill (default: skills.shopping, the "
        "one this conversation uses; 'all' for every installed capability)",
    )
    args = parser.parse_args()
    modules = None if args.capabilities == "all" else tuple(m for m in args.capabilities.split(",") if m)

    from reorder.bootstrap import open_backend
    from reorder.clock import ManualClock
    from skills.app import build_skill

    with tempfile.TemporaryDirectory() as tmp:
        clock = ManualClock(datetime(2026, 11, 2, 14, 0, tzinfo=UTC))
        backend = open_backend(f"sqlite:///{tmp}/bench.sqlite3", clock=clock)
        envelopes = record(backend, clock, modules)
        voicecart = build_skill(backend, modules=modules)
        hello = hello_skill()
        codecs = {"hello": sdk_codec(), "voicecart": voicecart_codec()}
        run_rounds(voicecart, envelopes, 3, codecs["voicecart"])  # warm up: catalog index, imports, page cache
        run_rounds(hello, envelopes, 3, codecs["hello"])
        label = "voicecart, every capability" if modules is None else f"voicecart: {', '.join(modules)}"
        results = {}
        # Blocks of BLOCK rounds, alternating: a noisy moment on a shared machine hits both skills alike,
        # and within a block each skill runs warm, as a server answering one skill all day would.
        for _ in range(max(1, args.rounds // BLOCK)):
            for name, skill, codec in (
                ("hello world (ask-sdk-core)", hello, codecs["hello"]),
                (label, voicecart, codecs["voicecart"]),
            ):
                results.setdefault(name, []).extend(run_rounds(skill, envelopes, min(BLOCK, args.rounds), codec))
        backend.close()

    base = statistics.median(results["hello world (ask-sdk-core)"])
    rows = []
    for name, timings in results.items():
        median = statistics.median(timings)
        rows.append([name, len(timings), median * 1000, p99(timings) * 1000, f"{median / base:.2f}x"])
    print_table(
        f"Skill turn latency, in process ({len(CONVERSATION)}-turn conversation x {args.rounds})",
        ["skill", "turns", "median ms", "p99 ms", "median vs hello"],
        rows,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
