"""The saved video's sound: what the voice said, each clip at the moment it was spoken, on a silent track as long
as the video, muxed into the finished video file with ffmpeg (the video stream is copied, not re-encoded)."""

from __future__ import annotations

import bisect
import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from fitness.session.outputs import atomic_target, temp_beside
from fitness.voice.playback import write_wav
from fitness.voice.speaker import SpokenClip
from fitness.voice.tts import Clip

FFMPEG = "ffmpeg"
NO_FFMPEG_NOTE = "ffmpeg is not installed: the saved video has no speech track (install ffmpeg to get one)"
# Audio codec by container: AVI takes plain PCM, the others AAC.
_AUDIO_CODEC = {".avi": "pcm_s16le"}
MUX_TIMEOUT_S = 120.0
# The track's sample rate when nothing was said (espeak-ng's own rate).
DEFAULT_RATE_HZ = 22050


def video_time(t_s: float, frame_times: Sequence[float], fps: float) -> float:
    """Where session time `t_s` falls in the saved video: the first frame written at or after it, at the video's
    frame rate (a camera's dropped frames or a stopped pass do not shift the speech)."""
    return bisect.bisect_left(frame_times, t_s) / fps


def mix(clips: Sequence[SpokenClip], frame_times: Sequence[float], fps: float, rate_hz: int) -> Clip:
    """One track as long as the video, silent but for the clips (all at `rate_hz`), each at its video time."""
    total = int(round(len(frame_times) / fps * rate_hz))
    track = np.zeros(total, np.int32)
    for spoken in clips:
        start = int(round(video_time(spoken.line.t_s, frame_times, fps) * rate_hz))
        piece = spoken.clip.samples[: max(0, total - start)].astype(np.int32)
        track[start: start + len(piece)] += piece
    return Clip(np.clip(track, -32768, 32767).astype(np.int16), rate_hz)


def add_speech(video: str | Path, clips: Sequence[SpokenClip], frame_times: Sequence[float], fps: float,
               ffmpeg: str = FFMPEG) -> str | None:
    """Muxes the speech into `video` in place; a note for the user when it could not (the silent video stays)."""
    if not frame_times:
        return None
    exe = shutil.which(ffmpeg)
    if exe is None:
        return NO_FFMPEG_NOTE
    video = atomic_target(video)
    rate_hz = clips[0].clip.rate_hz if clips else DEFAULT_RATE_HZ
    track = mix([c for c in clips if c.clip.rate_hz == rate_hz], frame_times, fps, rate_hz)
    codec = _AUDIO_CODEC.get(video.suffix.lower(), "aac")
    out: Path | None = None
    try:
        out = temp_beside(video, suffix=f".speech{video.suffix}")
        with tempfile.TemporaryDirectory() as tmp:
            wav = Path(tmp, "speech.wav")
            write_wav(track, wav)
            cmd = [exe, "-nostdin", "-v", "error", "-y", "-i", str(video), "-i", str(wav), "-map", "0:v:0",
                   "-map", "1:a:0", "-c:v", "copy", "-c:a", codec, str(out)]
            done = subprocess.run(cmd, capture_output=True, timeout=MUX_TIMEOUT_S, check=False)
        if done.returncode != 0:
            lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise OSError(lines[-1] if lines else f"ffmpeg exit code {done.returncode}")
        os.replace(out, video)
        return None
    except (OSError, subprocess.TimeoutExpired) as exc:
        if out is not None:
            with contextlib.suppress(OSError):
                os.unlink(out)
        return f"could not add the speech track to {video.name} ({exc}); the video is saved without sound"
