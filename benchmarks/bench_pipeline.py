"""Full pipeline speed against the raw model, on one video, in the same run.

    python benchmarks/bench_pipeline.py [VIDEO] [--exercise squats] [--model lightning] [--backend litert]
                                        [--threads 2] [--frames 300] [--repeats 1]

1. raw model: the frames are decoded into memory first, then only `estimator.estimate` is timed;
2. full pipeline: `fitness run --video VIDEO --no-window --smoothing live` without UI or history
   (decode thread + model + smoothing + engine + recorder), timed from the first frame to the summary;
3. the same with offline smoothing (poses first, then zero-lag smoothing, then the engine).

Prints frames per second of each, the ratio pipeline / model (target >= 80%) and the speed against real
time; also each run's CPU time per frame (all threads) and its ratio, which a machine shared with other work
changes less than the wall clock. `--exercise auto` runs a workout (the exercise recognised). The per-stage
latencies are the pipeline's own moving averages. `--repeats N` runs the three N times, interleaved, and prints
the medians (and the median of the N live / model ratios): on a shared machine one run's wall ratio can be off by
10 points. Needs the model in the cache (`fitness models fetch lightning`).
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from fitness.capture import VideoSource  # noqa: E402
from fitness.pipeline import SessionConfig, create_estimator, create_stages, load_definition, run_session  # noqa: E402

TARGET_RATIO = 0.8


def default_video() -> Path:
    clips = sorted((REPO / "sample_videos").glob("*.mp4"))
    if not clips:
        sys.exit(
            "bench_pipeline: no video given and none in sample_videos/ "
            "(make one with 'fitness render squats --reps 5 --out clip.mp4')"
        )
    squats = [c for c in clips if "squat" in c.name]
    return (squats or clips)[0]


class _LastSnapshot:
    """A UI that keeps only the last snapshot (for the pipeline's per-stage latencies)."""

    snapshot = None

    def start(self) -> None:
        pass

    def update(self, snapshot) -> None:
        self.snapshot = snapshot

    def stop(self) -> None:
        pass


def _limited_video(video: Path, limit: int):
    class LimitedVideo(VideoSource):
        """The first `limit` frames only, so every run sees the same frames."""

        def _frames(self):
            return itertools.islice(super()._frames(), limit)

    return LimitedVideo(video)


def _config(video: Path, args, smoothing: str = "live"):
    return SessionConfig(
        exercise=args.exercise, source="video", path=str(video), model=args.model, backend=args.backend,
        threads=args.threads, smoothing=smoothing, window=False, no_history=True,
    )


def _warm_up(estimator, frames) -> None:
    for frame in frames[:5]:  # first calls allocate buffers and tune kernels
        estimator.estimate(frame)
    estimator.reset()


def time_raw_model(video: Path, args) -> tuple[int, float, str]:
    estimator = create_estimator(_config(video, args))
    with _limited_video(video, args.frames) as source:
        frames = list(source)
    _warm_up(estimator, frames)
    start, cpu = time.perf_counter(), time.process_time()
    for frame in frames:
        estimator.estimate(frame)
    return len(frames), time.perf_counter() - start, estimator.name, time.process_time() - cpu


def _timed(totals: dict[str, float], stage: str, method):
    """`method`, adding its wall time to totals[stage] at each call."""

    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            totals[stage] = totals.get(stage, 0.0) + time.perf_counter() - start

    return timed


def time_pipeline(video: Path, args, smoothing: str) -> tuple[int, float, dict, float, float, dict]:
    """Stages are built and warmed up before the clock starts: model loading is not per-frame work. Also returns the
    whole run's seconds in the estimator, the smoother and the engine (machine and recorder, catch-ups included)."""
    config = _config(video, args, smoothing)
    definition = load_definition(config)
    with _limited_video(video, 5) as source:
        warm = list(source)
    stages = create_stages(config, definition, f"video:{video.name}")
    _warm_up(stages.estimator, warm)
    totals: dict[str, float] = {}
    for stage, part, name in (("pose", stages.estimator, "estimate"), ("smooth", stages.smoother, "apply"),
                              ("engine", stages.machine, "update"), ("engine", stages.recorder, "update")):
        setattr(part, name, _timed(totals, stage, getattr(part, name)))  # on the instance: the session calls it
    ui = _LastSnapshot()
    start, cpu = time.perf_counter(), time.process_time()
    result = run_session(config, ui, stages=stages, source_factory=lambda: _limited_video(video, args.frames))
    elapsed, cpu_s = time.perf_counter() - start, time.process_time() - cpu
    latency = dict(ui.snapshot.latency_ms) if ui.snapshot is not None else {}
    return result.frames, elapsed, latency, result.summary.fps, cpu_s, totals


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("video", nargs="?", type=Path)
    parser.add_argument("--exercise", default="squats")
    parser.add_argument("--model", default="lightning")
    parser.add_argument("--backend", default="litert")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--frames", type=int, default=300, help="at most this many frames (default 300)")
    parser.add_argument("--repeats", type=int, default=1, help="interleaved runs of each, medians printed (default 1)")
    args = parser.parse_args(argv)
    video = args.video or default_video()

    names = ["raw model (estimate only)", "full pipeline, live smoothing", "full pipeline, offline smoothing"]
    runs: dict[str, list[tuple[int, float, float]]] = {name: [] for name in names}  # (frames, seconds, cpu s)
    latencies = {}
    means: list[dict[str, float]] = []  # the live runs' mean ms per frame of each stage
    video_fps = float("nan")
    for _ in range(max(1, args.repeats)):
        n_raw, s_raw, model_name, cpu_raw = time_raw_model(video, args)
        runs[names[0]].append((n_raw, s_raw, cpu_raw))
        for name, smoothing in zip(names[1:], ("live", "offline")):
            n, s, latency, video_fps, cpu_s, totals = time_pipeline(video, args, smoothing)
            runs[name].append((n, s, cpu_s))
            latencies[smoothing] = latency
            if smoothing == "live":
                means.append({"frame": s / n, **{stage: seconds / n for stage, seconds in totals.items()}})
    rows = []
    for name, timed in runs.items():
        n, s = timed[0][0], statistics.median(s for _, s, _ in timed)
        rows.append((name, n, s, n / s, statistics.median(cpu / frames for frames, _, cpu in timed)))
    raw_fps = rows[0][3]

    print(f"video: {video.name}   model: {model_name}   threads: {args.threads}   video fps: {video_fps:.1f}"
          + (f"   medians of {args.repeats} interleaved runs" if args.repeats > 1 else ""))
    print(f"{'run':<34} {'frames':>7} {'seconds':>8} {'fps':>7} {'vs model':>9} {'x real time':>12} "
          f"{'cpu ms/frame':>13} {'cpu vs model':>13}")
    raw_cpu = rows[0][4]
    for name, n, s, fps, cpu in rows:
        print(f"{name:<34} {n:>7d} {s:>8.2f} {fps:>7.1f} {fps / raw_fps:>8.0%} {fps / video_fps:>11.1f}x "
              f"{cpu * 1e3:>13.2f} {raw_cpu / cpu:>12.0%}")
    print("per-stage latency of the live run (ms; the pipeline's moving average at the end, and the mean per frame "
          "over the run, wall time):")
    stages = dict.fromkeys([*latencies.get("live", {}), *means[0]])
    for stage in stages:
        ema = latencies.get("live", {}).get(stage)
        mean = statistics.median(m[stage] for m in means) * 1e3 if stage in means[0] else None
        print(f"  {stage:<8} {'' if ema is None else f'{ema:7.2f}':>7} {'' if mean is None else f'{mean:7.2f}':>8}")
    live_ratio = rows[1][3] / raw_fps
    if args.repeats > 1:
        paired = [(live[0] / live[1]) / (raw[0] / raw[1]) for raw, live in zip(runs[names[0]], runs[names[1]])]
        each = ", ".join(f"{p:.0%}" for p in paired)
        print(f"live / model of each run: {each} (median {statistics.median(paired):.0%})")
    verdict = "OK" if live_ratio >= TARGET_RATIO else "BELOW TARGET"
    print(f"pipeline / model = {live_ratio:.0%} (target >= {TARGET_RATIO:.0%}): {verdict}")
    print("note: every run excludes model loading and warm-up; the raw model run excludes decoding.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
