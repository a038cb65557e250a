"""Rendering: deterministic per seed, truth consistent with the motion script, keypoints in the frame,
visibility that follows occlusion, and clear errors for impossible specs."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from fitness.errors import UsageError
from fitness.synth import RenderSpec, plan_clip, render_frames, render_video
from fitness.synth.motion import SCRIPTS
from fitness.synth.render import truth_of

SMALL = (320, 240)


def _render(spec: RenderSpec):
    clip = plan_clip(spec)
    frames, kps, vis = zip(*render_frames(clip))
    return clip, np.stack(frames), np.stack(kps), np.stack(vis)


def test_same_seed_same_frames_and_truth():
    spec = RenderSpec("squats", 2, seed=7, size=SMALL, faults={1: ["chest_up"]}, noise_std=2.0, shake_px=3.0)
    c1, f1, k1, v1 = _render(spec)
    c2, f2, k2, v2 = _render(spec)
    assert np.array_equal(f1, f2) and np.array_equal(k1, k2) and np.array_equal(v1, v2)
    assert truth_of(c1, list(k1), list(v1)) == truth_of(c2, list(k2), list(v2))
    _, f3, _, _ = _render(RenderSpec("squats", 2, seed=8, size=SMALL, faults={1: ["chest_up"]}))
    assert f3.shape != f1.shape or not np.array_equal(f3, f1)


@pytest.mark.parametrize("exercise,view", [(e, v) for e, s in SCRIPTS.items() for v in s.render_views])
def test_truth_matches_the_script(exercise, view):
    script = SCRIPTS[exercise]
    reps = 4 if script.hold else 3
    faults = {1: [script.faults[0]]}
    partial = [] if script.hold else [2]
    spec = RenderSpec(exercise, reps, view=view, seed=3, size=SMALL, faults=faults, partial=partial)
    clip = plan_clip(spec)
    frames = list(render_frames(clip))
    truth = truth_of(clip, [f[1] for f in frames], [f[2] for f in frames])
    assert truth["frames"] == len(frames) == len(truth["keypoints"]) == len(truth["visible"])
    assert truth["view"] == view and truth["size"] == list(SMALL)
    if view == "oblique":  # every exercise can be filmed turned 35-55 deg from square on
        assert 35 <= abs(clip.scene.camera.azimuth_deg) <= 55
    if script.hold:
        assert truth["reps"] == 0 and truth["hold_s"] == reps
    else:
        assert truth["reps"] == 2 and truth["no_reps"] == 1
        assert [r["partial"] for r in truth["rep_list"]] == [False, True, False]
    assert truth["rep_list"][0]["faults"] == [script.faults[0]]
    ends = [(r["start_frame"], r["end_frame"]) for r in truth["rep_list"]]
    assert all(0 < a < b < truth["frames"] for a, b in ends)  # idle lead-in and lead-out
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(ends, ends[1:]))
    kp = np.asarray(truth["keypoints"])
    assert (kp[..., 0] >= 0).all() and (kp[..., 0] < SMALL[0]).all()
    assert (kp[..., 1] >= 0).all() and (kp[..., 1] < SMALL[1]).all()
    if exercise == "lunges":
        assert [r["side"] for r in truth["rep_list"]] == ["left", "right", "left"]


def test_side_view_hides_the_far_side_and_front_view_shows_both():
    _, _, _, vis = _render(RenderSpec("squats", 1, view="side", seed=1, size=SMALL))
    names = ("ear", "shoulder", "hip")
    left = [5, 11, 3]
    right = [6, 12, 4]
    near_seen = max(vis[:, left].mean(), vis[:, right].mean())
    far_seen = min(vis[:, left].mean(), vis[:, right].mean())
    assert near_seen > 0.95 and far_seen < 0.2, names
    _, _, _, vis = _render(RenderSpec("squats", 1, view="front", seed=1, size=SMALL))
    assert vis[:, 5:].mean() > 0.95  # front: every body joint visible


def test_render_video_writes_a_readable_mp4_and_truth(tmp_path):
    out = tmp_path / "clip.mp4"
    truth = render_video(RenderSpec("push_ups", 1, seed=2, size=SMALL), out)
    saved = json.loads((tmp_path / "clip.truth.json").read_text())
    assert saved == json.loads(json.dumps(truth))
    cap = cv2.VideoCapture(str(out))
    n = 0
    while cap.read()[0]:
        n += 1
    assert n == truth["frames"]
    assert cap.get(cv2.CAP_PROP_FRAME_WIDTH) == SMALL[0]


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"exercise": "squatz"}, "expected one of squats"),
        ({"view": "front", "exercise": "sit_ups"}, "side view"),
        ({"faults": {1: ["hip_sag"]}}, "expected one of chest_up, knees_cave"),
        ({"faults": {9: ["chest_up"]}}, "outside 1..3"),
        ({"partial": [0]}, "outside 1..3"),
        ({"reps": 0}, "between 1 and"),
        ({"fps": 1.0}, "fps"),
        ({"size": (10, 10)}, "size"),
        ({"exercise": "plank", "partial": [1]}, "hold"),
    ],
)
def test_bad_specs_are_refused_with_the_valid_choices(kwargs, message):
    args = {"exercise": "squats", "reps": 3, **kwargs}
    with pytest.raises(UsageError, match=message):
        RenderSpec(**args)


def test_output_must_be_mp4(tmp_path):
    with pytest.raises(UsageError, match=".mp4"):
        render_video(RenderSpec("squats", 1, size=SMALL), tmp_path / "clip.avi")
