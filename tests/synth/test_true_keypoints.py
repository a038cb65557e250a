"""Definitions run on the renderer's true keypoints (no model): squats counted with the camera anywhere from
knee to head height (a chest-high camera facing the athlete sees the thighs point at it, which the rep signal
must survive), and half reps reported as no-reps rather than as nothing."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from fitness.exercise import ExerciseMachine, load_exercise
from fitness.pose.types import Pose
from fitness.synth import RenderSpec, plan_clip
from fitness.synth.keypoints import keypoints_of


def count_true_keypoints(spec: RenderSpec, height_m: float | None = None,
                         distance_m: float | None = None) -> tuple[int, int, int, int]:
    """(reps, no-reps) the machine counts on the clip's true keypoints, and truth's; the camera's height and
    distance may be changed from the clip's own."""
    clip = plan_clip(spec)
    cam = clip.scene.camera
    cam = dataclasses.replace(cam, height_m=height_m or cam.height_m, distance_m=distance_m or cam.distance_m)
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


@pytest.mark.parametrize("exercise,view", [("squats", "side"), ("squats", "front"), ("jumping_jacks", "front")])
@pytest.mark.parametrize("seed", [21, 22])
def test_half_reps_are_no_reps(exercise, view, seed):
    """The renderer's half squat (knee ~120 deg) and half jack (arms and feet 45% of the way) leave the rest
    position far enough to become no-reps with a reason, not silence."""
    spec = RenderSpec(exercise, 5, view=view, partial=[3], seed=seed)
    reps, no_reps, true_reps, true_partials = count_true_keypoints(spec)
    assert (reps, no_reps) == (true_reps, true_partials)
