"""What `--save-video` costs: a whole session on a video with and without it, in fresh processes, interleaved.

    python benchmarks/bench_save_video.py [VIDEO ...] [--repeats 5] [--smoothing offline|live]

Prints, per video, the median FPS of each (frames / session wall time, model loading included), the pairwise
median of their ratio and the cost (1 - ratio; issue #20's goal: <= 15 %), the median CPU time per frame (all
threads) of each and its pairwise ratio (steadier than wall time on a shared machine), then the load average. Default
smoothing is offline, as `fitness run --video` does (the video is drawn during its pose pass, fitness.run.draw_ahead).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from session_runs import REPO, interleave, load_line, median, pairwise_ratio  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("videos", nargs="*", type=Path)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--smoothing", default=None, help="offline (default for videos), live, ...")
    args = ap.parse_args()
    videos = args.videos or sorted((REPO / "sample_videos").glob("*.mp4"))
    print(f"--save-video cost, {args.repeats} interleaved repeats, smoothing {args.smoothing or 'offline'}")
    print(f"{'video':<28} {'fps plain':>9} {'fps saved':>9} {'ratio':>6} {'cost':>6} "
          f"{'CPU ms/frame plain -> saved':>28} {'CPU ratio':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for video in videos:
            base = {"video": str(video), "smoothing": args.smoothing}
            runs = interleave({"plain": base, "saved": {**base, "save_video": str(Path(tmp) / "out.mp4")}},
                              args.repeats)
            ratio = pairwise_ratio(runs, "saved", "plain")
            cpu = f"{median(runs['plain'], 'cpu_ms_per_frame'):.2f} -> {median(runs['saved'], 'cpu_ms_per_frame'):.2f}"
            cpu_ratio = pairwise_ratio(runs, "saved", "plain", "cpu_ms_per_frame")
            print(f"{video.name:<28} {median(runs['plain'], 'fps'):9.1f} {median(runs['saved'], 'fps'):9.1f} "
                  f"{ratio:6.2f} {1 - ratio:6.0%} {cpu:>28} {cpu_ratio:9.2f}")
    print(load_line())


if __name__ == "__main__":
    main()
