"""The saved video drawn during the first pass of offline smoothing, so its frames are decoded only once.

With `--smoothing offline` the poses of the whole recording are found first and counted after; the saved video
used to be drawn in that second pass, which decoded the video again. A frame's smoothed pose is final a bounded
number of frames later (`fitness.smoothing.lagged`), so `DrawAhead` holds the frames that long, counts them with
a machine and recorder of its own and hands them to the video writer with the overlay of that count. That count
becomes the session's when the second pass has nothing else to do (no history, voice, people or plan:
`Session._adopt`); otherwise the second pass counts again, as always. When the first pass ends it checks that
what it smoothed is exactly what the whole-recording smoother gives (it is unless the frame times are uneven: a
variable frame rate, a dropped frame, or a frame rate such as 15 fps that puts the smoothing window half-way
between two sizes); if not, the video is thrown away and the second pass draws it, as before.
"""

from __future__ import annotations

import collections
import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from fitness.pose.types import Pose
from fitness.run.snapshots import SnapshotMaker
from fitness.smoothing.lagged import LaggedSmoother, lag_frames_for, same_poses, steady_window
from fitness.smoothing.offline import DEFAULT_MAX_GAP_S, DEFAULT_WINDOW_S, EVEN_TOLERANCE

if TYPE_CHECKING:
    from fitness.capture.frame import Frame
    from fitness.feedback.snapshot import Snapshot
    from fitness.run.display import Display
    from fitness.run.stages import ExerciseDefinition, Machine, Recorder

# Frames held while their smoothed pose is not final may take this many bytes (34 frames at 30 fps: 31 MB of
# 640x480, 94 MB of 1280x720); larger frames (1080p, kept whole for the video) are drawn in the second pass.
AHEAD_BUDGET_BYTES = 96 * 2**20


class DrawAhead:
    """Draws the frames of the first pass into `display`'s video file, each once its smoothed pose is final.

    smooth: the whole-recording smoother (`Stages.smooth_offline`); engine: a fresh machine and recorder like the
    session's (`Stages.fresh_engine`); definition: the exercise; fps: the source's frame rate (the lag in frames);
    budget_bytes: for the frames held (None: AHEAD_BUDGET_BYTES). `active` is False when it gave up (frames too
    large, uneven frame times, a window half-way between two sizes): then nothing it drew is kept.
    """

    def __init__(self, display: Display, smooth: Callable[[list[Pose | None]], list[Pose | None]],
                 engine: tuple[Machine, Recorder], definition: ExerciseDefinition, fps: float, *,
                 budget_bytes: int | None = None) -> None:
        self.display = display
        self.machine, self.recorder = engine
        self.definition = definition
        self.snapshots = SnapshotMaker(definition)
        self.lagged = LaggedSmoother(smooth, lag_frames_for(DEFAULT_WINDOW_S, fps))
        self.budget_bytes = AHEAD_BUDGET_BYTES if budget_bytes is None else budget_bytes
        self.active = steady_window(DEFAULT_WINDOW_S, fps)  # else drawing ahead cannot follow: not even tried
        self.smoothed: list[Pose | None] = []  # what came out of the lagged smoother, frame by frame
        self._held: collections.deque[Frame] = collections.deque()
        self._first_step: float | None = None
        self._last_t: float | None = None
        self.last_snapshot: Snapshot | None = None  # of the last frame drawn

    def add(self, frame: Frame, pose: Pose | None) -> None:
        """The first pass's next frame and its raw pose; draws the frames that are now final."""
        if not self.active:
            return
        if not (self._fits(frame) and self._even(frame.t)):
            self.abandon()
            return
        self._held.append(frame)
        self._draw(self.lagged.push(pose))

    def finish(self, smoothed: list[Pose | None]) -> bool:
        """Draws the frames still held; True when the video now holds every frame drawn exactly as the second pass
        would (`smoothed`: the whole recording smoothed), else False and the video is thrown away."""
        if not self.active:
            return False
        self._draw(self.lagged.finish())
        if not same_poses(self.smoothed, smoothed):
            self.abandon()
        return self.active

    def abandon(self) -> None:
        """Gives up: the frames drawn so far are thrown away (the second pass draws them all)."""
        if self.active:
            self.active = False
            self._held.clear()
            self.smoothed.clear()
            self.display.discard_video()

    def _draw(self, poses: list[Pose | None]) -> None:
        for pose in poses:
            frame = self._held.popleft()
            self.smoothed.append(pose)
            step = self.machine.update(pose, frame.t)
            self.recorder.update(step)
            snapshot = self.snapshots.make(step, pose, self.machine, self.recorder, definition=self.definition)
            self.last_snapshot = snapshot
            self.display.draw(frame.image, snapshot, frame.full, owned=True)  # the frame is not held any more

    def _fits(self, frame: Frame) -> bool:
        """Whether a lag of frames like this one fits the budget."""
        held = frame.image.nbytes + (frame.full.nbytes if frame.full is not None else 0)
        return held * (self.lagged.lag_frames + self.lagged.chunk_frames + 1) <= self.budget_bytes

    def _even(self, t: float) -> bool:
        """Whether the frame times are still even (a jump the smoother does not bridge is allowed): uneven ones
        make the whole-recording smoother resample, which drawing ahead cannot follow."""
        last, self._last_t = self._last_t, t
        if last is None:
            return True
        step = t - last
        if step > DEFAULT_MAX_GAP_S:
            return True
        if self._first_step is None:
            self._first_step = step
        return math.isfinite(step) and abs(step - self._first_step) <= EVEN_TOLERANCE * self._first_step
