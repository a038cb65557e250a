"""The colour of what a person wears over their torso: a cue of who is who that their keypoints do not give (two
people alike in size who cross, one box over two people whose torso is the one in front). Sampled on a grid inside
the shoulders-hips quadrilateral, away from its edges (the background beside a side-on torso, the arms along it);
each channel's median of the samples (an arm across the torso covers a minority of them), given as chromaticity
(blue and green shares of the colour) and brightness, which change less with shading than the colour itself."""

from __future__ import annotations

import numpy as np

from fitness.pose.types import Keypoint, Pose

# Shoulders and hips this confident place the torso.
TORSO_MIN_SCORE = 0.3
# The grid: across the torso from one side's share to the other's, down from the shoulders' line to the hips'.
ACROSS = np.linspace(0.3, 0.7, 4)
DOWN = np.linspace(0.2, 0.65, 4)
# Brightness gaps count this much against chromaticity gaps (log ratio against share units), and a dark colour's
# brightness this many grey levels steadier (noise in the shadows).
BRIGHTNESS_WEIGHT = 0.3
DARK_LEVELS = 8.0

_CORNERS = [Keypoint.LEFT_SHOULDER, Keypoint.RIGHT_SHOULDER, Keypoint.LEFT_HIP, Keypoint.RIGHT_HIP]


def torso_colour(image: np.ndarray, pose: Pose) -> tuple[float, float, float] | None:
    """(blue share, green share, level: the mean of the three channels) of the torso's samples' median colour in a
    BGR image whose pixels the pose is in; None where the shoulders or hips are unsure."""
    if np.any(pose.score[_CORNERS] < TORSO_MIN_SCORE) or not np.isfinite(pose.xy[_CORNERS]).all():
        return None
    ls, rs, lh, rh = (pose.xy[k].astype(np.float64) for k in _CORNERS)
    u = ACROSS[None, :, None]
    v = DOWN[:, None, None]
    points = (1 - v) * ((1 - u) * ls + u * rs) + v * ((1 - u) * lh + u * rh)
    h, w = image.shape[:2]
    x = np.clip(np.rint(points[..., 0]), 0, w - 1).astype(np.intp).ravel()
    y = np.clip(np.rint(points[..., 1]), 0, h - 1).astype(np.intp).ravel()
    bgr = np.median(image[y, x].reshape(-1, 3).astype(np.float64), axis=0)
    total = float(bgr.sum())
    if total <= 0:
        return (1 / 3, 1 / 3, 0.0)
    return (float(bgr[0]) / total, float(bgr[1]) / total, total / 3)


def colour_gap(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """How unlike two torso colours are: chromaticity gap plus BRIGHTNESS_WEIGHT times the log brightness ratio."""
    chroma = abs(a[0] - b[0]) + abs(a[1] - b[1])
    return chroma + BRIGHTNESS_WEIGHT * abs(float(np.log((a[2] + DARK_LEVELS) / (b[2] + DARK_LEVELS))))
