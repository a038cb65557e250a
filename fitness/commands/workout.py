"""`fitness workout PLAN`: a session that follows a workout plan (`--check`: only check and show the plan)."""

from __future__ import annotations

import argparse
import dataclasses

from rich.console import Console

from fitness.commands.plans import describe_plan
from fitness.commands.run import choose_ui, config_from_args, make_voice
from fitness.errors import UsageError
from fitness.feedback.plan_words import exercise_words, kg_words
from fitness.feedback.summary_view import SummaryView
from fitness.pipeline import run_session
from fitness.plan import load_plan
from fitness.plan.tracker import PlanResult
from fitness.text import printable


def plan_lines(plan: dict) -> list[str]:
    """The summary's plan object in a few lines: each block planned vs done, then the volume."""
    result = PlanResult.from_dict(plan)
    lines = [f"Plan {printable(result.title or result.name)}: " + ("done" if result.complete else "not all done")]
    for b in result.blocks:
        per_set = f"{b.planned_hold_s:g} s" if b.planned_hold_s is not None else str(b.planned_reps)
        done = "/".join(f"{x:.0f}" for x in b.done) or "none"
        volume = f", {kg_words(b.volume_kg)}" if b.volume_kg else ""
        lines.append(f"  {b.index + 1}. {exercise_words(printable(b.exercise))} {b.planned_sets} x {per_set}: "
                     f"done {done}{volume}" + ("" if b.complete else " (short)"))
    if result.extra_sets:
        lines.append(f"  sets outside the plan: {', '.join(str(i) for i in result.extra_sets)}")
    lines.append(f"Volume: {kg_words(result.volume_kg)}")
    return lines


def workout(args) -> int:
    extra = tuple(args.exercises_dir)
    plan = load_plan(args.plan, extra)
    console = Console(highlight=False)
    if args.check:
        console.print(describe_plan(plan))
        print(f"{printable(str(plan.path))}: ok")
        return 0
    if args.camera is None and args.video is None and args.images is None:
        raise UsageError("fitness workout needs --camera N, --video FILE or --images DIR (or --check to only check "
                         "the plan)")
    as_run = argparse.Namespace(**vars(args), exercise=str(plan.path), level=None, overrides=[])
    config = dataclasses.replace(config_from_args(as_run), plan=str(plan.path))
    voice = make_voice(args, config)
    result = run_session(config, choose_ui(), voice=voice)
    console.print(SummaryView(result.summary))
    if result.summary.plan:
        for line in plan_lines(result.summary.plan):
            print(line)
    if result.write_error is None and config.json_path:
        print(f"Summary written to {printable(config.json_path)}")
    for note in result.notes:
        if note != result.no_person:
            print(f"fitness: note: {note}")
    failure = result.failure()
    if failure is not None:
        raise failure
    return 0
