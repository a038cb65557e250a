"""`fitness plans list | show NAME | validate FILE...`: browse and check workout plans (as `fitness exercises`)."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.table import Table
from rich.text import Text

from fitness.errors import DefinitionError
from fitness.feedback.plan_words import exercise_words, overrides_words
from fitness.plan import load_plan
from fitness.plan.loader import list_plans
from fitness.plan.model import Plan
from fitness.text import printable


def _console() -> Console:
    return Console(soft_wrap=False, highlight=False)


def _text(value: str, multiline: bool = False) -> Text:
    return Text(printable(value, multiline=multiline))


def list_(args) -> int:
    """The plans that load, then one line on stderr per plan file that does not (exit code 1 if any)."""
    infos, problems = list_plans(getattr(args, "exercises_dir", ()) or ())
    table = Table(title="Workout plans")
    for col in ("name", "title", "blocks", "from"):
        table.add_column(col)
    for info in infos:
        where = "built-in" if info.builtin else _text(str(info.path))
        table.add_row(info.name, _text(info.title), str(info.blocks), where)
    _console().print(table)
    for problem in problems:
        print(f"fitness: error: {problem}", file=sys.stderr)
    return 1 if problems else 0


def describe_plan(plan: Plan) -> Table:
    """The plan's blocks as a table: exercise, sets x target, rest, load, level and overrides."""
    table = Table(title=_text(f"{plan.title} ({plan.name})"), caption=_text(plan.description) if plan.description
                  else None, caption_justify="left")
    for name, justify in (("#", "right"), ("exercise", "left"), ("sets", "right"), ("target", "right"),
                          ("rest", "right"), ("weight", "right"), ("settings", "left")):
        table.add_column(name, justify=justify)
    for i, b in enumerate(plan.blocks, 1):
        target = f"{b.hold_s:g} s hold" if b.hold_s is not None else f"{b.reps} reps"
        table.add_row(str(i), _text(exercise_words(b.exercise)), str(b.sets), target, f"{b.rest_s:g} s",
                      str(b.load) if b.load else "-", _text(overrides_words(b)))
    return table


def show(args) -> int:
    plan = load_plan(args.name, getattr(args, "exercises_dir", ()) or ())
    _console().print(describe_plan(plan))
    return 0


def validate(args) -> int:
    """Each file: 'FILE: ok' or its one-line error (exit code 1 when any fails)."""
    failed = 0
    extra = getattr(args, "exercises_dir", ()) or ()
    for file in args.files:
        try:
            load_plan(file if file.endswith((".yaml", ".yml")) or "/" in file else f"./{file}", extra)
            print(f"{file}: ok")
        except DefinitionError as exc:
            failed += 1
            print(str(exc))
    return 1 if failed else 0

