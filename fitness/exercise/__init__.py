"""The exercise language and engine: YAML definitions, expression compiler, rep state machine, form rules.

Logic only: nothing here imports cv2 or rich.
"""

from fitness.exercise.definition import ExerciseDefinition
from fitness.exercise.events import FormIssue, MachineStep, RepEvent, Signals
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
    "MachineStep",
    "RepEvent",
    "Signals",
    "find_exercise",
    "list_exercises",
    "load_exercise",
    "parse_exercise",
    "scan_exercises",
]
