"""The zero-lag offline smoothing of a recording, given frame by frame a bounded number of frames late.

`smooth_offline` fits each keypoint's track over a window of `window_frames` samples around each frame, so a
frame's smoothed pose depends only on its neighbours up to a window away, as long as the track's time steps are
even (then the window in samples is the same all along, unless the frame rate puts it half-way between two sizes:
`steady_window`). `LaggedSmoother` re-smooths the recent poses in chunks
and gives out each frame once `lag_frames` (at least a window) later ones have been seen: for a recording with
even time steps, what `smooth_offline` gives for the whole of it, to a float32 rounding (`SAME_RTOL`). For
uneven steps (a variable frame rate, a dropped frame) the whole-recording smoother resamples each track on one
grid, which no bounded lag can reproduce: compare with the whole result (`same_poses`) before trusting what came
out early.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from fitness.pose.types import Pose
from fitness.smoothing.offline import window_samples

# Relative error of a measured frame step (timestamps in ms or 1/fps, differences of floats): far more than it is.
_STEP_NOISE = 1e-6
# Relative difference two smoothings of the same frames may show: the fits' matrix products sum in an order that
# depends on the slice's length, so a float32 result can come out one rounding apart (~3e-5 px at 400 px).
SAME_RTOL = 4 * float(np.finfo(np.float32).eps)
# Poses smoothed again at once, beyond the lag (fewer: more calls, each over the same 2 x lag context).
DEFAULT_CHUNK_FRAMES = 16


def steady_window(window_s: float, fps: float) -> bool:
    """Whether the window in samples at this frame rate stays the same when the measured step is a rounding
    error off 1 / fps. It does not where window_s x fps is half-way between two window sizes (0.5 s at 15 fps:
    7.5 samples, 7 or 9 as the last bits of a track's median step fall); then each track's window depends on all
    of its steps and no bounded lag can follow it."""
    if not (math.isfinite(fps) and fps > 0):
        return False
    step_s = 1.0 / fps
    return window_samples(window_s, step_s * (1 - _STEP_NOISE)) == window_samples(window_s, step_s * (1 + _STEP_NOISE))


def lag_frames_for(window_s: float, fps: float) -> int:
    """Frames a pose must wait so that the window around it (`window_s` at `fps`) is whole: one more than the
    window's samples, so a rounding of the window up to the next odd count is covered."""
    rate = fps if math.isfinite(fps) and fps > 0 else 30.0
    return int(math.ceil(window_s * rate)) + 2


class LaggedSmoother:
    """Feeds `smooth` (a whole-recording smoother such as `smooth_offline`) the poses in chunks and returns each
    frame's smoothed pose once `lag_frames` later frames have been seen (`finish` returns the rest)."""

    def __init__(self, smooth: Callable[[list[Pose | None]], list[Pose | None]], lag_frames: int,
                 chunk_frames: int = DEFAULT_CHUNK_FRAMES) -> None:
        if lag_frames < 1 or chunk_frames < 1:
            raise ValueError(f"lag_frames and chunk_frames must be >= 1, got {lag_frames}, {chunk_frames}")
        self._smooth = smooth
        self.lag_frames = lag_frames
        self.chunk_frames = chunk_frames
        self._poses: list[Pose | None] = []
        self._next = 0  # index of the next frame to give out

    @property
    def pending(self) -> int:
        """Frames pushed but not given out yet."""
        return len(self._poses) - self._next

    def push(self, pose: Pose | None) -> list[Pose | None]:
        """Adds the next frame's raw pose; returns the smoothed poses of the frames that are now final, in order."""
        self._poses.append(pose)
        if self.pending < self.lag_frames + self.chunk_frames:
            return []
        return self._give_up_to(len(self._poses) - self.lag_frames)

    def finish(self) -> list[Pose | None]:
        """The smoothed poses of the frames not given out yet (the recording ended)."""
        return self._give_up_to(len(self._poses))

    def _give_up_to(self, stop: int) -> list[Pose | None]:
        if stop <= self._next:
            return []
        # Context: a lag of frames before the first one given out, so its window lies inside what is smoothed.
        start = max(0, self._next - self.lag_frames)
        smoothed = self._smooth(self._poses[start:])
        out = smoothed[self._next - start:stop - start]
        self._next = stop
        return out


def same_poses(a: Sequence[Pose | None], b: Sequence[Pose | None]) -> bool:
    """Whether two smoothings agree: the same frames with a pose and times, the same scores, the same positions to
    SAME_RTOL (NaN where NaN)."""
    if len(a) != len(b):
        return False
    if any((p is None) != (q is None) for p, q in zip(a, b)):
        return False
    pairs = [(p, q) for p, q in zip(a, b) if p is not None]
    if not pairs:
        return True
    if any(p.t != q.t for p, q in pairs):
        return False
    xy_a, xy_b = np.stack([p.xy for p, _ in pairs]), np.stack([q.xy for _, q in pairs])
    score_a, score_b = np.stack([p.score for p, _ in pairs]), np.stack([q.score for _, q in pairs])
    return bool(np.allclose(xy_a, xy_b, rtol=SAME_RTOL, atol=0.0, equal_nan=True) and np.array_equal(score_a, score_b))
