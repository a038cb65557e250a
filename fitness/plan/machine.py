"""PlanMachine: a workout that follows a plan. The workout engine (`fitness.workout.engine.WorkoutMachine`) recognises
and counts the plan's exercises, biased toward the one the plan expects now; a `PlanTracker` follows the plan from
the sets those reps make (split as the recorder splits them: `fitness.session.recorder.SetTracker`, same rules).

It is the session's `Machine` (update / finish -> MachineStep); `definition` and `status` are the workout engine's,
`plan_progress` is what a dashboard shows of the plan. The summary's planned vs done comes from the recorded sets
(`plan_result`), so it always agrees with the summary's `sets`. Logic only: no cv2, no rich, no user text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fitness.errors import UsageError
from fitness.exercise import ExerciseDefinition, MachineStep, load_exercise
from fitness.plan.loader import load_plan
from fitness.plan.model import Plan
from fitness.plan.tracker import PlanProgress, PlanTracker, follow
from fitness.pose.types import Pose
from fitness.session.recorder import DEFAULT_AWAY_S, DEFAULT_SET_PAUSE_S, SetTracker
from fitness.session.summary import SetSummary
from fitness.workout.engine import COUNTING, WorkoutDefinition, WorkoutMachine
from fitness.workout.scores import ExerciseClassifier

# The engine shows a rest this long before the plan takes the set as over (a slow last rep can follow a moment of
# stillness; the rest countdown still starts at the set's last rep).
REST_CONFIRM_S = 2.0


class PlanDefinition(WorkoutDefinition):
    """The session's definition of a plan workout: the plan's exercises, named and titled after the plan (the
    summary's top-level `exercise` is the plan's name; its sets name their exercises)."""

    def __init__(self, plan: Plan, exercises: Sequence[ExerciseDefinition]) -> None:
        super().__init__(exercises)
        self.plan = plan
        self.name = plan.name
        self.title = plan.title


def load_plan_workout(plan: str | Plan, extra_dirs: Sequence[str] = ()) -> PlanDefinition:
    """The plan (a name, file or Plan) with each of its exercises loaded at its first block's level and `set:`
    overrides (holds too: the workout engine recognises them as they are held)."""
    plan = plan if isinstance(plan, Plan) else load_plan(plan, extra_dirs)
    definitions: dict[str, ExerciseDefinition] = {}
    for block in plan.blocks:
        if block.exercise in definitions:
            continue
        definitions[block.exercise] = load_exercise(block.path or block.source, extra_dirs, level=block.level,
                                                    overrides=dict(block.overrides))
    try:
        return PlanDefinition(plan, list(definitions.values()))
    except ValueError:
        raise UsageError(f"plan {plan.name} has no exercise counted in reps; a workout cannot follow holds alone "
                         "yet (use 'fitness run EXERCISE' for a hold)") from None


class PlanMachine:
    """Recognises and counts the exercises of `definition.plan` and follows the plan as the sets come."""

    def __init__(
        self,
        definition: PlanDefinition,
        classifier: ExerciseClassifier | None = None,
        *,
        set_pause_s: float = DEFAULT_SET_PAUSE_S,
        away_s: float = DEFAULT_AWAY_S,
        workout: Any = None,
    ) -> None:
        """workout: a stand-in for the workout engine (tests); by default a WorkoutMachine of the plan's exercises."""
        self.plan = definition.plan
        self.workout = workout or WorkoutMachine(definition, classifier, away_s=away_s)
        self.known = frozenset(d.name for d in (*definition.exercises, *getattr(definition, "holds", ())))
        self.set_pause_s, self.away_s = set_pause_s, away_s
        self.reset()

    def reset(self) -> None:
        self.workout.reset()
        self.tracker = PlanTracker(self.plan)
        self.sets = SetTracker(self.set_pause_s, self.away_s)
        self._told: dict[int, SetSummary] = {}  # sets the tracker has been told are closed, as they were then
        self._resting_since_t: float | None = None  # since when the engine shows a rest
        self.last_t = 0.0
        self._expect()

    @property
    def definition(self) -> Any:
        return self.workout.definition

    @property
    def status(self) -> Any:
        return self.workout.status

    @property
    def plan_progress(self) -> PlanProgress:
        return self.tracker.progress(self.last_t)

    def update(self, pose: Pose | None, t: float) -> MachineStep:
        return self._follow(self.workout.update(pose, t))

    def finish(self, t: float) -> MachineStep:
        step = self._follow(self.workout.finish(t))
        if self.sets.sets:
            self._close(self.sets.sets[-1])
        return step

    def plan_result(self, sets: Sequence[SetSummary]) -> dict[str, Any]:
        """The summary's `plan` object for the recorded sets."""
        return follow(self.plan, sets).to_dict()

    def _follow(self, step: MachineStep) -> MachineStep:
        self.last_t = step.t
        self.sets.presence(step.t, step.visible)
        for rep in step.new_reps:
            self.sets.add(rep, rep.exercise)
        if step.hold is not None:
            self.sets.hold(step.hold, step.hold.exercise)
        sets = self.sets.sets
        for s in sets[:-1]:
            self._close(s)
        if sets:
            last = sets[-1]
            # A set is over for the plan once the engine shows a rest after it (still, no rep for a while), a set
            # pause passed, or another set began; reps after a short rest still go into it (the recorder's rule),
            # and the plan takes it back meanwhile.
            status = self.workout.status
            if status.state == COUNTING or status.rest_s is None:
                self._resting_since_t = None
            elif self._resting_since_t is None:
                self._resting_since_t = step.t
            resting = self._resting_since_t is not None and step.t - self._resting_since_t >= REST_CONFIRM_S
            held = last.hold_s is not None and not self.sets.open  # a hold is over once its position is left
            if resting or held or step.t - last.end_t > self.set_pause_s:
                self._close(last)
            else:
                self._told.pop(last.index, None)
                self.tracker.open_set(last)
        self._expect()
        return step

    def _close(self, s: SetSummary) -> None:
        if self._told.get(s.index) != s:
            self.tracker.close_set(s)
            self._told[s.index] = s

    def _expect(self) -> None:
        self.workout.expect([name for name in self.tracker.expected() if name in self.known])
