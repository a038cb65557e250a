"""A hold shadow: one hold exercise's `ExerciseMachine` (its hold timer) run on every pose of a workout, whether or
not that hold is being done, keeping the hold in progress frame by frame so the workout engine can weigh it and,
once recognised, report it from a later start than the timer's own (a plank's band is also the top of a push-up, so
a hold may only start after the reps before it).

Logic only: no cv2, no rich, no user text.
"""

from __future__ import annotations

from bisect import bisect_right

from fitness.exercise import ExerciseDefinition, ExerciseMachine, HoldSpan, MachineStep
from fitness.pose.types import Pose
from fitness.workout.schedule import BufferFed


class HoldShadow(BufferFed):
    """One candidate hold exercise: its machine, its last step and the hold in progress (or the last one)."""

    def __init__(self, definition: ExerciseDefinition) -> None:
        if definition.hold is None:
            raise ValueError(f"{definition.name} is not a hold exercise")
        self.definition = definition
        self.name = definition.name
        self.machine = ExerciseMachine(definition)
        self.reset()

    def reset(self) -> None:
        self.machine.reset()
        self.fed_n = 0  # frames of the session fed so far: its place in the engine's FrameBuffer
        self.from_t: float | None = None  # the recognised hold's start (the workout engine sets it), else None
        self._start_t: float | None = None  # the timer's hold the trail is of
        self._trail_t: list[float] = []  # per frame in position: (t, good seconds, seconds in position) so far
        self._trail: list[tuple[float, float]] = []

    @property
    def step(self) -> MachineStep | None:
        """Its machine's last step (made when asked: the engine reads few of them); None before the first frame."""
        return self.machine.last_step()

    def update(self, pose: Pose | None, t: float) -> None:
        self.machine.advance(pose, t)
        self._keep()
        self.fed_n += 1

    def finish(self, t: float) -> MachineStep:
        return self.machine.finish(t)

    def _keep(self) -> None:
        h = self.machine.hold_timer.current
        if h is None or h.lost_since is not None:
            return
        if h.start_t != self._start_t:
            self._start_t, self._trail_t, self._trail = h.start_t, [], []
        self._trail_t.append(h.last_t)
        self._trail.append((h.good_s, h.total_s))

    @property
    def in_position_since(self) -> float | None:
        """When the hold in progress began, while in position now (None: not in position)."""
        h = self.machine.hold_timer.current
        return h.start_t if h is not None and h.lost_since is None else None

    def last_counted_end_t(self) -> float | None:
        """For the engine's change-of-exercise rule: reps that started after the recognised hold began may take over."""
        return self.from_t

    def span(self, from_t: float) -> HoldSpan | None:
        """The timer's hold (in progress, or ended on the last step) counted from `from_t` on; None when neither is
        of the hold the trail is of, or nothing of it lies after `from_t`."""
        step_span = self.step.hold if self.step is not None else None
        if step_span is None or step_span.start_t != self._start_t or not self._trail_t:
            return None
        k = bisect_right(self._trail_t, from_t) - 1
        good0, total0 = self._trail[k] if k >= 0 else (0.0, 0.0)
        start_t = max(from_t, step_span.start_t)
        if step_span.end_t < start_t:
            return None
        return HoldSpan(start_t, step_span.end_t, max(0.0, step_span.good_s - good0),
                        max(0.0, step_span.total_s - total0), done=step_span.done, exercise=self.name)
