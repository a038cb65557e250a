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
import json, os, resource, sys, threading, time
from fitness.pipeline import SessionConfig, run_session

args = json.loads(sys.argv[1])
seen = {}  # thread id -> (name, CPU seconds): threads that end (the model's pool, the decoder's) are sampled
if args.get("threads"):
    thread_run = threading.Thread.run
    def run_timed(self):
        try:
            thread_run(self)
        finally:
            seen[threading.get_native_id()] = (self.name.split(" ")[0], time.thread_time())
    threading.Thread.run = run_timed
    def sample():  # native threads by their comm, Python threads by the first word of their name
        names = {t.native_id: t.name.split(" ")[0] for t in threading.enumerate()}
        names[os.getpid()] = "main"
        for tid in os.listdir("/proc/self/task"):
            try:
                with open(f"/proc/self/task/{tid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                with open(f"/proc/self/task/{tid}/comm") as f:
                    name = names.get(int(tid), f.read().strip())
            except OSError:
                continue
            if names.get(int(tid)) != "sampler":
                seen.setdefault(int(tid), (name, 0.0))
                cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
                seen[int(tid)] = (seen[int(tid)][0], max(seen[int(tid)][1], cpu))
    def sampling():
        while True:
            sample()
            time.sleep(0.2)
    threading.Thread(target=sampling, name="sampler", daemon=True).start()
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
out = {"frames": result.frames, "wall_s": wall_s, "fps": result.frames / wall_s, "peak_rss_mb": peak_mb,
       "cpu_ms_per_frame": 1000 * cpu / max(1, result.frames), "reps": result.summary.reps}
if args.get("threads"):  # CPU ms per frame of each thread (start-up included; to 0.2 s for native ones), by name
    sample()
    threads = {}
    for name, seconds in seen.values():
        threads[name] = threads.get(name, 0.0) + seconds
    out["threads"] = {name: 1000 * seconds / max(1, result.frames) for name, seconds in sorted(threads.items())}
print(json.dumps(out))
"""


def run_once(variant: Mapping[str, object]) -> dict:
    """One session in a fresh process; `variant`: video, and optionally exercise, smoothing, save_video,
    opencv_only (large frames decoded by OpenCV even with PyAV installed), threads (also the CPU time of each
    thread, by name: Python threads by the first word of their name, the model's and OpenCV's by their comm)."""
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
