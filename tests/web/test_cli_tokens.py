"""`voicecart token`: issue, list and revoke, on SQLite and PostgreSQL, as a user types them."""

from __future__ import annotations

import pytest
from store_fixtures import postgres_database, url_for  # noqa: F401

from voicecart.cli import main


@pytest.fixture(params=("sqlite", "postgresql"))
def cli_store(request, tmp_path) -> str:
    return url_for(request.param, request, tmp_path)


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_issue_list_and_revoke(cli_store, capsys):
    status, token, _ = _run(capsys, "--store", cli_store, "token", "--household", "demo", "--label", "laptop")
    assert status == 0 and token.startswith("vc_")
    status, token2, _ = _run(capsys, "--store", cli_store, "token", "issue", "--household", "demo")
    assert status == 0 and token2.startswith("vc_")
    status, out, _ = _run(capsys, "--store", cli_store, "token", "list", "--household", "demo")
    rows = [line.split("\t") for line in out.splitlines()]
    assert status == 0 and {(r[1], r[2]) for r in rows} >= {("household", "laptop"), ("household", "cli")}
    assert token.strip() not in out and token2.strip() not in out  # the secret is never shown again
    laptop = next(r[0] for r in rows if r[2] == "laptop")
    status, out, _ = _run(capsys, "--store", cli_store, "token", "revoke", laptop, "--household", "demo")
    assert status == 0 and out.startswith(f"revoked {laptop} (laptop)")
    status, out, _ = _run(capsys, "--store", cli_store, "token", "list", "--household", "demo")
    assert laptop not in out
    status, _, err = _run(capsys, "--store", cli_store, "token", "revoke", laptop, "--household", "demo")
    assert status == 2 and "no token" in err and "Traceback" not in err


def test_careless_token_commands_get_one_line(cli_store, capsys):
    for argv in (
        ["token"],
        ["token", "list", "--household", "nobody"],
        ["token", "revoke", "abc", "--household", "demo"],
    ):
        status, _, err = _run(capsys, "--store", cli_store, *argv)
        assert status == 2 and len(err.strip().splitlines()) == 1, (argv, err)
