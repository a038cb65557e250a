"""Whole-workout accuracy on rendered clips (issue #16): renders composite workouts of 3-4 exercises one after
another (a different body, views and rests per clip, one or two sets each) and clips of movement that is not an
exercise (standing, walking, stretching, picking up dumbbells), runs `fitness run` in auto mode on them and
prints the table of `fitness eval` for workouts: sequence right, sets counted exactly and labelled right,
missed and phantom sets, counted reps during rests.

Seeds from 200000 up: keep them out of training.

    python benchmarks/eval_workouts.py --out /tmp/workouts                 # 12 workouts + 8 other clips, evaluate
    python benchmarks/eval_workouts.py --out /tmp/workouts --render-only   # render only
    python benchmarks/eval_workouts.py --dir /tmp/workouts                 # evaluate clips rendered before
    python benchmarks/eval_workouts.py --dir /tmp/workouts --cache /tmp/workouts/.model --sets  # model outputs kept

--cache keeps the model's outputs per clip (see eval_groups.py): a rerun after a change past the model runs the
model only on inputs it has not seen. Each clip's summary is written beside it as CLIP.run.json; --sets prints each
clip's predicted sets against the truth's.
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

from model_outputs import model_cache  # noqa: E402
from rich.console import Console  # noqa: E402

from fitness.commands.render import EVAL_PIPED_WIDTH, parse_size, print_workout_table  # noqa: E402
from fitness.pipeline import analyze_video  # noqa: E402
from fitness.synth.activities import ACTIVITIES  # noqa: E402
from fitness.synth.evaluate import evaluate_workouts  # noqa: E402
from fitness.synth.motion import SCRIPTS  # noqa: E402
from fitness.synth.render import truth_path  # noqa: E402
from fitness.synth.workout import Block, WorkoutSpec  # noqa: E402
from fitness.synth.workout_render import render_motion  # noqa: E402

SEED_BASE = 200000  # the workout set: clear of every single-clip set and of the tests
EXERCISES_PER_WORKOUT = (3, 4)
REPS = (3, 10)  # per set, drawn
HOLD_S = (10, 25)  # the plank's hold, drawn
REST_S = (6.0, 15.0)
NONE_SECONDS = 12.0  # each clip of movement that is not an exercise
NONE_VIEWS = ("side", "front")


def workout_blocks(rng: np.random.Generator) -> tuple[Block, ...]:
    """3-4 different exercises in a random order, one or two sets each, views drawn by the renderer."""
    names = list(SCRIPTS)
    chosen = rng.choice(len(names), size=int(rng.integers(EXERCISES_PER_WORKOUT[0], EXERCISES_PER_WORKOUT[1] + 1)),
                        replace=False)
    blocks = []
    for i in chosen:
        name = names[int(i)]
        reps = int(rng.integers(*HOLD_S)) if SCRIPTS[name].hold else int(rng.integers(REPS[0], REPS[1] + 1))
        blocks.append(Block(name, reps, int(rng.integers(1, 3))))
    return tuple(blocks)


def render_set(out: Path, clips: int, seed_base: int, console: Console, size: tuple[int, int] = (640, 480)) -> None:
    out.mkdir(parents=True, exist_ok=True)
    frames, t0 = 0, time.perf_counter()
    for k in range(clips):
        seed = seed_base + k
        spec = WorkoutSpec(blocks=workout_blocks(np.random.default_rng(seed)), seed=seed, rest_s=REST_S, size=size)
        truth = render_motion(spec, out / f"workout_{seed}.mp4")
        frames += truth["frames"]
        console.print(f"workout_{seed}: " + ", ".join(f"{s['exercise']} {s['reps']}" for s in truth["sets"]))
    seed = seed_base + clips
    for activity in ACTIVITIES:
        for view in NONE_VIEWS:
            truth = render_motion(WorkoutSpec(activity=activity, seconds=NONE_SECONDS, view=view, seed=seed, size=size),
                                  out / f"{activity}_{view}_{seed}.mp4")
            frames += truth["frames"]
            seed += 1
    dt = time.perf_counter() - t0
    console.print(f"rendered {frames} frames in {dt:.0f} s ({frames / dt:.0f} frames/s)")


def cached_analyze(cache: Path | None):
    """analyze_video with the model's outputs kept per clip in `cache`, each clip's summary written as
    CLIP.run.json."""

    def analyze(video: str, exercise: str, **kwargs):
        with model_cache(cache / f"{Path(video).stem}.outputs.pkl" if cache else None):
            res = analyze_video(video, exercise, **kwargs)
        Path(video).with_suffix(".run.json").write_text(json.dumps(res.summary.to_dict(), indent=1) + "\n")
        return res

    return analyze


def print_sets(console: Console, folder: Path, results) -> None:
    """Each clip's predicted sets (exercise reps start-end) under the truth's."""
    for r in results:
        run = folder / Path(r.name).with_suffix(".run.json").name
        if r.score is None or not run.exists():
            continue
        truth = json.loads(truth_path(folder / r.name).read_text())
        fmt = lambda s: f"{s['exercise']} {s.get('reps', 0)} {s['start_s']:.1f}-{s['end_s']:.1f}"  # noqa: E731
        console.print(f"{r.name}\n  truth: " + ", ".join(fmt(s) for s in truth.get("sets") or ()) +
                      "\n  run:   " + ", ".join(fmt(s) for s in json.loads(run.read_text()).get("sets") or ()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", type=Path, help="render the set into this folder, then evaluate it")
    where.add_argument("--dir", type=Path, help="evaluate a set rendered before")
    parser.add_argument("--clips", type=int, default=12, help="workouts to render (default 12)")
    parser.add_argument("--seed-base", type=int, default=SEED_BASE, help=f"first seed (default {SEED_BASE})")
    parser.add_argument("--render-only", action="store_true", help="render, do not evaluate")
    parser.add_argument("--size", default="640x480", help="video size (default 640x480)")
    parser.add_argument("--model", default="lightning")
    parser.add_argument("--cache", type=Path, default=None, help="keep the model's outputs per clip in this folder")
    parser.add_argument("--only", default=None, help="evaluate only the clips whose names contain this")
    parser.add_argument("--sets", action="store_true", help="print each clip's sets against the truth's")
    args = parser.parse_args()
    console = Console(width=None if sys.stdout.isatty() else EVAL_PIPED_WIDTH)
    folder = args.out or args.dir
    if args.out:
        render_set(args.out, args.clips, args.seed_base, console, parse_size(args.size))
    if args.render_only:
        return 0
    results = evaluate_workouts(folder, args.model, analyze=cached_analyze(args.cache), only=args.only)
    print_workout_table(console, results, f"workouts in {folder} (model {args.model})")
    if args.sets:
        print_sets(console, folder, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
