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
import re
import shutil
import subprocess
import zipfile
from collections.abc import Sequence
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
    # The product resolver's index is NumPy arrays (intents/resolver_index.py).
    "numpy>=1.26",
    "platformdirs>=4",
    "PyYAML>=6",
    "jsonschema>=4.20",
    "requests>=2.31",
    # Lambda's own botocore imports dateutil too and needs a 2.x; the bundle's copy comes first on sys.path.
    "python-dateutil>=2.8,<3",
)
PROVIDED_BY_RUNTIME = ("boto3", "botocore", "s3transfer", "jmespath", "urllib3", "six")
# The Lambda runtime the bundle is built for: Python 3.12 on Amazon Linux 2023 (glibc 2.34), x86_64.
RUNTIME = "python3.12"
RUNTIME_PYTHON = "3.12"
RUNTIME_GLIBC = (2, 34)
WHEEL_PLATFORM = "manylinux2014_x86_64"
ZIP_LIMIT = 50 * 1024 * 1024  # a zip uploaded directly
UNZIPPED_LIMIT = 250 * 1024 * 1024
# Also this machine's compiled build of the language engine (intents/compiled.py): built for this Python and this
# glibc, not the function's; the function runs the plain Python beside it.
SKIPPED = ("__pycache__", "*.pyc", "*.pyo", "tests", "*.egg-info", "*.so", "compiled_build.json")

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
        + "\n".join(REQUIREMENTS)
        + "\n",
        encoding="utf-8",
    )
    return [target / "lambda_function.py", target / "requirements.txt", *(target / n for n in CODE_PACKAGES)]


def lambda_resources(runtime: str = RUNTIME) -> dict:
    """The ask-resources.json part that makes `ask deploy` build and deploy OUT/lambda with its
    Lambda deployer."""
    return {
        "code": {"default": {"src": "./lambda"}},
        "skillInfrastructure": {
            "type": "@ask-cli/lambda-deployer",
            "userConfig": {"runtime": runtime, "handler": "lambda_function.lambda_handler"},
        },
    }


def install_dependencies(target: Path, *, pip: Sequence[str]) -> None:
    """pip-install requirements.txt into `target` as wheels built for the Lambda runtime, not this machine:
    manylinux2014 (glibc 2.17) x86_64 binaries for CPython 3.12, never a source build."""
    target = Path(target)
    subprocess.run(
        [
            *pip,
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-compile",
            "--platform",
            WHEEL_PLATFORM,
            "--implementation",
            "cp",
            "--python-version",
            RUNTIME_PYTHON,
            "--only-binary=:all:",
            "--upgrade",
            "--target",
            str(target),
            "-r",
            str(target / "requirements.txt"),
        ],
        check=True,
    )
    for leftover in (target / "bin", *target.glob("**/__pycache__")):
        shutil.rmtree(leftover, ignore_errors=True)


GLIBC_VERSION = re.compile(rb"GLIBC_(\d+)\.(\d+)(?:\.(\d+))?")


def glibc_needs(root: Path) -> dict[Path, tuple[int, int]]:
    """The newest GLIBC_x.y symbol version each shared object under `root` asks for (from the version
    names in its dynamic string table; an object asking for none is left out)."""
    needs = {}
    for path in sorted(Path(root).rglob("*.so*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if not data.startswith(b"\x7fELF"):
            continue
        versions = [(int(m.group(1)), int(m.group(2))) for m in GLIBC_VERSION.finditer(data)]
        if versions:
            needs[path] = max(versions)
    return needs


def zip_bundle(source: Path, zip_path: Path) -> int:
    """Zip `source`'s contents (files at the archive's root, as Lambda expects); returns the zip's size."""
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(Path(source).rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(source))
    return zip_path.stat().st_size


def tree_size(root: Path) -> int:
    return sum(p.stat().st_size for p in Path(root).rglob("*") if p.is_file())
