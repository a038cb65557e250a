"""The exercise language and engine: YAML definitions, expression compiler, rep state machine, form rules.

A definition is loaded once (`loader`: YAML via `yamlsrc`, expressions via `expr`, into the dataclasses of
`definition`, compiled per body side). `ExerciseMachine` (`machine`) then runs per frame, for each measured
side: the Metrics stage (`metrics`: pose -> named metrics), the rep state machine (`reps`), the form rules
(`rules`: one class per rule type behind the `FormRule` protocol) and, for holds, `hold`. docs/exercises.md
describes the stages and how to add a rule type or an expression function.

Logic only: nothing here imports cv2 or rich.
"""

from fitness.exercise.definition import ExerciseDefinition
from fitness.exercise.events import FormIssue, HoldSpan, MachineStep, RepEvent, Signals
from fitness.exercise.loader import (
    ExerciseInfo,
    ExerciseScan,
    find_exercise,
    list_exercises,
    load_exercise,
    parse_exercise,
    scan_exercises,
)
from fitness.exercise.machine import ExerciseMachine

__all__ = [
    "ExerciseDefinition",
    "ExerciseInfo",
    "ExerciseScan",
    "ExerciseMachine",
    "FormIssue",
    "HoldSpan",
    "MachineStep",
    "RepEvent",
    "Signals",
    "find_exercise",
    "list_exercises",
    "load_exercise",
    "parse_exercise",
    "scan_exercises",
]
