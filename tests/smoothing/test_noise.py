"""The noise acceptance test: a 1 Hz squat with jitter of 3% of the torso, smoothed live and offline.

The numbers are printed by benchmarks/bench_smoothing.py. Each threshold below sits under the measured
value with a margin (measured with seed 0, given in the comments), so the tests fail if the defaults or
the filter get worse, not when the random jitter changes a little.

Why the live test does not ask for a 2x lower plain RMS during 1 Hz motion: the knee sweeps 80 degrees
per half second there (up to 250 deg/s), so every 10 ms of delay costs ~1.8 degrees RMS, against ~4
degrees of raw jitter. No causal filter can halve the plain error of such a motion: even an optimally
tuned constant-acceleration Kalman filter on the angle itself reaches only 1.24x at 30 fps (see
docs/smoothing.md). So live smoothing is judged on what it can do: halve the jitter of a held pose,
cut the jitter during fast motion, and stay well under 100 ms of lag. Offline (zero lag) smoothing
must halve the plain RMS error of the 1 Hz motion.
"""

from __future__ import annotations

import numpy as np
import pytest

from fitness.smoothing import OneEuroSmoother, smooth_offline
from fitness.smoothing.synthetic import score, squat_track


def live(track) -> np.ndarray:
    sm = OneEuroSmoother()
    return np.array([sm.apply(p).xy for p in track.poses()])


def offline(track) -> np.ndarray:
    return np.array([p.xy for p in smooth_offline(track.poses())])


@pytest.fixture(scope="module")
def fast_squat():
    """1 Hz, knee 90..170 degrees, 30 fps, jitter 3% of the torso on every coordinate."""
    return squat_track(fps=30.0, duration_s=8.0, seed=0)


def test_live_lag_at_1hz_is_under_100ms(fast_squat):
    s = score(fast_squat, live(fast_squat))
    assert 0 < s.lag_ms < 100  # measured 35 ms


def test_live_cuts_the_jitter_of_1hz_motion(fast_squat):
    raw = score(fast_squat, fast_squat.noisy)
    s = score(fast_squat, live(fast_squat))
    assert s.jitter_deg < raw.jitter_deg / 1.5  # measured 2.37 vs 4.07 deg: 1.72x


def test_live_halves_the_error_of_a_held_pose():
    held = squat_track(fps=30.0, duration_s=8.0, top_deg=120.0, bottom_deg=120.0, seed=0)
    raw = score(held, held.noisy)
    s = score(held, live(held))
    assert s.rms_deg < raw.rms_deg / 2  # measured 2.6x


def test_offline_halves_the_rms_error_of_1hz_motion_without_lag(fast_squat):
    raw = score(fast_squat, fast_squat.noisy)
    s = score(fast_squat, offline(fast_squat))
    assert s.rms_deg < raw.rms_deg / 2  # measured 1.63 vs 4.07 deg: 2.5x
    assert abs(s.lag_ms) < 1000 / 30 / 2  # within half a frame


def test_live_keeps_the_depth_of_each_rep(fast_squat):
    """The engine compares each rep's lowest knee angle with a threshold: smoothing must not flatten it."""
    s = score(fast_squat, live(fast_squat))
    assert abs(s.bottom_deg) < 2.0  # measured +0.5 deg (raw: -3.6, too deep from the noise)
