"""Test helper: a clip's truth from its planned skeletons, without drawing frames (fast)."""

from __future__ import annotations

import numpy as np

from fitness.synth import RenderSpec, plan_clip
from fitness.synth.keypoints import keypoints_of
from fitness.synth.render import Clip, truth_of


def planned_truth(spec: RenderSpec) -> tuple[Clip, dict]:
    """(clip, truth) with the true keypoints but without drawing (every keypoint marked visible)."""
    clip = plan_clip(spec)
    kps = [keypoints_of(sk, clip.scene.body, clip.scene.camera) for sk in clip.skeletons]
    return clip, truth_of(clip, kps, [np.ones(17, bool)] * clip.frames)
