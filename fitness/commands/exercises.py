"""`fitness exercises list | show NAME | validate FILE...`: browse and check exercise definitions."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.table import Table
from rich.text import Text

from fitness.errors import DefinitionError
from fitness.exercise import load_exercise, scan_exercises
from fitness.exercise.definition import ExerciseDefinition
from fitness.text import printable


def _console() -> Console:
    return Console(soft_wrap=False, highlight=False)


def _text(value: str, multiline: bool = False) -> Text:
    """Text from a file shown as is: no control characters, and no rich markup ('[bold]', '[/x]') read in it."""
    return Text(printable(value, multiline=multiline))


def list_(args) -> int:
    """The exercises that load, then one line on stderr per file that does not (exit code 1 if any)."""
    scan = scan_exercises(getattr(args, "exercises_dir", ()) or ())
    table = Table(title="Exercises")
    for col in ("name", "title", "views", "from"):
        table.add_column(col)
    for info in scan.infos:
        where = "built-in" if info.builtin else _text(str(info.path))
        table.add_row(info.name, _text(info.title), ", ".join(info.views), where)
    _console().print(table)
    for problem in scan.problems:
        print(f"fitness: error: {problem}", file=sys.stderr)
    return 1 if scan.problems else 0


def describe_definition(d: ExerciseDefinition) -> list[Table]:
    """Tables describing one definition: overview, params, metrics, rep cycle or hold, form rules."""
    overview = Table(title=_text(f"{d.title} ({d.name})"), show_header=False)
    overview.add_column("key")
    overview.add_column("value")
    overview.add_row("file", _text(str(d.path or "")))
    overview.add_row("views", ", ".join(d.views))
    overview.add_row("side", d.side)
    overview.add_row("requires", ", ".join(d.requires))
    overview.add_row("min_score", f"{d.min_score:g}")
    if d.description:
        overview.add_row("description", _text(d.description, multiline=True))
    if d.rep is not None:
        overview.add_row("rep signal", d.rep.signal)
        overview.add_row("cycle", f"{d.rep.rest} -> {d.rep.target} -> {d.rep.rest} (min {d.rep.min_rep_s:g} s)")
        for s in d.rep.states:
            overview.add_row(f"state {s.name}", _text(s.enter + (f"  (exit: {s.exit})" if s.exit else "")))
        if d.rep.partial:
            overview.add_row(f"no-rep {d.rep.partial.id}", _text(d.rep.partial.when))
    if d.hold is not None:
        overview.add_row("hold while", _text(f"{d.hold.when} (grace {d.hold.grace_s:g} s, min {d.hold.min_s:g} s)"))
    tables = [overview]

    params = Table(title="Params (--set NAME=VALUE)")
    params.add_column("name")
    params.add_column("value")
    params.add_column("allowed")
    for level in d.levels:
        params.add_column(f"level {level}")
    for name, value in d.params.items():
        p = d.param_defs.get(name)
        allowed = f"{p.low:g} to {p.high:g}" if p is not None else ""
        params.add_row(name, f"{value:g}", allowed,
                       *(f"{d.levels[lv][name]:g}" if name in d.levels[lv] else "" for lv in d.levels))
    tables.append(params)

    metrics = Table(title="Metrics")
    metrics.add_column("name")
    metrics.add_column("expression")
    for name, text in d.metrics:
        metrics.add_row(name, _text(text))
    tables.append(metrics)

    rules = Table(title="Form rules")
    for col in ("id", "kind", "when", "during", "views", "severity", "message"):
        rules.add_column(col)
    for kind, group in (("live", d.form), ("rep check", d.rep_checks)):
        for r in group:
            rules.add_row(r.id, kind, _text(r.when), ", ".join(r.during), ", ".join(r.views), r.severity,
                          _text(r.message))
    tables.append(rules)
    return tables


def show(args) -> int:
    d = load_exercise(args.name, getattr(args, "exercises_dir", ()) or ())
    console = _console()
    for table in describe_definition(d):
        console.print(table)
    return 0


def validate(args) -> int:
    failed = 0
    for file in args.files:
        try:
            load_exercise(file if file.endswith((".yaml", ".yml")) or "/" in file else f"./{file}")
            print(f"{file}: ok")
        except DefinitionError as exc:
            failed += 1
            print(str(exc), file=sys.stdout)
    return 1 if failed else 0
