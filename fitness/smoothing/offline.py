"""Zero-lag smoothing of a whole recording (video files, when no live feedback is needed).

Each keypoint's x and y are smoothed with a Savitzky-Golay filter: a local polynomial fitted around
every sample, looking both backward and forward in time, so turning points (the bottom of a squat)
keep their depth and there is no lag. Smoothing never crosses a gap where the keypoint was missing.
"""

from __future__ import annotations

import math
import statistics

import numpy as np

from fitness.errors import InputError
from fitness.pose.types import NUM_KEYPOINTS, Pose
from fitness.smoothing.savgol import savgol_smooth
from fitness.smoothing.smoother import DEFAULT_MIN_SCORE

# Length of the local fit in seconds. Longer = smoother but flattens fast turns. With a cubic, 0.5 s
# keeps a 1 Hz rep's depth while the knee-angle jitter drops 1.7x at 15 fps, 2.5x at 30 fps and 3.4x
# at 60 fps (benchmarks/bench_smoothing.py). Lower it for faster movements (jumping jacks at 2 Hz: 0.3 s).
DEFAULT_WINDOW_S = 0.5
# Degree of the local polynomial: 3 follows turning points (the bottom of a rep) better than 2 for
# the same window, at the same noise reduction at the window's centre.
DEFAULT_POLYORDER = 3
# Samples further apart than this break a track into separate segments (a dropped stretch of video).
DEFAULT_MAX_GAP_S = 0.25
# Timestamps whose steps differ from the median step by less than this fraction count as even.
EVEN_TOLERANCE = 0.01


def smooth_offline(
    poses: list[Pose | None],
    *,
    window_s: float = DEFAULT_WINDOW_S,
    polyorder: int = DEFAULT_POLYORDER,
    min_score: float = DEFAULT_MIN_SCORE,
    max_gap_s: float = DEFAULT_MAX_GAP_S,
) -> list[Pose | None]:
    """Smooth a recording's poses without lag: one Pose (or None when nobody was seen) per frame.

    A keypoint is used where its score >= min_score and its position is finite; elsewhere it comes
    back NaN (its score unchanged). Its trusted samples form segments, broken by a frame without it
    (or without a pose) and by a time step > max_gap_s; each segment is smoothed on its own, on an
    even time grid (unevenly spaced frames are resampled to the median step and back). Segments too
    short for a polynomial fit are returned as they are. Times must increase.
    """
    if not (math.isfinite(window_s) and window_s > 0):
        raise InputError(f"smooth_offline window_s must be > 0 seconds, got {window_s!r}; try {DEFAULT_WINDOW_S}")
    if not (isinstance(polyorder, int) and 0 <= polyorder <= 5):
        raise InputError(f"smooth_offline polyorder must be an integer 0..5, got {polyorder!r}; try 2")
    present = [i for i, p in enumerate(poses) if p is not None]
    for i in present:
        if not isinstance(poses[i], Pose):
            raise InputError(f"smooth_offline expects Pose or None per frame, got {type(poses[i]).__name__} at {i}")
    if not present:
        return list(poses)
    t = np.array([poses[i].t for i in present], dtype=np.float64)
    if not np.all(np.isfinite(t)) or np.any(np.diff(t) <= 0):
        raise InputError("smooth_offline needs strictly increasing, finite pose times; sort the frames by time")

    xy = np.stack([poses[i].xy for i in present]).astype(np.float64)  # (n, 17, 2)
    score = np.stack([poses[i].score for i in present])  # (n, 17)
    ok = (score >= min_score) & np.isfinite(xy).all(axis=2)  # Pose.visible of each
    # Neighbours in the list are neighbours in time only if no None frame lies between them.
    adjacent = np.diff(np.array(present)) == 1
    close = np.diff(t) <= max_gap_s
    out = np.full_like(xy, np.nan)
    linked = ok[:-1] & ok[1:] & (adjacent & close)[:, None]  # (n - 1, 17)
    # Keypoints whose tracks break at the same frames (most of them, most of the time) are smoothed together.
    keypoints_of: dict[tuple[int, int], list[int]] = {}
    for k in range(NUM_KEYPOINTS):
        for segment in _segments(ok[:, k], linked[:, k]):
            keypoints_of.setdefault(segment, []).append(k)
    for (start, stop), keypoints in keypoints_of.items():
        out[start:stop, keypoints] = _smooth_segment(t[start:stop], xy[start:stop, keypoints], window_s, polyorder)

    result: list[Pose | None] = list(poses)
    out32 = out.astype(np.float32)  # what each Pose keeps
    for row, i in enumerate(present):
        result[i] = poses[i].replace(xy=out32[row])
    return result


def _segments(ok: np.ndarray, linked: np.ndarray) -> list[tuple[int, int]]:
    """[start, stop) runs of samples where ok holds and each sample is linked to the next."""
    # A run starts at an ok sample not linked from the one before, and stops after one not linked to the next.
    after = np.zeros(ok.size, dtype=bool)
    after[:-1] = linked
    before = np.zeros(ok.size, dtype=bool)
    before[1:] = linked
    starts = np.flatnonzero(ok & ~before)
    stops = np.flatnonzero(ok & ~after) + 1
    return list(zip(starts.tolist(), stops.tolist()))


def _smooth_segment(t: np.ndarray, xy: np.ndarray, window_s: float, polyorder: int) -> np.ndarray:
    """Savitzky-Golay smoothing of keypoints' (m, ..., 2) positions sampled at times t (m,)."""
    m = t.size
    if m <= polyorder + 1:
        return xy
    steps = np.diff(t)
    dt = float(statistics.median(steps.tolist()))  # np.median would import numpy.ma (~25 ms) on first use
    even = np.all(np.abs(steps - dt) <= EVEN_TOLERANCE * dt)
    if even:
        grid, values = t, xy
    else:
        # An even grid from the first to the last time exactly, with a step close to the median.
        grid = np.linspace(t[0], t[-1], int(round((t[-1] - t[0]) / dt)) + 1)
        dt = float(grid[1] - grid[0])
        values = _resampled(grid, t, xy)
    window = min(window_samples(window_s, dt), _odd_at_most(len(grid)))
    if window <= polyorder:
        return xy
    smoothed = savgol_smooth(values, window, polyorder)
    if even:
        return smoothed
    return _resampled(t, grid, smoothed)


def _resampled(at: np.ndarray, t: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Each of `values`' (m, ...) tracks, sampled at times t (m,), linearly interpolated at the times `at`."""
    flat = values.reshape(len(t), -1)
    columns = [np.interp(at, t, flat[:, j]) for j in range(flat.shape[1])]
    return np.stack(columns, axis=1).reshape((len(at), *values.shape[1:]))


def window_samples(window_s: float, step_s: float) -> int:
    """The samples of a `window_s` window at a step of `step_s` (before a short segment shortens it): odd."""
    return _odd(window_s / step_s)


def _odd(samples: float) -> int:
    """The odd number of samples nearest to `samples` (at least 1)."""
    n = max(1, int(round(samples)))
    return n if n % 2 else n + 1


def _odd_at_most(n: int) -> int:
    return n if n % 2 else n - 1
