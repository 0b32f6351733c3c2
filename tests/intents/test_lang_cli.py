import json
import shutil
from pathlib import Path

from voicecart.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


def test_model_build_writes_console_json(tmp_path, capsys):
    assert main(["model", "build", "--out", str(tmp_path), "--locale", "en-US"]) == 0
    out = capsys.readouterr().out
    assert f"wrote {tmp_path / 'en-US.json'}" in out
    assert "en-US: language classifier ready in" in out  # trained (or loaded) now, not on the first turn
    assert "reading turns with the static vectors" in out  # voicecart's intents have many samples each
    model = json.loads((tmp_path / "en-US.json").read_text())
    assert model["interactionModel"]["languageModel"]["invocationName"] == "voice cart"


def test_validate_built_model_passes(tmp_path, capsys, monkeypatch):
    main(["model", "build", "--out", str(tmp_path)])
    monkeypatch.chdir(tmp_path)  # no skill.json here: only the model is checked
    assert main(["model", "validate", "--model", str(tmp_path / "en-US.json")]) == 0
    assert "ok (0 errors" in capsys.readouterr().out


def test_validate_fails_on_broken_fixtures(tmp_path, capsys):
    model = tmp_path / "en-US.json"
    shutil.copy(FIXTURES / "broken_model.json", model)
    code = main(["model", "validate", "--model", str(model), "--manifest", str(FIXTURES / "broken_skill.json")])
    out = capsys.readouterr().out
    assert code == 1
    assert "FAILED" in out and "undefined slot type Gadget" in out and 'manifestVersion: must be "1.0"' in out


def test_validate_missing_or_unreadable_files_are_user_errors(tmp_path, capsys):
    assert main(["model", "validate", "--model", str(tmp_path / "nope.json")]) == 2
    assert "cannot read model" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main(["model", "validate", "--model", str(bad)]) == 2
    assert "is not valid JSON: line 1" in capsys.readouterr().err


def test_model_parse_prints_the_alexa_intent(capsys):
    assert main(["model", "parse", "reorder diapers"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["intent"]["name"] == "ReorderIntent"
    assert out["intent"]["slots"]["product"]["value"] == "diapers"
