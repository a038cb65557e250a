"""End to end, model included: `fitness run --video X --json out.json` with no exercise named, on two rendered
sets of different exercises one after the other, writes one set per exercise with its reps (a plank: its seconds)."""

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


PLANK_S = 10  # the rendered plank's hold (its athlete is in position a little before and after it too)


@pytest.fixture(scope="module")
def squats_then_plank(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hold")
    clips = [folder / "squats.mp4", folder / "plank.mp4"]
    render_video(RenderSpec("squats", 3, view="side", seed=201001), clips[0])
    render_video(RenderSpec("plank", PLANK_S, view="side", seed=201002), clips[1])
    out = folder / "workout.mp4"
    concatenate(clips, out)
    return out


def test_a_plank_after_squats_is_a_set_with_its_seconds(squats_then_plank, tmp_path):
    out = tmp_path / "out.json"
    assert cli.app(["run", "--video", str(squats_then_plank), "--json", str(out), "--no-window", "--no-history"]) == 0
    doc = json.loads(out.read_text())
    check_summary(doc)
    assert [(s["exercise"], s["reps"]) for s in doc["sets"]] == [("squats", 3), ("plank", 0)]
    squats, plank = doc["sets"]
    assert squats["hold_s"] is None and PLANK_S - 1.0 <= plank["hold_s"] <= PLANK_S + 2.5
    assert plank["start_s"] >= squats["end_s"] and plank["rest_before_s"] is not None

