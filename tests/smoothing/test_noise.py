"""The noise acceptance test: a squat with jitter of 3% of the torso, smoothed live and offline.

How the acceptance of issue #4 ("smoothed angle RMS error at least 2x lower than raw, with lag at 1 Hz
motion under 100 ms, live mode") is read, as decided by the lead: two separate measurements on the
1 Hz squat at 30 fps in live mode (One Euro defaults) - (a) the RMS error of the smoothed knee angle
once the lag is removed (the truth delayed by the lag that cross-correlation finds) must be at least
2x lower than the raw angle's, and (b) that lag must be under 100 ms. The plain RMS error including
the lag cannot be halved by any causal filter at 1 Hz (docs/smoothing.md). Alongside, live smoothing
must halve a held pose's error, keep each rep's depth within 2 degrees and keep at least 90% of the
range of motion of a 2 Hz rep, so rep thresholds are still reached. Offline (zero lag) smoothing must
halve the plain RMS error. (a) is NOT met by the One Euro filter at 30 fps under any parameters of the
grid search in docs/smoothing.md (best 1.74x with seed 0), so it is a strict xfail: it turns into a
failure, to be promoted, the day a filter meets it.

The fixed-lag smoother (`--smoothing fixedlag`) removes more jitter than One Euro (lag-removed error
1.81-2.29x lower than raw over seeds 0-5, against 1.45-1.75x) for a fixed lag of 67 ms, but it does not
reach 2x robustly either (seed 2: 1.81x), so "live" stays One Euro; its own figures are tested below.

The numbers are printed by benchmarks/bench_smoothing.py. The live tests run two noise draws (seeds 0
and 1) so the defaults are not fitted to one; each threshold is the acceptance figure, and the
comments give the values measured with the defaults.
"""

from __future__ import annotations

import numpy as np
import pytest

from fitness.smoothing import FixedLagSmoother, OneEuroSmoother, smooth_offline
from fitness.smoothing.benchmark import Score, score, squat_track

SEEDS = (0, 1)


def live(track, smoother_class=OneEuroSmoother) -> np.ndarray:
    sm = smoother_class()
    return np.array([sm.apply(p).xy for p in track.poses()])


def offline(track) -> np.ndarray:
    return np.array([p.xy for p in smooth_offline(track.poses())])


def raw_and_live(smoother_class=OneEuroSmoother, **track_args) -> tuple[Score, Score]:
    track = squat_track(fps=30.0, duration_s=8.0, **track_args)
    return score(track, track.noisy), score(track, live(track, smoother_class))


@pytest.fixture(scope="module", params=SEEDS, ids=lambda seed: f"seed{seed}")
def fast_squat(request) -> tuple[Score, Score]:
    """Raw and live scores of a 1 Hz squat, knee 90..170 degrees, 30 fps, jitter 3% of the torso."""
    return raw_and_live(seed=request.param)


def test_live_lag_at_1hz_is_under_100ms(fast_squat):
    _, s = fast_squat
    assert 0 < s.lag_ms < 100  # measured 25 / 24 ms (seeds 0 / 1)


@pytest.mark.xfail(
    strict=True,
    reason="One Euro cannot halve the lag-removed error at 1 Hz and 30 fps: best 1.74x (seed 0) in the grid "
    "search (docs/smoothing.md, 'What live smoothing can and cannot do')",
)
def test_live_halves_the_lag_removed_error_of_1hz_motion(fast_squat):
    raw, s = fast_squat
    assert s.jitter_deg < raw.jitter_deg / 2  # measured 1.61x / 1.75x


def test_live_cuts_the_lag_removed_error_of_1hz_motion(fast_squat):
    """What the filter does reach, as a guard against regressions until (a) is met."""
    raw, s = fast_squat
    assert s.jitter_deg < raw.jitter_deg / 1.5  # measured 1.61x / 1.75x


def test_live_keeps_the_depth_of_each_rep(fast_squat):
    """The engine compares each rep's lowest knee angle with a threshold: smoothing must not flatten it."""
    _, s = fast_squat
    assert abs(s.bottom_deg) < 2.0  # measured -0.2 / -0.2 deg (raw: -3.8 / -3.9, too deep from the noise)


@pytest.mark.parametrize("seed", SEEDS)
def test_live_keeps_the_range_of_a_2hz_rep(seed):
    """Fast reps (2 Hz, knee 90..170): each rep's range of motion must survive, so thresholds are reached."""
    _, s = raw_and_live(freq_hz=2.0, seed=seed)
    assert s.range_ratio >= 0.9  # measured 0.94 / 0.94 (raw: 1.04, noise widens it)


@pytest.mark.parametrize("seed", SEEDS)
def test_live_halves_the_error_of_a_held_pose(seed):
    raw, s = raw_and_live(top_deg=120.0, bottom_deg=120.0, seed=seed)
    assert s.rms_deg < raw.rms_deg / 2  # measured 2.45x / 2.40x


def test_offline_halves_the_rms_error_of_1hz_motion_without_lag():
    track = squat_track(fps=30.0, duration_s=8.0, seed=0)
    raw = score(track, track.noisy)
    s = score(track, offline(track))
    assert s.rms_deg < raw.rms_deg / 2  # measured 1.63 vs 4.07 deg: 2.5x
    assert abs(s.lag_ms) < 1000 / 30 / 2  # within half a frame


# The fixed-lag smoother, held to the same requirements, and to what it reaches beyond One Euro.


@pytest.fixture(scope="module", params=SEEDS, ids=lambda seed: f"seed{seed}")
def fixed_lag_squat(request) -> tuple[Score, Score, Score]:
    """Raw, fixed-lag and One Euro scores of the 1 Hz squat (30 fps, jitter 3% of the torso)."""
    raw, fixed = raw_and_live(FixedLagSmoother, seed=request.param)
    return raw, fixed, raw_and_live(seed=request.param)[1]


def test_fixed_lag_lag_at_1hz_is_under_100ms(fixed_lag_squat):
    _, s, _ = fixed_lag_squat
    assert 0 < s.lag_ms < 100  # measured 68 / 67 ms (seeds 0 / 1): its lag_s of 67 ms


def test_fixed_lag_removes_more_jitter_than_one_euro(fixed_lag_squat):
    raw, s, one_euro = fixed_lag_squat
    assert s.jitter_deg < one_euro.jitter_deg  # measured 1.94 / 1.87 vs 2.53 / 2.34 deg
    # A guard below its worst over seeds 0-5 (1.81x); measured 2.10x / 2.19x for seeds 0 / 1.
    assert s.jitter_deg < raw.jitter_deg / 1.75


def test_fixed_lag_keeps_the_depth_of_each_rep(fixed_lag_squat):
    _, s, _ = fixed_lag_squat
    assert abs(s.bottom_deg) < 2.0  # measured -1.3 / -0.7 deg


@pytest.mark.parametrize("seed", SEEDS)
def test_fixed_lag_keeps_the_range_of_a_2hz_rep(seed):
    _, s = raw_and_live(FixedLagSmoother, freq_hz=2.0, seed=seed)
    assert s.range_ratio >= 0.9  # measured 0.91 / 0.93


@pytest.mark.parametrize("seed", SEEDS)
def test_fixed_lag_halves_the_error_of_a_held_pose(seed):
    raw, s = raw_and_live(FixedLagSmoother, top_deg=120.0, bottom_deg=120.0, seed=seed)
    assert s.rms_deg < raw.rms_deg / 2  # measured 2.46x / 2.38x
