"""Hearing the answers: espeak-ng speaks them aloud or writes them to one WAV file."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from pathlib import Path

ENGINES = ("espeak-ng", "espeak")


class TtsUnavailable(RuntimeError):
    """No speech engine on this machine; the message says how to get one."""


def find_engine() -> str | None:
    for name in ENGINES:
        path = shutil.which(name)
        if path:
            return path
    return None


class Speaker:
    """Speaks each answer as it comes (to the sound card), or collects them into `out` (a WAV file)."""

    def __init__(self, out: str | Path | None = None, *, engine: str | None = None, voice: str = "en-us") -> None:
        self.engine = engine or find_engine()
        if self.engine is None:
            raise TtsUnavailable(
                "espeak-ng is not installed, so answers cannot be spoken; install it with "
                "`sudo apt-get install espeak-ng` (or drop --tts / --tts-out)"
            )
        self.out = Path(out) if out else None
        self.voice = voice
        self._parts: list[Path] = []
        self._scratch = Path(tempfile.mkdtemp(prefix="voicecart-tts-")) if self.out else None

    def speak(self, text: str) -> None:
        text = text.strip()
        if not text:
            return
        if self._scratch is None:
            subprocess.run(
                [str(self.engine), "-v", self.voice, "--", text],
                check=False,
                timeout=60,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            return
        part = self._scratch / f"{len(self._parts):04d}.wav"
        done = subprocess.run(
            [str(self.engine), "-v", self.voice, "-w", str(part), "--", text],
            check=False,
            timeout=60,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        if done.returncode != 0 or not part.is_file():
            raise TtsUnavailable(f"{self.engine} failed: {done.stderr.decode(errors='replace').strip()}")
        self._parts.append(part)

    def close(self) -> Path | None:
        """Writes the collected answers, one after another, into the output WAV."""
        if self.out is None:
            return None
        if not self._parts:
            raise TtsUnavailable("there was nothing to say, so no WAV file was written")
        with wave.open(str(self._parts[0]), "rb") as first:
            params = first.getparams()
        with wave.open(str(self.out), "wb") as joined:
            joined.setparams(params)
            for part in self._parts:
                with wave.open(str(part), "rb") as piece:
                    if piece.getframerate() != params.framerate or piece.getnchannels() != params.nchannels:
                        raise TtsUnavailable(f"{part} has a different audio format")
                    joined.writeframes(piece.readframes(piece.getnframes()))
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
        return self.out
