"""End-to-end accuracy on rendered clips: renders a balanced set (every exercise and view, varied reps,
faults, partial reps, blur and shake; seeds from 1000 up, never used by tests), runs the pipeline on it
and prints the per-exercise table of `fitness eval`, plus the renderer's speed.

`--hard` renders a harder set instead: every exercise, view and variant (alternating and one-arm curls,
presses and raises, one-leg lunges, end-on push-ups), cameras from near the floor to above head height,
15-60 fps, more blur and shake (seeds from 90000 up).

`--oblique` renders the oblique set: every exercise and variant filmed 35-55 deg off square, 4 clips each (two
with a partial rep, three with faults; seeds from 100000 up).

    python benchmarks/eval_counts.py --out /tmp/eval_clips                 # render 8 clips per view, evaluate
    python benchmarks/eval_counts.py --out /tmp/eval_clips --keypoints-only  # MoveNet PCK only (no pipeline)
    python benchmarks/eval_counts.py --dir /tmp/eval_clips                 # evaluate clips rendered before
    python benchmarks/eval_counts.py --out /tmp/hard_clips --hard          # the hard set, 4 clips per variant
    python benchmarks/eval_counts.py --out /tmp/oblique_clips --oblique    # every exercise and variant at an angle
    python benchmarks/eval_counts.py --dir /tmp/hard_clips --cache /tmp/hard_model --json hard.json  # rerun fast
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))  # model_outputs, also when loaded as a module

from model_outputs import model_cache  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from fitness.commands.render import EVAL_PIPED_WIDTH, print_eval_table  # noqa: E402
from fitness.pipeline import analyze_video  # noqa: E402
from fitness.synth import RenderSpec, render_video  # noqa: E402
from fitness.synth.evaluate import detectable_faults, evaluate_folder  # noqa: E402
from fitness.synth.motion import SCRIPTS  # noqa: E402
from fitness.synth.render import FLOOR_EXERCISES  # noqa: E402

SEED_BASE = 1000  # tests use seeds below 1000 and 7000-7199 (tests/test_end_to_end.py)
HARD_SEED_BASE = 90000  # the hard set: clear of the default set, the sets in docs/synth.md and the tests
# The hard set's ranges: camera height (m) standing and on the floor, frame rates, and how often (and how
# strongly) blur and camera shake are added.
HARD_HEIGHT_M = (0.1, 1.8)
HARD_FLOOR_HEIGHT_M = (0.05, 1.2)
HARD_FPS = (15.0, 24.0, 30.0, 60.0)
HARD_BLUR = (0.35, (0.6, 1.6))  # share of clips, sigma range (px)
HARD_SHAKE = (0.35, (2.0, 6.0))  # share of clips, amplitude range (px)
OBLIQUE_SEED_BASE = 100000  # the oblique set
# The oblique set's clips, by index within an exercise and variant: reps (a hold: seconds), {rep: faults by
# index into the script's faults}, partial reps, blur sigma (px), shake (px). Every injectable fault is
# rendered whether or not a rule judges it at an angle, so the set does not depend on the exercise files.
OBLIQUE_PLAN = (
    (5, {}, [], 0.0, 0.0),
    (4, {2: 0}, [4], 0.0, 3.0),
    (6, {3: 1}, [], 0.8, 0.0),
    (5, {1: 0, 4: 1}, [3], 0.0, 0.0),
)
# Views rendered since, left out of the default set so that its clips (and their seeds) stay as measured.
NOT_IN_DEFAULT_SET = {("push_ups", "front")}


def _reps_faults_partial(exercise: str, faults: tuple[str, ...], i: int) -> tuple[int, dict, list[int]]:
    """As the default set: 3-8 reps (a hold: 8-15 s), a fault on rep 2 of two clips in three, the last rep
    partial in one clip in four."""
    if SCRIPTS[exercise].hold:
        return 8 + i % 8, ({1: [faults[i % len(faults)]]} if i % 3 and faults else {}), []
    reps = 3 + i % 6
    return reps, ({2: [faults[i % len(faults)]]} if i % 3 and faults else {}), ([reps] if i % 4 == 1 else [])


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
                reps, faults, partial = _reps_faults_partial(exercise, view_faults, i)
                specs[f"{exercise}_{view}_{seed}"] = RenderSpec(
                    exercise, reps, view=view, faults=faults, partial=partial, seed=seed,
                    blur_sigma=0.8 if i % 5 == 0 else 0.0, shake_px=3.0 if i % 3 == 2 else 0.0,
                )
    return specs


def hard_clip_specs(per_view: int, seed_base: int = HARD_SEED_BASE) -> dict[str, RenderSpec]:
    """name -> spec: `per_view` clips for every exercise, view and variant, deterministic. Names carry the
    variant (bicep_curls_side_alternating_90003); an exercise without variants has none in its names."""
    specs = {}
    k = 0
    for exercise, script in SCRIPTS.items():
        heights = HARD_FLOOR_HEIGHT_M if exercise in FLOOR_EXERCISES else HARD_HEIGHT_M
        for view in script.views:
            for variant in script.variants or (None,):
                # Faults the view can show and the variant can have (uneven arms need both arms pressing).
                faults = tuple(f for f in detectable_faults(exercise, view) if f in script.faults_for(variant))
                for i in range(per_view):
                    seed = seed_base + k
                    k += 1
                    rng = np.random.default_rng([seed, 15])
                    reps, rep_faults, partial = _reps_faults_partial(exercise, faults, i)
                    name = "_".join([exercise, view, *([variant] if variant else []), str(seed)])
                    specs[name] = RenderSpec(
                        exercise, reps, view=view, variant=variant, faults=rep_faults, partial=partial, seed=seed,
                        camera_height_m=round(float(rng.uniform(*heights)), 2), fps=float(rng.choice(HARD_FPS)),
                        blur_sigma=float(rng.uniform(*HARD_BLUR[1])) if rng.random() < HARD_BLUR[0] else 0.0,
                        shake_px=float(rng.uniform(*HARD_SHAKE[1])) if rng.random() < HARD_SHAKE[0] else 0.0,
                    )
    return specs


def oblique_clip_specs(per_variant: int, seed_base: int = OBLIQUE_SEED_BASE) -> dict[str, RenderSpec]:
    """name -> spec: `per_variant` clips (OBLIQUE_PLAN, cycled) for every exercise and variant filmed at an
    angle, deterministic; names as the hard set's (squats_oblique_100000, bicep_curls_oblique_one_arm_100012)."""
    specs = {}
    k = 0
    for exercise, script in SCRIPTS.items():
        for variant in script.variants or (None,):
            faults = script.faults_for(variant)
            for i in range(per_variant):
                seed = seed_base + k
                k += 1
                reps, by_rep, partial, blur, shake = OBLIQUE_PLAN[i % len(OBLIQUE_PLAN)]
                rep_faults = {r: [faults[f % len(faults)]] for r, f in by_rep.items()} if faults else {}
                if script.hold:
                    reps, rep_faults, partial = 8 + 2 * i, ({1: [faults[i // 2 % len(faults)]]} if i % 2 else {}), []
                name = "_".join([exercise, "oblique", *([variant] if variant else []), str(seed)])
                specs[name] = RenderSpec(exercise, reps, view="oblique", variant=variant, faults=rep_faults,
                                         partial=partial, seed=seed, blur_sigma=blur, shake_px=shake)
    return specs


def render_all(out: Path, specs: dict[str, RenderSpec], console: Console) -> None:
    frames = 0
    start = time.perf_counter()
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


def _cached_analyze(cache: Path | None):
    """`analyze_video` with each clip's model outputs kept in `cache/<clip>.outputs.pkl` (None: no cache)."""
    if cache is None:
        return analyze_video

    def analyze(video: str, *args, **kwargs):
        with model_cache(cache / f"{Path(video).stem}.outputs.pkl"):
            return analyze_video(video, *args, **kwargs)

    return analyze


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--out", type=Path, help="render the clip set into this folder, then evaluate it")
    src.add_argument("--dir", type=Path, help="evaluate clips already in this folder")
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--hard", action="store_true", help="render the hard set (every variant, camera heights, fps)")
    kind.add_argument("--oblique", action="store_true",
                      help="render the oblique set (every exercise and variant filmed 35-55 deg off square)")
    p.add_argument(
        "--per-view", type=int, default=None,
        help="clips per exercise and view (default 8: 104 clips), with --hard per exercise, view and variant "
        "(default 4: 96 clips), with --oblique per exercise and variant (default 4: 64 clips)",
    )
    p.add_argument(
        "--seed-base",
        type=int,
        default=None,
        help=f"first seed of the rendered set (default {SEED_BASE}, with --hard {HARD_SEED_BASE}); "
        "a fresh base gives a set no threshold was tuned on",
    )
    p.add_argument("--model", default="lightning")
    p.add_argument("--keypoints-only", action="store_true", help="measure MoveNet PCK only, without the pipeline")
    p.add_argument("--cache", type=Path, default=None,
                   help="keep the model's outputs per clip in this folder: a rerun after a change past the model "
                   "runs the model only on inputs it has not seen")
    p.add_argument("--json", type=Path, default=None,
                   help="write the per-clip results as JSON (as `fitness eval --json`, for eval_compare.py)")
    args = p.parse_args(argv)
    console = Console(width=None if sys.stdout.isatty() else EVAL_PIPED_WIDTH)
    folder = args.dir or args.out
    if args.out:
        if args.oblique:
            base = OBLIQUE_SEED_BASE if args.seed_base is None else args.seed_base
            specs = oblique_clip_specs(args.per_view or 4, base)
        elif args.hard:
            specs = hard_clip_specs(args.per_view or 4, HARD_SEED_BASE if args.seed_base is None else args.seed_base)
        else:
            specs = clip_specs(args.per_view or 8, SEED_BASE if args.seed_base is None else args.seed_base)
        render_all(args.out, specs, console)
    with console.status("evaluating") as status:
        results = evaluate_folder(folder, args.model, keypoints_only=args.keypoints_only,
                                  progress=lambda k, n, name: status.update(f"evaluating {k}/{n} {name}"),
                                  analyze=_cached_analyze(args.cache))
    print_eval_table(console, results, f"eval over {len(results)} rendered clips (model {args.model})")
    if args.json:
        args.json.write_text(json.dumps([r.to_dict() for r in results], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
