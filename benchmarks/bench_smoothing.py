"""Smoothing quality and speed on a synthetic noisy squat: prints tables (python benchmarks/bench_smoothing.py).

Ground truth: a side-view squat whose knee angle is a cosine (fitness.smoothing.synthetic.squat_track),
with Gaussian jitter of 3% of the torso length on every keypoint coordinate (seed 0). For each frame
rate and movement it compares the raw keypoints, live One Euro smoothing (our defaults, and MoveNet's
tfjs parameters converted to torso units) and offline Savitzky-Golay smoothing on the knee angle:
  rms    plain RMS error against the true angle (degrees; noise and lag together)
  jitter RMS error once the measured lag is taken out (degrees)
  lag    delay behind the truth by cross-correlation (milliseconds, positive = late)
  bottom mean error of each rep's lowest angle (degrees; negative = deeper than true): the depth
         the exercise engine compares with its thresholds
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fitness.smoothing import OneEuroSmoother, smooth_offline  # noqa: E402
from fitness.smoothing.synthetic import score, squat_track  # noqa: E402

FRAME_RATES = (15.0, 30.0, 60.0)
MOVEMENTS = {  # name: (freq_hz, top_deg, bottom_deg)
    "1 Hz squat 90-170": (1.0, 170.0, 90.0),
    "0.25 Hz squat 90-170": (0.25, 170.0, 90.0),
    "held at 120": (1.0, 120.0, 120.0),
}
TORSO_PX = 120.0
FRAME_SIZE = (640, 480)
# MoveNet (tfjs-models) smooths with min_cutoff 2.5 Hz, beta 300, derivative cutoff 2.5 Hz on
# coordinates normalized to the frame; in torso units beta scales by torso / frame height.
TFJS = {"min_cutoff_hz": 2.5, "beta": 300.0 * TORSO_PX / FRAME_SIZE[1], "d_cutoff_hz": 2.5}


def live(track, **params):
    sm = OneEuroSmoother(**params)
    return np.array([sm.apply(p).xy for p in track.poses()])


def offline(track):
    return np.array([p.xy for p in smooth_offline(track.poses())])


METHODS = {
    "raw": lambda tr: tr.noisy,
    "one-euro (ours)": live,
    "one-euro (tfjs params)": lambda tr: live(tr, **TFJS),
    "offline savgol": offline,
}


def quality_table() -> None:
    print("knee angle error, jitter 3% of torso (degrees; lag in ms)")
    header = ("movement", "fps", "method", "rms", "jitter", "lag", "bottom", "rms vs raw")
    print("{:<22} {:>4} {:<24} {:>6} {:>7} {:>7} {:>7} {:>11}".format(*header))
    for name, (freq, top, bottom_deg) in MOVEMENTS.items():
        for fps in FRAME_RATES:
            track = squat_track(
                fps=fps, duration_s=12.0, freq_hz=freq, top_deg=top, bottom_deg=bottom_deg,
                torso_px=TORSO_PX, frame_size=FRAME_SIZE, seed=0,
            )
            raw_rms = score(track, track.noisy).rms_deg
            for method, run in METHODS.items():
                s = score(track, run(track))
                lag = f"{s.lag_ms:7.1f}" if top != bottom_deg else f"{'-':>7}"
                jitter = f"{s.jitter_deg:7.2f}" if top != bottom_deg else f"{'-':>7}"
                bottom = f"{s.bottom_deg:7.1f}" if top != bottom_deg else f"{'-':>7}"
                print(
                    f"{name:<22} {fps:>4.0f} {method:<24} {s.rms_deg:6.2f} {jitter} {lag} {bottom} "
                    f"{raw_rms / s.rms_deg:10.2f}x"
                )
        print()


def speed_table() -> None:
    track = squat_track(fps=30.0, duration_s=20.0, seed=0)
    poses = track.poses()
    print(f"{'speed (600 frames)':<24} {'us/frame':>9}")
    sm = OneEuroSmoother()
    start = time.perf_counter()
    for p in poses:
        sm.apply(p)
    print(f"{'one-euro live':<24} {1e6 * (time.perf_counter() - start) / len(poses):9.1f}")
    start = time.perf_counter()
    smooth_offline(poses)
    print(f"{'offline savgol':<24} {1e6 * (time.perf_counter() - start) / len(poses):9.1f}")


if __name__ == "__main__":
    quality_table()
    speed_table()
