"""End to end, model included: `fitness run --video X --json out.json` with no exercise named, on two rendered
sets of different exercises one after the other, writes one set per exercise with its reps."""

from __future__ import annotations

import json

import cv2
import pytest

from fitness import cli
from fitness.session.summary_schema import check_summary
from fitness.synth import RenderSpec, render_video

pytestmark = [pytest.mark.slow, pytest.mark.model]

SETS = (("squats", "side", 3, 100001), ("push_ups", "side", 3, 100002))


def concatenate(clips, out) -> None:
    """The clips' frames one after the other in one MP4 (all rendered at the same size and rate)."""
    writer = None
    for clip in clips:
        video = cv2.VideoCapture(str(clip))
        fps = video.get(cv2.CAP_PROP_FPS)
        while True:
            ok, frame = video.read()
            if not ok:
                break
            if writer is None:
                height, width = frame.shape[:2]
                writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), fps, (width, height))
            writer.write(frame)
        video.release()
    writer.release()


@pytest.fixture(scope="module")
def workout_video(tmp_path_factory):
    folder = tmp_path_factory.mktemp("workout")
    clips = []
    for exercise, view, reps, seed in SETS:
        clip = folder / f"{exercise}.mp4"
        render_video(RenderSpec(exercise, reps, view=view, seed=seed), clip)
        clips.append(clip)
    out = folder / "workout.mp4"
    concatenate(clips, out)
    return out


def test_a_run_with_no_exercise_named_writes_one_set_per_exercise(workout_video, tmp_path, capsys):
    out = tmp_path / "out.json"
    assert cli.app(["run", "--video", str(workout_video), "--json", str(out), "--no-window", "--no-history"]) == 0
    doc = json.loads(out.read_text())
    check_summary(doc)
    assert doc["exercise"] == "workout"
    assert [(s["exercise"], s["reps"]) for s in doc["sets"]] == [(e, n) for e, _, n, _ in SETS]
    assert doc["reps"] == sum(n for _, _, n, _ in SETS)
    assert [r["exercise"] for r in doc["rep_details"]] == [e for e, _, n, _ in SETS for _ in range(n)]
    assert doc["sets"][1]["rest_before_s"] is not None
    assert all(len(s["rep_details"]) == s["reps"] + s["no_reps"] for s in doc["sets"])
