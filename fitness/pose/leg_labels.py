"""Keeping a person's left and right legs apart from frame to frame.

Side-on, MoveNet often trades the labels of the two knees and ankles from one frame to the next (the near leg called
left in one frame, right in the next), most of all while the legs are apart (a lunge, a stride). A signal that uses
both legs alike (the mean of the knee angles) does not mind in one frame, but a smoother that follows each keypoint
through time mixes the two legs into one (a knee halfway between the front and the back one) and reads a bent pair
of legs as straight. `LegLabels` trades the labels back where the traded pairing explains the move from the last
frame much better than the given one: the legs then keep one label each for as long as they are followed.
"""

from __future__ import annotations

import numpy as np

from fitness.pose.types import Keypoint, Pose

# The keypoints whose labels are checked, each with its partner on the other leg.
_LEGS = (Keypoint.LEFT_KNEE, Keypoint.RIGHT_KNEE, Keypoint.LEFT_ANKLE, Keypoint.RIGHT_ANKLE)
_PARTNER = (1, 0, 3, 2)  # index into _LEGS
# Keypoints placed at least this confidently say where a leg is (MoveNet places a side-on ankle right at 0.15-0.3).
PLACED_SCORE = 0.1
# The labels are traded when the given pairing moves the legs' keypoints by more than this many thigh lengths a frame
# on average (faster than legs move: a label trade moves each by the legs' spread) and the traded pairing by at most
# TRADE_SHARE of that. Legs crossing on their own (a stride) move little from frame to frame.
JUMP_THIGHS = 0.4
TRADE_SHARE = 0.5
# A leg's last place is forgotten after this long (it may be anywhere by then).
MEMORY_S = 0.5


class LegLabels:
    """One person's legs, frame by frame: `apply(pose)` returns the pose with its leg labels traded back where they
    were traded (see the module docstring)."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._xy = np.full((len(_LEGS), 2), np.nan)  # each label's last place, in the labels as kept
        self._t = np.full(len(_LEGS), -np.inf)

    def apply(self, pose: Pose) -> Pose:
        idx = list(_LEGS)
        xy = pose.xy[idx].astype(np.float64)
        placed = (pose.score[idx] >= PLACED_SCORE) & np.isfinite(xy).all(axis=1)
        known = (pose.t - self._t <= MEMORY_S) & np.isfinite(self._xy).all(axis=1)
        partner = list(_PARTNER)
        both = placed & known & known[partner]  # compared both ways: its own last place and its partner's
        thigh = _thigh_px(pose)
        if both.sum() >= 2 and thigh > 0:
            kept = float(np.linalg.norm(xy[both] - self._xy[both], axis=1).sum())
            traded = float(np.linalg.norm(xy[both] - self._xy[partner][both], axis=1).sum())
            if kept > JUMP_THIGHS * thigh * both.sum() and traded < TRADE_SHARE * kept:
                pose = _traded(pose)
                xy, placed = xy[partner], placed[partner]
        self._xy[placed] = xy[placed]
        self._t[placed] = pose.t
        return pose


def _thigh_px(pose: Pose) -> float:
    """The mean distance from the hips' middle to the knees placed (0 when the hips or both knees are not)."""
    ok = (pose.score >= PLACED_SCORE) & np.isfinite(pose.xy).all(axis=1)
    if not (ok[Keypoint.LEFT_HIP] and ok[Keypoint.RIGHT_HIP]):
        return 0.0
    hips = (pose.xy[Keypoint.LEFT_HIP] + pose.xy[Keypoint.RIGHT_HIP]) / 2.0
    knees = [pose.xy[k] for k in (Keypoint.LEFT_KNEE, Keypoint.RIGHT_KNEE) if ok[k]]
    return float(np.mean([np.linalg.norm(k - hips) for k in knees])) if knees else 0.0


def _traded(pose: Pose) -> Pose:
    """The pose with its left and right knees and ankles' labels traded."""
    order = np.arange(len(pose.score))
    for a, b in ((Keypoint.LEFT_KNEE, Keypoint.RIGHT_KNEE), (Keypoint.LEFT_ANKLE, Keypoint.RIGHT_ANKLE)):
        order[a], order[b] = b, a
    return pose.replace(xy=pose.xy[order], score=pose.score[order])
