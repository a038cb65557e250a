"""Squats counted from the renderer's true keypoints (no model) with the camera anywhere from knee to head
height: a chest-high camera facing the athlete sees the thighs point at it, which the rep signal must survive."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from fitness.exercise import ExerciseMachine, load_exercise
from fitness.pose.types import Pose
from fitness.synth import RenderSpec, plan_clip
from fitness.synth.render import keypoints_of


def count_true_keypoints(spec: RenderSpec, height_m: float, distance_m: float) -> tuple[int, int, int, int]:
    """(reps, no-reps) the machine counts on the clip's true keypoints filmed from this camera, and truth's."""
    clip = plan_clip(spec)
    cam = dataclasses.replace(clip.scene.camera, height_m=height_m, distance_m=distance_m)
    machine = ExerciseMachine(load_exercise(spec.exercise))
    score = np.full(17, 0.9, dtype=np.float32)
    for i, sk in enumerate(clip.skeletons):
        t = i / spec.fps
        machine.update(Pose(keypoints_of(sk, clip.scene.body, cam).astype(np.float32), score, t), t)
    final = machine.finish(len(clip.skeletons) / spec.fps)
    partial = set(spec.partial)
    return final.reps, final.no_reps, spec.reps - len(partial), len(partial)


@pytest.mark.parametrize("view", ["front", "side"])
@pytest.mark.parametrize("height_m,distance_m", [(0.45, 4.5), (0.9, 3.0), (1.25, 4.0), (1.6, 5.0)])
@pytest.mark.parametrize("seed", [11, 12])
def test_squats_count_from_any_camera_height(view, height_m, distance_m, seed):
    spec = RenderSpec("squats", 5, view=view, partial=[3], seed=seed)
    reps, no_reps, true_reps, true_partials = count_true_keypoints(spec, height_m, distance_m)
    assert reps == true_reps, f"{reps} reps counted, {true_reps} done"
    assert no_reps <= true_partials  # a half squat is never a rep; whether it shows as a no-rep may vary
