"""Synthesis with espeak-ng, finding an audio device, and the speech track of the saved video."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import wave

import cv2
import numpy as np
import pytest

from fitness.errors import UsageError
from fitness.voice.playback import find_player
from fitness.voice.soundtrack import NO_FFMPEG_NOTE, add_speech, mix, video_time
from fitness.voice.speaker import SpokenClip, SpokenLine
from fitness.voice.tts import Clip, EspeakSynth, VoiceUnavailable, read_wav

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
needs_ffmpeg = pytest.mark.skipif(shutil.which("ffprobe") is None, reason="ffmpeg is not installed")


def streamed_wav(samples: np.ndarray, rate_hz: int) -> bytes:
    """A WAV as espeak-ng streams it to stdout: the header announces far more frames than follow."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate_hz)
        w.writeframes(samples.astype("<i2").tobytes())
    data = bytearray(buf.getvalue())
    data[4:8] = (0x7FFFF024).to_bytes(4, "little")
    data[40:44] = (0x7FFFF000).to_bytes(4, "little")
    return bytes(data)


def test_a_streamed_wav_is_read_up_to_its_real_end():
    samples = np.arange(-500, 500, dtype=np.int16)
    clip = read_wav(streamed_wav(samples, 22050))
    assert clip.rate_hz == 22050 and np.array_equal(clip.samples, samples)
    assert clip.duration_s == pytest.approx(1000 / 22050)


def test_missing_espeak_is_one_line_saying_how_to_install_it():
    with pytest.raises(VoiceUnavailable, match="apt-get install espeak-ng"):
        EspeakSynth(program="no-such-espeak-program").check()


@pytest.mark.parametrize("kwargs,message", [(dict(rate_wpm=20), "--voice-rate"), (dict(voice="-x"), "--voice-name")])
def test_a_rate_or_voice_espeak_cannot_take_is_a_usage_error(kwargs, message):
    with pytest.raises(UsageError, match=message):
        EspeakSynth(**kwargs)


@needs_espeak
def test_espeak_speaks_a_cue_and_refuses_an_unknown_voice():
    clip = EspeakSynth().synthesize("Keep your chest up")
    assert 0.5 < clip.duration_s < 5 and np.abs(clip.samples).max() > 1000
    with pytest.raises(VoiceUnavailable, match="nosuchvoice"):
        EspeakSynth(voice="nosuchvoice").check()


def test_no_sound_server_and_no_sound_card_means_no_player(tmp_path):
    def which(name):
        return f"/usr/bin/{name}"

    asound = tmp_path / "asound"
    assert find_player({}, which, asound, "linux") is None
    asound.mkdir()
    (asound / "cards").write_text("--- no soundcards ---\n")
    assert find_player({}, which, asound, "linux") is None
    (asound / "cards").write_text(" 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n")
    assert find_player({}, which, asound, "linux") == ["aplay", "-q"]
    assert find_player({"PULSE_SERVER": "unix:/x"}, which, asound, "linux") == ["pw-play"]
    assert find_player({}, which, tmp_path / "none", "darwin") == ["afplay"]


def spoken(t_s: float, n: int, rate_hz: int = 100, value: int = 1000) -> SpokenClip:
    return SpokenClip(SpokenLine(t_s, "x"), Clip(np.full(n, value, np.int16), rate_hz))


def test_speech_lands_at_the_frame_it_was_said_even_after_dropped_frames():
    times = [0.0, 0.1, 0.2, 0.5, 0.6]  # a camera that lost frames 0.3 and 0.4: the video holds 5 frames at 10 fps
    assert video_time(0.5, times, 10.0) == pytest.approx(0.3)
    track = mix([spoken(0.5, 5), spoken(0.0, 3)], times, 10.0, 100)
    assert len(track.samples) == 50
    assert np.flatnonzero(track.samples).tolist() == [0, 1, 2, 30, 31, 32, 33, 34]


def test_speech_past_the_end_of_the_video_is_cut_and_overlaps_do_not_wrap():
    track = mix([spoken(0.4, 50, value=30000), spoken(0.35, 50, value=30000)], [0.0, 0.1, 0.2, 0.3, 0.4], 10.0, 100)
    assert len(track.samples) == 50 and track.samples[-1] == 32767 and track.samples[:40].max() == 0


def write_video(path, frames: int = 20, fps: float = 10.0):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (64, 48))
    for _ in range(frames):
        writer.write(np.zeros((48, 64, 3), np.uint8))
    writer.release()


def streams(path) -> list[dict]:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name", "-of", "json",
                          str(path)], capture_output=True, check=True, text=True).stdout
    return json.loads(out)["streams"]


@needs_ffmpeg
def test_the_speech_is_muxed_into_the_video_in_place(tmp_path):
    video = tmp_path / "out.mp4"
    write_video(video)
    note = add_speech(video, [spoken(1.0, 50, rate_hz=8000)], [i / 10 for i in range(20)], 10.0)
    assert note is None
    assert sorted(s["codec_type"] for s in streams(video)) == ["audio", "video"]
    assert [p.name for p in tmp_path.iterdir()] == ["out.mp4"]  # no temp file left


def test_without_ffmpeg_the_silent_video_stays_and_a_note_says_why(tmp_path):
    video = tmp_path / "out.mp4"
    write_video(video)
    before = video.read_bytes()
    assert add_speech(video, [spoken(0.5, 10)], [0.0, 0.1], 10.0, ffmpeg="no-such-ffmpeg") == NO_FFMPEG_NOTE
    assert video.read_bytes() == before
