"""Live latency on a replayed camera: from a frame's capture to its keypoints, to its overlay drawn (and, with
--serve, to a viewer holding its JPEG), p50/p95 in ms, with Lightning and Thunder, and the frames dropped.

    python benchmarks/bench_latency.py [VIDEO ...] [--models lightning,thunder] [--rounds 3] [--seconds 10]
                                       [--serve] [--threads 2]

Each run is `fitness run squats --camera VIDEO --no-window` (a ReplayCamera: frames handed on at the video's own
frame rate by a capture thread, the newest one processed, the rest dropped, as a real camera does) with the real
model, smoother, engine and overlay, over the first `--seconds` of the video. Runs of the models and videos take
turns, `--rounds` times, since a shared machine's speed drifts; the table pools the frames of all rounds.

Per processed frame, on time.monotonic() from the frame's capture time (`Frame.grabbed_at_s`):
- wait: capture -> the loop picks the frame up (it waits in the camera's one-frame mailbox while the previous
  frame is processed, plus the hand-over);
- model: the pose estimate (crop, resize, MoveNet, decode), wall time; and the process's CPU time meanwhile (all
  threads: the model's, plus the capture and decode threads'), which tells work from waiting for a core;
- engine: smoothing, the exercise engine, the recorder and the snapshot;
- draw: the overlay;
- drawn: capture -> overlay drawn, the sum (what a window would show, less its paint);
- served (--serve): capture -> a viewer process (lowest priority, loopback HTTP) holds the frame's JPEG.
No video is given: sample_videos/squats_side.mp4 and a clip rendered once into benchmarks/.cache/.
Needs the models in the cache (`fitness models fetch all`); --serve needs the web extra.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import fitness.run.display as display_module  # noqa: E402
from fitness.capture import VideoSource  # noqa: E402
from fitness.capture.replay import ReplayCamera  # noqa: E402
from fitness.pipeline import SessionConfig, create_estimator, create_stages, load_definition, run_session  # noqa: E402

GOAL_P95_MS = 50.0  # issue #20: p95 capture -> overlay drawn with Lightning on this 2-core machine
WARMUP_FRAMES = 10  # the first frames of a run (allocations, the crop tracker finding the person) are not counted
RENDERED = REPO / "benchmarks" / ".cache" / "squats_rendered_100201.mp4"


def render_clip() -> Path:
    if not RENDERED.exists():
        RENDERED.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "fitness", "render", "squats", "--reps", "6", "--view", "side",
                        "--seed", "100201", "--out", str(RENDERED)], check=True, capture_output=True)
    return RENDERED


class Probe:
    """Times each frame through the loop: wraps the estimator (frame picked up, pose done), the overlay (draw) and
    is the session's frame sink (overlay drawn; with a hub, passes the frame on to be served)."""

    def __init__(self, estimator, hub=None) -> None:
        self.inner, self.hub = estimator, hub
        self.name = estimator.name
        self.rows: list[tuple[float, float, float, float, float]] = []  # grabbed, picked, posed, draw_s, drawn
        self.grabbed_of_seq: list[float] = []  # capture time of each published frame, in publish order
        self._frame: tuple[float, float, float] | None = None
        self.model_cpu_s: list[float] = []  # the process's CPU time during each estimate (all its threads)
        self._draw_s = 0.0

    # the estimator
    def estimate(self, frame):
        picked, cpu0 = time.monotonic(), time.process_time()
        pose = self.inner.estimate(frame)
        self._frame = (frame.grabbed_at_s, picked, time.monotonic())
        self.model_cpu_s.append(time.process_time() - cpu0)
        return pose

    def estimate_all(self, frame):
        return self.inner.estimate_all(frame)

    def reset(self) -> None:
        self.inner.reset()

    # the overlay
    def draw_overlay(self, image, snapshot):
        t0 = time.perf_counter()
        out = ORIGINAL_DRAW(image, snapshot)
        self._draw_s = time.perf_counter() - t0
        return out

    # the frame sink
    @property
    def wanted(self) -> bool:
        return True

    def publish(self, image) -> None:
        drawn = time.monotonic()
        if self._frame is not None:
            self.rows.append((*self._frame, self._draw_s, drawn))
            self.grabbed_of_seq.append(self._frame[0])
        if self.hub is not None:
            self.hub.publish(image)


ORIGINAL_DRAW = display_module.draw_overlay


def view(port: int) -> None:
    """The viewer's process (lowest priority, as a phone's work is not this computer's): reads /stream.mjpg until
    it ends, then prints one JSON line of [seq, received monotonic time] per JPEG."""
    from bench_serve import open_stream, stream_tags

    os.nice(19)
    stream = open_stream(port)
    print("ready", flush=True)
    got = [(stamp[0], time.monotonic()) for stamp in stream_tags(stream)]
    print(json.dumps(got), flush=True)


class Limited(VideoSource):
    """The first `seconds` of a video."""

    def __init__(self, path, transform, seconds: float) -> None:
        super().__init__(path, transform)
        self.seconds = seconds

    def _frames(self):
        return itertools.takewhile(lambda item: item[1] < self.seconds, super()._frames())


def one_run(video: Path, model: str, estimators: dict, args) -> dict:
    config = SessionConfig(exercise="squats", source="camera", camera=str(video), model=model, window=False,
                           no_history=True, threads=args.threads)
    estimator = estimators[model]
    estimator.reset()
    hub = server = client = None
    if args.serve:
        from fitness.web.hub import FrameHub
        from fitness.web.server import LiveServer

        hub = FrameHub()
        server = LiveServer("127.0.0.1:0", hub).start()
        client = subprocess.Popen([sys.executable, __file__, "--view", str(server.port)], stdout=subprocess.PIPE,
                                  text=True)
        assert client.stdout.readline().strip() == "ready"
    probe = Probe(estimator, hub)
    stages = create_stages(config, load_definition(config), f"replay:{video.name}", estimator=probe)
    sources: list[ReplayCamera] = []

    def factory() -> ReplayCamera:
        sources.append(ReplayCamera(video, video_factory=lambda path, transform: Limited(path, transform,
                                                                                       seconds=args.seconds)))
        return sources[-1]

    display_module.draw_overlay = probe.draw_overlay
    try:
        result = run_session(config, hub, stages=stages, source_factory=factory, frame_sink=probe, own_signals=False)
    finally:
        display_module.draw_overlay = ORIGINAL_DRAW
        if server is not None:
            server.stop()
    served_ms: list[float] = []
    if client is not None:
        got = json.loads(client.communicate(timeout=60)[0].strip().splitlines()[-1])
        for seq, received in got:
            if WARMUP_FRAMES < seq <= len(probe.grabbed_of_seq):
                served_ms.append(1000 * (received - probe.grabbed_of_seq[seq - 1]))
    rows = np.array(probe.rows[WARMUP_FRAMES:], dtype=np.float64).reshape(-1, 5)
    source = sources[-1]
    return {
        "wait": 1000 * (rows[:, 1] - rows[:, 0]),
        "model": 1000 * (rows[:, 2] - rows[:, 1]),
        "draw": 1000 * rows[:, 3],
        "engine": 1000 * (rows[:, 4] - rows[:, 2]) - 1000 * rows[:, 3],
        "drawn": 1000 * (rows[:, 4] - rows[:, 0]),
        "model_cpu": 1000 * np.array(probe.model_cpu_s[WARMUP_FRAMES:]),
        "served": np.array(served_ms),
        "frames": result.frames,
        "handed_on": source.handed_on,
        "dropped": source.dropped,
        "reps": result.summary.reps,
    }


def pct(values: np.ndarray, q: float) -> str:
    return f"{np.percentile(values, q):.1f}" if len(values) else "-"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("videos", nargs="*", type=Path)
    parser.add_argument("--models", default="lightning,thunder")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds of each video replayed (default 10)")
    parser.add_argument("--threads", type=int, default=2, help="inference threads (default 2, as fitness run)")
    parser.add_argument("--serve", action="store_true", help="also serve the live view to a viewer process")
    parser.add_argument("--view", metavar="PORT", help=argparse.SUPPRESS)  # the viewer's own process
    args = parser.parse_args(argv)
    if args.view:
        view(int(args.view))
        return 0
    videos = args.videos or [REPO / "sample_videos" / "squats_side.mp4", render_clip()]
    models = args.models.split(",")
    estimators = {m: create_estimator(SessionConfig(exercise="squats", source="camera", model=m,
                                                    threads=args.threads)) for m in models}
    load = os.getloadavg()
    runs: dict[tuple[str, str], list[dict]] = {(v.name, m): [] for v in videos for m in models}
    for m in models:  # warm-up: the model's first inferences
        one_run(videos[0], m, estimators, argparse.Namespace(**{**vars(args), "seconds": 3.0, "serve": False}))
    for _ in range(args.rounds):
        for video in videos:
            for m in models:
                runs[(video.name, m)].append(one_run(video, m, estimators, args))
    load_after = os.getloadavg()
    print(f"{args.rounds} rounds x {args.seconds:g} s per video and model, threads={args.threads}, "
          f"frames pooled over rounds (first {WARMUP_FRAMES} of each run left out); "
          f"load average {load[0]:.1f} before, {load_after[0]:.1f} after, {os.cpu_count()} CPUs")
    head = (f"| {'video':<28} | {'model':<9} | {'drawn p50':>9} | {'drawn p95':>9} | {'served p50':>10} | "
            f"{'served p95':>10} | {'wait p50':>8} | {'model p50':>9} | {'engine p50':>10} | {'draw p50':>8} | "
            f"{'fps':>5} | {'dropped':>11} |")
    print(head)
    print("|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|")
    for (name, m), rs in runs.items():
        pool = {k: np.concatenate([r[k] for r in rs]) for k in ("wait", "model", "model_cpu", "engine", "draw", "drawn",
                                                                  "served")}
        frames, handed, dropped = (sum(r[k] for r in rs) for k in ("frames", "handed_on", "dropped"))
        fps = statistics.median(r["frames"] / args.seconds for r in rs)
        print(f"| {name:<28} | {m:<9} | {pct(pool['drawn'], 50):>9} | {pct(pool['drawn'], 95):>9} | "
              f"{pct(pool['served'], 50):>10} | {pct(pool['served'], 95):>10} | {pct(pool['wait'], 50):>8} | "
              f"{pct(pool['model'], 50):>9} | {pct(pool['engine'], 50):>10} | {pct(pool['draw'], 50):>8} | "
              f"{fps:>5.1f} | {f'{dropped}/{handed}':>11} |")
        per_round = ", ".join(f"{np.percentile(r['drawn'], 95):.0f}" for r in rs)
        print(f"|   p95 drawn per round: {per_round} ms; wait p95 {pct(pool['wait'], 95)}, model p95 "
              f"{pct(pool['model'], 95)}; model CPU time p50 {pct(pool['model_cpu'], 50)}, p95 "
              f"{pct(pool['model_cpu'], 95)} (all threads)")
    print(f"goal: drawn p95 < {GOAL_P95_MS:.0f} ms with lightning")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
