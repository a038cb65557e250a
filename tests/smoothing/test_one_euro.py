"""OneEuroFilter: properties of the math (hull, constants, steps, scale) and its handling of time and gaps."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fitness.errors import InputError
from fitness.smoothing import OneEuroFilter

coord = st.floats(-1e4, 1e4, allow_nan=False)
step_s = st.floats(1e-3, 0.5)
params = st.fixed_dictionaries(
    {"min_cutoff_hz": st.floats(0.05, 20), "beta": st.floats(0, 50), "d_cutoff_hz": st.floats(0.05, 20)}
)


@st.composite
def tracks(draw, n_points=3):
    """(times (m,), points (m, n_points, 2)) with strictly increasing times."""
    m = draw(st.integers(1, 40))
    dts = draw(st.lists(step_s, min_size=m, max_size=m))
    frame = st.lists(st.tuples(coord, coord), min_size=n_points, max_size=n_points)
    pts = draw(st.lists(frame, min_size=m, max_size=m))
    return np.cumsum(dts), np.array(pts, dtype=np.float64)


def run(f: OneEuroFilter, times, pts, scale=1.0):
    return np.array([f.apply(x, t, scale) for t, x in zip(times, pts)])


# 32 directions: a point whose projection on each is within the inputs' range is (up to this
# discretisation) inside their convex hull; an exact convex combination always passes.
_ANGLES = np.linspace(0, 2 * np.pi, 32, endpoint=False)
_DIRECTIONS = np.stack([np.cos(_ANGLES), np.sin(_ANGLES)], axis=1)


@settings(max_examples=60, deadline=None)
@given(tracks(), params, st.floats(1e-2, 1e3))
def test_output_stays_in_the_convex_hull_of_the_inputs(track, p, scale):
    times, pts = track
    out = run(OneEuroFilter(**p), times, pts, scale)
    assert np.all(np.isfinite(out))
    for i in range(len(times)):
        seen = pts[: i + 1]  # (i+1, n, 2)
        proj_seen = np.einsum("mnd,kd->mnk", seen, _DIRECTIONS)
        proj_out = np.einsum("nd,kd->nk", out[i], _DIRECTIONS)
        tol = 1e-9 * (1 + np.abs(proj_seen).max())
        assert np.all(proj_out <= proj_seen.max(axis=0) + tol)
        assert np.all(proj_out >= proj_seen.min(axis=0) - tol)


@given(st.lists(step_s, min_size=1, max_size=30), st.tuples(coord, coord), params)
def test_a_constant_input_is_returned_unchanged(dts, point, p):
    times = np.cumsum(dts)
    pts = np.broadcast_to(np.array(point), (len(times), 1, 2))
    out = run(OneEuroFilter(**p), times, pts)
    assert np.array_equal(out, pts)


@settings(deadline=None, max_examples=50)
@given(
    # min_cutoff_hz from 0.5 Hz: lower ones need minutes of samples to settle.
    st.fixed_dictionaries(
        {"min_cutoff_hz": st.floats(0.5, 20), "beta": st.floats(0, 50), "d_cutoff_hz": st.floats(0.05, 20)}
    ),
    st.floats(5, 60),
    st.floats(1, 1e3),
)
def test_a_step_converges_monotonically(p, fps, height):
    f = OneEuroFilter(**p)
    f.apply(np.zeros((1, 2)), 0.0)
    # Slowest possible decay is the min cutoff's time constant; 20 of them shrink the rest below 1e-8.
    duration = 20 / (2 * math.pi * p["min_cutoff_hz"]) + 1.0
    times = np.arange(1, int(duration * fps) + 2) / fps
    out = run(f, times, np.broadcast_to([[height, -height]], (len(times), 1, 2)))[:, 0, 0]
    assert np.all(np.diff(out) >= 0) and np.all(out <= height)
    assert out[-1] == pytest.approx(height, rel=1e-6)


@given(tracks(n_points=2), params, st.floats(0.01, 100))
def test_scaling_points_and_scale_together_scales_the_output(track, p, k):
    """Why one parameter set suits 480p and 4K: pixels x k with scale x k give exactly output x k."""
    times, pts = track
    a = run(OneEuroFilter(**p), times, pts, scale=2.0)
    b = run(OneEuroFilter(**p), times, pts * k, scale=2.0 * k)
    assert np.allclose(b, a * k, rtol=1e-9, atol=1e-9 * k * (1 + np.abs(pts).max()))


def test_a_repeated_timestamp_returns_the_previous_output():
    f = OneEuroFilter()
    f.apply(np.zeros((2, 2)), 0.0)
    first = f.apply(np.ones((2, 2)), 0.1)
    again = f.apply(np.full((2, 2), 50.0), 0.1)
    assert np.array_equal(again, first)
    # ...and the duplicate did not enter the state: the next real frame continues from `first`.
    nxt = f.apply(np.ones((2, 2)), 0.2)
    assert np.all(np.isfinite(nxt)) and np.all(nxt <= 1.0) and np.all(nxt >= first)


def test_time_going_backwards_restarts_from_the_new_sample():
    f = OneEuroFilter()
    for i in range(5):
        f.apply(np.full((1, 2), float(i)), i * 0.1)
    out = f.apply(np.full((1, 2), 100.0), 0.05)
    assert np.array_equal(out, [[100.0, 100.0]])


def test_a_missing_point_gives_nan_and_keeps_its_own_clock():
    f = OneEuroFilter()
    f.apply(np.zeros((2, 2)), 0.0)
    out = f.apply(np.array([[np.nan, np.nan], [1.0, 1.0]]), 0.1)
    assert np.all(np.isnan(out[0])) and np.all(np.isfinite(out[1]))
    # Point 0 comes back after 0.5 s: its step is judged over 0.5 s, like a reference filter that
    # only ever saw the samples at 0 and 0.5 s.
    back = f.apply(np.array([[1.0, 1.0], [1.0, 1.0]]), 0.5)
    ref = OneEuroFilter()
    ref.apply(np.zeros((1, 2)), 0.0)
    assert np.allclose(back[0], ref.apply(np.ones((1, 2)), 0.5)[0])


def test_reset_with_a_mask_restarts_only_those_points():
    f = OneEuroFilter()
    f.apply(np.zeros((2, 2)), 0.0)
    f.reset(np.array([True, False]))
    out = f.apply(np.full((2, 2), 10.0), 0.1)
    assert np.array_equal(out[0], [10.0, 10.0])
    assert np.all(out[1] < 10.0)


@pytest.mark.parametrize(
    "kwargs", [{"min_cutoff_hz": 0}, {"min_cutoff_hz": float("nan")}, {"beta": -1}, {"d_cutoff_hz": -2.0}]
)
def test_bad_parameters_are_refused(kwargs):
    with pytest.raises(InputError):
        OneEuroFilter(**kwargs)


@pytest.mark.parametrize(
    "x, t, scale",
    [
        (np.zeros(3), 0.0, 1.0),
        (np.zeros((2, 2)), float("nan"), 1.0),
        (np.zeros((2, 2)), 0.0, 0.0),
        (np.zeros((2, 2)), 0.0, float("inf")),
    ],
)
def test_bad_samples_are_refused(x, t, scale):
    with pytest.raises(InputError):
        OneEuroFilter().apply(x, t, scale)


def test_a_change_of_shape_is_refused_until_reset():
    f = OneEuroFilter()
    f.apply(np.zeros((2, 2)), 0.0)
    with pytest.raises(InputError, match="reset"):
        f.apply(np.zeros((3, 2)), 0.1)
    f.reset()
    assert f.apply(np.zeros((3, 2)), 0.2).shape == (3, 2)


@settings(max_examples=30)
@given(st.sampled_from([15.0, 30.0, 60.0]))
def test_the_result_depends_on_time_not_on_the_frame_rate(fps):
    """A slow ramp filtered at any frame rate settles to the same small lag behind the input."""
    times = np.arange(1, int(3 * fps) + 1) / fps
    pts = np.stack([times * 0.2, np.zeros_like(times)], axis=1)[:, None, :]
    out = run(OneEuroFilter(min_cutoff_hz=1.0, beta=0.0), times, pts)
    lag_s = (pts[-1, 0, 0] - out[-1, 0, 0]) / 0.2
    # A first-order low-pass with cutoff fc trails a ramp by its time constant 1 / (2 pi fc), up to
    # the discretisation error of a few percent of one frame.
    assert lag_s == pytest.approx(1 / (2 * math.pi), abs=0.6 / fps)
