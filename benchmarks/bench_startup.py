"""Start-up: a whole `fitness run` process on a short clip against a bare process that imports cv2, numpy and
ai-edge-litert, loads Lightning and runs it on the same frames (issue #20's yardstick: ratio <= 2).

    python benchmarks/bench_startup.py [--frames 5] [--repeats 9] [--top 15] [--video sample_videos/squats_side.mp4]

The two commands run in turn (interleaved), `--repeats` times each; the table gives the median wall time of
each and their ratio, then the load average, then `python -X importtime` of one `fitness run`: the slowest
top-level imports and the packages with the most import time of their own. Needs Lightning in the cache.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# What a minimal MoveNet program does: the yardstick `fitness run` is compared with.
BARE = """
import sys
import cv2, numpy as np
from ai_edge_litert.interpreter import Interpreter
it = Interpreter(model_path=sys.argv[1], num_threads=2)
it.allocate_tensors()
inp, out = it.get_input_details()[0], it.get_output_details()[0]
size = int(inp["shape"][1])
cap = cv2.VideoCapture(sys.argv[2])
while True:
    ok, frame = cap.read()
    if not ok:
        break
    rgb = cv2.cvtColor(cv2.resize(frame, (size, size)), cv2.COLOR_BGR2RGB)
    it.set_tensor(inp["index"], rgb[np.newaxis].astype(np.int32))
    it.invoke()
    it.get_tensor(out["index"])
"""


def make_clip(video: Path, frames: int, out: Path) -> Path:
    """The first `frames` frames of `video`, written to `out` (mp4v)."""
    import cv2

    cap = cv2.VideoCapture(str(video))
    fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
    writer = None
    for _ in range(frames):
        ok, image = cap.read()
        if not ok:
            break
        if writer is None:
            writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), fps, (image.shape[1], image.shape[0]))
        writer.write(image)
    cap.release()
    if writer is None:
        raise SystemExit(f"cannot read {video}")
    writer.release()
    return out


def lightning_path() -> Path:
    sys.path.insert(0, str(REPO))
    from fitness.models import ensure_model

    return ensure_model("lightning", source="cache").tflite_path


def timed(cmd: list[str], env: dict[str, str], cwd: Path = REPO) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its threads) of one run of `cmd` in `cwd` (`-m` and `-c` put
    the working folder first on the path)."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"failed ({child.returncode}): {' '.join(cmd[:4])} ...")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def importtime_report(cmd: list[str], env: dict[str, str], top: int) -> list[str]:
    """The slowest top-level imports (cumulative) and the packages with the most import time of their own."""
    done = subprocess.run([cmd[0], "-X", "importtime", *cmd[1:]], env=env, capture_output=True, text=True, check=True,
                          cwd=REPO)
    rows = []
    for line in done.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            rows.append((int(m[1]), int(m[2]), len(m[3]), m[4]))
    total_ms = sum(r[0] for r in rows) / 1000
    tops = sorted((r for r in rows if r[2] <= 1), key=lambda r: -r[1])[:top]
    own: Counter[str] = Counter()
    for self_us, _, _, name in rows:
        own[name.split(".")[0]] += self_us
    lines = [f"-X importtime of `fitness run`: {total_ms:.0f} ms of imports in all", "  slowest top-level imports:"]
    lines += [f"    {cum / 1000:7.1f} ms  {name}" for _, cum, _, name in tops]
    lines.append("  packages by own import time:")
    lines += [f"    {us / 1000:7.1f} ms  {name}" for name, us in own.most_common(top)]
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--video", type=Path, default=REPO / "sample_videos" / "squats_side.mp4")
    ap.add_argument("--frames", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=9)
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--exercise", default="squats")
    ap.add_argument("--no-bytecode-cache", action="store_true",
                    help="compile every module on every run (PYTHONDONTWRITEBYTECODE as set), unlike an installed copy")
    args = ap.parse_args()

    model = lightning_path()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if not args.no_bytecode_cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: modules compiled once (the warm-up run does it)
    with tempfile.TemporaryDirectory() as tmp:
        clip = make_clip(args.video, args.frames, Path(tmp) / "clip.mp4")
        env["FITNESS_HOME"] = tmp  # no history of the user's is touched
        bare = [sys.executable, "-c", BARE, str(model), str(clip)]
        run = [sys.executable, "-m", "fitness", "run", args.exercise, "--video", str(clip), "--no-window",
               "--no-history"]
        timed(bare, env), timed(run, env)  # warm the file cache
        bare_runs, fitness_runs = [], []
        for _ in range(args.repeats):
            bare_runs.append(timed(bare, env))
            fitness_runs.append(timed(run, env))
        report = importtime_report(run, env, args.top)
    cache = "without" if args.no_bytecode_cache else "with"
    print(f"start-up on a {args.frames}-frame clip of {args.video.name}, {args.repeats} interleaved repeats, "
          f"{cache} cached bytecode")
    print(f"{'process':<40} {'median s':>9} {'min s':>7} {'max s':>7} {'CPU s':>7}")
    for label, runs in (("bare (cv2 + numpy + litert, Lightning)", bare_runs), ("fitness run", fitness_runs)):
        wall = [w for w, _ in runs]
        print(f"{label:<40} {statistics.median(wall):9.3f} {min(wall):7.3f} {max(wall):7.3f} "
              f"{statistics.median(c for _, c in runs):7.3f}")
    wall_ratio = statistics.median(f[0] / b[0] for b, f in zip(bare_runs, fitness_runs))
    cpu_ratio = statistics.median(f[1] / b[1] for b, f in zip(bare_runs, fitness_runs))
    print(f"ratio fitness run / bare (median of pairwise ratios): wall {wall_ratio:.2f} (goal <= 2), "
          f"CPU {cpu_ratio:.2f}")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    print()
    print("\n".join(report))


if __name__ == "__main__":
    main()
