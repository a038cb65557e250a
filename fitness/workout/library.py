"""The exercises a workout recognises: the shipped ones and those of `--exercises-dir` folders."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from fitness.errors import UsageError
from fitness.exercise import load_exercise, scan_exercises

if TYPE_CHECKING:  # is_auto is asked by every run: the engine is loaded by the workouts that need it
    from fitness.workout.engine import WorkoutDefinition

# The exercise name that asks for a workout whose exercises are recognised (`fitness run auto`, or no name).
AUTO = "auto"


def is_auto(exercise: str | None) -> bool:
    return not exercise or exercise == AUTO


def load_workout(extra_dirs: Iterable[str] = (), level: str | None = None,
                 overrides: dict[str, float] | None = None) -> WorkoutDefinition:
    """Every exercise of the library that loads (files with errors are left out: `fitness exercises list` shows
    them), each at `level` where it has that level. Overrides name one exercise's params, so they need a named one."""
    from fitness.workout.engine import WorkoutDefinition

    if overrides:
        raise UsageError("--set changes one exercise's params: name the exercise (e.g. fitness run squats --set ...)")
    extra_dirs = tuple(extra_dirs)
    definitions = []
    levels: set[str] = set()
    for info in scan_exercises(extra_dirs).infos:
        definition = load_exercise(info.path)
        levels.update(definition.levels)
        if level is not None and level in definition.levels:
            definition = load_exercise(info.path, level=level)
        definitions.append(definition)
    if level is not None and level not in levels:
        known = ", ".join(sorted(levels)) or "none"
        raise UsageError(f"--level {level}: no exercise of the library has that level (levels: {known})")
    try:
        return WorkoutDefinition(definitions)
    except ValueError as exc:
        raise UsageError(f"cannot recognise exercises: {exc}") from None
