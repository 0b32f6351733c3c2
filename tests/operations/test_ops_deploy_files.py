"""The deployment files: the SAM template passes cfn-lint and matches the store; the Dockerfile runs as a
non-root user with a health check that works; the compose file runs it on PostgreSQL."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from reorder.store.dynamodb import GSI1, GSI2

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "deploy" / "template.yaml"


class _CfnLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short tags (!Ref, !Sub, !GetAtt) read as plain values."""


for _tag in ("!Ref", "!Sub", "!GetAtt", "!If", "!Equals", "!Not", "!Join", "!Select", "!Split"):
    _CfnLoader.add_constructor(
        _tag,
        lambda loader, node: (
            loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)
        ),
    )


def _template() -> dict:
    return yaml.load(TEMPLATE.read_text(encoding="utf-8"), Loader=_CfnLoader)  # noqa: S506 - a safe subclass


def test_the_sam_template_passes_cfn_lint():
    cfn_lint = shutil.which("cfn-lint", path=os.path.dirname(sys.executable)) or shutil.which("cfn-lint")
    assert cfn_lint, "cfn-lint is a test dependency (pip install -e '.[test]')"
    result = subprocess.run(
        [cfn_lint, "--format", "parseable", str(TEMPLATE)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_functions_may_make_exactly_the_calls_the_store_makes():
    source = "".join(p.read_text() for p in (ROOT / "reorder" / "store").glob("dynamodb*.py"))
    calls = set(re.findall(r"\.(\w+_item|\w+_items|query|describe_table|create_table)\(", source))
    needed = {"dynamodb:" + "".join(w.title() for w in call.split("_")) for call in calls} - {"dynamodb:CreateTable"}
    resources = _template()["Resources"]
    for name in ("SkillFunction", "DueWorkFunction"):
        statements = resources[name]["Properties"]["Policies"][0]["Statement"]
        assert len(statements) == 1 and statements[0]["Effect"] == "Allow"
        assert set(statements[0]["Action"]) == needed  # no more (least privilege), no less (it works)
        assert statements[0]["Resource"] == ["Table.Arn", "${Table.Arn}/index/*"]


def test_the_table_is_the_one_store_init_creates():
    table = _template()["Resources"]["Table"]["Properties"]
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert [k["AttributeName"] for k in table["KeySchema"]] == ["PK", "SK"]
    assert [i["IndexName"] for i in table["GlobalSecondaryIndexes"]] == [GSI1, GSI2]
    for index in table["GlobalSecondaryIndexes"]:
        name = index["IndexName"]
        assert [k["AttributeName"] for k in index["KeySchema"]] == [f"{name}PK", f"{name}SK"]


def test_the_functions_name_handlers_the_package_writes():
    from skills.lambda_package import HANDLER_MODULE

    resources = _template()["Resources"]
    assert resources["SkillFunction"]["Properties"]["Events"]["Alexa"]["Type"] == "AlexaSkill"
    assert (
        resources["DueWorkFunction"]["Properties"]["Events"]["EveryMinute"]["Properties"]["Schedule"]
        == "rate(1 minute)"
    )
    for name in ("SkillFunction", "DueWorkFunction"):
        module, handler = resources[name]["Properties"]["Handler"].split(".")
        assert module == "lambda_function" and re.search(rf"\b{handler}\b", HANDLER_MODULE)
    code = _template()["Globals"]["Function"]["CodeUri"]
    assert (TEMPLATE.parent / code).resolve() == ROOT / "build" / "voicecart-package" / "lambda"


def _dockerfile_final_stage() -> list[str]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    last_from = max(i for i, line in enumerate(lines) if line.startswith("FROM "))
    return lines[last_from:]


def test_the_container_runs_serve_as_a_non_root_user_with_a_health_check():
    stage = _dockerfile_final_stage()
    users = [line.split()[1] for line in stage if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert any(line.startswith("HEALTHCHECK ") for line in stage)
    assert stage[-1] == 'CMD ["voicecart", "serve"]'
    assert "VOICECART_HOST=0.0.0.0" in " ".join(stage)  # reachable from outside the container


@pytest.mark.usefixtures("tmp_path")
def test_the_container_health_check_command_checks_the_server(tmp_path):
    from test_ops_serve import _start, _stop

    health = next(line for line in _dockerfile_final_stage() if line.startswith("HEALTHCHECK "))
    command = json.loads(health[health.index("CMD ") + 4 :])
    assert command[0] == "python"
    process, base = _start(tmp_path, "serve", "--workers", "1", "--no-scheduler")
    port = base.rsplit(":", 1)[1]
    try:
        up = subprocess.run([sys.executable, *command[1:]], env={**os.environ, "VOICECART_PORT": port}, timeout=30)
    finally:
        _stop(process)
    down = subprocess.run(
        [sys.executable, *command[1:]], env={**os.environ, "VOICECART_PORT": port}, capture_output=True, timeout=30
    )
    assert up.returncode == 0 and down.returncode != 0


def test_compose_runs_the_image_on_postgresql():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    app, db = compose["services"]["voicecart"], compose["services"]["db"]
    assert app["build"] == "."
    assert app["environment"]["VOICECART_STORE"].startswith("postgresql://voicecart:")
    assert "@db:5432/voicecart" in app["environment"]["VOICECART_STORE"]
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    assert db["image"].startswith("postgres:") and "pg_isready" in db["healthcheck"]["test"]
    assert app["ports"] == ["127.0.0.1:8080:8080"]  # TLS goes in front; nothing listens publicly by default


def test_the_container_check_script_is_valid_bash():
    script = ROOT / "deploy" / "check-container.sh"
    assert os.access(script, os.X_OK)
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
