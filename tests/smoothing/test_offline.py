"""smooth_offline: zero lag, no smoothing across gaps, uneven frame times, None frames."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fitness.errors import InputError
from fitness.pose.types import NUM_KEYPOINTS, Pose
from fitness.smoothing import smooth_offline

K = 9  # the keypoint the sequences below play with


def make(times, xy_of_t, score_of_i=lambda i: np.full(NUM_KEYPOINTS, 0.9)) -> list[Pose]:
    return [Pose(xy=xy_of_t(t), score=score_of_i(i), t=float(t)) for i, t in enumerate(times)]


def line(t):
    """Every keypoint moves on a straight line at constant speed: a polynomial the filter must keep."""
    return np.stack([100 + 50 * t + np.arange(NUM_KEYPOINTS), 200 - 30 * t + np.zeros(NUM_KEYPOINTS)], axis=1)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0.01, 0.1), min_size=5, max_size=60))
def test_linear_motion_comes_back_unchanged_even_with_uneven_frame_times(dts):
    """Zero lag: a Savitzky-Golay fit reproduces any motion up to its polynomial degree exactly."""
    times = np.cumsum(dts)
    out = smooth_offline(make(times, line))
    for p, t in zip(out, times):
        assert np.allclose(p.xy, line(t), atol=1e-2)


def test_noise_is_reduced_and_the_turning_point_kept():
    fps = 30
    times = np.arange(90) / fps
    rng = np.random.default_rng(1)
    truth = np.zeros((times.size, NUM_KEYPOINTS, 2))
    truth[:, :, 0] = 300.0
    truth[:, :, 1] = (200 + 80 * np.cos(2 * np.pi * times))[:, None]
    noisy = make(times, lambda t: truth[int(round(t * fps))] + rng.normal(0, 3, (NUM_KEYPOINTS, 2)))
    out = np.array([p.xy for p in smooth_offline(noisy)])
    raw = np.array([p.xy for p in noisy])
    assert np.std(out - truth) < 0.6 * np.std(raw - truth)
    # The deepest point (y = 120 at t = 0.5 s, 1.5 s) keeps its depth within a pixel.
    assert np.min(out[10:20, K, 1]) == pytest.approx(120.0, abs=1.5)


def test_missing_keypoints_are_nan_and_nothing_is_smoothed_across_the_gap():
    times = np.arange(40) / 30

    def xy(t):
        # The keypoint sits at 0 before the gap and at 100 after it: smoothing across would blend them.
        out = np.zeros((NUM_KEYPOINTS, 2))
        out[K] = 0.0 if t < 0.6 else 100.0
        return out

    def score(i):
        s = np.full(NUM_KEYPOINTS, 0.9)
        s[K] = 0.05 if 17 <= i <= 19 else 0.9
        return s

    out = smooth_offline(make(times, xy, score))
    ys = np.array([p.xy[K, 1] for p in out])
    assert np.all(np.isnan(ys[17:20]))
    assert np.allclose(ys[:17], 0.0) and np.allclose(ys[20:], 100.0)
    assert out[18].score[K] == pytest.approx(0.05), "the score is kept as it came"


def test_none_frames_stay_none_and_break_segments():
    times = np.arange(30) / 30
    poses: list[Pose | None] = make(times, lambda t: np.full((NUM_KEYPOINTS, 2), 0.0 if t < 0.5 else 50.0))
    poses[15] = None
    out = smooth_offline(poses)
    assert out[15] is None
    assert np.allclose(np.array([p.xy for p in out[:15]]), 0.0)
    assert np.allclose(np.array([p.xy for p in out[16:]]), 50.0)


def test_a_long_time_gap_breaks_a_segment():
    times = np.concatenate([np.arange(10) / 30, 5 + np.arange(10) / 30])
    out = smooth_offline(make(times, lambda t: np.full((NUM_KEYPOINTS, 2), 0.0 if t < 1 else 70.0)))
    assert np.allclose(np.array([p.xy for p in out[:10]]), 0.0)
    assert np.allclose(np.array([p.xy for p in out[10:]]), 70.0)


def test_a_segment_too_short_to_fit_is_kept_as_it_is():
    rng = np.random.default_rng(0)
    poses = make(np.arange(3) / 30, lambda t: rng.normal(size=(NUM_KEYPOINTS, 2)))
    out = smooth_offline(poses)
    for a, b in zip(poses, out):
        assert np.array_equal(a.xy, b.xy)


def test_empty_and_all_none_inputs():
    assert smooth_offline([]) == []
    assert smooth_offline([None, None]) == [None, None]


@pytest.mark.parametrize(
    "kwargs, match", [({"window_s": 0}, "window_s"), ({"polyorder": 9}, "polyorder"), ({"polyorder": 2.5}, "polyorder")]
)
def test_bad_parameters_are_refused(kwargs, match):
    with pytest.raises(InputError, match=match):
        smooth_offline(make([0.0, 0.1], line), **kwargs)


def test_times_must_increase():
    with pytest.raises(InputError, match="increasing"):
        smooth_offline(make([0.0, 0.2, 0.1], line))
    with pytest.raises(InputError, match="increasing"):
        smooth_offline(make([0.0, 0.1, 0.1], line))


def test_only_poses_are_accepted():
    with pytest.raises(InputError, match="Pose or None"):
        smooth_offline([np.zeros((17, 2))])


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 70), st.booleans(), st.floats(0.0, 0.6))
def test_each_keypoint_is_smoothed_as_if_it_were_the_only_one(seed, n, uneven, dropout):
    """Keypoints whose tracks break at the same frames are smoothed together: each still comes out exactly as it
    does when every other keypoint is missing (its own segments, window and resampling)."""
    rng = np.random.default_rng(seed)
    steps = np.full(n, 1 / 30) + (rng.uniform(0, 0.01, n) if uneven else 0.0)
    steps[rng.uniform(0, 1, n) < 0.05] = 0.3  # a gap that breaks every track
    times = np.cumsum(steps)
    xy = 300 + np.cumsum(rng.normal(0, 3, (n, NUM_KEYPOINTS, 2)), axis=0)
    score = np.where(rng.uniform(0, 1, (n, NUM_KEYPOINTS)) < dropout, 0.05, 0.9)
    poses = [None if rng.uniform() < 0.05 else Pose(xy=xy[i], score=score[i], t=float(t)) for i, t in enumerate(times)]
    together = smooth_offline(poses)
    for k in range(NUM_KEYPOINTS):
        alone_scores = np.zeros(NUM_KEYPOINTS, np.float32)
        alone = smooth_offline([None if p is None else p.replace(score=np.where(np.arange(NUM_KEYPOINTS) == k,
                                                                                  p.score, alone_scores))
                                for p in poses])
        for p, q in zip(together, alone):
            assert (p is None) == (q is None)
            if p is not None:
                np.testing.assert_array_equal(p.xy[k], q.xy[k])
