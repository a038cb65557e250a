"""Pose estimation speed and memory: ms/frame and FPS per model x backend, import+load time,
start-to-first-keypoints and peak RSS, each combination measured in a fresh process.

    python benchmarks/bench_pose.py [--threads 2] [--frames 300] [--models lightning thunder] [--backends litert tf]

Needs the models in the cache (`fitness models fetch all`). "raw" is the model alone (runner.run on a fixed
input); "estimate" adds preprocessing (crop, resize, colour) and keypoint mapping on a 640x480 frame.
Targets on a 2-core machine: lightning/litert raw >= 150 FPS, start-to-first-keypoints <= 2 s with a warm
cache, peak RSS <= 400 MB on litert. Other load on the machine shows up directly in these numbers.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # this checkout's fitness, not another installed copy
FIRST_MARK = "FIRST-KEYPOINTS"


def _test_frame():
    """A 640x480 frame with a real person (matplotlib's sample portrait, shrunk) off centre."""
    import cv2
    import matplotlib
    import numpy as np

    photo = cv2.imread(str(Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg"))
    small = cv2.resize(photo, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    frame = np.full((480, 640, 3), 90, np.uint8)
    frame[100 : 100 + small.shape[0], 60 : 60 + small.shape[1]] = small
    return frame


def _percentile_ms(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return 1000.0 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def worker(model: str, backend: str, threads: int, frames: int) -> None:
    """Runs in a fresh process; prints FIRST_MARK after the first keypoints, then one JSON line."""
    started = time.perf_counter()
    from fitness.pose.estimator import create_estimator

    est = create_estimator(model, backend=backend, threads=threads, source="cache")
    loaded = time.perf_counter()
    import numpy as np

    frame = _test_frame()
    pose = est.estimate(frame)
    first = time.perf_counter()
    print(FIRST_MARK, flush=True)
    if pose is None:
        raise SystemExit("no person found in the test frame")

    runner = est.runner
    batch = np.zeros((1, runner.input_size, runner.input_size, 3), np.int32)
    for _ in range(20):  # warm-up: XNNPACK packs weights, TF traces, caches fill
        runner.run(batch)
    raw = []
    for _ in range(frames):
        t0 = time.perf_counter()
        runner.run(batch)
        raw.append(time.perf_counter() - t0)
    full = []
    for _ in range(max(50, frames // 3)):
        t0 = time.perf_counter()
        est.estimate(frame)
        full.append(time.perf_counter() - t0)

    import resource

    result = {
        "model": model,
        "backend": backend,
        "threads": threads,
        "import_load_s": loaded - started,
        "first_estimate_ms": 1000.0 * (first - loaded),
        "raw_ms": _percentile_ms(raw, 0.5),
        "raw_p90_ms": _percentile_ms(raw, 0.9),
        "estimate_ms": _percentile_ms(full, 0.5),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "tensorflow_loaded": "tensorflow" in sys.modules,
    }
    print(json.dumps(result), flush=True)


def measure(model: str, backend: str, threads: int, frames: int) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", model, backend, str(threads), str(frames)]
    launched = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    start_to_first = None
    result = None
    for line in proc.stdout:
        if line.startswith(FIRST_MARK):
            start_to_first = time.perf_counter() - launched
        elif line.startswith("{"):
            result = json.loads(line)
    proc.wait()
    if proc.returncode != 0 or result is None:
        raise SystemExit(f"{model}/{backend} failed (exit {proc.returncode}); is the model fetched?")
    result["start_to_first_s"] = start_to_first
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, nargs="+", default=[2], help="one or more thread counts")
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--models", nargs="+", default=["lightning", "thunder"])
    parser.add_argument("--backends", nargs="+", default=["litert", "tf"])
    parser.add_argument("--worker", nargs=4, metavar=("MODEL", "BACKEND", "THREADS", "FRAMES"), help=argparse.SUPPRESS)
    parser.add_argument("--json", metavar="OUT.json", help="also write the rows as JSON")
    args = parser.parse_args()
    if args.worker:
        model, backend, threads, frames = args.worker
        worker(model, backend, int(threads), int(frames))
        return

    from rich.console import Console
    from rich.table import Table

    rows = [measure(m, b, t, args.frames) for m in args.models for b in args.backends for t in args.threads]
    table = Table(title=f"MoveNet pose estimation, median of {args.frames} frames")
    for column in (
        "model", "backend", "threads", "raw ms", "raw FPS", "raw p90 ms", "estimate ms", "estimate FPS",
        "import+load s", "start-to-first s", "peak RSS MB", "TF loaded",
    ):
        table.add_column(column, justify="right")
    for r in rows:
        table.add_row(
            r["model"],
            r["backend"],
            str(r["threads"]),
            f"{r['raw_ms']:.2f}",
            f"{1000 / r['raw_ms']:.0f}",
            f"{r['raw_p90_ms']:.2f}",
            f"{r['estimate_ms']:.2f}",
            f"{1000 / r['estimate_ms']:.0f}",
            f"{r['import_load_s']:.2f}",
            f"{r['start_to_first_s']:.2f}",
            f"{r['peak_rss_mb']:.0f}",
            "yes" if r["tensorflow_loaded"] else "no",
        )
    console = Console(width=160)
    console.print(table)
    try:
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        console.print(f"load average during the run: {load} (other processes share these cores)")
    except OSError:
        pass
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
