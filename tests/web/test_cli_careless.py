"""Careless input to the CLI gets one clear line and exit status 2, never a traceback or a false promise."""

from __future__ import annotations

import socket

import pytest

from voicecart.cli import main


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(
    "store",
    [
        "postgresql://postgres@127.0.0.1:1/nothing",
        "mysql://localhost/db",
        "sqlite:////proc/voicecart/cannot/be/here.sqlite3",
    ],
)
def test_sim_on_a_bad_or_unreachable_store_says_one_line(capsys, store):
    status, _, err = _run(capsys, "--store", store, "sim", "--say", "hello")
    assert status == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert err.startswith("voicecart: ")


@pytest.mark.parametrize("port", ["99999", "0", "-1"])
def test_serve_refuses_a_port_that_cannot_exist(capsys, tmp_path, port):
    status, _, err = _run(capsys, "--store", f"sqlite:///{tmp_path / 's.sqlite3'}", "serve", "--port", port)
    assert status == 2 and "between 1 and 65535" in err and "serving on" not in err


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_on_a_port_in_use_says_so_before_promising_anything(capsys, tmp_path, workers):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = str(taken.getsockname()[1])
        status, _, err = _run(
            capsys, "--store", f"sqlite:///{tmp_path / 's.sqlite3'}", "serve", "--port", port, "--workers", workers
        )
    assert status == 2 and f"cannot listen on 127.0.0.1:{port}" in err and "serving on" not in err, err


def test_saying_nothing_is_shown_as_silence(capsys, tmp_path):
    status, out, _ = _run(capsys, "--store", f"sqlite:///{tmp_path / 's.sqlite3'}", "sim", "--say", "")
    assert status == 0 and "(silence" in out


def test_times_without_press_is_refused(capsys, tmp_path):
    status, _, err = _run(
        capsys, "--store", f"sqlite:///{tmp_path / 's.sqlite3'}", "sim", "--say", "hi", "--times", "5"
    )
    assert status == 2 and "--press" in err
