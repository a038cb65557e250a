"""End-to-end accuracy on rendered clips: renders a balanced set (every exercise and view, varied reps,
faults, partial reps, blur and shake; seeds from 1000 up, never used by tests), runs the pipeline on it
and prints the per-exercise table of `fitness eval`, plus the renderer's speed.

    python benchmarks/eval_counts.py --out /tmp/eval_clips                 # render 8 clips per view, evaluate
    python benchmarks/eval_counts.py --out /tmp/eval_clips --keypoints-only  # MoveNet PCK only (no pipeline)
    python benchmarks/eval_counts.py --dir /tmp/eval_clips                 # evaluate clips rendered before
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from fitness.commands.render import print_eval_table  # noqa: E402
from fitness.synth import RenderSpec, render_video  # noqa: E402
from fitness.synth.evaluate import detectable_faults, evaluate_folder  # noqa: E402
from fitness.synth.motion import SCRIPTS  # noqa: E402

SEED_BASE = 1000  # tests use seeds below 1000 and 7000-7099 (tests/test_end_to_end.py)
# Views rendered since, left out of the default set so that its clips (and their seeds) stay as measured.
NOT_IN_DEFAULT_SET = {("push_ups", "front")}


def clip_specs(per_view: int, seed_base: int = SEED_BASE) -> dict[str, RenderSpec]:
    """name -> spec: `per_view` clips for every exercise and view, deterministic."""
    specs = {}
    k = 0
    for exercise, script in SCRIPTS.items():
        for view in (v for v in script.views if (exercise, v) not in NOT_IN_DEFAULT_SET):
            # Only faults the view can show: a torso swinging back is not a fault a front camera can judge.
            view_faults = detectable_faults(exercise, view)
            for i in range(per_view):
                seed = seed_base + k
                k += 1
                if script.hold:
                    reps, faults, partial = (
                        8 + i % 8,
                        ({1: [view_faults[i % len(view_faults)]]} if i % 3 and view_faults else {}),
                        [],
                    )
                else:
                    reps = 3 + i % 6
                    faults = {2: [view_faults[i % len(view_faults)]]} if i % 3 and view_faults else {}
                    partial = [reps] if i % 4 == 1 else []
                specs[f"{exercise}_{view}_{seed}"] = RenderSpec(
                    exercise, reps, view=view, faults=faults, partial=partial, seed=seed,
                    blur_sigma=0.8 if i % 5 == 0 else 0.0, shake_px=3.0 if i % 3 == 2 else 0.0,
                )
    return specs


def render_all(out: Path, per_view: int, console: Console, seed_base: int = SEED_BASE) -> None:
    frames = 0
    start = time.perf_counter()
    specs = clip_specs(per_view, seed_base)
    with console.status("rendering") as status:
        for k, (name, spec) in enumerate(specs.items()):
            status.update(f"rendering {k + 1}/{len(specs)} {name}")
            frames += render_video(spec, out / f"{name}.mp4")["frames"]
    elapsed = time.perf_counter() - start
    table = Table(title="renderer speed (one core, includes MP4 encoding)")
    for col in ("clips", "frames", "seconds", "frames/s"):
        table.add_column(col, justify="right")
    table.add_row(str(len(specs)), str(frames), f"{elapsed:.1f}", f"{frames / elapsed:.0f}")
    console.print(table)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--out", type=Path, help="render the clip set into this folder, then evaluate it")
    src.add_argument("--dir", type=Path, help="evaluate clips already in this folder")
    p.add_argument("--per-view", type=int, default=8, help="clips per exercise and view (default 8: 104 clips)")
    p.add_argument(
        "--seed-base",
        type=int,
        default=SEED_BASE,
        help=f"first seed of the rendered set (default {SEED_BASE}); "
        "a fresh base gives a set no threshold was tuned on",
    )
    p.add_argument("--model", default="lightning")
    p.add_argument("--keypoints-only", action="store_true", help="measure MoveNet PCK only, without the pipeline")
    args = p.parse_args(argv)
    console = Console(width=None if sys.stdout.isatty() else 120)
    folder = args.dir or args.out
    if args.out:
        render_all(args.out, args.per_view, console, args.seed_base)
    with console.status("evaluating") as status:
        results = evaluate_folder(folder, args.model, keypoints_only=args.keypoints_only,
                                  progress=lambda k, n, name: status.update(f"evaluating {k}/{n} {name}"))
    print_eval_table(console, results, f"eval over {len(results)} rendered clips (model {args.model})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
