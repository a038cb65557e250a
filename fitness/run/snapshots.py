"""What the overlay and the UIs show of one counted frame: the Snapshot of a machine's step."""

from __future__ import annotations

from typing import Any

from fitness.exercise.events import MachineStep, RepEvent
from fitness.feedback.snapshot import Snapshot
from fitness.pose.types import Pose
from fitness.run.side import DrawnSide


class SnapshotMaker:
    """Turns each step of one machine into a Snapshot: the exercise counted now (a workout's machine changes it),
    the side its angles are drawn on, the set and the last finished rep. One per machine: it follows its steps."""

    def __init__(self, definition) -> None:
        self.definition, self.side = definition, DrawnSide(definition.angle_joints)
        self.last_rep: RepEvent | None = None

    def make(self, step: MachineStep, pose: Pose | None, machine: Any, recorder: Any, *, definition: Any,
             **live: Any) -> Snapshot:
        """The snapshot of `step` (`pose`: the smoothed pose it counted); `definition`: the exercise when the machine
        does not say; live: what only the loop knows (fps, latency_ms, notice, people)."""
        if step.new_reps:
            self.last_rep = step.new_reps[-1]
        definition = getattr(machine, "definition", definition)
        if definition is not self.definition:
            self.definition, self.side = definition, DrawnSide(definition.angle_joints)
        return Snapshot(
            exercise=definition.name,
            title=definition.title,
            step=step,
            pose=pose,
            main_signal=definition.rep_signal or "",
            angle_joints=self.side.joints(pose, step.side),
            set_index=int(getattr(recorder, "set_index", 1) or 1),
            last_rep=self.last_rep,
            workout=getattr(machine, "status", None),
            plan=getattr(machine, "plan_progress", None),
            **live,
        )
