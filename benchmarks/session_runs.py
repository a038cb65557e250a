"""Shared by the benchmarks that compare whole `fitness run` sessions: each run in a fresh process, the
variants interleaved, medians and ratios. Not a benchmark itself.

A child process runs `run_session` on a video without window, UI or history, and prints one JSON line:
frames, the session's wall time (source opening and model loading included), frames per second, the CPU time
per frame of all its threads (less sensitive than wall time to other jobs on a shared machine) and the
process's peak RSS.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

_CHILD = r"""
import json, resource, sys, time
from fitness.pipeline import SessionConfig, run_session

args = json.loads(sys.argv[1])
if args.get("opencv_only"):  # large frames decoded as without PyAV
    import fitness.capture.scaled_decode
    fitness.capture.scaled_decode.av = None
config = SessionConfig(exercise=args.get("exercise", "squats"), source="video", path=args["video"], window=False,
                       no_history=True, smoothing=args.get("smoothing"), save_video=args.get("save_video"))
def cpu_s():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

started, cpu0 = time.perf_counter(), cpu_s()
result = run_session(config)
wall_s, cpu = time.perf_counter() - started, cpu_s() - cpu0
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"frames": result.frames, "wall_s": wall_s, "fps": result.frames / wall_s, "peak_rss_mb": peak_mb,
                  "cpu_ms_per_frame": 1000 * cpu / max(1, result.frames), "reps": result.summary.reps}))
"""


def run_once(variant: Mapping[str, object]) -> dict:
    """One session in a fresh process; `variant`: video, and optionally exercise, smoothing, save_video,
    opencv_only (large frames decoded by OpenCV even with PyAV installed)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: modules compiled once
    done = subprocess.run([sys.executable, "-c", _CHILD, json.dumps(dict(variant))], env=env, capture_output=True,
                          text=True, cwd=REPO)  # `-c` puts the working folder first on the path: this checkout
    if done.returncode != 0:
        raise SystemExit(f"the session failed ({dict(variant)}):\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def interleave(variants: Mapping[str, Mapping[str, object]], repeats: int) -> dict[str, list[dict]]:
    """Every variant once per round, `repeats` rounds (after one warm-up round that is not kept)."""
    for variant in variants.values():
        run_once(variant)
    runs: dict[str, list[dict]] = {name: [] for name in variants}
    for _ in range(repeats):
        for name, variant in variants.items():
            runs[name].append(run_once(variant))
    return runs


def median(runs: Sequence[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def pairwise_ratio(runs: Mapping[str, Sequence[dict]], top: str, bottom: str, key: str = "fps") -> float:
    """The median over rounds of top/bottom: each round's variants ran next to each other, under the same load."""
    return statistics.median(a[key] / b[key] for a, b in zip(runs[top], runs[bottom]))


def load_line() -> str:
    return f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores"
