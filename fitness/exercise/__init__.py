"""The exercise language and engine: YAML definitions, expression compiler, rep state machine, form rules.

Logic only: nothing here imports cv2 or rich.
"""

from fitness.exercise.events import FormIssue, MachineStep, RepEvent, Signals

__all__ = ["FormIssue", "MachineStep", "RepEvent", "Signals"]
