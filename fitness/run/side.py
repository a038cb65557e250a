"""Which body side the overlay draws the angle arcs on."""

from __future__ import annotations

from collections.abc import Mapping

from fitness.geometry.side import better_side
from fitness.pose.types import Pose


class DrawnSide:
    """The side whose angles are drawn: the side the engine measures; before it has chosen one, the
    better-seen side (`fitness.geometry.side.better_side`)."""

    def __init__(self, angle_joints) -> None:
        self._angle_joints = angle_joints  # side -> {metric: (a, b, c) keypoint indices}, from the exercise
        self.side = "left"
        self._joints_by_side: dict[str, Mapping[str, tuple[int, int, int]]] = {}

    def joints(self, pose: Pose | None, engine_side: str | None) -> Mapping[str, tuple[int, int, int]]:
        if engine_side is not None:
            self.side = engine_side
        elif pose is not None:
            self.side = better_side(pose.score, self.side)
        if self.side not in self._joints_by_side:
            self._joints_by_side[self.side] = dict(self._angle_joints(self.side))
        return self._joints_by_side[self.side]
