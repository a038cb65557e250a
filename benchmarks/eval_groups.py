"""Several people end to end: renders groups of 2-4 athletes (different bodies, counts, depths; some with a
crossing and a passer-by), runs `fitness run EXERCISE --video CLIP --people all --json` on each and scores the
run's people against the truth (fitness.synth.group_score): is every athlete's count exact, and, when the run
writes per-frame `tracks`, does any id switch. Needs `fitness run --people` (issue 18).

    python benchmarks/eval_groups.py --out /tmp/groups                 # render 12 clips, then run and score them
    python benchmarks/eval_groups.py --dir /tmp/groups                 # run and score clips already rendered
    python benchmarks/eval_groups.py --out /tmp/groups --clips 40 --size 960x540 --fps 30
    python benchmarks/eval_groups.py --dir /tmp/groups --cache /tmp/groups/.model  # model outputs kept per clip

--cache keeps every model output (MultiPose's and the Lightning crops') per clip, keyed by the model and its input
image: a rerun after a change to the tracker or the engines runs the model only on inputs it has not seen (a crop
placed elsewhere), and gives what a full run gives.

Clip i: exercise i of --exercises (round and round; default EXERCISES), 2 + i % 3 athletes, 3-8 reps each, a
crossing on every other clip (on odd ones in odd rounds of the exercises, so each exercise gets both), a passer-by
on every third; seeds from --seed-base (default 101000, clear of the other sets).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from model_outputs import model_cache  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from fitness import cli  # noqa: E402
from fitness.synth.group import GROUP_SIZE, GroupSpec, render_group_video  # noqa: E402
from fitness.synth.group_score import score_group  # noqa: E402
from fitness.synth.render import truth_path  # noqa: E402

SEED_BASE = 101000
EXERCISES = ("squats", "bicep_curls", "jumping_jacks", "lunges")


def group_specs(clips: int, seed_base: int, size: tuple[int, int], fps: float,
                exercises: tuple[str, ...] = EXERCISES) -> dict[str, GroupSpec]:
    specs = {}
    for i in range(clips):
        seed = seed_base + i
        rng = np.random.default_rng([seed, 21])
        exercise = exercises[i % len(exercises)]
        n = 2 + i % 3
        reps = tuple(int(r) for r in rng.integers(3, 9, size=n))
        cross, passer = (i + i // len(exercises)) % 2 == 0, i % 3 == 0
        name = f"{exercise}_{n}p{'_cross' if cross else ''}{'_passer' if passer else ''}_{seed}"
        specs[name] = GroupSpec(exercise, reps, seed=seed, size=size, fps=fps, cross=cross, passer=passer)
    return specs


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--out", type=Path, help="render the groups into this folder, then run and score them")
    src.add_argument("--dir", type=Path, help="run and score the group clips already in this folder")
    p.add_argument("--clips", type=int, default=12)
    p.add_argument("--seed-base", type=int, default=SEED_BASE)
    p.add_argument("--size", default=f"{GROUP_SIZE[0]}x{GROUP_SIZE[1]}", metavar="WxH")
    p.add_argument("--fps", type=float, default=30.0)
    p.add_argument("--exercises", default=",".join(EXERCISES), help="comma-separated, one per clip in turn")
    p.add_argument("--model", default=None, help="the pose model for fitness run (default: its own)")
    p.add_argument("--cache", type=Path, default=None, help="keep the model's outputs per clip in this folder")
    p.add_argument("--only", default=None, help="score only the clips whose names contain this")
    args = p.parse_args(argv)
    console = Console(width=None if sys.stdout.isatty() else 140)  # full clip names when piped
    folder = args.out or args.dir
    if args.out:
        size = tuple(int(v) for v in args.size.lower().split("x"))
        specs = group_specs(args.clips, args.seed_base, size, args.fps, tuple(args.exercises.split(",")))
        for k, (name, spec) in enumerate(specs.items()):
            with console.status(f"rendering {k + 1}/{len(specs)} {name}"):
                render_group_video(spec, folder / f"{name}.mp4")
    table = Table(title=f"fitness run --people all over {folder}")
    for col in ("clip", "truth reps", "run reps", "exact", "id switches", "extra people (reps)", "passer ids"):
        table.add_column(col, justify="left" if col == "clip" else "right", no_wrap=col == "clip")
    exact = clips = athletes = athletes_exact = swaps = tracked = athletes_switched = 0
    for video in sorted(folder.glob("*.mp4")):
        if args.only and args.only not in video.stem:
            continue
        truth = json.loads(truth_path(video).read_text())
        if "people" not in truth:
            continue
        out = video.with_suffix(".run.json")
        cache = args.cache / f"{video.stem}.outputs.pkl" if args.cache else None
        with (console.status(f"running {video.name}"), contextlib.redirect_stdout(io.StringIO()),
              model_cache(cache)):
            code = cli.app(["run", truth["exercise"], "--video", str(video), "--people", "all", "--no-window",
                            "--no-history", "--json", str(out), *(["--model", args.model] if args.model else [])])
        if code != 0:
            table.add_row(video.stem, "-", f"exit {code}", "-", "-", "-", "-")
            continue
        score = score_group(truth, json.loads(out.read_text()))  # id switches from the run's per-frame `tracks`
        video.with_suffix(".score.json").write_text(json.dumps(score.to_dict(), indent=1) + "\n")
        clips += 1
        exact += score.all_exact
        athletes += len(score.people)
        athletes_exact += sum(p.exact for p in score.people)
        swaps += bool(score.id_switches)
        athletes_switched += sum(bool(p.id_switches) for p in score.people)
        tracked += score.matched_by == "tracks"
        table.add_row(video.stem, ",".join(str(p.reps) for p in score.people),
                      ",".join("-" if p.tracked_reps is None else str(p.tracked_reps) for p in score.people),
                      "yes" if score.all_exact else "no",
                      ",".join("-" if p.id_switches is None else str(p.id_switches) for p in score.people),
                      f"{len(score.extra_ids)} ({score.extra_reps})", str(len(score.passer_ids)))
    console.print(table)
    if clips:
        switched = (f"{swaps}/{tracked} (athletes {athletes_switched}/{athletes})" if tracked
                    else "- (the runs wrote no per-frame tracks)")
        console.print(f"every athlete exact on {exact}/{clips} clips ({100 * exact / clips:.0f}%); athletes exact "
                      f"{athletes_exact}/{athletes}; clips with an id switch: {switched}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
