"""Which shadow machines of a workout run on a frame (the engine's cost: a shadow costs about as much as counting
one named exercise, and a library has many).

A shadow whose exercise the classifier rules out now (it names another exercise and gives this one less than the
engine's MIN_CLASS_P, so a run voted that way would weigh nothing: `WorkoutMachine._ruled_out`) skips the frame;
the frame waits in a `FrameBuffer` of the last CATCH_UP_S, and the shadow catches up on it once its exercise is no
longer ruled out (`WorkoutMachine._run_shadows`): its first reps are counted and adopted as if it had run all along.
A shadow already waiting on the buffer (and every shadow as the session starts) also waits while the classifier is
undecided, not ready or answering "none", for under the engine's UNDECIDED_WAIT_S: such a spell mostly ends with an
answer that rules the shadow out again, and the catch-up is then never made.
Only a shadow that skipped more than CATCH_UP_S starts over on the buffered frames (the reps it would have counted
before them, all ruled out when they came, are lost).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from fitness.exercise import ExerciseMachine
from fitness.pose.types import Pose

# Frames kept for shadows that skip (a catch-up replays at most this long of one shadow's frames, once). With 60 s
# the dev workouts (seeds 200000-200013) come out as with every shadow run on every frame; with 20 s, 4 of 6 did not.
CATCH_UP_S = 60.0


class FrameBuffer:
    """The session's last CATCH_UP_S of (pose, t) frames, numbered from 0 over the session."""

    def __init__(self, keep_s: float = CATCH_UP_S) -> None:
        self.keep_s = float(keep_s)
        self.reset()

    def reset(self) -> None:
        self._frames: deque[tuple[Pose | None, float]] = deque()
        self.total_n = 0  # frames added over the session

    @property
    def first_n(self) -> int:
        """The number of the oldest frame kept."""
        return self.total_n - len(self._frames)

    def add(self, pose: Pose | None, t: float) -> None:
        self._frames.append((pose, t))
        self.total_n += 1
        while self._frames[0][1] < t - self.keep_s:
            self._frames.popleft()

    @property
    def latest(self) -> tuple[Pose | None, float]:
        """The last frame added."""
        return self._frames[-1]

    def since(self, n: int) -> Iterator[tuple[Pose | None, float]]:
        """The kept frames from frame number n on (n >= first_n)."""
        frames = self._frames
        for k in range(n - self.first_n, len(frames)):  # a deque is indexed fast near its ends
            yield frames[k]


class BufferFed:
    """A machine of the engine's that may skip frames and catch up on them from its `FrameBuffer` (a shadow, a hold
    shadow): `fed_n` frames of the session fed so far, its place in the buffer; `update` feeds one."""

    machine: ExerciseMachine
    fed_n: int

    def rejoin(self, frames: FrameBuffer) -> None:
        """Ready to be fed the buffered frames from its `fed_n` on. Behind by more than the buffer keeps, it starts
        over (reps numbered on) on the frames the buffer has: the reps it missed are lost, and what its machine
        learnt of the person is learnt again."""
        if self.fed_n < frames.first_n:
            self.machine.restart()
            self.fed_n = frames.first_n

    def behind(self, frames: FrameBuffer) -> bool:
        """It skipped the latest frame (its step and reps are not up to date)."""
        return self.fed_n < frames.total_n
