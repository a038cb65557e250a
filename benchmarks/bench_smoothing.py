"""Smoothing quality and speed on a synthetic noisy squat: prints tables (python benchmarks/bench_smoothing.py).

Ground truth: a side-view squat whose knee angle is a cosine (fitness.smoothing.benchmark.squat_track),
with Gaussian jitter of 3% of the torso length on every keypoint coordinate (seed 0, 12 s). For each
frame rate it compares the raw keypoints, live One Euro smoothing (our defaults, and MoveNet's tfjs
parameters converted to torso units), live fixed-lag smoothing and offline Savitzky-Golay smoothing on
the knee angle:
  rms      1 Hz squat 90-170: plain RMS error against the true angle (degrees; noise and lag together)
  no-lag   1 Hz squat: RMS error once the measured lag is taken out (degrees), and raw / that ("x raw")
  lag      1 Hz squat: delay behind the truth by cross-correlation (milliseconds, positive = late)
  bottom   1 Hz squat: mean error of each rep's lowest angle (degrees; negative = deeper than true),
           the depth the exercise engine compares with its thresholds
  held     a pose held at 120 degrees: RMS error (degrees), and raw / that ("x raw")
  2Hz rng  2 Hz squat 90-170: each rep's range of motion (max - min) over the true range
The fixed-lag Kalman is a sketch of a different live filter (not in the package), for comparison.
`--grid` instead searches One Euro parameters at 30 fps (seeds 0 and 1), the search behind the defaults;
`--grid-fixedlag` searches the fixed-lag filter's window, lag and order (30 fps, seeds 0-5).
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fitness.smoothing import FixedLagSmoother, OneEuroSmoother, smooth_offline  # noqa: E402
from fitness.smoothing.benchmark import score, squat_track  # noqa: E402

FRAME_RATES = (15.0, 30.0, 60.0)
TORSO_PX = 120.0
FRAME_SIZE = (640, 480)
# MoveNet (tfjs-models) smooths with min_cutoff 2.5 Hz, beta 300, derivative cutoff 2.5 Hz on
# coordinates normalized to the frame; in torso units beta scales by torso / frame height.
TFJS = {"min_cutoff_hz": 2.5, "beta": 300.0 * TORSO_PX / FRAME_SIZE[1], "d_cutoff_hz": 2.5}
GRID = {
    "min_cutoff_hz": (0.3, 0.5, 0.7, 1.0, 1.5),
    "beta": (0.5, 1.0, 1.5, 1.75, 2.0),
    "d_cutoff_hz": (2.5, 3.5, 5.0),
}


def live(track, **params):
    sm = OneEuroSmoother(**params)
    return np.array([sm.apply(p).xy for p in track.poses()])


def offline(track):
    return np.array([p.xy for p in smooth_offline(track.poses())])


def fixed_lag(track, **params):
    sm = FixedLagSmoother(**params)
    return np.array([sm.apply(p).xy for p in track.poses()])


def fixed_lag_kalman(track, q: float = 700.0, lag_frames: int = 2, noise_torso: float = 0.03):
    """A sketch, not a smoother of the package: a constant-acceleration Kalman filter per coordinate
    (torso units, white jerk of spectral density q, measurement noise known) with a fixed-lag
    Rauch-Tung-Striebel pass over the last lag_frames. Evenly sampled, fully visible input only."""
    dt = float(np.median(np.diff(track.t)))
    f = np.array([[1.0, dt, dt * dt / 2], [0.0, 1.0, dt], [0.0, 0.0, 1.0]])
    q_mat = q * np.array([[dt**5 / 20, dt**4 / 8, dt**3 / 6], [dt**4 / 8, dt**3 / 3, dt**2 / 2],
                          [dt**3 / 6, dt**2 / 2, dt]])
    r = noise_torso**2
    z = track.noisy.reshape(len(track.t), -1) / TORSO_PX
    x = np.vstack([z[0], np.zeros_like(z[0]), np.zeros_like(z[0])])
    p = np.diag([r, 10.0, 100.0])
    hist, out = [], np.empty_like(z)  # hist: (filtered x, P, predicted x, P) per frame
    for k in range(len(z)):
        xp, pp = (f @ x, f @ p @ f.T + q_mat) if k else (x, p)
        gain = pp[:, :1] / (pp[0, 0] + r)
        x, p = xp + gain * (z[k] - xp[0]), pp - gain @ pp[:1, :]
        hist.append((x, p, xp, pp))
        est = x
        for j in range(k - 1, max(k - lag_frames, 0) - 1, -1):
            c = hist[j][1] @ f.T @ np.linalg.inv(hist[j + 1][3])
            est = hist[j][0] + c @ (est - hist[j + 1][2])
        out[k] = est[0]
    return out.reshape(track.noisy.shape) * TORSO_PX


METHODS = {
    "raw": lambda tr: tr.noisy,
    "one-euro (ours)": live,
    "one-euro (tfjs params)": lambda tr: live(tr, **TFJS),
    "fixed-lag (ours)": fixed_lag,
    "fixed-lag kalman (sketch)": fixed_lag_kalman,
    "offline savgol": offline,
}


def tracks(fps: float, seed: int = 0, duration_s: float = 12.0) -> dict:
    """The three test movements: 1 Hz squat, held pose, 2 Hz squat."""
    common = {"fps": fps, "duration_s": duration_s, "torso_px": TORSO_PX, "frame_size": FRAME_SIZE, "seed": seed}
    return {
        "squat": squat_track(**common),
        "held": squat_track(top_deg=120.0, bottom_deg=120.0, **common),
        "fast": squat_track(freq_hz=2.0, **common),
    }


def quality_table() -> None:
    print("knee angle, jitter 3% of torso (degrees; lag in ms; 'x raw' = raw error / this error)")
    header = ("fps", "method", "rms", "no-lag", "x raw", "lag", "bottom", "held", "x raw", "2Hz rng")
    print("{:>4} {:<26} {:>6} {:>7} {:>6} {:>6} {:>7} {:>6} {:>6} {:>8}".format(*header))
    for fps in FRAME_RATES:
        tr = tracks(fps)
        raw_squat, raw_held = score(tr["squat"], tr["squat"].noisy), score(tr["held"], tr["held"].noisy)
        for method, run in METHODS.items():
            s, h, f = (score(track, run(track)) for track in (tr["squat"], tr["held"], tr["fast"]))
            print(
                f"{fps:>4.0f} {method:<26} {s.rms_deg:6.2f} {s.jitter_deg:7.2f} "
                f"{raw_squat.jitter_deg / s.jitter_deg:5.2f}x {s.lag_ms:6.1f} {s.bottom_deg:+7.2f} "
                f"{h.rms_deg:6.2f} {raw_held.rms_deg / h.rms_deg:5.2f}x {f.range_ratio:8.3f}"
            )
        print()


FIXED_LAG_GRID = {"order": (2, 3, 4), "window_s": (0.4, 0.45, 0.5, 0.6, 0.7), "lag_s": (0.05, 0.067, 0.08, 0.09)}


def search(title: str, run, grid: dict, fps: float, seeds: tuple[int, ...]) -> None:
    """Every combination of `grid` (run(track, **params) smooths a track) against the acceptance figures;
    each printed figure is the worst over the seeds."""
    print(f"{title} grid at {fps:.0f} fps, worst of seeds {seeds} (8 s each)")
    print(" ".join(f"{name[:8]:>8}" for name in grid), "{:>7} {:>6} {:>7} {:>6} {:>8}".format(
        "no-lag", "lag", "|bott|", "held", "2Hz rng"))
    per_seed = [(seed, tracks(fps, seed, duration_s=8.0)) for seed in seeds]
    raws = {seed: {k: score(t, t.noisy) for k, t in tr.items()} for seed, tr in per_seed}
    for values in itertools.product(*grid.values()):
        params = dict(zip(grid, values))
        rows = []
        for seed, tr in per_seed:
            s, h, f = (score(tr[k], run(tr[k], **params)) for k in ("squat", "held", "fast"))
            raw = raws[seed]
            rows.append((raw["squat"].jitter_deg / s.jitter_deg, s.lag_ms, abs(s.bottom_deg),
                         raw["held"].rms_deg / h.rms_deg, f.range_ratio))
        jr, lag, bottom, held, rng = zip(*rows)
        print(" ".join(f"{v:8.3g}" for v in values), f"{min(jr):6.2f}x {max(lag):6.1f} {max(bottom):7.2f} "
              f"{min(held):5.2f}x {min(rng):8.3f}", flush=True)


def speed_table() -> None:
    track = squat_track(fps=30.0, duration_s=20.0, seed=0)
    poses = track.poses()
    print(f"{'speed (600 frames)':<24} {'us/frame':>9}")
    for name, sm in (("one-euro live", OneEuroSmoother()), ("fixed-lag live", FixedLagSmoother())):
        start = time.perf_counter()
        for p in poses:
            sm.apply(p)
        print(f"{name:<24} {1e6 * (time.perf_counter() - start) / len(poses):9.1f}")
    start = time.perf_counter()
    smooth_offline(poses)
    print(f"{'offline savgol':<24} {1e6 * (time.perf_counter() - start) / len(poses):9.1f}")


if __name__ == "__main__":
    if "--grid" in sys.argv[1:]:
        search("One Euro", live, GRID, 30.0, (0, 1))
    elif "--grid-fixedlag" in sys.argv[1:]:
        search("fixed-lag", fixed_lag, FIXED_LAG_GRID, 30.0, tuple(range(6)))
    else:
        quality_table()
        speed_table()
