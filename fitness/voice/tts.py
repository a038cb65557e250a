"""Offline text to speech with espeak-ng, run as a program: the text goes in on stdin, a WAV comes back on
stdout. Nothing is played here (fitness.voice.playback does that), so it works on a machine without sound."""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from dataclasses import dataclass

import numpy as np

from fitness.errors import UsageError
from fitness.voice.settings import DEFAULT_RATE_WPM, DEFAULT_VOICE, RATE_RANGE_WPM

ESPEAK = "espeak-ng"
# A phrase longer than this is cut: cues are one short sentence.
MAX_TEXT_CHARS = 300
# Synthesis of one short phrase takes ~60 ms; a hung espeak-ng must not hold the voice forever.
SYNTH_TIMEOUT_S = 10.0


class VoiceUnavailable(UsageError):
    """espeak-ng is missing, or refuses the voice or rate asked for."""


@dataclass(frozen=True)
class Clip:
    """Mono 16-bit speech. samples: int16 array; rate_hz: samples per second."""

    samples: np.ndarray
    rate_hz: int

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.rate_hz


def read_wav(data: bytes) -> Clip:
    """espeak-ng's WAV on stdout announces a huge length (it streams); the frames actually there are read."""
    with wave.open(io.BytesIO(data)) as w:
        if w.getsampwidth() != 2:
            raise ValueError(f"expected 16-bit samples, got {8 * w.getsampwidth()}-bit")
        raw = w.readframes(w.getnframes())
        channels, rate_hz = w.getnchannels(), w.getframerate()
    samples = np.frombuffer(raw[: len(raw) // (2 * channels) * 2 * channels], dtype="<i2")
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1).astype(np.int16)
    return Clip(samples.astype(np.int16), rate_hz)


class EspeakSynth:
    """`synthesize(text) -> Clip` through the espeak-ng program. `check()` says up front, as one line, when it is
    missing or refuses the voice."""

    def __init__(self, rate_wpm: int = DEFAULT_RATE_WPM, voice: str = DEFAULT_VOICE, program: str = ESPEAK) -> None:
        lo, hi = RATE_RANGE_WPM
        if not lo <= rate_wpm <= hi:
            raise UsageError(f"--voice-rate must be {lo} to {hi} words per minute, got {rate_wpm}")
        if not voice or voice.startswith("-") or any(c.isspace() for c in voice):
            raise UsageError(f"--voice-name must be an espeak-ng voice name such as en or en-us, got {voice!r}")
        self.rate_wpm, self.voice, self.program = rate_wpm, voice, program

    def check(self) -> None:
        if shutil.which(self.program) is None:
            raise VoiceUnavailable(
                f"--voice needs the {self.program} program, which is not installed "
                "(Debian/Ubuntu: apt-get install espeak-ng; macOS: brew install espeak-ng)"
            )
        self.synthesize("ready")

    def synthesize(self, text: str) -> Clip:
        cmd = [self.program, "--stdout", "-v", self.voice, "-s", str(self.rate_wpm)]
        try:
            done = subprocess.run(cmd, input=text[:MAX_TEXT_CHARS].encode("utf-8"), capture_output=True,
                                  timeout=SYNTH_TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise VoiceUnavailable(f"{self.program} failed: {exc}") from exc
        if done.returncode != 0 or not done.stdout:
            reason = done.stderr.decode("utf-8", "replace").strip() or f"exit code {done.returncode}"
            raise VoiceUnavailable(f"{self.program} cannot speak with voice {self.voice!r}: {reason}")
        return read_wav(done.stdout)
