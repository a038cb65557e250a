"""Body scale: the torso length, so distances can be expressed in body units (same numbers at 480p and 4K)."""

from __future__ import annotations

import numpy as np

from fitness.pose.types import Keypoint

# A standing adult is about three torso lengths tall (shoulder-hip ~ 0.3 of the height); used to turn
# the extent of the visible keypoints into a torso-sized scale when no shoulder-hip pair is visible.
BODY_EXTENT_TORSOS = 3.0

_TORSO_SIDES = (
    (Keypoint.LEFT_SHOULDER, Keypoint.LEFT_HIP),
    (Keypoint.RIGHT_SHOULDER, Keypoint.RIGHT_HIP),
)


def torso_length(xy: np.ndarray) -> float:
    """Mean shoulder-to-hip distance over the body sides that have both points; NaN when neither side does.

    xy: (17, 2) keypoints in pixels with NaN for missing ones.
    """
    xy = np.asarray(xy, dtype=np.float64)
    lengths = [float(np.hypot(*(xy[s] - xy[h]))) for s, h in _TORSO_SIDES]
    lengths = [x for x in lengths if np.isfinite(x) and x > 0]
    return float(np.mean(lengths)) if lengths else float("nan")


def body_scale(xy: np.ndarray) -> float:
    """A torso-sized length for scale-free coordinates: the torso length, else a guess from the body extent.

    xy: (17, 2) keypoints with NaN for missing ones. When no shoulder-hip pair is visible, the larger
    side of the bounding box of the visible keypoints divided by BODY_EXTENT_TORSOS stands in (a
    rough guess, good enough to set the speed scale of a filter). NaN when fewer than two keypoints
    are visible or they coincide.
    """
    torso = torso_length(xy)
    if np.isfinite(torso):
        return torso
    xy = np.asarray(xy, dtype=np.float64)
    pts = xy[np.all(np.isfinite(xy), axis=1)]
    if len(pts) < 2:
        return float("nan")
    extent = float(np.max(pts.max(axis=0) - pts.min(axis=0)))
    return extent / BODY_EXTENT_TORSOS if extent > 0 else float("nan")
