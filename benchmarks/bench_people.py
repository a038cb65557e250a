"""`fitness run --people all` speed against the number of people in view (1-6), end to end.

    python benchmarks/bench_people.py [VIDEO] [--people 1,2,3,4,5,6] [--frames 300] [--smoothing live]

VIDEO (default: sample_videos/squats_side.mp4) is tiled N times into one video (a row of up to three tiles,
two rows from four people; a spare tile stays black), then `fitness run --people all --no-window --no-history`
runs on it (MultiPose finds the people, each gets their own smoother and engine; the model is loaded before
the clock starts). Prints, per N: the frame size, the people counted, frames per second end to end (wall
clock, from opening the video to the summary) and per CPU second of this process (a quiet machine's speed lies
between that and twice it: the model runs on two threads), against the video's rate. On a shared machine the
wall figure is the load's as much as ours: the load average is printed first.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from fitness.pipeline import (  # noqa: E402
    SessionConfig,
    cached_estimator,
    create_stages,
    load_definition,
    run_session,
)


def tiled(video: Path, n: int, frames: int, out: Path) -> float:
    """`video` n times in one frame (up to 3 across; 4-6 in two rows); returns its frame rate."""
    cap = cv2.VideoCapture(str(video))
    fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
    cols = min(n, 3)
    rows = 1 if n <= 3 else 2
    writer = None
    for _ in range(frames):
        ok, image = cap.read()
        if not ok:
            break
        h, w = image.shape[:2]
        canvas = np.zeros((rows * h, cols * w, 3), np.uint8)
        for k in range(n):
            r, c = divmod(k, cols)
            canvas[r * h:(r + 1) * h, c * w:(c + 1) * w] = image
        if writer is None:
            writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), fps, (canvas.shape[1], canvas.shape[0]))
        writer.write(canvas)
    cap.release()
    if writer is None:
        sys.exit(f"bench_people: no frames in {video}")
    writer.release()
    return fps


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("video", nargs="?", type=Path, default=REPO / "sample_videos" / "squats_side.mp4")
    parser.add_argument("--exercise", default="squats")
    parser.add_argument("--people", default="1,2,3,4,5,6")
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--smoothing", default="live", help="live (frame by frame, as a camera) or offline")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'people':>6} {'frame':>10} {'counted':>6} {'fps wall':>8} {'fps/cpu-s':>8} {'video fps':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(v) for v in args.people.split(",")):
            clip = Path(tmp) / f"tiled_{n}.mp4"
            video_fps = tiled(args.video, n, args.frames, clip)
            config = SessionConfig(exercise=args.exercise, source="video", path=str(clip), model="multipose",
                                   window=False, no_history=True, people="all", smoothing=args.smoothing)
            cap = cv2.VideoCapture(str(clip))
            size = f"{int(cap.get(cv2.CAP_PROP_FRAME_WIDTH))}x{int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))}"
            cap.release()
            estimator = cached_estimator(config)
            estimator.reset()
            stages = create_stages(config, load_definition(config), "bench", estimator=estimator)
            c0, t0 = cpu_s(), time.perf_counter()
            result = run_session(config, None, stages=stages, own_signals=False)
            wall, cpu = time.perf_counter() - t0, cpu_s() - c0
            print(f"{n:6d} {size:>10} {len(result.people):6d} {result.frames / wall:8.1f} {result.frames / cpu:8.1f} "
                  f"{video_fps:9.1f}", flush=True)


if __name__ == "__main__":
    main()
