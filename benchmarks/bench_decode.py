"""Decoding large frames: CPU time per frame to decode a video and bring each frame to the pipeline's working
size, for OpenCV (today's path) and PyAV/FFmpeg with decoder options, each variant in a fresh process, interleaved.

    python benchmarks/bench_decode.py VIDEO [--repeats 3] [--frames 300] [--variants cv2,shipped,...]

CPU time is all threads (getrusage), from the first decoded frame to the last (opening excluded), so it is
not blurred much by other jobs on a shared machine; wall time is printed too. The working size is what
VideoSource would halve the video to (fitness.capture.transforms.halvings); `shipped` is the path VideoSource
takes for such frames (fitness.capture.scaled_decode), `cv2` the one it takes without PyAV. The av_* variants
use FFmpeg's default thread count (cores + 1); `av_floor` decodes only (one thread, no deblocking, no
conversion): the least a frame of that video costs. Needs PyAV (the [video] extra).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# name: (decoder, thread type, decoder options, how the frame is brought to the working size)
VARIANTS = {
    "cv2": ("cv2", None, {}, "bgr_halve"),  # today: OpenCV's whole BGR frame, then halved with INTER_AREA
    "cv2_1thread": ("cv2", None, {}, "bgr_halve"),  # the same with one decoder thread (OPENCV_FFMPEG_THREADS=1)
    "av_slice_full": ("av", "SLICE", {}, "bgr_halve"),  # PyAV as it comes: slice threads, whole BGR frame
    "av_frame_full": ("av", "FRAME", {}, "bgr_halve"),
    "av_frame_area": ("av", "FRAME", {}, "sws_area"),  # swscale converts and scales in one pass
    "av_frame_fastbil": ("av", "FRAME", {}, "sws_fast_bilinear"),
    "av_frame_yuv": ("av", "FRAME", {}, "yuv_cv"),  # planes scaled by OpenCV, then converted at working size
    "av_frame_fast": ("av", "FRAME", {"flags2": "+fast"}, "sws_area"),
    "av_frame_nolf_noref": ("av", "FRAME", {"skip_loop_filter": "noref"}, "sws_area"),
    "av_frame_nolf_all": ("av", "FRAME", {"skip_loop_filter": "all"}, "sws_area"),
    "av_frame_nolf_all_fast": ("av", "FRAME", {"skip_loop_filter": "all", "flags2": "+fast"}, "sws_area"),
    "av_frame_noidct_noref": ("av", "FRAME", {"skip_loop_filter": "all", "skip_idct": "noref"}, "sws_area"),
    "shipped": ("shipped", None, {}, None),  # fitness.capture.scaled_decode as VideoSource uses it
    # The decoder's floor: one thread (no frame-thread hand-offs), no deblocking, frames neither converted nor
    # scaled. Whatever a session does with a frame costs at least this on top of the pipeline.
    "av_floor": ("av", "FRAME", {"skip_loop_filter": "all"}, None),
}
# Variants whose decoder gets one thread (OpenCV through its environment variable, PyAV through the context).
ONE_THREAD = {"cv2_1thread", "av_floor"}

_CHILD = r"""
import json, resource, sys, time
import cv2, numpy as np
from fitness.capture.transforms import halve, halvings

args = json.loads(sys.argv[1])
decoder, thread_type, options, scale = args["variant"]
limit = args["frames"]
def cpu_s():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime

def frames_cv2():
    cap = cv2.VideoCapture(args["video"])
    times = None
    while True:
        ok, image = cap.read()
        if not ok:
            break
        if times is None:
            times = halvings((image.shape[1], image.shape[0]))
        yield halve(image, times)

def frames_av():
    import av
    container = av.open(args["video"])
    stream = container.streams.video[0]
    ctx = stream.codec_context
    ctx.thread_type = thread_type
    ctx.thread_count = args["threads"]
    ctx.options = dict(options)
    times = halvings((ctx.width, ctx.height))
    size = (ctx.width >> times, ctx.height >> times)
    interp = {"sws_area": "AREA", "sws_fast_bilinear": "FAST_BILINEAR"}.get(scale)
    for frame in container.decode(stream):
        if scale is None:
            yield np.zeros((1, 1, 3), np.uint8)  # decoded only
        elif scale == "bgr_halve":
            yield halve(frame.to_ndarray(format="bgr24"), times)
        elif scale == "yuv_cv":
            yuv = frame.to_ndarray(format="yuv420p")
            h = frame.height
            y = cv2.resize(yuv[:h], size, interpolation=cv2.INTER_AREA)
            uv = yuv[h:].reshape(2, h // 2, frame.width // 2)
            u = cv2.resize(uv[0], (size[0] // 2, size[1] // 2), interpolation=cv2.INTER_AREA)
            v = cv2.resize(uv[1], (size[0] // 2, size[1] // 2), interpolation=cv2.INTER_AREA)
            i420 = np.concatenate([y.ravel(), u.ravel(), v.ravel()]).reshape(size[1] * 3 // 2, size[0])
            yield cv2.cvtColor(i420, cv2.COLOR_YUV2BGR_I420)
        else:
            yield frame.to_ndarray(format="bgr24", width=size[0], height=size[1], interpolation=interp)

def frames_shipped():
    from fitness.capture.scaled_decode import open_scaled
    cap = cv2.VideoCapture(args["video"])
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    cap.release()
    for _, image, _ in open_scaled(args["video"], halvings(size), 30.0).frames():
        yield image

frames = {"cv2": frames_cv2, "av": frames_av, "shipped": frames_shipped}[decoder]()
first = next(frames)
n, started, cpu0 = 1, time.perf_counter(), cpu_s()
out = [first] if args.get("keep") else None
for image in frames:
    n += 1
    if out is not None:
        out.append(image)
    if n >= limit:
        break
wall_s, cpu = time.perf_counter() - started, cpu_s() - cpu0
if out is not None:
    np.save(args["keep"], np.stack(out))
print(json.dumps({"frames": n, "cpu_ms_per_frame": 1000 * cpu / (n - 1), "wall_ms_per_frame": 1000 * wall_s / (n - 1),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "shape": list(first.shape)}))
"""


def run_once(video: Path, name: str, frames: int, keep: Path | None = None) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if name == "cv2_1thread":
        env["OPENCV_FFMPEG_THREADS"] = "1"
    args = {"video": str(video), "variant": VARIANTS[name], "frames": frames, "keep": str(keep) if keep else None,
            "threads": 1 if name in ONE_THREAD else 0}
    done = subprocess.run([sys.executable, "-c", _CHILD, json.dumps(args)], env=env, capture_output=True, text=True,
                          cwd=REPO)
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("video", type=Path)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--frames", type=int, default=300, help="frames decoded per run (at most)")
    ap.add_argument("--variants", default=",".join(VARIANTS))
    args = ap.parse_args()
    names = args.variants.split(",")
    runs: dict[str, list[dict]] = {name: [] for name in names}
    loads = []
    for _ in range(args.repeats):
        for name in names:
            runs[name].append(run_once(args.video, name, args.frames))
            loads.append(os.getloadavg()[0])
    print(f"decode: {args.video.name}, {args.frames} frames, {args.repeats} interleaved repeats (medians)")
    print(f"{'variant':<24} {'CPU ms/frame':>13} {'wall ms/frame':>14} {'peak RSS MB':>12}  output")
    for name, rs in runs.items():
        cpu = statistics.median(r["cpu_ms_per_frame"] for r in rs)
        wall = statistics.median(r["wall_ms_per_frame"] for r in rs)
        print(f"{name:<24} {cpu:13.1f} {wall:14.1f} {max(r['peak_rss_mb'] for r in rs):12.0f}  "
              f"{'x'.join(map(str, rs[0]['shape']))}")
    print(f"1-min load average during the runs: median {statistics.median(loads):.2f}, max {max(loads):.2f} "
          f"on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
