"""What request verification costs the Alexa skill endpoint.

Requests/s through the Flask endpoint (Flask test client, a hello-world ask-sdk-core skill) with
verification off (the baseline, same run), with all four verifiers and a warm certificate cache, and
with a cold cache on every request (chain read and validated each time, as if the cache did not
exist). Requests are signed by the local Alexa stand-in before timing starts.
Run: python bench/verification_bench.py [--requests N]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ask_sdk_core.skill_builder import SkillBuilder  # noqa: E402
from ask_sdk_core.utils import is_request_type  # noqa: E402
from flask import Flask  # noqa: E402

from bench._table import print_table  # noqa: E402
from device_sim.signing import LocalAlexaCA  # noqa: E402
from skills.hosting import (  # noqa: E402
    SignatureVerifier,  # noqa: E402
    skill_blueprint,
    verifiers_from_config,
)
from skills.hosting.cert_chain import roots_from_pems  # noqa: E402

SKILL_ID = "amzn1.ask.skill.bench"


def hello_skill():
    builder = SkillBuilder()

    @builder.request_handler(can_handle_func=is_request_type("LaunchRequest"))
    def launch(handler_input):
        return handler_input.response_builder.speak("Hello from voicecart.").response

    return builder.create()


def signed_requests(ca: LocalAlexaCA, count: int) -> list[tuple[bytes, dict[str, str]]]:
    requests = []
    for _ in range(count):
        body = json.dumps(
            {
                "version": "1.0",
                "context": {"System": {"application": {"applicationId": SKILL_ID}}},
                "request": {
                    "type": "LaunchRequest",
                    "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
                    "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "locale": "en-US",
                },
            }
        ).encode()
        requests.append((body, ca.sign(body)))
    return requests


def run(app: Flask, requests: list[tuple[bytes, dict[str, str]]]) -> float:
    client = app.test_client()
    started = time.perf_counter()
    for body, headers in requests:
        response = client.post("/alexa", data=body, headers=headers)
        if response.status_code != 200:
            raise SystemExit(f"benchmark request refused: {response.get_data(as_text=True)}")
    return time.perf_counter() - started


def app_with(verifiers) -> Flask:
    app = Flask(__name__)
    app.logger.disabled = True
    app.register_blueprint(skill_blueprint(hello_skill(), verifiers=verifiers))
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per scenario (default 2000)")
    args = parser.parse_args()
    ca = LocalAlexaCA.create(Path(tempfile.mkdtemp()) / "alexa-local-ca")
    trust = ca.trust_config()

    # Same verifiers with a chain cache of size 0: what the cache saves.
    cold_verifiers = verifiers_from_config([SKILL_ID], trust=trust)
    cold_verifiers[0] = SignatureVerifier(
        trusted_roots=roots_from_pems(trust.root_pems), fetch_chain=trust.fetch_chain, chain_cache_size=0
    )
    scenarios = [
        ("no verification (baseline)", app_with([]), args.requests),
        ("all verifiers, warm chain cache", app_with(verifiers_from_config([SKILL_ID], trust=trust)), args.requests),
        ("all verifiers, chain validated every request", app_with(cold_verifiers), max(args.requests // 10, 50)),
    ]
    rows = []
    baseline = None
    for name, app, count in scenarios:
        run(app, signed_requests(ca, 20))  # warm-up: imports, first chain fetch
        elapsed = run(app, signed_requests(ca, count))
        per_second = count / elapsed
        baseline = baseline or per_second
        rows.append((name, count, per_second, elapsed / count * 1e6, f"{baseline / per_second:.2f}x"))
    print_table(
        "Alexa endpoint: cost of request verification",
        ["scenario", "requests", "requests/s", "us/request", "time vs baseline"],
        rows,
    )


if __name__ == "__main__":
    main()
