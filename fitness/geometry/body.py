"""Body scale: the torso length, so distances can be expressed in body units (same numbers at 480p and 4K)."""

from __future__ import annotations

import numpy as np

from fitness.pose.types import Keypoint


def torso_length(xy: np.ndarray) -> float:
    """Mean shoulder-to-hip distance over the body sides that have both points; NaN when neither side does.

    xy: (17, 2) keypoints in pixels with NaN for missing ones.
    """
    xy = np.asarray(xy, dtype=np.float64)
    sides = (
        (Keypoint.LEFT_SHOULDER, Keypoint.LEFT_HIP),
        (Keypoint.RIGHT_SHOULDER, Keypoint.RIGHT_HIP),
    )
    lengths = [float(np.hypot(*(xy[s] - xy[h]))) for s, h in sides]
    lengths = [x for x in lengths if np.isfinite(x) and x > 0]
    return float(np.mean(lengths)) if lengths else float("nan")
