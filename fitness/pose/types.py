"""Keypoints in COCO order and the Pose object every later stage speaks.

Only `Pose.from_movenet` knows MoveNet's raw `[y, x, score]` normalized layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np

from fitness.errors import InputError


class Keypoint(IntEnum):
    NOSE = 0
    LEFT_EYE = 1
    RIGHT_EYE = 2
    LEFT_EAR = 3
    RIGHT_EAR = 4
    LEFT_SHOULDER = 5
    RIGHT_SHOULDER = 6
    LEFT_ELBOW = 7
    RIGHT_ELBOW = 8
    LEFT_WRIST = 9
    RIGHT_WRIST = 10
    LEFT_HIP = 11
    RIGHT_HIP = 12
    LEFT_KNEE = 13
    RIGHT_KNEE = 14
    LEFT_ANKLE = 15
    RIGHT_ANKLE = 16


KEYPOINT_NAMES: tuple[str, ...] = tuple(k.name.lower() for k in Keypoint)
NUM_KEYPOINTS = len(KEYPOINT_NAMES)

# Bones drawn by the overlay, as pairs of keypoints.
SKELETON: frozenset[tuple[Keypoint, Keypoint]] = frozenset(
    {
        (Keypoint.NOSE, Keypoint.LEFT_EYE),
        (Keypoint.NOSE, Keypoint.RIGHT_EYE),
        (Keypoint.LEFT_EYE, Keypoint.LEFT_EAR),
        (Keypoint.RIGHT_EYE, Keypoint.RIGHT_EAR),
        (Keypoint.LEFT_SHOULDER, Keypoint.RIGHT_SHOULDER),
        (Keypoint.LEFT_SHOULDER, Keypoint.LEFT_ELBOW),
        (Keypoint.LEFT_ELBOW, Keypoint.LEFT_WRIST),
        (Keypoint.RIGHT_SHOULDER, Keypoint.RIGHT_ELBOW),
        (Keypoint.RIGHT_ELBOW, Keypoint.RIGHT_WRIST),
        (Keypoint.LEFT_SHOULDER, Keypoint.LEFT_HIP),
        (Keypoint.RIGHT_SHOULDER, Keypoint.RIGHT_HIP),
        (Keypoint.LEFT_HIP, Keypoint.RIGHT_HIP),
        (Keypoint.LEFT_HIP, Keypoint.LEFT_KNEE),
        (Keypoint.LEFT_KNEE, Keypoint.LEFT_ANKLE),
        (Keypoint.RIGHT_HIP, Keypoint.RIGHT_KNEE),
        (Keypoint.RIGHT_KNEE, Keypoint.RIGHT_ANKLE),
    }
)


@dataclass(frozen=True)
class Pose:
    """One person's 17 keypoints in frame pixels.

    xy: (17, 2) float32, (x, y) pixels in the frame; NaN where a keypoint is missing.
    score: (17,) float32 in [0, 1], MoveNet's per-keypoint confidence.
    t: the frame's time in seconds.
    pose_score: overall confidence (mean of keypoint scores above threshold, MultiPose's box score).
    box: optional (x_min, y_min, x_max, y_max) pixels (MultiPose gives one).
    track_id: optional stable id across frames (MultiPose tracker).
    """

    xy: np.ndarray
    score: np.ndarray
    t: float
    pose_score: float = float("nan")
    box: tuple[float, float, float, float] | None = None
    track_id: int | None = None
    frame_size: tuple[int, int] | None = field(default=None, compare=False)  # (width, height)

    def __post_init__(self) -> None:
        xy = np.asarray(self.xy, dtype=np.float32)
        score = np.asarray(self.score, dtype=np.float32)
        if xy.shape != (NUM_KEYPOINTS, 2):
            raise InputError(f"Pose.xy must have shape (17, 2), got {xy.shape}")
        if score.shape != (NUM_KEYPOINTS,):
            raise InputError(f"Pose.score must have shape (17,), got {score.shape}")
        object.__setattr__(self, "xy", xy)
        object.__setattr__(self, "score", score)
        if np.isnan(self.pose_score):
            object.__setattr__(self, "pose_score", float(np.mean(score)))

    def visible(self, min_score: float) -> np.ndarray:
        """(17,) bool: keypoints with a finite position and score >= min_score."""
        return (self.score >= min_score) & np.all(np.isfinite(self.xy), axis=1)

    def point(self, kp: Keypoint | int) -> np.ndarray:
        return self.xy[int(kp)]

    def replace(self, **changes) -> "Pose":
        values = {
            "xy": self.xy,
            "score": self.score,
            "t": self.t,
            "pose_score": self.pose_score,
            "box": self.box,
            "track_id": self.track_id,
            "frame_size": self.frame_size,
        }
        values.update(changes)
        return Pose(**values)
