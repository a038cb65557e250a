"""The live view's cost to the pipeline and its frame-to-viewer latency, with 0, 1 and 5 viewers.

    python benchmarks/bench_serve.py [VIDEO] [--frames 300] [--rounds 3] [--viewers 0,1,5] [--realtime]

Each run is the full pipeline (`fitness run --video VIDEO --smoothing live --no-window --serve 127.0.0.1:0`,
model included, as fast as the machine goes unless --realtime) with N viewers reading `/stream.mjpg` over
loopback HTTP (threads of another process). The viewer counts take turns, `--rounds` times, and the medians are
compared, since a shared machine's speed drifts.

- pipeline fps: frames / seconds from the first frame to the summary;
- latency: from the frame loop handing the annotated frame to the hub to a viewer holding its whole JPEG
  (encoding, the event loop, HTTP over loopback; a browser adds its JPEG decode and paint, a few ms). The
  viewers run in a process of their own at the lowest priority (real viewers are other devices), and read the
  publish time from each JPEG's tag;
- encoded: frames JPEG-encoded per frame published (each at most once, whatever the viewers).
Needs the model in the cache (`fitness models fetch lightning`) and the web extra.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from fitness.capture import VideoSource  # noqa: E402
from fitness.capture.realtime import RealtimeSource  # noqa: E402
from fitness.feedback.tee import TeeUI  # noqa: E402
from fitness.pipeline import SessionConfig, create_estimator, create_stages, load_definition, run_session  # noqa: E402
from fitness.web.app import PART_HEAD  # noqa: E402
from fitness.web.hub import FrameHub, encode, read_tag  # noqa: E402
from fitness.web.server import LiveServer  # noqa: E402

KEEP_FPS = 0.90  # the pipeline keeps at least this share of its speed with 5 viewers
LATENCY_TARGET_MS = 150.0


def open_stream(port: int) -> http.client.HTTPResponse:
    """A viewer's connection to the live view's MJPEG stream, read up to its first JPEG."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", "/stream.mjpg")
    stream = conn.getresponse()
    stream.read(len(PART_HEAD) - 2)
    return stream


def stream_tags(stream: http.client.HTTPResponse) -> Iterator[tuple[int, float]]:
    """The (sequence number, monotonic time handed over) tag of each tagged JPEG of the stream, as it arrives,
    until the stream ends."""
    buf = b""
    while chunk := stream.read1(65536):
        buf += chunk
        while (end := buf.find(PART_HEAD)) >= 0:
            jpeg, buf = buf[:end], buf[end + len(PART_HEAD):]
            stamp = read_tag(jpeg)
            if stamp is not None:
                yield stamp


def view(port: int, viewers: int) -> None:
    """The viewers' process: `viewers` threads read /stream.mjpg until it ends; prints "ready" once all are
    connected, then at the end one JSON line of latencies (ms) from each JPEG's tag (time.monotonic is the
    system-wide clock on Linux and macOS, so it compares across processes)."""
    # Real viewers are phones and TVs, whose work is not this computer's: at the lowest priority, this process
    # gets only what the pipeline leaves (its latency is then an upper bound).
    os.nice(19)
    latency_ms: list[float] = []
    connected = threading.Barrier(viewers + 1)

    def one() -> None:
        stream = open_stream(port)
        connected.wait()
        for stamp in stream_tags(stream):
            latency_ms.append(1000 * (time.monotonic() - stamp[1]))

    threads = [threading.Thread(target=one, daemon=True) for _ in range(viewers)]
    for t in threads:
        t.start()
    connected.wait()
    print("ready", flush=True)
    for t in threads:
        t.join()
    print(json.dumps(latency_ms), flush=True)


class Timed:
    """The hub's encoder, timed."""

    def __init__(self) -> None:
        self.encode_ms: list[float] = []

    def __call__(self, image) -> bytes:
        t0 = time.perf_counter()
        data = encode(image)
        self.encode_ms.append(1000 * (time.perf_counter() - t0))
        return data


def limited(video: Path, frames: int, realtime: bool):
    class Limited(VideoSource):
        def _frames(self):
            return itertools.islice(super()._frames(), frames)

    source = Limited(video)
    return RealtimeSource(source) if realtime else source


def one_run(video: Path, args, estimator, viewers: int) -> dict:
    config = SessionConfig(exercise="squats", source="video", path=str(video), smoothing="live", window=False,
                           no_history=True)
    estimator.reset()
    stages = create_stages(config, load_definition(config), f"video:{video.name}", estimator=estimator)
    timed = Timed()
    hub = FrameHub(encoder=timed)
    server = LiveServer("127.0.0.1:0", hub).start() if viewers >= 0 else None
    client = None
    if viewers > 0:
        client = subprocess.Popen([sys.executable, __file__, "--view", f"{server.port}:{viewers}"],
                                  stdout=subprocess.PIPE, text=True)
        assert client.stdout.readline().strip() == "ready"
    start = time.perf_counter()
    result = run_session(config, TeeUI(hub) if server else None, stages=stages,
                         source_factory=lambda: limited(video, args.frames, args.realtime),
                         frame_sink=hub if server else None)
    elapsed = time.perf_counter() - start
    if server is not None:
        server.stop()
    else:
        hub.close()
    latency = json.loads(client.communicate(timeout=60)[0].strip().splitlines()[-1]) if client else []
    return {"fps": result.frames / elapsed, "frames": result.frames, "encoded": hub.encoded,
            "latency_ms": latency, "encode_ms": timed.encode_ms}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("video", nargs="?", type=Path, default=REPO / "sample_videos" / "squats_side.mp4")
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--viewers", default="0,1,5,-1", help="viewer counts to compare, the first is the base; "
                        "-1 is a run without --serve (default 0,1,5,-1)")
    parser.add_argument("--realtime", action="store_true", help="play the video at its own speed")
    parser.add_argument("--view", metavar="PORT:N", help=argparse.SUPPRESS)  # the viewers' own process
    args = parser.parse_args(argv)
    if args.view:
        port, n = args.view.split(":")
        view(int(port), int(n))
        return 0
    counts = [int(x) for x in args.viewers.split(",")]
    estimator = create_estimator(SessionConfig(exercise="squats", source="video", path=str(args.video)))
    runs: dict[int, list[dict]] = {n: [] for n in counts}
    one_run(args.video, argparse.Namespace(frames=20, realtime=False), estimator, 1)  # warm-up (model, server)
    for _ in range(args.rounds):
        for n in counts:
            runs[n].append(one_run(args.video, args, estimator, n))
    base = statistics.median(r["fps"] for r in runs[counts[0]])
    print(f"video: {args.video.name}, {args.frames} frames, {args.rounds} rounds, "
          f"{'real time' if args.realtime else 'as fast as possible'}; medians")
    print(f"{'viewers':>8} {'fps':>7} {'vs ' + str(counts[0]):>7} {'encoded/frame':>14} {'latency ms p50':>15} "
          f"{'p95':>7} {'encode ms':>10}")
    for n in counts:
        fps = statistics.median(r["fps"] for r in runs[n])
        latency = sorted(x for r in runs[n] for x in r["latency_ms"])
        encode_ms = [x for r in runs[n] for x in r["encode_ms"]]
        share = statistics.median(r["encoded"] / r["frames"] for r in runs[n])
        p50 = f"{statistics.median(latency):.1f}" if latency else "-"
        p95 = f"{latency[int(0.95 * (len(latency) - 1))]:.1f}" if latency else "-"
        enc = f"{statistics.median(encode_ms):.1f}" if encode_ms else "-"
        label = "no serve" if n < 0 else str(n)
        print(f"{label:>8} {fps:>7.1f} {fps / base:>7.0%} {share:>14.2f} {p50:>15} {p95:>7} {enc:>10}")
    most = max(counts)
    five = statistics.median(r["fps"] for r in runs[most])
    print(f"{most} viewers: {five / base:.0%} of the fps with {counts[0]} (target >= {KEEP_FPS:.0%}); "
          f"latency target < {LATENCY_TARGET_MS:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
