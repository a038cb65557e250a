"""What `--save-video` costs: a whole session on a video with and without it, in fresh processes, interleaved.

    python benchmarks/bench_save_video.py [VIDEO ...] [--repeats 5] [--smoothing offline|live] [--threads]

Prints, per video, the median FPS of each (frames / session wall time, model loading included), the pairwise
median of their ratio and the cost (1 - ratio; issue #20's goal: <= 15 %), the median CPU time per frame (all
threads) of each and its pairwise ratio (steadier than wall time on a shared machine), then the load average. Default
smoothing is offline, as `fitness run --video` does (the video is drawn during its pose pass, fitness.run.draw_ahead).
--threads also prints the median CPU ms per frame of each thread, plain -> saved (`save`: the writer thread; `python`:
the model's and OpenCV's worker threads; `main`: the frame loop and the model's share of it).
"""

from __future__ import annotations

import argparse
import statistics
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
    ap.add_argument("--threads", action="store_true", help="also the CPU time of each thread")
    args = ap.parse_args()
    videos = args.videos or sorted((REPO / "sample_videos").glob("*.mp4"))
    print(f"--save-video cost, {args.repeats} interleaved repeats, smoothing {args.smoothing or 'offline'}")
    print(f"{'video':<28} {'fps plain':>9} {'fps saved':>9} {'ratio':>6} {'cost':>6} "
          f"{'CPU ms/frame plain -> saved':>28} {'CPU ratio':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for video in videos:
            base = {"video": str(video), "smoothing": args.smoothing, "threads": args.threads}
            runs = interleave({"plain": base, "saved": {**base, "save_video": str(Path(tmp) / "out.mp4")}},
                              args.repeats)
            ratio = pairwise_ratio(runs, "saved", "plain")
            cpu = f"{median(runs['plain'], 'cpu_ms_per_frame'):.2f} -> {median(runs['saved'], 'cpu_ms_per_frame'):.2f}"
            cpu_ratio = pairwise_ratio(runs, "saved", "plain", "cpu_ms_per_frame")
            print(f"{video.name:<28} {median(runs['plain'], 'fps'):9.1f} {median(runs['saved'], 'fps'):9.1f} "
                  f"{ratio:6.2f} {1 - ratio:6.0%} {cpu:>28} {cpu_ratio:9.2f}")
            if args.threads:
                print("    CPU ms/frame by thread, plain -> saved: " + thread_line(runs))
    print(load_line())


def thread_line(runs: dict[str, list[dict]]) -> str:
    """Each thread's median CPU ms per frame, plain -> saved (0 where a variant has no such thread)."""
    names = sorted({name for variant in runs.values() for run in variant for name in run["threads"]})

    def cpu(variant: str, name: str) -> float:
        return statistics.median(run["threads"].get(name, 0.0) for run in runs[variant])

    return ", ".join(f"{name} {cpu('plain', name):.2f} -> {cpu('saved', name):.2f}" for name in names)


if __name__ == "__main__":
    main()
