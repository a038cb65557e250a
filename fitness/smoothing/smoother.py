"""Live pose smoothers: One Euro or fixed-lag smoothing with shared confidence handling, and a pass-through.

A `Smoother` turns each raw Pose into a steadier Pose of the same type (`apply`), frame by frame, and
forgets everything on `reset()`. Low-confidence keypoints never leak into the track: they are held at
their last good position for a moment, then reported missing (NaN), so no angle is computed from garbage.
"""

from __future__ import annotations

import math
from typing import Protocol

import numpy as np

from fitness.errors import InputError
from fitness.geometry import body_scale
from fitness.pose.types import NUM_KEYPOINTS, TRUSTED_KEYPOINT_SCORE, Pose
from fitness.smoothing.fixed_lag import DEFAULT_LAG_S, DEFAULT_ORDER, DEFAULT_WINDOW_S, FixedLagFilter
from fitness.smoothing.one_euro import (
    DEFAULT_BETA,
    DEFAULT_D_CUTOFF_HZ,
    DEFAULT_MIN_CUTOFF_HZ,
    OneEuroFilter,
    time_step,
)

DEFAULT_MIN_SCORE = TRUSTED_KEYPOINT_SCORE
# How long a dropped keypoint keeps its last good position before it becomes NaN. Long enough to
# bridge a one- or two-frame drop-out at 15-30 fps; short enough that a limb that really left the
# view is not shown frozen in place. Raise it for a flickery camera, lower it if stale joints bother you.
DEFAULT_HOLD_S = 0.25
# A whole pose scoring below this is nobody (or a false detection): the track starts afresh.
# MoveNet's tfjs detector drops poses below 0.25 the same way.
DEFAULT_MIN_POSE_SCORE = 0.2
# Time constant of the running body scale (torso length). Slow, because the scale only sets how
# speed is judged; it should not wobble with every jittery shoulder.
SCALE_TAU_S = 1.0


class Smoother(Protocol):
    """A stateful pose filter: one verb and a reset."""

    def apply(self, pose: Pose) -> Pose: ...

    def reset(self) -> None: ...


class PassThroughSmoother:
    """The do-nothing smoother: returns every pose unchanged (the baseline, and `--smoothing none`)."""

    def apply(self, pose: Pose) -> Pose:
        return pose

    def reset(self) -> None:
        pass


class PointFilter(Protocol):
    """What the confidence handling needs of a filter over (N, D) points (OneEuroFilter, FixedLagFilter)."""

    def apply(self, x: np.ndarray, t: float, scale: float = 1.0) -> np.ndarray: ...

    def reset(self, mask: np.ndarray | None = None) -> None: ...


class ConfidenceSmoother:
    """A point filter over all 17 keypoints, in torso units, with confidence handling.

    Per frame:
    - a whole pose with pose_score < min_pose_score resets everything and is returned with its
      untrusted keypoints (score < min_score or NaN) set to NaN;
    - a keypoint with score >= min_score and a finite position is filtered into its track; if it
      had been missing for longer than hold_s its track starts afresh at the new position;
    - a keypoint below min_score (or NaN) is not fed to the filter. For hold_s seconds after its
      last good frame it is reported at its last smoothed position with its last good score (so
      later stages keep treating it as visible); after that it is reported missing: NaN position,
      its own (low) score.
    Time: a repeated timestamp returns the previous output again; a timestamp going backwards
    (seek, loop, new clip) resets the smoother first.
    Subclasses only choose the filter (OneEuroSmoother, FixedLagSmoother).
    """

    def __init__(
        self,
        point_filter: PointFilter,
        *,
        min_score: float = DEFAULT_MIN_SCORE,
        hold_s: float = DEFAULT_HOLD_S,
        min_pose_score: float = DEFAULT_MIN_POSE_SCORE,
    ) -> None:
        name = type(self).__name__
        for param, value in (("min_score", min_score), ("min_pose_score", min_pose_score)):
            if not (0.0 <= value <= 1.0):
                raise InputError(f"{name} {param} must be within [0, 1], got {value!r}")
        if not (math.isfinite(hold_s) and hold_s >= 0):
            raise InputError(f"{name} hold_s must be a finite number of seconds >= 0, got {hold_s!r}")
        self.filter = point_filter
        self.min_score = float(min_score)
        self.hold_s = float(hold_s)
        self.min_pose_score = float(min_pose_score)
        self.reset()

    def reset(self) -> None:
        self.filter.reset()
        self._good_xy = np.full((NUM_KEYPOINTS, 2), np.nan)  # last smoothed position of a trusted sample
        self._good_score = np.zeros(NUM_KEYPOINTS, dtype=np.float32)
        self._good_t = np.full(NUM_KEYPOINTS, np.nan)
        self._scale: float | None = None
        self._t_last: float | None = None
        self._last_out: Pose | None = None

    def apply(self, pose: Pose) -> Pose:
        if not isinstance(pose, Pose):
            raise InputError(f"{type(self).__name__}.apply expects a Pose, got {type(pose).__name__}")
        t = float(pose.t)
        if not math.isfinite(t):
            raise InputError(f"{type(self).__name__}.apply needs a pose with a finite time t, got {pose.t!r}")
        step = time_step(self._t_last, t)
        if step == "back":
            self.reset()
        elif step == "repeat" and self._last_out is not None:
            return self._last_out

        good = pose.visible(self.min_score)
        if pose.pose_score < self.min_pose_score:
            self.reset()
            out = pose.replace(xy=np.where(good[:, None], pose.xy, np.nan))
            self._t_last = t
            return out

        # A keypoint that comes back after a drop-out longer than the hold starts a new track: its
        # old position says nothing about where it is now.
        stale = good & ~((t - self._good_t) <= self.hold_s)
        self.filter.reset(stale)

        raw = np.where(good[:, None], pose.xy, np.nan).astype(np.float64)
        scale = self._update_scale(raw, t, pose.frame_size)
        smoothed = self.filter.apply(raw, t, scale) if scale is not None else raw

        self._good_xy[good] = smoothed[good]
        self._good_score[good] = pose.score[good]
        self._good_t[good] = t
        held = ~good & ((t - self._good_t) <= self.hold_s)
        xy = np.where(good[:, None], smoothed, np.nan)
        xy[held] = self._good_xy[held]
        score = pose.score.copy()
        score[held] = self._good_score[held]

        self._t_last = t
        self._last_out = pose.replace(xy=xy, score=score)
        return self._last_out

    def _update_scale(self, raw: np.ndarray, t: float, frame_size: tuple[int, int] | None) -> float | None:
        """The running torso length in pixels (None while nothing gives a scale yet)."""
        current = body_scale(raw)
        if not math.isfinite(current):
            return self._scale
        if self._scale is None or self._t_last is None:
            self._scale = current
        else:
            dt = max(t - self._t_last, 0.0)
            self._scale += dt / (SCALE_TAU_S + dt) * (current - self._scale)
        return self._scale


class OneEuroSmoother(ConfidenceSmoother):
    """One Euro smoothing (adaptive low-pass, ~25 ms lag at 30 fps) with the confidence handling above."""

    def __init__(
        self,
        min_cutoff_hz: float = DEFAULT_MIN_CUTOFF_HZ,
        beta: float = DEFAULT_BETA,
        d_cutoff_hz: float = DEFAULT_D_CUTOFF_HZ,
        **confidence: float,
    ) -> None:
        super().__init__(OneEuroFilter(min_cutoff_hz, beta, d_cutoff_hz), **confidence)


class FixedLagSmoother(ConfidenceSmoother):
    """Fixed-lag local polynomial smoothing (output lag_s behind, 67 ms by default) with the confidence
    handling above. A held keypoint is held at its last (lagged) estimate."""

    def __init__(
        self,
        window_s: float = DEFAULT_WINDOW_S,
        lag_s: float = DEFAULT_LAG_S,
        order: int = DEFAULT_ORDER,
        **confidence: float,
    ) -> None:
        super().__init__(FixedLagFilter(window_s, lag_s, order), **confidence)
