"""`voicecart package` writes OUT/lambda/: the function's code and requirements.txt, which run on their own."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, requires
from pathlib import Path

import pytest

from skills.lambda_package import PROVIDED_BY_RUNTIME, REQUIREMENTS

VOICECART = Path(sys.executable).with_name("voicecart")

RUN_BUNDLE = r"""
import json, sys
at_start = set(sys.modules)  # what the interpreter loaded itself (site hooks), not the function
from importlib.metadata import packages_distributions
import lambda_function
from skills.app import SKILL_ID

system = {"application": {"applicationId": SKILL_ID}, "user": {"userId": "amzn1.ask.account.demo-adult-1"},
          "device": {"deviceId": "d1", "supportedInterfaces": {}}, "apiEndpoint": "https://api.amazonalexa.com"}
def event(request):
    return {"version": "1.0", "context": {"System": system},
            "session": {"new": True, "sessionId": "s1", "application": system["application"], "user": system["user"]},
            "request": {"requestId": "r1", "timestamp": "2026-12-04T20:00:00Z", "locale": "en-US", **request}}
spoken = [lambda_function.lambda_handler(event({"type": "LaunchRequest"}), None)["response"]["outputSpeech"]["ssml"]]
spoken.append(lambda_function.lambda_handler(event({"type": "IntentRequest", "intent": {
    "name": "AddToCartIntent", "confirmationStatus": "NONE",
    "slots": {"product": {"name": "product", "value": "paper towels", "confirmationStatus": "NONE"}}}}), None)
    ["response"]["outputSpeech"]["ssml"])
due = lambda_function.due_work_handler({"source": "aws.events"}, None)
import reorder
owners = packages_distributions()
dists = sorted({d for m in set(sys.modules) - at_start for d in owners.get(m.split(".")[0], [])})
print(json.dumps({"spoken": spoken, "due": due, "reorder": reorder.__file__, "distributions": dists}))
"""


def _closure(names) -> set[str]:
    seen: set[str] = set()
    todo = [re.split(r"[<>=!~;\[ ]", n, maxsplit=1)[0] for n in names]
    while todo:
        name = todo.pop().lower().replace("_", "-")
        if name in seen:
            continue
        seen.add(name)
        try:
            for req in requires(name) or []:
                if "extra ==" not in req:
                    todo.append(re.split(r"[<>=!~;\[ (]", req, maxsplit=1)[0])
        except PackageNotFoundError:
            pass
    return seen


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("package") / "voicecart-package"
    result = subprocess.run([str(VOICECART), "package", str(out)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return out


def test_package_writes_lambda_beside_the_skill_package_for_ask_deploy(package):
    assert (package / "skill-package" / "skill.json").is_file()
    assert (package / "lambda" / "lambda_function.py").is_file()
    requirements = (package / "lambda" / "requirements.txt").read_text().split("\n")
    assert [r for r in requirements if r and not r.startswith("#")] == list(REQUIREMENTS)
    assert not any(r.lower().startswith(("boto3", "gunicorn", "psycopg")) for r in requirements)
    resources = json.loads((package / "ask-resources.json").read_text())["profiles"]["default"]
    assert resources["code"] == {"default": {"src": "./lambda"}}
    assert resources["skillInfrastructure"]["userConfig"]["handler"] == "lambda_function.lambda_handler"
    assert not list((package / "lambda").rglob("__pycache__"))
    assert not (package / "lambda" / "device_sim").exists()


def test_the_lambda_folder_runs_on_its_own_and_imports_only_what_it_declares(package, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VOICECART_", "PYTHON"))}
    env["VOICECART_STORE"] = f"sqlite:///{tmp_path / 'lambda.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "-c", RUN_BUNDLE], cwd=package / "lambda", capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["reorder"].startswith(str(package / "lambda"))  # the bundle's code, not the checkout's
    assert "paper towels" in report["spoken"][1].lower()
    assert report["due"]["ran"] is True and report["due"]["failures"] == {}
    allowed = _closure([*REQUIREMENTS, *PROVIDED_BY_RUNTIME]) | {"voicecart"}
    imported = {d.lower().replace("_", "-") for d in report["distributions"]}
    assert imported - allowed == set()


def test_an_https_endpoint_keeps_ask_deploy_away_from_lambda(tmp_path):
    out = tmp_path / "web"
    result = subprocess.run(
        [str(VOICECART), "package", str(out), "--endpoint", "https://skills.example.com/alexa"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    resources = json.loads((out / "ask-resources.json").read_text())["profiles"]["default"]
    assert "skillInfrastructure" not in resources
