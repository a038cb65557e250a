"""Angles, inclinations and distances between keypoints, in image coordinates (x right, y down).

`angle`, `incline` and `distance` take numpy points of shape (..., 2) and broadcast. `angle_deg`, `incline_deg`
and `distance_px` are the same formulas on one set of points given as plain floats (x, y, ...), for per-frame
code where numpy's per-call overhead would dominate (the exercise expressions use them). A NaN coordinate
gives a NaN result (never 0), so a missing keypoint can never pass for a real angle.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

NAN = float("nan")
Point = Sequence[float]  # (x, y) or (x, y, score): only the first two numbers are read


def angle(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray | float:
    """The angle a-b-c at b, in degrees within [0, 180]. NaN when a point is missing or coincides with b."""
    a, b, c = (np.asarray(p, dtype=np.float64) for p in (a, b, c))
    u = a - b
    v = c - b
    cross = u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0]
    dot = np.sum(u * v, axis=-1)
    degenerate = (np.hypot(u[..., 0], u[..., 1]) == 0) | (np.hypot(v[..., 0], v[..., 1]) == 0)
    # atan2 of |cross| and dot is accurate near 0 and 180 degrees, where acos of a cosine is not.
    out = np.degrees(np.arctan2(np.abs(cross), dot))
    out = np.where(degenerate, np.nan, out)
    return float(out) if out.ndim == 0 else out


def incline(a: np.ndarray, b: np.ndarray) -> np.ndarray | float:
    """Angle of the segment a->b from the vertical, in degrees within [0, 180].

    0 when b is straight above a (a standing torso from hip to shoulder), 90 when horizontal,
    180 when b is straight below a. Direction-aware in the vertical, mirror-invariant in x.
    """
    a, b = (np.asarray(p, dtype=np.float64) for p in (a, b))
    d = b - a
    # Image y grows downward, so "up" is -y.
    out = np.degrees(np.arctan2(np.abs(d[..., 0]), -d[..., 1]))
    out = np.where((d[..., 0] == 0) & (d[..., 1] == 0), np.nan, out)
    return float(out) if out.ndim == 0 else out


def distance(a: np.ndarray, b: np.ndarray) -> np.ndarray | float:
    """Euclidean distance between points, in their unit (pixels, or torso lengths if pre-scaled)."""
    a, b = (np.asarray(p, dtype=np.float64) for p in (a, b))
    d = b - a
    out = np.hypot(d[..., 0], d[..., 1])
    return float(out) if out.ndim == 0 else out


def angle_deg(a: Point, b: Point, c: Point) -> float:
    """`angle` of one triple of points given as plain floats."""
    ux, uy, vx, vy = a[0] - b[0], a[1] - b[1], c[0] - b[0], c[1] - b[1]
    if (ux == 0 and uy == 0) or (vx == 0 and vy == 0):
        return NAN
    return math.degrees(math.atan2(abs(ux * vy - uy * vx), ux * vx + uy * vy))


def incline_deg(a: Point, b: Point) -> float:
    """`incline` of one pair of points given as plain floats."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == 0 and dy == 0:
        return NAN
    return math.degrees(math.atan2(abs(dx), -dy))


def distance_px(a: Point, b: Point) -> float:
    """`distance` of one pair of points given as plain floats."""
    return math.hypot(b[0] - a[0], b[1] - a[1])
