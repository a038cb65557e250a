"""The plain-float kernels the per-frame code uses give the numpy functions' numbers."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from fitness.geometry.body import HIPS, TORSO_SIDES, hip_centre, torso_length, torso_px
from fitness.pose.types import NUM_KEYPOINTS, Keypoint

coord = st.one_of(st.floats(-1e4, 1e4), st.just(math.nan))


@given(st.lists(st.tuples(coord, coord), min_size=NUM_KEYPOINTS, max_size=NUM_KEYPOINTS))
def test_torso_px_is_the_mean_shoulder_hip_distance_of_the_sides_that_have_one(points):
    xy = np.array(points, dtype=np.float64)
    lengths = [float(np.hypot(*(xy[s] - xy[h]))) for s, h in TORSO_SIDES]
    lengths = [d for d in lengths if np.isfinite(d) and d > 0]
    got = torso_px([(x, y, 0.9) for x, y in points])
    if lengths:
        assert math.isclose(got, sum(lengths) / len(lengths), rel_tol=1e-12) and got == torso_length(xy)
    else:
        assert math.isnan(got) and math.isnan(torso_length(xy))


def test_torso_px_averages_the_sides_that_have_a_torso():
    points = [(math.nan, math.nan)] * NUM_KEYPOINTS
    points[Keypoint.LEFT_SHOULDER], points[Keypoint.LEFT_HIP] = (0.0, 0.0), (0.0, 30.0)
    assert torso_px(points) == 30.0
    points[Keypoint.RIGHT_SHOULDER], points[Keypoint.RIGHT_HIP] = (5.0, 0.0), (5.0, 50.0)
    assert torso_px(points) == 40.0
    points[Keypoint.RIGHT_HIP] = (math.inf, 50.0)  # an infinite side is no torso
    assert torso_px(points) == 30.0
    assert [tuple(map(int, pair)) for pair in TORSO_SIDES] == [(5, 11), (6, 12)]


@given(st.lists(st.tuples(coord, coord), min_size=NUM_KEYPOINTS, max_size=NUM_KEYPOINTS))
def test_hip_centre_is_the_mean_of_the_hips_seen(points):
    seen = [points[i] for i in HIPS if not (math.isnan(points[i][0]) or math.isnan(points[i][1]))]
    x, y = hip_centre([(px, py, 0.9) for px, py in points])
    if not seen:
        assert math.isnan(x) and math.isnan(y)
    else:
        assert math.isclose(x, sum(p[0] for p in seen) / len(seen), abs_tol=1e-9)
        assert math.isclose(y, sum(p[1] for p in seen) / len(seen), abs_tol=1e-9)
    assert [int(i) for i in HIPS] == [int(Keypoint.LEFT_HIP), int(Keypoint.RIGHT_HIP)]
