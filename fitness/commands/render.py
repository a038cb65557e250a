"""`fitness render` (synthetic athlete videos) and `fitness eval` (accuracy over rendered clips)."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from fitness.errors import UsageError

EVAL_PIPED_WIDTH = 160  # console columns for the eval table when piped: its 16 columns fit without cutting names


def parse_faults(text: str) -> dict[int, list[str]]:
    """'chest_up:2,chest_up:4' -> {2: ['chest_up'], 4: ['chest_up']}."""
    out: dict[int, list[str]] = {}
    for item in filter(None, (s.strip() for s in text.split(","))):
        rule, sep, rep = item.rpartition(":")
        if not sep or not rule or not rep.isdigit():
            raise UsageError(f"--fault expects ID:REP items like chest_up:2, got '{item}'")
        out.setdefault(int(rep), []).append(rule)
    return out


def parse_reps(text: str) -> list[int]:
    """'2,4' -> [2, 4]."""
    items = [s.strip() for s in text.split(",") if s.strip()]
    bad = [s for s in items if not s.isdigit()]
    if bad:
        raise UsageError(f"--partial expects rep numbers like 2,4, got '{bad[0]}'")
    return [int(s) for s in items]


def parse_size(text: str) -> tuple[int, int]:
    """'640x480' -> (640, 480)."""
    w, sep, h = text.lower().partition("x")
    if not sep or not w.isdigit() or not h.isdigit():
        raise UsageError(f"--size expects WIDTHxHEIGHT like 640x480, got '{text}'")
    return int(w), int(h)


def _progress_bar(console):
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn("rendering {task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} frames"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )


def _check_name(name: str) -> str:
    """'exercise', 'activity' or 'workout' for a render name; a one-line error with a suggestion otherwise."""
    from fitness.spelling import did_you_mean
    from fitness.synth import exercise_names
    from fitness.synth.activities import ACTIVITIES
    from fitness.synth.workout import WORKOUT

    if name in exercise_names():
        return "exercise"
    if name in ACTIVITIES:
        return "activity"
    if name == WORKOUT:
        return "workout"
    names = (*exercise_names(), *ACTIVITIES, WORKOUT)
    hint = did_you_mean(name, names)
    raise UsageError(f"unknown exercise '{name}' for rendering; {hint + ' ' if hint else ''}"
                     f"expected one of {', '.join(names)}")


def _refuse(args, kind: str, options: dict[str, object]) -> None:
    for flag, value in options.items():
        if value:
            raise UsageError(f"{flag} does not apply to {args.exercise} ({kind})")


def render_motion_clip(args, kind: str) -> int:
    """`fitness render walking --seconds 12 ...` and `fitness render workout --sequence ...`."""
    from rich.console import Console

    from fitness.synth.workout import REST_S, WorkoutSpec, parse_range, parse_sequence, render_motion

    exercise_only = {"--reps": args.reps is not None, "--fault": args.fault, "--partial": args.partial,
                     "--variant": args.variant, "--camera-height": args.camera_height is not None}
    if kind == "activity":
        _refuse(args, "a movement that is not an exercise", {**exercise_only, "--sequence": args.sequence,
                                                              "--rest-s": args.rest_s})
        if args.seconds is None:
            raise UsageError(f"{args.exercise} needs --seconds, e.g. --seconds 12")
        spec = WorkoutSpec(activity=args.exercise, seconds=args.seconds, view=args.view, seed=args.seed,
                           fps=args.fps, size=parse_size(args.size))
    else:
        _refuse(args, "a workout: its views go in --sequence, e.g. squats@side:5",
                {**exercise_only, "--seconds": args.seconds is not None, "--view": args.view})
        if not args.sequence:
            raise UsageError("workout needs --sequence, e.g. --sequence squats:5,push_ups:8x2,bicep_curls:10")
        spec = WorkoutSpec(blocks=parse_sequence(args.sequence), seed=args.seed, fps=args.fps,
                           size=parse_size(args.size), rest_s=parse_range(args.rest_s) if args.rest_s else REST_S)
    console = Console(stderr=True)
    with _progress_bar(console) as bar:
        task = bar.add_task(Path(args.out).name, total=None)
        truth = render_motion(spec, args.out,
                              progress=lambda done, total: bar.update(task, completed=done, total=total))
    what = (f"{len(truth['sets'])} sets, {truth['reps']} reps, {truth['no_reps']} partial" if kind == "workout"
            else f"{truth['view']} view, no reps")
    console.print(f"wrote {args.out} ({truth['frames']} frames, {truth['frames'] / truth['fps']:.1f} s, {what}); "
                  f"truth in {Path(args.out).stem}.truth.json")
    return 0


def render(args) -> int:
    from rich.console import Console

    from fitness.synth import RenderSpec, render_video
    from fitness.synth.camera import VIEWS

    if args.view is not None and args.view not in VIEWS:
        raise UsageError(f"unknown view '{args.view}'; expected one of {', '.join(VIEWS)}")
    kind = _check_name(args.exercise)
    if kind != "exercise":
        return render_motion_clip(args, kind)
    _refuse(args, "an exercise", {"--seconds": args.seconds is not None, "--sequence": args.sequence,
                                  "--rest-s": args.rest_s})
    if args.reps is None:
        raise UsageError(f"{args.exercise} needs --reps, e.g. --reps 5")
    spec = RenderSpec(
        exercise=args.exercise, reps=args.reps, view=args.view, faults=parse_faults(args.fault),
        partial=parse_reps(args.partial), seed=args.seed, fps=args.fps, size=parse_size(args.size),
        variant=args.variant, camera_height_m=args.camera_height,
    )
    console = Console(stderr=True)
    with _progress_bar(console) as bar:
        task = bar.add_task(Path(args.out).name, total=None)
        truth = render_video(spec, args.out, progress=lambda done, total: bar.update(task, completed=done, total=total))
    faults = sum(len(r["faults"]) for r in truth["rep_list"])
    console.print(
        f"wrote {args.out} ({truth['frames']} frames, {truth['frames'] / truth['fps']:.1f} s, {truth['view']} view"
        f"{', ' + truth['variant'] if truth['variant'] else ''}): "
        f"{truth['reps']} reps, {truth['no_reps']} partial, {faults} faults; truth in {Path(args.out).stem}.truth.json"
    )
    return 0


def _fmt(x: float, pct: bool = True) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return f"{100 * x:.0f}%" if pct else f"{x:.2f}"


def _count(n: int | None) -> str:
    return "-" if n is None else str(n)


def print_eval_table(console, results, title: str) -> None:
    """The per-exercise accuracy table (shared by `fitness eval` and benchmarks/eval_counts.py)."""
    from rich.table import Table

    from fitness.synth.results import summarize
    from fitness.synth.scoring import TEMPO_TOLERANCE_S

    table = Table(title=title)
    for col in (
        "exercise",
        "view",
        "variant",
        "clips",
        "exact",
        "MAE",
        "off by 1",
        "fault P",
        "fault R",
        "no-rep R",
        "tempo",
        "tempo err",
        "phantom NR",
        "phantom reps",
        "PCK@0.2",
        "errors",
    ):
        text = col in ("exercise", "view", "variant")
        table.add_column(col, justify="left" if text else "right", no_wrap=text)  # a narrow console squeezes numbers
    for row in summarize(results):
        table.add_row(row.exercise, row.view, row.variant, str(row.clips), _fmt(row.exact_rate),
                      _fmt(row.mae, pct=False), _fmt(row.off_by_one_rate), _fmt(row.fault_precision),
                      _fmt(row.fault_recall), _fmt(row.no_rep_recall), _fmt(row.tempo_share),
                      _fmt(row.tempo_worst_median_s, pct=False), _count(row.phantom_no_reps),
                      _count(row.phantom_reps), _fmt(row.pck), str(row.errors))
    console.print(table)
    console.print(
        "no-rep R: partial reps reported as no-reps. "
        f"tempo: matched reps whose start, end and three phase lengths are all within {TEMPO_TOLERANCE_S:.2f} s "
        "of the truth; tempo err: median of each rep's worst of those five errors, s. "
        "phantom NR / reps: no-reps where the truth has no partial rep, counted reps where it has no rep. "
        "PCK@0.2: keypoint within 0.2 x the true torso length (mean shoulder-hip distance), visible keypoints only."
    )
    for r in results:
        if r.error:
            console.print(f"[red]{r.name}[/red]: {r.error}")


def print_workout_table(console, results, title: str) -> None:
    """One row per workout (or non-exercise) clip and a total: sequence, sets counted exactly and labelled right,
    sets and reps where the truth rests."""
    from rich.table import Table

    from fitness.synth.workout_score import summarize_workouts

    table = Table(title=title)
    for col in ("clip", "activity", "sequence", "sets", "exact", "labelled", "missed", "phantom sets", "rest reps"):
        text = col in ("clip", "activity", "sequence")
        table.add_column(col, justify="left" if text else "right", no_wrap=text)
    for r in results:
        if r.score is None:
            table.add_row(r.name, r.activity, "error", *("-",) * 6)
            continue
        s = r.score
        table.add_row(r.name, r.activity, "right" if s.sequence_right else " > ".join(s.pred_sequence) or "(none)",
                      str(s.true_sets), str(s.sets_exact), str(s.sets_labelled), str(s.sets_missed),
                      str(s.phantom_sets), str(s.rest_reps))
    total = summarize_workouts([r.score for r in results])
    table.add_row("all", "", f"{total.sequence_right}/{total.clips - total.errors} right", str(total.sets),
                  _fmt(total.exact_rate), _fmt(total.labelled_rate), str(total.sets_missed), str(total.phantom_sets),
                  str(total.rest_reps))
    console.print(table)
    console.print(
        "sequence: the exercises in order (a run of sets of one exercise read as one). exact: sets of the right "
        "exercise counted exactly; labelled: sets given the right exercise; missed: truth sets with no set found. "
        "phantom sets / rest reps: sets, and counted reps, where the truth rests (walking, stretching, dumbbells)."
    )
    for r in results:
        if r.error:
            console.print(f"[red]{r.name}[/red]: {r.error}")


def eval_(args) -> int:
    from rich.console import Console

    from fitness.session.outputs import Protected, check_outputs, write_atomic
    from fitness.synth.evaluate import evaluate_folder, evaluate_workouts

    if args.json:  # checked before the clips are evaluated, which takes minutes
        clips = [*Path(args.folder).glob("*.mp4"), *Path(args.folder).glob("*.truth.json")]
        check_outputs({"--json": args.json}, [Protected(p, "a clip or truth file of the evaluation") for p in clips])
    console = Console(width=None if sys.stdout.isatty() else EVAL_PIPED_WIDTH)  # a full table when piped
    status = console.status("evaluating")
    with status:
        results = evaluate_folder(
            args.folder, args.model, keypoints_only=args.keypoints_only,
            progress=lambda k, n, name: status.update(f"evaluating {k}/{n} {name}"),
        )
    if results or args.keypoints_only:
        print_eval_table(console, results, f"fitness eval {args.folder} (model {args.model})")
    workouts = []
    if not args.keypoints_only:  # workout clips are run in auto mode, the exercise recognised
        with console.status("evaluating workouts") as status:
            workouts = evaluate_workouts(
                args.folder, args.model,
                progress=lambda k, n, name: status.update(f"evaluating workout {k}/{n} {name}"),
            )
        if workouts:
            print_workout_table(console, workouts, f"fitness eval {args.folder}: workouts (model {args.model})")
    if args.json:
        rows = [r.to_dict() for r in results] + [w.to_dict() for w in workouts]
        write_atomic(json.dumps(rows, indent=1).encode("utf-8"), args.json)
    return 0
