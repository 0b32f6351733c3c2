"""Speaking answers: espeak-ng when present, a clear message when not, one WAV for a whole conversation."""

from __future__ import annotations

import stat
import wave

import pytest
import sim_skills

from device_sim.tts import Speaker, TtsUnavailable
from voicecart.cli import main

FAKE_ESPEAK = """#!/usr/bin/env python3
import sys, wave
args = sys.argv[1:]
out = args[args.index("-w") + 1]
text = args[-1]
with wave.open(out, "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(22050)
    w.writeframes(b"\\x01\\x00" * (100 * len(text)))
"""


@pytest.fixture
def fake_engine(tmp_path):
    engine = tmp_path / "espeak-ng"
    engine.write_text(FAKE_ESPEAK)
    engine.chmod(engine.stat().st_mode | stat.S_IEXEC)
    return str(engine)


def test_answers_are_joined_into_one_wav(tmp_path, fake_engine):
    out = tmp_path / "answers.wav"
    speaker = Speaker(out, engine=fake_engine)
    speaker.speak("Hello there.")
    speaker.speak("")
    speaker.speak("Bye.")
    assert speaker.close() == out
    with wave.open(str(out), "rb") as joined:
        assert joined.getnframes() == 100 * (len("Hello there.") + len("Bye."))


def test_missing_engine_is_explained(monkeypatch):
    monkeypatch.setattr("device_sim.tts.find_engine", lambda: None)
    with pytest.raises(TtsUnavailable, match="apt-get install espeak-ng"):
        Speaker()


def test_cli_tts_out(tmp_path, fake_engine, monkeypatch, capsys):
    monkeypatch.setattr("device_sim.tts.find_engine", lambda: fake_engine)
    out = tmp_path / "turns.wav"
    code = main(
        [
            "sim",
            "--skill",
            sim_skills.TEA_HANDLER,
            "--model",
            str(sim_skills.TEA_MODEL),
            "--tts-out",
            str(out),
            "--say",
            "alexa, open tea timer",
        ]
    )
    assert code == 0 and out.is_file()
    monkeypatch.setattr("device_sim.tts.find_engine", lambda: None)
    assert main(["sim", "--tts", "--say", "hi"]) == 2
    assert "espeak-ng is not installed" in capsys.readouterr().err
