"""Large frames: a whole session on a 4K copy of a clip against the clip itself, in fresh processes, interleaved.

    python benchmarks/bench_large_frames.py [VIDEO] [--repeats 5] [--size 3840x2160] [--keep DIR] [--opencv]

The copy is made once with ffmpeg (H.264, like a phone's 4K video; libx264 -preset veryfast -crf 23) in a
temporary folder, or in DIR with --keep (reused when it is there). Prints per variant the median FPS
(frames / session wall time, model loading included), CPU time per frame (all threads) and peak RSS, then the
pairwise median FPS ratio 4K / original (issue #20's goal: >= 0.7 with peak RSS <= 300 MB) and the load
average. On a shared machine the CPU-time ratio says more than the FPS ratio: a core the original run leaves
idle is what lets the 4K run's decoding overlap. --opencv adds the copy decoded by OpenCV (as without PyAV,
the [video] extra) to the same rounds.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from session_runs import REPO, interleave, load_line, median, pairwise_ratio  # noqa: E402


def make_copy(video: Path, size: str, out: Path) -> Path:
    if out.is_file():
        return out
    if shutil.which("ffmpeg") is None:
        raise SystemExit("bench_large_frames: needs ffmpeg on PATH to make the 4K copy")
    width, height = size.split("x")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(video), "-vf", f"scale={width}:{height}", "-c:v",
                    "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", str(out)], check=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("video", nargs="?", type=Path, default=REPO / "sample_videos" / "squats_side.mp4")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--size", default="3840x2160")
    ap.add_argument("--exercise", default="squats")
    ap.add_argument("--keep", type=Path, help="make (or reuse) the copy in this folder")
    ap.add_argument("--opencv", action="store_true", help="also the copy decoded by OpenCV (as without PyAV)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        big = make_copy(args.video, args.size, folder / f"{args.video.stem}_{args.size}.mp4")
        variants = {"original": {"video": str(args.video), "exercise": args.exercise},
                    args.size: {"video": str(big), "exercise": args.exercise}}
        if args.opencv:
            variants[f"{args.size} cv2"] = {"video": str(big), "exercise": args.exercise, "opencv_only": True}
        runs = interleave(variants, args.repeats)
    print(f"large frames: {args.video.name} and its {args.size} copy, {args.repeats} interleaved repeats")
    print(f"{'variant':<14} {'fps':>7} {'CPU ms/frame':>13} {'peak RSS MB':>12} {'reps':>5}")
    for name, rs in runs.items():
        print(f"{name:<14} {median(rs, 'fps'):7.1f} {median(rs, 'cpu_ms_per_frame'):13.1f} "
              f"{max(r['peak_rss_mb'] for r in rs):12.0f} {rs[0]['reps']:5d}")
    fps_ratio = pairwise_ratio(runs, args.size, "original")
    cpu_ratio = pairwise_ratio(runs, "original", args.size, key="cpu_ms_per_frame")
    print(f"FPS ratio {args.size} / original: {fps_ratio:.2f} (goal >= 0.7); CPU-time ratio original / {args.size}: "
          f"{cpu_ratio:.2f}")
    if args.opencv:
        print(f"FPS ratio {args.size} decoded by OpenCV / original: "
              f"{pairwise_ratio(runs, f'{args.size} cv2', 'original'):.2f}; CPU-time ratio original / that: "
              f"{pairwise_ratio(runs, 'original', f'{args.size} cv2', key='cpu_ms_per_frame'):.2f}")
    print(load_line())


if __name__ == "__main__":
    main()
