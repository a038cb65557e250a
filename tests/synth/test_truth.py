"""The truth file's per-rep phase times and camera height, checked against the motion itself (truth built
from the planned skeletons, without drawing frames)."""

from __future__ import annotations

import numpy as np
import pytest
from synth_planned import planned_truth

from fitness.synth import RenderSpec
from fitness.synth.motion import measure


@pytest.mark.parametrize("exercise,metric", [("squats", "knee_deg"), ("bicep_curls", "elbow_deg")])
@pytest.mark.parametrize("seed", [4, 5])
def test_phase_times_bracket_the_motion(exercise, metric, seed):
    spec = RenderSpec(exercise, 3, seed=seed, partial=[2], fps=30.0)
    clip, truth = planned_truth(spec)
    angle = np.array([measure(sk)[metric] for sk in clip.skeletons])
    rest = angle[0]
    for rep in truth["rep_list"]:
        start, turn, back, end = (rep[k] for k in ("start_s", "turn_s", "back_s", "end_s"))
        assert 0 < start < turn <= back < end < truth["frames"] / spec.fps
        assert rep["start_frame"] == round(start * spec.fps) and rep["end_frame"] == round(end * spec.fps)
        frame = lambda t: int(np.floor(t * spec.fps))  # noqa: E731
        # At rest just before the rep starts, held at the turnaround, moving in between.
        assert angle[frame(start) - 1] == pytest.approx(rest, abs=1e-6)
        held = angle[frame(turn) + 1: frame(back) + 1]
        np.testing.assert_allclose(held, rep["turn_angles"][metric], atol=0.06)
        assert abs(angle[frame((start + turn) / 2)] - rest) > 5
        assert abs(angle[frame((back + end) / 2)] - rest) > 5
    assert all(a["end_s"] <= b["start_s"] for a, b in zip(truth["rep_list"], truth["rep_list"][1:]))


def test_phase_times_are_rounded_to_a_millisecond():
    _, truth = planned_truth(RenderSpec("lunges", 2, seed=1))
    for rep in truth["rep_list"]:
        for key in ("start_s", "turn_s", "back_s", "end_s"):
            assert rep[key] == round(rep[key], 3)


@pytest.mark.parametrize("exercise,low,high", [("squats", 0.85, 1.25), ("push_ups", 0.45, 0.8)])
def test_truth_has_the_camera_height(exercise, low, high):
    clip, truth = planned_truth(RenderSpec(exercise, 1, seed=6))
    assert truth["camera_height_m"] == round(clip.scene.camera.height_m, 3)
    assert low <= truth["camera_height_m"] <= high
