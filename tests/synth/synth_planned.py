"""Test helpers on planned clips, without rendering whole frames (fast): the truth, the athlete's framing."""

from __future__ import annotations

import numpy as np

from fitness.synth import RenderSpec, plan_clip
from fitness.synth.draw import draw_athlete
from fitness.synth.keypoints import keypoints_of
from fitness.synth.render import Clip, truth_of


def planned_truth(spec: RenderSpec) -> tuple[Clip, dict]:
    """(clip, truth) with the true keypoints but without drawing (every keypoint marked visible)."""
    clip = plan_clip(spec)
    kps = [keypoints_of(sk, clip.scene.body, clip.scene.camera) for sk in clip.skeletons]
    return clip, truth_of(clip, kps, [np.ones(17, bool)] * clip.frames)


def athlete_margin_px(spec: RenderSpec, every: int = 4) -> int:
    """The smallest gap (px) between the drawn athlete and the frame's edges over the clip (every `every` frames)."""
    clip = plan_clip(spec)
    w, h = spec.size
    gap = min(w, h)
    for sk in clip.skeletons[::every]:
        ids = np.zeros((h, w), np.uint8)
        draw_athlete(np.zeros((h, w, 3), np.uint8), ids, clip.scene, sk, np.zeros(2))
        ys, xs = np.nonzero(ids)
        gap = min(gap, xs.min(), ys.min(), w - 1 - xs.max(), h - 1 - ys.max())
    return int(gap)
