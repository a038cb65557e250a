"""Playing speech on this computer's audio device, when it has one: through the sound server (PulseAudio or
PipeWire), ALSA, or macOS's player. `find_player()` is None on a machine without audio, which is fine: the
speech is still synthesised and recorded."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import wave
from collections.abc import Callable, Mapping
from pathlib import Path

from fitness.voice.tts import Clip

NO_DEVICE_NOTE = ("no audio device: speech is synthesised and recorded (the JSON's `spoken`, the saved video's "
                  "sound) but not played")


def _sound_server(env: Mapping[str, str]) -> bool:
    if env.get("PULSE_SERVER"):
        return True
    runtime = env.get("XDG_RUNTIME_DIR")
    return bool(runtime) and (Path(runtime, "pulse", "native").exists() or Path(runtime, "pipewire-0").exists())


def _alsa_cards(asound: Path) -> bool:
    try:
        text = (asound / "cards").read_text()
    except OSError:
        return False
    return bool(text.strip()) and "no soundcards" not in text


def find_player(env: Mapping[str, str] | None = None, which: Callable[[str], str | None] = shutil.which,
                asound: Path = Path("/proc/asound"), platform: str = sys.platform) -> list[str] | None:
    """The command (without the file) that plays a WAV here, or None when there is no audio device."""
    env = os.environ if env is None else env
    if platform == "darwin" and which("afplay"):
        return ["afplay"]
    if _sound_server(env):
        for cmd in (["pw-play"], ["paplay"]):
            if which(cmd[0]):
                return cmd
    if _alsa_cards(asound) and which("aplay"):
        return ["aplay", "-q"]
    return None


def write_wav(clip: Clip, path: str | Path) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(clip.rate_hz)
        w.writeframes(clip.samples.astype("<i2").tobytes())


class Player:
    """Plays a clip through `command` and waits until it has been heard; a failing player is silenced."""

    def __init__(self, command: list[str]) -> None:
        self.command = command
        self.failed: str | None = None

    def play(self, clip: Clip) -> None:
        if self.failed:
            return
        with tempfile.NamedTemporaryFile(suffix=".wav") as f:
            write_wav(clip, f.name)
            try:
                subprocess.run([*self.command, f.name], capture_output=True, timeout=clip.duration_s + 10, check=True)
            except (OSError, subprocess.SubprocessError) as exc:
                self.failed = f"cannot play speech with {self.command[0]}: {exc}"
