"""`fitness analyze` throughput: videos per minute and frames per second on 1 and 2 local workers and on a
local Ray, against one video at a time in a single process.

    python benchmarks/bench_analyze.py [--clips 4] [--reps 2] [--repeats 2] [--workers 1 2] [--ray-cpus 2]
                                       [--size 320x240]

Short synthetic clips (`fitness render`, --size 320x240 by default, kept in --clips-dir between runs) are
analysed by, in turn in each repeat:
  - single: one process, one video after the other, the model loaded once, 1 thread (`run_job` in this
    process): what one core does with no batch machinery, the per-core baseline;
  - local N: `fitness analyze --workers N` (`run_batch`; worker processes start and load the model inside
    the timing);
  - ray: `fitness analyze --ray` on a local Ray of --ray-cpus CPUs, started afresh for each repeat (its start
    is printed apart, as on a cluster it is up already; its worker processes start inside the timing).
Each configuration's best repeat is reported (the machine may be shared), with the load average. Columns:
wall time, videos/min and frames/s over the whole batch (start-up included: a short batch pays it in full),
and frames/s per core while working = frames / the workers' time on the videos (start-up left out: what a
long batch approaches), with its ratio to single (1.00: no serial bottleneck). Needs the model in the cache
and fitness[scale].
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from fitness.batch.batch import BatchConfig, run_batch  # noqa: E402
from fitness.batch.worker import AnalyzeOptions, Job, run_job  # noqa: E402
from fitness.synth import RenderSpec, render_video  # noqa: E402

EXERCISES = ("squats", "push_ups", "bicep_curls", "lunges")


class _Quiet:
    def start(self, total: int, skipped: int) -> None:
        pass

    def advance(self, outcome) -> None:
        pass

    def stop(self) -> None:
        pass


def make_clips(folder: Path, n: int, reps: int, size: tuple[int, int]) -> list[tuple[Path, str]]:
    folder.mkdir(parents=True, exist_ok=True)
    clips = []
    for i in range(n):
        exercise = EXERCISES[i % len(EXERCISES)]
        clip = folder / f"{exercise}_{reps}reps_{size[0]}x{size[1]}_seed{9100 + i}.mp4"
        if not clip.exists():
            render_video(RenderSpec(exercise, reps, seed=9100 + i, size=size), out=clip)
        clips.append((clip, exercise))
    return clips


def run_single(clips) -> tuple[float, int, float]:
    started, frames, busy = time.perf_counter(), 0, 0.0
    for clip, exercise in clips:
        outcome = run_job(Job(str(clip), exercise), AnalyzeOptions(threads=1))
        assert outcome.error is None, outcome.error
        frames += outcome.frames
        busy += outcome.seconds
    return time.perf_counter() - started, frames, busy


def run_analyze(manifest: Path, workers: int | None, ray: str | None) -> tuple[float, int, float]:
    with tempfile.TemporaryDirectory() as out:
        config = BatchConfig(inputs=(str(manifest),), out_dir=Path(out), workers=workers, ray=ray)
        started = time.perf_counter()
        report = run_batch(config, _Quiet())
        seconds = time.perf_counter() - started
    assert not report.failures, report.failures
    return seconds, report.frames, report.worker_seconds


def run_ray(manifest: Path, cpus: int, starts: list[float]) -> tuple[float, int, float]:
    import ray

    t0 = time.perf_counter()
    ray.init(num_cpus=cpus, include_dashboard=False, logging_level="warning")
    starts.append(time.perf_counter() - t0)
    try:
        return run_analyze(manifest, None, "")
    finally:
        ray.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=4)
    parser.add_argument("--reps", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--ray-cpus", type=int, default=2)
    parser.add_argument("--size", default="320x240", metavar="WxH", help="clip size (default 320x240)")
    parser.add_argument("--clips-dir", type=Path, default=Path(tempfile.gettempdir()) / "fitness-bench-analyze")
    args = parser.parse_args()

    size = tuple(int(x) for x in args.size.split("x"))
    clips = make_clips(args.clips_dir, args.clips, args.reps, size)
    manifest = Path(tempfile.mkdtemp()) / "clips.csv"
    manifest.write_text("video,exercise\n" + "".join(f"{c},{e}\n" for c, e in clips))
    run_job(Job(str(clips[0][0]), clips[0][1]), AnalyzeOptions(threads=1))  # single's model, loaded once, untimed

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    os.environ.setdefault("RAY_worker_niceness", "0")  # as `fitness analyze --ray` starts a local Ray
    ray_starts: list[float] = []
    configs = {"single": (1, lambda: run_single(clips))}
    for n in args.workers:
        configs[f"local {n}"] = (n, lambda n=n: run_analyze(manifest, n, None))
    configs[f"ray {args.ray_cpus}"] = (args.ray_cpus, lambda: run_ray(manifest, args.ray_cpus, ray_starts))
    best: dict[str, tuple[float, int, float]] = {}
    loads = [os.getloadavg()[0]]
    for repeat in range(args.repeats):
        for name, (_, fn) in configs.items():
            seconds, frames, busy = fn()
            print(f"repeat {repeat + 1} {name}: {seconds:.1f} s, {frames} frames, workers busy {busy:.1f} s",
                  file=sys.stderr)
            if name not in best or seconds < best[name][0]:
                best[name] = (seconds, frames, busy)
            loads.append(os.getloadavg()[0])

    base_core_fps = best["single"][1] / best["single"][2]
    print(f"{len(clips)} clips, {best['single'][1]} frames ({args.size}), best of "
          f"{args.repeats}; {os.cpu_count()} CPUs, load average {min(loads):.1f}-{max(loads):.1f}; "
          f"Ray start {min(ray_starts):.1f}-{max(ray_starts):.1f} s (not in the table)")
    print("| configuration | cores | wall s | videos/min | frames/s | frames/s per core while working | "
          "per core vs single |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, (cores, _) in configs.items():
        seconds, frames, busy = best[name]
        core_fps = frames / busy
        print(f"| {name} | {cores} | {seconds:.1f} | {60 * len(clips) / seconds:.1f} | {frames / seconds:.0f} | "
              f"{core_fps:.0f} | {core_fps / base_core_fps:.2f} |")
    ray_name, local_name = f"ray {args.ray_cpus}", f"local {args.ray_cpus}"
    if local_name in best:
        wall = best[local_name][0] / best[ray_name][0]
        working = (best[ray_name][1] / best[ray_name][2]) / (best[local_name][1] / best[local_name][2])
        print(f"Ray vs local, {args.ray_cpus} workers: throughput {wall:.2f} over the batch, "
              f"{working:.2f} per core while working")

if __name__ == "__main__":
    main()
