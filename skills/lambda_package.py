"""The function's code for `ask deploy` and `sam build`: OUT/lambda/, beside OUT/skill-package/.

    OUT/lambda/lambda_function.py   the handlers: `lambda_handler` (Alexa), `due_work_handler` (the schedule)
    OUT/lambda/requirements.txt     what the function imports, for `pip install -r` (ASK CLI, SAM)
    OUT/lambda/reorder/ intents/ skills/ voicecart/   the project's code and data, as source

What Lambda's Python runtime already has (boto3, botocore) and what the function never imports (gunicorn,
ask-smapi-model, psycopg, the simulator) stays out. `tests/operations/test_ops_lambda.py` runs the written
folder on its own and checks that every distribution it imports is in requirements.txt or the runtime.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

# The project's packages the function runs (not device_sim: the simulator stays on developer machines).
CODE_PACKAGES = ("reorder", "intents", "skills", "voicecart")
# Runtime requirements of the function. Lambda's Python runtime provides boto3 and botocore itself.
REQUIREMENTS = (
    "ask-sdk-core>=1.19",
    "ask-sdk-model>=1.82",
    "flask>=3.0",
    "cryptography>=42",
    "rapidfuzz>=3.6",
    "platformdirs>=4",
    "PyYAML>=6",
    "jsonschema>=4.20",
    "requests>=2.31",
)
PROVIDED_BY_RUNTIME = ("boto3", "botocore", "s3transfer", "jmespath", "urllib3", "python-dateutil", "six")
SKIPPED = ("__pycache__", "*.pyc", "*.pyo", "tests", "*.egg-info")

HANDLER_MODULE = '''"""AWS Lambda entry points, written by `voicecart package`.

lambda_function.lambda_handler     Alexa Skills Kit requests (VOICECART_STORE, VOICECART_SKILL_ID)
lambda_function.due_work_handler   the schedule: due routines, fulfilment, proactive events (one round)
"""

from skills.lambda_function import lambda_handler  # noqa: F401
from voicecart.lambda_due_work import handler as due_work_handler  # noqa: F401
'''


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise LookupError(f"the {name} package is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def write_lambda_code(out: Path) -> list[Path]:
    """Write OUT/lambda/ afresh (a stale file from an earlier build would otherwise ship); returns what was
    written at its top level."""
    target = Path(out) / "lambda"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in CODE_PACKAGES:
        shutil.copytree(_package_dir(name), target / name, ignore=shutil.ignore_patterns(*SKIPPED))
    (target / "lambda_function.py").write_text(HANDLER_MODULE, encoding="utf-8")
    (target / "requirements.txt").write_text(
        "# The function's dependencies; Lambda's runtime provides boto3. Written by `voicecart package`.\n"
        + "\n".join(REQUIREMENTS) + "\n", encoding="utf-8")
    return [target / "lambda_function.py", target / "requirements.txt", *(target / n for n in CODE_PACKAGES)]


def lambda_resources(runtime: str = "python3.12") -> dict:
    """The ask-resources.json part that makes `ask deploy` build and deploy OUT/lambda with its
    Lambda deployer."""
    return {
        "code": {"default": {"src": "./lambda"}},
        "skillInfrastructure": {
            "type": "@ask-cli/lambda-deployer",
            "userConfig": {"runtime": runtime, "handler": "lambda_function.lambda_handler"},
        },
    }
