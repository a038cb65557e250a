"""Push-ups filmed end-on: a phone on the floor in front of the hands, the athlete facing it, the whole
athlete in the frame, perspective strong (near limbs thicker), and visibility that follows it."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from synth_planned import athlete_margin_px

from fitness.pose.types import KEYPOINT_NAMES
from fitness.synth import RenderSpec, plan_clip, render_frames
from fitness.synth.camera import END_ON_AZIMUTH_DEG, END_ON_CLEARANCE_M, END_ON_HEIGHT_M
from fitness.synth.draw import PART_IDS, draw_athlete

TINY = (160, 120)


@pytest.mark.parametrize("seed", range(6))
def test_the_camera_lies_on_the_floor_in_front_of_the_head(seed):
    clip = plan_clip(RenderSpec("push_ups", 2, view="front", seed=seed, size=TINY))
    cam = clip.scene.camera
    assert END_ON_HEIGHT_M[0] <= cam.height_m <= END_ON_HEIGHT_M[1]
    assert abs(cam.azimuth_deg) <= END_ON_AZIMUTH_DEG
    nearest = min(float(cam.project(np.stack(list(sk.points.values())))[1].min()) for sk in clip.skeletons)
    assert nearest >= END_ON_CLEARANCE_M[0]  # the head, at its nearest, is still this far from the lens
    # The athlete faces the camera: the head is nearer than the feet, the shoulders nearer than the hips.
    sk = clip.skeletons[0]
    depth = dict(zip(sk.points, cam.project(np.stack(list(sk.points.values())))[1]))
    assert depth["head"] < depth["left_shoulder"] < depth["left_hip"] < depth["left_ankle"]


@pytest.mark.parametrize("seed", [0, 3, 11])
def test_the_end_on_athlete_is_fully_in_frame(seed):
    assert athlete_margin_px(RenderSpec("push_ups", 2, view="front", seed=seed, size=TINY)) >= 2


def test_end_on_visibility_and_the_shoulders_dropping_towards_the_camera():
    spec = RenderSpec("push_ups", 1, view="front", seed=2, size=TINY)
    clip = plan_clip(spec)
    frames = list(render_frames(clip))
    kp = np.stack([f[1] for f in frames])
    vis = np.stack([f[2] for f in frames]).mean(axis=0)
    seen = dict(zip(KEYPOINT_NAMES, vis))
    for name in ("shoulder", "elbow", "wrist", "eye"):
        assert seen[f"left_{name}"] > 0.9 and seen[f"right_{name}"] > 0.9, name  # both arms face the camera
    assert seen["left_hip"] < 0.2 and seen["right_hip"] < 0.2  # behind the chest
    rep = clip.plans[0]
    bottom = int((rep.turn_s + rep.back_s) / 2 * spec.fps)
    sh = [KEYPOINT_NAMES.index("left_shoulder"), KEYPOINT_NAMES.index("right_shoulder")]
    torso_px = np.ptp(kp[0, :, 1])
    assert kp[bottom, sh, 1].mean() - kp[0, sh, 1].mean() > 0.15 * torso_px  # the shoulders come down


def test_near_limbs_are_drawn_thicker_and_far_ones_thinner_end_on():
    clip = plan_clip(RenderSpec("push_ups", 1, view="front", seed=1, size=(320, 240)))
    assert clip.scene.perspective_radii and not plan_clip(RenderSpec("push_ups", 1, seed=1)).scene.perspective_radii

    def areas(scene) -> tuple[int, int]:
        ids = np.zeros((240, 320), np.uint8)
        draw_athlete(np.zeros((240, 320, 3), np.uint8), ids, scene, clip.skeletons[0], np.zeros(2))
        return int((ids == PART_IDS["left_forearm"]).sum()), int((ids == PART_IDS["left_shank"]).sum())

    forearm, shank = areas(clip.scene)
    flat_forearm, flat_shank = areas(dataclasses.replace(clip.scene, perspective_radii=False))
    assert forearm > 1.15 * flat_forearm and shank < 0.85 * flat_shank
