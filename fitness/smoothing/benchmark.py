"""The smoothing benchmark: a knee-angle trajectory with keypoint noise, and the scores of a smoother (RMS
error, jitter, lag).

A signal generator, not a body model (that is the synthetic athlete, `fitness.synth`): a two-segment leg
and an upright torso (thigh = shin = torso) placed so the left knee angle is exactly a known cosine. The far
side sits a few pixels behind the near one, and the face and arms ride rigidly on the shoulder, so every
keypoint is there. Shared by the noise acceptance test (tests/smoothing/test_noise.py) and
benchmarks/bench_smoothing.py, so both measure exactly the same thing: the figures of docs/smoothing.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fitness.geometry import angle
from fitness.pose.types import NUM_KEYPOINTS, Keypoint, Pose

# Segment lengths in torso lengths (adult proportions: thigh and shin are each about a torso long).
_THIGH_TORSO = 1.0
_SHIN_TORSO = 1.0


@dataclass(frozen=True)
class SquatTrack:
    """A clean trajectory and its noisy observation.

    t: (n,) seconds; knee_deg: (n,) the true knee angle; clean / noisy: (n, 17, 2) pixel keypoints;
    period_s: one rep (1 / freq_hz).
    """

    t: np.ndarray
    knee_deg: np.ndarray
    clean: np.ndarray
    noisy: np.ndarray
    frame_size: tuple[int, int]
    period_s: float

    def poses(self, score: float = 0.9) -> list[Pose]:
        scores = np.full(NUM_KEYPOINTS, score, dtype=np.float32)
        return [
            Pose(xy=xy, score=scores, t=float(t), frame_size=self.frame_size) for t, xy in zip(self.t, self.noisy)
        ]


def squat_track(
    fps: float = 30.0,
    duration_s: float = 8.0,
    *,
    freq_hz: float = 1.0,
    top_deg: float = 170.0,
    bottom_deg: float = 90.0,
    torso_px: float = 120.0,
    jitter_torso: float = 0.03,
    seed: int = 0,
    frame_size: tuple[int, int] = (640, 480),
) -> SquatTrack:
    """A side-view squat: knee angle = a cosine between top_deg and bottom_deg at freq_hz.

    The ankle stays put, shin and thigh lean symmetrically (hips go back as the knees go forward), the
    torso stays upright. Gaussian jitter with a standard deviation of jitter_torso torso lengths is
    added to every coordinate of every keypoint independently (3% is the figure of the issue's
    acceptance test; MoveNet's real jitter is of this kind, its size depends on the video).
    """
    t = np.arange(int(round(duration_s * fps))) / fps
    mid, amp = (top_deg + bottom_deg) / 2, (top_deg - bottom_deg) / 2
    knee_deg = mid + amp * np.cos(2 * np.pi * freq_hz * t)
    lean = np.radians((180.0 - knee_deg) / 2)  # shin forward and thigh backward by the same amount

    ankle = np.stack([np.full_like(t, frame_size[0] * 0.5), np.full_like(t, frame_size[1] * 0.92)], axis=1)
    knee = ankle + _SHIN_TORSO * torso_px * np.stack([np.sin(lean), -np.cos(lean)], axis=1)
    hip = knee + _THIGH_TORSO * torso_px * np.stack([-np.sin(lean), -np.cos(lean)], axis=1)
    shoulder = hip + torso_px * np.array([0.0, -1.0])
    clean = np.zeros((t.size, NUM_KEYPOINTS, 2))
    # Side view: the far side is a few pixels behind the near side.
    behind = np.array([-0.05 * torso_px, 0.0])
    for left, right, point in (
        (Keypoint.LEFT_ANKLE, Keypoint.RIGHT_ANKLE, ankle),
        (Keypoint.LEFT_KNEE, Keypoint.RIGHT_KNEE, knee),
        (Keypoint.LEFT_HIP, Keypoint.RIGHT_HIP, hip),
        (Keypoint.LEFT_SHOULDER, Keypoint.RIGHT_SHOULDER, shoulder),
        (Keypoint.LEFT_ELBOW, Keypoint.RIGHT_ELBOW, shoulder + [0.3 * torso_px, 0.5 * torso_px]),
        (Keypoint.LEFT_WRIST, Keypoint.RIGHT_WRIST, shoulder + [0.7 * torso_px, 0.5 * torso_px]),
        (Keypoint.LEFT_EYE, Keypoint.RIGHT_EYE, shoulder + [0.15 * torso_px, -0.45 * torso_px]),
        (Keypoint.LEFT_EAR, Keypoint.RIGHT_EAR, shoulder + [0.0, -0.4 * torso_px]),
    ):
        clean[:, left] = point
        clean[:, right] = point + behind
    clean[:, Keypoint.NOSE] = shoulder + [0.25 * torso_px, -0.4 * torso_px]

    rng = np.random.default_rng(seed)
    noisy = clean + rng.normal(0.0, jitter_torso * torso_px, size=clean.shape)
    return SquatTrack(
        t=t, knee_deg=knee_deg, clean=clean, noisy=noisy, frame_size=frame_size, period_s=1.0 / freq_hz
    )


def knee_deg(xy: np.ndarray) -> np.ndarray:
    """Left knee angle of (n, 17, 2) keypoints, degrees."""
    return angle(xy[:, Keypoint.LEFT_HIP], xy[:, Keypoint.LEFT_KNEE], xy[:, Keypoint.LEFT_ANKLE])


def rms_deg(estimate: np.ndarray, truth: np.ndarray, skip: int = 0) -> float:
    """Root mean square of estimate - truth over the samples after `skip` (a warm-up)."""
    err = np.asarray(estimate, dtype=np.float64)[skip:] - np.asarray(truth, dtype=np.float64)[skip:]
    return float(np.sqrt(np.mean(err**2)))


def lag_s(estimate: np.ndarray, truth: np.ndarray, dt_s: float, max_lag_s: float = 0.5) -> float:
    """How far `estimate` trails `truth` (seconds, positive = late), by cross-correlation.

    Both are evenly sampled every dt_s. The integer lag with the highest correlation of the
    mean-removed signals is refined to a fraction of a sample by a parabola through its neighbours.
    """
    e = np.asarray(estimate, dtype=np.float64) - np.mean(estimate)
    g = np.asarray(truth, dtype=np.float64) - np.mean(truth)
    n = e.size
    max_lag = max(1, int(round(max_lag_s / dt_s)))
    lags = np.arange(-max_lag, max_lag + 1)
    # Correlation of estimate[i] with truth[i - k]: a positive k means the estimate comes k samples late.
    corr = np.array([np.dot(e[max(k, 0) : n + min(k, 0)], g[max(-k, 0) : n - max(k, 0)]) / (n - abs(k)) for k in lags])
    i = int(np.argmax(corr))
    shift = 0.0
    if 0 < i < lags.size - 1:
        y0, y1, y2 = corr[i - 1], corr[i], corr[i + 1]
        denom = y0 - 2 * y1 + y2
        if denom != 0:
            shift = 0.5 * (y0 - y2) / denom
    return float((lags[i] + shift) * dt_s)


@dataclass(frozen=True)
class Score:
    """How well a smoother recovered the knee angle (after a warm-up of one second).

    rms_deg: plain RMS error against the truth (noise and lag together).
    jitter_deg: RMS error against the truth delayed by the measured lag (what is left once the lag
        is accounted for: the noise that got through, and any distortion of the shape).
    lag_ms: delay behind the truth by cross-correlation (positive = late).
    bottom_deg: mean over the whole reps of (lowest estimated angle - lowest true angle): how well
        the depth of a rep survives (noise makes raw extremes too deep, smoothing can flatten them).
    range_ratio: mean over the whole reps of (highest - lowest estimated angle) / (highest - lowest
        true angle): how much of each rep's range of motion survives, so the exercise engine's
        thresholds are still reached (below 1: flattened; raw noise pushes it above 1).
    """

    rms_deg: float
    jitter_deg: float
    lag_ms: float
    bottom_deg: float
    range_ratio: float


def score(track: SquatTrack, xy: np.ndarray) -> Score:
    """Score smoothed (n, 17, 2) keypoints of `track` against its true knee angle."""
    dt = float(np.median(np.diff(track.t)))
    skip = int(round(1.0 / dt))
    est, truth, t = knee_deg(np.asarray(xy))[skip:], track.knee_deg[skip:], track.t[skip:]
    lag = lag_s(est, truth, dt)
    delayed = np.interp(t - lag, t, truth)
    per_rep = int(round(track.period_s / dt))
    reps = est.size // per_rep
    bottom = range_ratio = float("nan")
    if reps:
        # Each window of one period holds exactly one bottom and one top of the (lagging) estimate.
        est_reps = est[: reps * per_rep].reshape(reps, per_rep)
        true_reps = truth[: reps * per_rep].reshape(reps, per_rep)
        bottom = float(np.mean(est_reps.min(axis=1) - true_reps.min(axis=1)))
        true_range = np.ptp(true_reps, axis=1)
        if np.all(true_range > 0):
            range_ratio = float(np.mean(np.ptp(est_reps, axis=1)) / np.mean(true_range))
    return Score(
        rms_deg=rms_deg(est, truth),
        jitter_deg=rms_deg(est, delayed),
        lag_ms=1000.0 * lag,
        bottom_deg=bottom,
        range_ratio=range_ratio,
    )
