"""`voicecart new NAME`: the scaffolded skill validates and passes its own conversation test at once."""

from __future__ import annotations

import json

import pytest

from voicecart.cli import main


def test_a_new_skill_validates_and_passes_its_test(tmp_path, store_env, monkeypatch, capsys):
    assert main(["new", "tea-time", "--dir", str(tmp_path)]) == 0
    root = tmp_path / "tea_time"
    # What the scaffold wrote; Python's own bytecode cache (written where bytecode writing is on) aside.
    written = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert written == {
        "skill.py",
        "tea_time_handlers.py",
        "model/en-US/tea_time.yaml",
        "skill.json",
        "tests/test_tea_time.yaml",
        "README.md",
        "build/models/en-US.json",
    }
    model = json.loads((root / "build/models/en-US.json").read_text())
    assert model["interactionModel"]["languageModel"]["invocationName"] == "tea time"

    monkeypatch.chdir(root)
    capsys.readouterr()
    assert main(["model", "validate", "--model", "build/models/en-US.json", "--manifest", "skill.json"]) == 0
    assert "0 errors" in capsys.readouterr().out
    assert main(["test", "tests/"]) == 0
    out = capsys.readouterr().out
    assert "PASS tests/test_tea_time.yaml (4 steps)" in out and "1 passed, 0 failed" in out


def test_the_new_skill_counts_the_shared_cart(tmp_path, store_env):
    """Its handler really reads the household's cart: an item put there by another channel is counted."""
    from device_sim.build import DeviceSpec, build_device
    from reorder.bootstrap import open_backend

    main(["new", "pantry pal", "--dir", str(tmp_path)])
    root = tmp_path / "pantry_pal"
    backend = open_backend(store_env)
    demo = backend.households.by_name("demo")
    paper_towels = next(p.id for p in backend.catalog.search("paper towels"))
    backend.carts.add(demo.id, paper_towels, 3, channel="web")
    device = build_device(
        DeviceSpec(skill=f"{root / 'skill.py'}:simulator_handler", model=str(root / "build/models/en-US.json"))
    )
    with device:
        turn = device.say("alexa, ask pantry pal how many things are in my cart")
    assert turn.intent == "PantryPalCartCountIntent"
    assert turn.speech.startswith("You have three things in your cart"), turn.speech


def test_the_new_skill_edits_rebuild_and_recheck(tmp_path, capsys):
    main(["new", "tea-time", "--dir", str(tmp_path)])
    fragment = tmp_path / "tea_time/model/en-US/tea_time.yaml"
    fragment.write_text(fragment.read_text() + "  OtherIntent:\n    samples:\n      - count my cart\n")
    capsys.readouterr()
    assert main(["skill", "check", str(tmp_path / "tea_time")]) == 1
    assert (
        "sample 'count my cart' of OtherIntent (package 'tea-time') is also a sample of TeaTimeCartCountIntent"
        in capsys.readouterr().out
    )
    assert main(["skill", "build", str(tmp_path / "tea_time")]) == 2


@pytest.mark.parametrize("name", ["", "9lives", "bean/box", "x" * 3 + "!", "../up"])
def test_bad_names_are_refused_and_nothing_is_written(tmp_path, capsys, name):
    assert main(["new", name, "--dir", str(tmp_path)]) == 2
    assert "voicecart:" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_an_existing_skill_is_not_overwritten(tmp_path, capsys):
    assert main(["new", "tea-time", "--dir", str(tmp_path)]) == 0
    handlers = tmp_path / "tea_time/tea_time_handlers.py"
    handlers.write_text("# my work\n")
    assert main(["new", "tea-time", "--dir", str(tmp_path)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert handlers.read_text() == "# my work\n"


def test_a_one_word_name_needs_an_invocation(tmp_path, capsys):
    assert main(["new", "beans", "--dir", str(tmp_path)]) == 2
    assert "two or more words" in capsys.readouterr().err
    assert main(["new", "beans", "--dir", str(tmp_path), "--invocation", "bean counter"]) == 0


def test_the_new_skill_packages_for_ask_deploy(tmp_path, capsys):
    main(["new", "tea-time", "--dir", str(tmp_path)])
    out = tmp_path / "pkg"
    assert (
        main(
            [
                "skill",
                "package",
                str(tmp_path / "tea_time"),
                str(out),
                "--endpoint",
                "https://skills.example.org/alexa/tea-time",
            ]
        )
        == 0
    )
    manifest = json.loads((out / "skill-package/skill.json").read_text())
    assert manifest["manifest"]["apis"]["custom"]["endpoint"]["uri"] == "https://skills.example.org/alexa/tea-time"
    assert (out / "skill-package/interactionModels/custom/en-US.json").exists()
    assert (out / "ask-resources.json").exists()
