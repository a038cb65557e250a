"""Render speed of the synthetic athlete alone and in groups: prints frames per second of drawing (planning
excluded, and planning separately), without and with the MP4 encode (python benchmarks/bench_render_groups.py).

Rows: one athlete at 640x480 (the single-athlete default), then groups of 2, 3 and 4 squatting athletes at
1280x720 (the group default), plus 3 athletes with a crossing and a passer-by. `--frames N` draws the first N
frames of each clip (default 120); `--size WxH` overrides the group size.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import cv2

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from fitness.synth import RenderSpec, plan_clip, render_frames  # noqa: E402
from fitness.synth.group import GROUP_SIZE, GroupSpec, plan_group, render_group_frames  # noqa: E402

SEED = 100500  # clear of the evaluation sets


def _time(frames, limit: int, size: tuple[int, int]) -> tuple[float, float]:
    """(frames/s drawing, frames/s drawing + mp4v encoding) over the first `limit` frames."""
    with tempfile.TemporaryDirectory() as tmp:
        writer = cv2.VideoWriter(str(Path(tmp) / "x.mp4"), cv2.VideoWriter_fourcc(*"mp4v"), 30.0, size)
        draw = encode = 0.0
        n = 0
        t = time.perf_counter()
        for item in frames:
            img = item[0]
            t1 = time.perf_counter()
            draw += t1 - t
            writer.write(img)
            t = time.perf_counter()
            encode += t - t1
            n += 1
            if n >= limit:
                break
        writer.release()
    return n / draw, n / (draw + encode)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=120)
    ap.add_argument("--size", default=None, metavar="WxH")
    args = ap.parse_args()
    size = tuple(int(v) for v in args.size.split("x")) if args.size else GROUP_SIZE
    table = Table(title=f"render speed, first {args.frames} frames per clip (fps)")
    for col in ("clip", "size", "plan s", "draw fps", "draw + encode fps"):
        table.add_column(col, justify="left" if col == "clip" else "right")
    t = time.perf_counter()
    clip = plan_clip(RenderSpec("squats", 12, seed=SEED))
    plan_s = time.perf_counter() - t
    table.add_row("1 athlete", "640x480", f"{plan_s:.1f}", *(f"{v:.1f}" for v in _time(
        render_frames(clip), args.frames, (640, 480))))
    for n, extra in ((2, {}), (3, {}), (4, {}), (3, {"cross": True, "passer": True})):
        t = time.perf_counter()
        group = plan_group(GroupSpec("squats", (12,) * n, seed=SEED, size=size, **extra))
        plan_s = time.perf_counter() - t
        name = f"{n} athletes" + (" + crossing + passer-by" if extra else "")
        table.add_row(name, f"{size[0]}x{size[1]}", f"{plan_s:.1f}",
                      *(f"{v:.1f}" for v in _time(render_group_frames(group), args.frames, size)))
    Console().print(table)


if __name__ == "__main__":
    main()
