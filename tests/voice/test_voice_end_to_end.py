"""`fitness run --voice` on a rendered squat video with the real model, espeak-ng and ffmpeg: the count is said at
each rep and the saved video carries the speech."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.model,
    pytest.mark.skipif(not (shutil.which("espeak-ng") and shutil.which("ffprobe")),
                       reason="needs espeak-ng and ffmpeg"),
]

REPS = 3
# The count is said on the frame the engine counts the rep; its tempo times the rep from lockout to lockout,
# which may fall a few frames either side of that.
COUNT_WITHIN_S = 0.5


def test_counts_are_spoken_at_each_rep_and_the_saved_video_has_the_speech(tmp_path, capsys):
    from fitness import cli

    clip, out, video = tmp_path / "squats.mp4", tmp_path / "out.json", tmp_path / "annotated.mp4"
    assert cli.app(["render", "squats", "--reps", str(REPS), "--out", str(clip), "--size", "320x240"]) == 0
    code = cli.app(["run", "squats", "--video", str(clip), "--no-window", "--no-history", "--voice", "--json", str(out),
                    "--save-video", str(video)])
    assert code == 0, capsys.readouterr().err
    doc = json.loads(out.read_text())
    counts = [line for line in doc["spoken"] if line["text"].isdigit()]
    assert [line["text"] for line in counts] == [str(i + 1) for i in range(REPS)]
    counted = [rep for rep in doc["rep_details"] if rep["counted"]]
    for line, rep in zip(counts, counted):
        assert abs(line["t_s"] - rep["end_t"]) < COUNT_WITHIN_S, (line, rep)
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type", "-of", "json", str(video)],
                           capture_output=True, text=True, check=True)
    assert sorted(s["codec_type"] for s in json.loads(probe.stdout)["streams"]) == ["audio", "video"]
