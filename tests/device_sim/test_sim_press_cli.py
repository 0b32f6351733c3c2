"""`voicecart sim --press NAME --times N`: a burst of presses on one virtual button orders once."""

from __future__ import annotations

from voicecart.cli import main


def test_a_burst_of_presses_orders_once(tmp_path, capsys):
    store = f"sqlite:///{tmp_path / 'sim.sqlite3'}"
    assert main(["--store", store, "sim", "--say", "create a button for bounty paper towels"]) == 0
    capsys.readouterr()
    assert main(["--store", store, "sim", "--press", "paper towels", "--times", "6"]) == 0
    out = capsys.readouterr().out
    assert out.count("[ordered]") == 1
    assert out.count("[already_in_progress]") == 5
    assert "outcomes: 5 already_in_progress, 1 ordered" in out


def test_pressing_a_button_that_does_not_exist_says_so(tmp_path, capsys):
    store = f"sqlite:///{tmp_path / 'sim.sqlite3'}"
    assert main(["--store", store, "sim", "--press", "banana"]) == 1
    assert "[error]" in capsys.readouterr().out
