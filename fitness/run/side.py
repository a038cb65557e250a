"""Which body side the overlay draws the angle arcs on."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from fitness.pose.types import Keypoint, Pose

_SIDE_POINTS = {
    "left": [Keypoint.LEFT_SHOULDER, Keypoint.LEFT_ELBOW, Keypoint.LEFT_WRIST, Keypoint.LEFT_HIP, Keypoint.LEFT_KNEE,
             Keypoint.LEFT_ANKLE],
    "right": [Keypoint.RIGHT_SHOULDER, Keypoint.RIGHT_ELBOW, Keypoint.RIGHT_WRIST, Keypoint.RIGHT_HIP,
              Keypoint.RIGHT_KNEE, Keypoint.RIGHT_ANKLE],
}
# The drawn side changes only when the other side is clearly better seen, so the arcs do not flicker.
SIDE_MARGIN = 0.1


def camera_side(pose: Pose, previous: str = "left") -> str:
    """The body side facing the camera (better keypoint scores), for drawing the angle arcs."""
    left, right = (float(np.nanmean(pose.score[[int(k) for k in pts]])) for pts in _SIDE_POINTS.values())
    if left > right + SIDE_MARGIN:
        return "left"
    if right > left + SIDE_MARGIN:
        return "right"
    return previous


class DrawnSide:
    """The side whose angles are drawn: the side the engine measures; before it has chosen one, the
    better-seen side (`camera_side`)."""

    def __init__(self, angle_joints) -> None:
        self._angle_joints = angle_joints  # side -> {metric: (a, b, c) keypoint indices}, from the exercise
        self.side = "left"
        self._joints_by_side: dict[str, Mapping[str, tuple[int, int, int]]] = {}

    def joints(self, pose: Pose | None, engine_side: str | None) -> Mapping[str, tuple[int, int, int]]:
        if engine_side is not None:
            self.side = engine_side
        elif pose is not None:
            self.side = camera_side(pose, self.side)
        if self.side not in self._joints_by_side:
            self._joints_by_side[self.side] = dict(self._angle_joints(self.side))
        return self._joints_by_side[self.side]
