"""Body scale: the torso length, so distances can be expressed in body units (same numbers at 480p and 4K)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from fitness.geometry.angles import Point, distance_px
from fitness.pose.types import Keypoint

# A standing adult is about three torso lengths tall (shoulder-hip ~ 0.3 of the height); used to turn
# the extent of the visible keypoints into a torso-sized scale when no shoulder-hip pair is visible.
BODY_EXTENT_TORSOS = 3.0

HIPS = (int(Keypoint.LEFT_HIP), int(Keypoint.RIGHT_HIP))
TORSO_SIDES = (
    (int(Keypoint.LEFT_SHOULDER), int(Keypoint.LEFT_HIP)),
    (int(Keypoint.RIGHT_SHOULDER), int(Keypoint.RIGHT_HIP)),
)


def torso_px(points: Sequence[Point]) -> float:
    """Mean shoulder-to-hip distance over the body sides that have both points; NaN when neither side does.

    points: the 17 keypoints as plain floats (x, y, ...), NaN for missing ones (the per-frame form).
    """
    total, sides = 0.0, 0
    for s, h in TORSO_SIDES:
        d = distance_px(points[s], points[h])
        if 0.0 < d < math.inf:
            total += d
            sides += 1
    return total / sides if sides else math.nan


def hip_centre(points: Sequence[Point]) -> tuple[float, float]:
    """Where the body is: the midpoint of the hips (the one hip seen when only one is); NaN when neither is.

    points: the 17 keypoints as plain floats (x, y, ...), NaN for missing ones (the per-frame form).
    """
    seen = [points[i] for i in HIPS if points[i][0] == points[i][0] and points[i][1] == points[i][1]]
    if not seen:
        return math.nan, math.nan
    return sum(p[0] for p in seen) / len(seen), sum(p[1] for p in seen) / len(seen)


def torso_length(xy: np.ndarray) -> float:
    """`torso_px` of (17, 2) keypoints in pixels with NaN for missing ones."""
    return torso_px(np.asarray(xy, dtype=np.float64).tolist())


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
