"""Hypothesis properties of the geometry: ranges, symmetries, invariances, and NaN in -> NaN out."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from fitness.geometry import angle, body_scale, distance, incline, torso_length
from fitness.pose.types import NUM_KEYPOINTS, Keypoint

coord = st.floats(-1e3, 1e3, allow_nan=False)
point = st.tuples(coord, coord).map(np.array)
# Points far enough apart that the angle is well conditioned (float error stays tiny).
MIN_SEG = 1e-2


def rotation(theta: float) -> np.ndarray:
    c, s = math.cos(theta), math.sin(theta)
    return np.array([[c, -s], [s, c]])


def well_formed(a, b, c) -> bool:
    return distance(a, b) > MIN_SEG and distance(c, b) > MIN_SEG


def close_deg(x: float, y: float, tol: float = 1e-6) -> bool:
    return abs(x - y) <= tol


@given(point, point, point)
def test_angle_is_within_0_and_180(a, b, c):
    value = angle(a, b, c)
    assert math.isnan(value) or 0.0 <= value <= 180.0
    if well_formed(a, b, c):
        assert not math.isnan(value)


@given(point, point, point)
def test_angle_is_symmetric_in_a_and_c(a, b, c):
    assume(well_formed(a, b, c))
    assert close_deg(angle(a, b, c), angle(c, b, a))


@given(point, point, point, point, st.floats(0, 2 * math.pi), st.floats(1e-2, 1e2))
def test_angle_is_invariant_to_translation_rotation_and_uniform_scale(a, b, c, shift, theta, k):
    assume(well_formed(a, b, c))
    r = rotation(theta)
    moved = [k * (r @ p) + shift for p in (a, b, c)]
    # Moving the points changes their coordinates by float rounding; near-degenerate angles (tiny
    # segments far from the origin) amplify that, so the tolerance follows the conditioning.
    tol = 1e-6 + 1e-9 * (1 + np.abs(np.concatenate([a, b, c, shift])).max()) / min(distance(a, b), distance(c, b)) * 180
    assert close_deg(angle(*moved), angle(a, b, c), tol)


@given(point, point, point)
def test_angle_is_invariant_to_mirroring(a, b, c):
    assume(well_formed(a, b, c))
    mirror = np.array([-1.0, 1.0])
    assert close_deg(angle(a * mirror, b * mirror, c * mirror), angle(a, b, c))


@given(point, point)
def test_incline_is_within_0_and_180_and_invariant_to_mirroring_in_x(a, b):
    value = incline(a, b)
    assert math.isnan(value) or 0.0 <= value <= 180.0
    mirror = np.array([-1.0, 1.0])
    mirrored = incline(a * mirror, b * mirror)
    assert (math.isnan(value) and math.isnan(mirrored)) or close_deg(mirrored, value)


@given(point, point, point, st.floats(1e-2, 1e2))
def test_incline_is_invariant_to_translation_and_scale(a, b, shift, k):
    assume(distance(a, b) > MIN_SEG)
    tol = 1e-6 + 1e-9 * (1 + np.abs(np.concatenate([a, b, shift])).max()) / distance(a, b) * 180
    assert close_deg(incline(k * a + shift, k * b + shift), incline(a, b), tol)


@given(point, point)
def test_incline_reversed_is_the_supplement(a, b):
    assume(distance(a, b) > MIN_SEG)
    assert close_deg(incline(a, b) + incline(b, a), 180.0, 1e-6)


@given(point, point, point)
def test_distance_is_a_metric(a, b, c):
    assert distance(a, b) == distance(b, a) >= 0
    assert distance(a, a) == 0
    assert distance(a, c) <= distance(a, b) + distance(b, c) + 1e-9 * (1 + distance(a, b) + distance(b, c))


@given(point, point, point, st.integers(0, 2), st.integers(0, 1))
def test_nan_in_gives_nan_out_never_zero(a, b, c, which, axis):
    pts = [a.copy(), b.copy(), c.copy()]
    pts[which][axis] = np.nan
    assert math.isnan(angle(*pts))
    assert math.isnan(incline(pts[which], pts[(which + 1) % 3]))
    assert math.isnan(distance(pts[which], pts[(which + 1) % 3]))


def test_functions_broadcast_over_frames():
    a = np.array([[1.0, 0.0], [np.nan, 0.0]])
    b = np.zeros((2, 2))
    c = np.array([[0.0, 1.0], [0.0, 1.0]])
    out = angle(a, b, c)
    assert out.shape == (2,) and out[0] == pytest.approx(90.0) and math.isnan(out[1])


@st.composite
def bodies(draw):
    """(17, 2) keypoints of a body with a torso on both sides, placed and sized at random. (A side whose shoulder
    and hip coincide is left out of the torso length; one a sub-pixel apart would make that rounding-sensitive.)"""
    xy = np.array(draw(st.lists(st.tuples(coord, coord), min_size=NUM_KEYPOINTS, max_size=NUM_KEYPOINTS)))
    assume(np.hypot(*(xy[Keypoint.LEFT_SHOULDER] - xy[Keypoint.LEFT_HIP])) > 1.0)
    assume(np.hypot(*(xy[Keypoint.RIGHT_SHOULDER] - xy[Keypoint.RIGHT_HIP])) > 1.0)
    return xy


@given(bodies(), point, st.floats(0, 2 * math.pi), st.floats(1e-2, 1e2))
def test_body_scale_follows_uniform_scale_and_ignores_placement(xy, shift, theta, k):
    moved = k * xy @ rotation(theta).T + shift
    assert body_scale(moved) == pytest.approx(k * body_scale(xy), rel=1e-6)
    assert body_scale(xy) == torso_length(xy)


def test_body_scale_without_a_torso_guesses_from_the_extent():
    xy = np.full((NUM_KEYPOINTS, 2), np.nan)
    xy[Keypoint.LEFT_KNEE] = [0.0, 0.0]
    xy[Keypoint.LEFT_ANKLE] = [0.0, 90.0]
    assert math.isnan(torso_length(xy))
    assert body_scale(xy) == pytest.approx(30.0)  # a 90 px extent is ~3 torso lengths


def test_body_scale_is_nan_with_fewer_than_two_points():
    xy = np.full((NUM_KEYPOINTS, 2), np.nan)
    assert math.isnan(body_scale(xy))
    xy[0] = [5.0, 5.0]
    assert math.isnan(body_scale(xy))
    xy[1] = [5.0, 5.0]
    assert math.isnan(body_scale(xy)), "two coincident points have no extent"
