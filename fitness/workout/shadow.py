"""A shadow machine: one exercise's `ExerciseMachine` run on every pose of a workout whether or not that exercise is
being done, keeping its recent reps so the workout engine can weigh them and adopt them once it is recognised.

A shadow may skip frames while its exercise is ruled out (`fitness.workout.schedule`): it catches up on them from
the engine's `FrameBuffer` when it runs again (`WorkoutMachine._run_shadows` feeds them), so its state and reps are
those of a shadow fed every frame, unless it skipped more frames than the buffer keeps: then it starts over on the
frames the buffer has (`rejoin`)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from fitness.exercise import ExerciseDefinition, ExerciseMachine, MachineStep, RepEvent
from fitness.pose.types import Pose
from fitness.workout.motion import body_parts
from fitness.workout.schedule import BufferFed

# Reps further apart than this (one's end to the next one's start) are not one run of the same exercise.
RUN_GAP_S = 8.0
# A run's reps take about as long as each other: a first "rep" over this factor longer or shorter than the run's
# median is left out (reaching overhead once in a stretch before a set of presses is no press).
RUN_TEMPO_FACTOR = 2.0
# A rep in progress whose signal moves less than this share of the person's range over a while has stalled
# (`Shadow.stalled`): a rep moves its signal all the way between rest and target in a second or two.
STALL_SHARE = 0.15
# Reps kept per shadow: enough for any run still being weighed.
KEEP_S = 120.0


class Shadow(BufferFed):
    """One candidate exercise: its machine, its last step and its recent reps (counted or not)."""

    def __init__(self, definition: ExerciseDefinition) -> None:
        self.definition = definition
        self.name = definition.name
        # Its reps' movements on the rep signal (`RepEvent.movement`) say what moved, however the reps are timed.
        self.machine = ExerciseMachine(definition, signal_spans=True)
        # The keypoints whose movement this exercise is about, on either side of the body.
        self.moving = body_parts(i for program in definition.programs.values() for i in program.moving)
        self.reset()

    def reset(self) -> None:
        self.machine.reset()
        self.reps: deque[RepEvent] = deque()
        self.fed_n = 0  # frames of the session fed so far: its place in the engine's FrameBuffer

    @property
    def step(self) -> MachineStep | None:
        """Its machine's last step (made when asked: most shadows' steps are never read); None before the first
        frame and after a restart."""
        return self.machine.last_step()

    @property
    def view(self) -> str | None:
        """The camera view its machine sees (its step's view)."""
        return self.machine.views.view

    def update(self, pose: Pose | None, t: float) -> None:
        self._keep(self.machine.advance(pose, t), t)
        self.fed_n += 1

    def finish(self, t: float) -> MachineStep:
        step = self.machine.finish(t)
        self._keep(step.new_reps, t)
        return step

    def _keep(self, reps: Iterable[RepEvent], t: float) -> None:
        self.reps.extend(reps)
        while self.reps and self.reps[0].end_t < t - KEEP_S:
            self.reps.popleft()

    def stalled(self, since_t: float) -> bool:
        """Its machine has a rep in progress, and on every side in one the rep signal has stayed within STALL_SHARE
        of this person's range (their rest level to their reps' depth) since `since_t` (false while no range is
        learnt)."""
        stalled = False
        for tracker in self.machine.trackers:
            counter = tracker.counter
            if counter is None or counter.rep_in_progress is None:
                continue
            range_ = abs(counter.target_value - counter.rest_value)
            values = [x for t, x in counter.history if t >= since_t]
            if not range_ > 0 or not values or counter.history[0][0] > since_t:
                return False
            if max(values) - min(values) > STALL_SHARE * range_:
                return False
            stalled = True
        return stalled

    def last_counted_end_t(self) -> float | None:
        return next((r.end_t for r in reversed(self.reps) if r.counted), None)

    def run(self, after_t: float, t: float) -> list[RepEvent]:
        """The latest run of reps (counted and not) that started at or after `after_t`: back from the latest counted
        rep, as long as no gap between reps passes RUN_GAP_S. Empty when that rep ended over RUN_GAP_S before t."""
        reps = [r for r in self.reps if r.start_t >= after_t]
        last = next((k for k in range(len(reps) - 1, -1, -1) if reps[k].counted), None)
        if last is None or t - reps[last].end_t > RUN_GAP_S:
            return []
        first = last
        while first > 0 and reps[first].start_t - reps[first - 1].end_t <= RUN_GAP_S:
            first -= 1
        run = reps[first:last + 1]
        durations = sorted(r.duration_s for r in run if r.counted)
        median_s = durations[(len(durations) - 1) // 2]  # of two, the shorter
        while run and not run[0].counted or run and not (
                median_s / RUN_TEMPO_FACTOR <= run[0].duration_s <= median_s * RUN_TEMPO_FACTOR):
            run = run[1:]
        return run
