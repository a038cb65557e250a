"""`--voice` through the session loop with the stand-in stages of test_pipeline and a stand-in synthesiser: the
JSON's `spoken`, the saved video's sound, and the note on a machine without audio."""

from __future__ import annotations

import json
import shutil
import subprocess

import numpy as np
import pytest
from test_pipeline import ListSource, make_stages, pose, squat_angles, write_clip

from fitness.pipeline import SessionConfig, run_session
from fitness.voice.speaker import Voice
from fitness.voice.tts import Clip

RATE_HZ = 8000
FPS = 10.0


class ToneSynth:
    """Every phrase is 0.2 s of a loud square wave."""

    def __init__(self, *args, **kwargs):
        self.texts = []

    def check(self) -> None:
        pass

    def synthesize(self, text: str) -> Clip:
        self.texts.append(text)
        n = int(0.2 * RATE_HZ)
        return Clip(np.where(np.arange(n) % 16 < 8, 20000, -20000).astype(np.int16), RATE_HZ)


def rep_times(angles: list[float]) -> list[float]:
    """When the stand-in machine counts: the first frame back above 160 after a dip below 100."""
    times, low = [], False
    for i, a in enumerate(angles):
        if a < 100:
            low = True
        elif a > 160 and low:
            low = False
            times.append(i / FPS)
    return times


def session(tmp_path, angles, **changes):
    stages = make_stages([pose(a) for a in angles])
    values = dict(exercise="squats", source="video", path="unused.mp4", smoothing="live", window=False,
                  json_path=str(tmp_path / "out.json"), no_history=True)
    values.update(changes)
    source = ListSource(len(angles), fps=FPS)
    voice = Voice("all", ToneSynth(), paced=True)
    return run_session(SessionConfig(**values), stages=stages, source_factory=lambda: source, voice=voice)


def test_the_json_says_each_count_at_the_moment_its_rep_was_counted(tmp_path):
    angles = squat_angles(3) + [170.0] * 10
    result = session(tmp_path, angles)
    doc = json.loads((tmp_path / "out.json").read_text())
    expected = [{"t_s": t, "text": str(i + 1)} for i, t in enumerate(rep_times(angles))]
    assert doc["spoken"] == expected and doc["reps"] == 3
    assert [line.to_dict() for line in result.spoken] == expected


def test_without_a_voice_the_json_has_no_spoken_key(tmp_path):
    stages = make_stages([pose(a) for a in squat_angles(1)])
    config = SessionConfig("squats", source="video", path="x.mp4", smoothing="live", window=False, no_history=True,
                           json_path=str(tmp_path / "out.json"))
    result = run_session(config, stages=stages, source_factory=lambda: ListSource(len(stages.estimator.poses)))
    assert "spoken" not in json.loads((tmp_path / "out.json").read_text()) and result.spoken is None


def loudness(video, rate_hz: int = RATE_HZ) -> np.ndarray:
    """The video's sound as 16-bit mono samples, decoded by ffmpeg."""
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(video), "-f", "s16le", "-ac", "1", "-ar", str(rate_hz),
                          "-"], capture_output=True, check=True).stdout
    return np.abs(np.frombuffer(raw, np.int16).astype(np.int32))


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is not installed")
def test_the_saved_video_speaks_at_the_moments_in_the_json(tmp_path):
    angles = squat_angles(2) + [170.0] * 10
    session(tmp_path, angles, save_video=str(tmp_path / "out.mp4"))
    spoken = json.loads((tmp_path / "out.json").read_text())["spoken"]
    sound = loudness(tmp_path / "out.mp4")
    video_samples = len(angles) / FPS * RATE_HZ
    assert video_samples <= len(sound) <= video_samples + 2 * 1024  # AAC pads to whole frames of 1024 samples
    for line in spoken:
        start = int(line["t_s"] * RATE_HZ)
        assert sound[start + 200: start + 1400].mean() > 5000, line  # the tone, after the codec's ramp-in
    first = int(spoken[0]["t_s"] * RATE_HZ)
    assert sound[: first - 400].mean() < 100  # silence before the first count


def test_fitness_run_voice_without_audio_says_so_once_and_records_the_counts(tmp_path, fake_stack, capsys,
                                                                             monkeypatch):
    from fitness import cli

    monkeypatch.setattr("fitness.voice.tts.EspeakSynth", ToneSynth)
    monkeypatch.setattr("fitness.voice.playback.find_player", lambda: None)
    angles = squat_angles(2) + [170.0] * 5
    fake_stack["poses"] = [pose(a) for a in angles]
    clip = write_clip(tmp_path / "clip.avi", len(angles))
    out = tmp_path / "out.json"
    code = cli.app(["run", "squats", "--video", str(clip), "--no-window", "--json", str(out), "--voice", "counts"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert err.count("no audio device") == 1
    assert [line["text"] for line in json.loads(out.read_text())["spoken"]] == ["1", "2"]
