"""FixedLagFilter: exactness on polynomial motion with uneven times, the start-up fallback, time and gaps."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fitness.errors import InputError
from fitness.smoothing import FixedLagFilter

step_s = st.floats(0.005, 0.1)


def cubic(t: np.ndarray) -> np.ndarray:
    """Two points moving along cubics in time, shape (len(t), 2, 2), in pixels."""
    t = np.asarray(t, dtype=np.float64)
    x0 = 100 + 40 * t - 30 * t**2 + 8 * t**3
    y0 = 50 - 10 * t + 5 * t**3
    return np.stack([np.stack([x0, y0], -1), np.stack([2 * y0, -x0], -1)], axis=1)


def run(f: FixedLagFilter, times, pts) -> np.ndarray:
    return np.array([f.apply(x, t) for t, x in zip(times, pts)])


@settings(max_examples=40, deadline=None)
@given(st.lists(step_s, min_size=25, max_size=60), st.floats(0.0, 0.15), st.floats(0.0, 20.0))
def test_cubic_motion_comes_out_exactly_lag_s_late_even_with_uneven_frame_times(dts, lag_s, t0):
    """A cubic fit reproduces cubic motion: once the window holds enough samples, the output at t is
    the true position at t - lag_s, whatever the frame times."""
    times = t0 + np.cumsum(dts)
    f = FixedLagFilter(window_s=0.5, lag_s=lag_s, order=3)
    out = run(f, times, cubic(times))
    settled = times - times[0] >= 0.5
    assert np.allclose(out[settled], cubic(times[settled] - lag_s), atol=1e-6)


@given(st.lists(step_s, min_size=1, max_size=30), st.integers(0, 5))
def test_no_nan_and_no_extrapolation_back_in_time_at_the_start(dts, order):
    """Before the samples span the lag, the read-out is clamped to the oldest sample; the first sample
    comes back unchanged, and nothing is NaN."""
    times = np.cumsum(dts)
    pts = cubic(times)
    out = run(FixedLagFilter(lag_s=0.1, order=order), times, pts)
    assert np.all(np.isfinite(out))
    assert np.allclose(out[0], pts[0])


def test_a_repeated_timestamp_returns_the_previous_output():
    f = FixedLagFilter()
    f.apply(np.zeros((2, 2)), 0.0)
    first = f.apply(np.ones((2, 2)), 0.1)
    assert np.array_equal(f.apply(np.full((2, 2), 50.0), 0.1), first)
    # ...and the duplicate did not enter the window: the data so far are 0 and 1, never 50.
    assert np.all(f.apply(np.ones((2, 2)), 0.2) <= 1.5)


def test_time_going_backwards_restarts_from_the_new_sample():
    f = FixedLagFilter()
    for i in range(5):
        f.apply(np.full((1, 2), float(i)), i * 0.1)
    assert np.array_equal(f.apply(np.full((1, 2), 100.0), 0.05), [[100.0, 100.0]])


def test_a_missing_point_gives_nan_and_keeps_its_window():
    f = FixedLagFilter(window_s=0.5, lag_s=0.0, order=1)
    f.apply(np.zeros((2, 2)), 0.0)
    out = f.apply(np.array([[np.nan, np.nan], [1.0, 1.0]]), 0.1)
    assert np.all(np.isnan(out[0])) and np.all(np.isfinite(out[1]))
    # Back at 0.2 s on the line through (0, 0) and (0.2, 2): its sample at 0 s still counts.
    back = f.apply(np.array([[2.0, 2.0], [1.0, 1.0]]), 0.2)
    assert np.allclose(back[0], [2.0, 2.0])


def test_old_samples_leave_the_window():
    f = FixedLagFilter(window_s=0.3, lag_s=0.0, order=0)
    f.apply(np.full((1, 2), 100.0), 0.0)
    f.apply(np.zeros((1, 2)), 0.2)
    assert np.allclose(f.apply(np.zeros((1, 2)), 0.4), 0.0)  # the sample at 0 s is 0.4 s old: gone


def test_reset_with_a_mask_restarts_only_those_points():
    f = FixedLagFilter(lag_s=0.0, order=0)
    f.apply(np.zeros((2, 2)), 0.0)
    f.reset(np.array([True, False]))
    out = f.apply(np.full((2, 2), 10.0), 0.1)
    assert np.array_equal(out[0], [10.0, 10.0])
    assert np.allclose(out[1], [5.0, 5.0])  # the mean of 0 and 10


def test_scaling_the_points_scales_the_output():
    times = np.arange(30) / 30
    pts = cubic(times) + np.random.default_rng(0).normal(0, 3, (30, 2, 2))
    a = run(FixedLagFilter(), times, pts)
    b = run(FixedLagFilter(), times, pts * 6.0)
    assert np.allclose(b, a * 6.0)


@pytest.mark.parametrize(
    "kwargs",
    [{"window_s": 0}, {"window_s": float("nan")}, {"lag_s": -0.1}, {"lag_s": 0.5}, {"order": 2.5}, {"order": 6}],
)
def test_bad_parameters_are_refused(kwargs):
    with pytest.raises(InputError):
        FixedLagFilter(**kwargs)


@pytest.mark.parametrize(
    "x, t, scale",
    [(np.zeros(3), 0.0, 1.0), (np.zeros((2, 2)), float("nan"), 1.0), (np.zeros((2, 2)), 0.0, 0.0)],
)
def test_bad_samples_are_refused(x, t, scale):
    with pytest.raises(InputError):
        FixedLagFilter().apply(x, t, scale)


def test_a_change_of_shape_is_refused_until_reset():
    f = FixedLagFilter()
    f.apply(np.zeros((2, 2)), 0.0)
    with pytest.raises(InputError, match="reset"):
        f.apply(np.zeros((3, 2)), 0.1)
    f.reset()
    assert f.apply(np.zeros((3, 2)), 0.2).shape == (3, 2)


@given(st.lists(st.floats(0.002, 0.2), min_size=2, max_size=12), st.integers(0, 2**32 - 1))
def test_bunched_samples_never_swing_the_output_far_from_them(dts, seed):
    """A few samples close together in time make the cubic fit ill-conditioned; the read-out stays within the
    samples' range widened by that range on each side."""
    times = np.cumsum(dts)
    xs = 300.0 + np.random.default_rng(seed).normal(0, 5, (len(times), 1, 2))
    f = FixedLagFilter(order=3)
    for k, t in enumerate(times):
        out = f.apply(xs[k], float(t))
        window = xs[: k + 1][times[: k + 1] >= t - f.window_s - 1e-3]  # the samples the filter still holds
        lo, hi = window.min(axis=0), window.max(axis=0)
        assert np.all(out >= 2 * lo - hi - 1e-9) and np.all(out <= 2 * hi - lo + 1e-9)
