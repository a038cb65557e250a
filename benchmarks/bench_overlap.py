"""Does running the engine during the next frame's inference pay on this machine? Serial vs overlapped, one video.

    python benchmarks/bench_overlap.py [VIDEO] [--exercise auto] [--frames 300] [--repeats 5] [--threads 2]

The frames are decoded into memory first; then, interleaved `--repeats` times:
1. raw model: `estimator.estimate` only;
2. serial: estimate -> smoother -> machine -> recorder, frame after frame (what the live loop does);
3. overlapped: frame N+1's crop is placed from frame N's keypoints and its LiteRT `invoke` (which releases the GIL)
   runs in a worker thread while the main thread smooths and counts frame N; one invoke in flight.
Prints the medians of frames per second and CPU time per frame (all threads) of each, and checks that both loops
count the same reps. The overlapped loop splits the single-pose estimator here, around its runner's invoke; the
pipeline does not use it (on 2 cores it gained nothing: docs/workouts.md, Speed). Needs the model in the cache.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from fitness.capture import VideoSource  # noqa: E402
from fitness.pipeline import SessionConfig, create_estimator, create_stages, load_definition  # noqa: E402
from fitness.pose.estimator import SinglePoseEstimator, in_source_pixels  # noqa: E402
from fitness.pose.preprocess import as_image, crop_to_input  # noqa: E402
from fitness.pose.types import Pose  # noqa: E402


class InvokeWorker:
    """One thread that runs `runner.run(batch)` when started; `join` waits for its output."""

    def __init__(self, runner) -> None:
        self.runner = runner
        self._go, self._done = threading.Event(), threading.Event()
        self._batch = self._out = None
        threading.Thread(target=self._loop, daemon=True).start()

    def _loop(self) -> None:
        while True:
            self._go.wait()
            self._go.clear()
            self._out = self.runner.run(self._batch)
            self._done.set()

    def start(self, batch) -> None:
        self._batch = batch
        self._done.clear()
        self._go.set()

    def join(self):
        self._done.wait()
        return self._out


def _count(stages, frame, pose) -> int:
    smoothed = stages.smoother.apply(pose) if pose is not None else None
    step = stages.machine.update(smoothed, frame.t)
    stages.recorder.update(step)
    return step.reps


def raw(estimator, frames, _stages) -> list[int]:
    for frame in frames:
        estimator.estimate(frame)
    return []


def serial(estimator, frames, stages) -> list[int]:
    return [_count(stages, frame, estimator.estimate(frame)) for frame in frames]


def overlapped(estimator: SinglePoseEstimator, frames, stages, worker: InvokeWorker) -> list[int]:
    counts, pending = [], None  # pending: (frame, pose) estimated, not yet counted
    for frame in frames:
        image, t = as_image(frame)
        size = (int(image.shape[1]), int(image.shape[0]))
        crop = estimator.tracker.crop(size)  # placed from the previous frame's keypoints
        worker.start(crop_to_input(image, crop, estimator.runner.input_size))
        if pending is not None:
            counts.append(_count(stages, *pending))
        pose = Pose.from_movenet(worker.join().reshape(-1, 3)[:17], crop, size, t)
        if pose.pose_score < estimator.min_pose_score:
            estimator.tracker.update(None, None, size)
            pending = (frame, None)
        else:
            estimator.tracker.update(pose.xy, pose.score, size)
            pending = (frame, in_source_pixels(pose, frame))
    if pending is not None:
        counts.append(_count(stages, *pending))
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("video", nargs="?", type=Path, default=REPO / "sample_videos" / "squats_side.mp4")
    parser.add_argument("--exercise", default="auto")
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    config = SessionConfig(exercise=args.exercise, source="video", path=str(args.video), threads=args.threads,
                           smoothing="live", window=False, no_history=True)
    definition = load_definition(config)
    estimator = create_estimator(config)
    if not isinstance(estimator, SinglePoseEstimator):
        sys.exit("bench_overlap: needs a single-pose model (lightning or thunder)")
    with VideoSource(args.video) as source:
        frames = list(itertools.islice(source, args.frames))
    worker = InvokeWorker(estimator.runner)
    runs = {"raw model": raw, "serial": serial,
            "overlapped": lambda e, f, s: overlapped(e, f, s, worker)}
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    counts: dict[str, list[int]] = {}
    for repeat in range(args.repeats + 1):  # the first round warms up and is not timed
        for name, run in runs.items():
            estimator.reset()
            stages = create_stages(config, definition, "bench", estimator=estimator)
            start, cpu = time.perf_counter(), time.process_time()
            counts[name] = run(estimator, frames, stages)
            if repeat:
                results[name].append((len(frames) / (time.perf_counter() - start),
                                      (time.process_time() - cpu) / len(frames) * 1e3))
    if counts["serial"] != counts["overlapped"]:
        sys.exit("bench_overlap: the overlapped loop counted differently from the serial one")
    raw_fps = statistics.median(fps for fps, _ in results["raw model"])
    print(f"video: {args.video.name}   model: {estimator.name}   frames: {len(frames)}   repeats: {args.repeats}")
    print(f"{'run':<12} {'fps':>7} {'vs model':>9} {'cpu ms/frame':>13}")
    for name, rows in results.items():
        fps = statistics.median(f for f, _ in rows)
        print(f"{name:<12} {fps:>7.1f} {fps / raw_fps:>8.0%} {statistics.median(c for _, c in rows):>13.2f}")
    reps = counts["serial"][-1] if counts["serial"] else 0
    print(f"reps counted: {reps} (serial and overlapped agree frame by frame)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
