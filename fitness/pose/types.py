"""Keypoints in COCO order and the Pose object every later stage speaks.

Only `Pose.from_movenet` knows MoveNet's raw `[y, x, score]` normalized layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING

import numpy as np

from fitness.errors import InputError

if TYPE_CHECKING:
    from fitness.pose.crop import Crop


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


# MoveNet's MultiPose returns rows of 17 x [y, x, score] + [y_min, x_min, y_max, x_max, score].
MOVENET_MULTIPOSE_ROW = 56
# Keypoints below this score do not count towards a single-pose estimate's pose_score (MoveNet's reference).
MOVENET_MIN_KEYPOINT_SCORE = 0.2
# A keypoint at or above this score is trusted: measured, smoothed, drawn solid (MoveNet's demos draw from 0.3).
# Exercise files may set their own `min_score`; this is its default.
TRUSTED_KEYPOINT_SCORE = 0.3

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
    shared: the keypoints may be partly someone else's (the tracker found the box overlapping another person's, or
        someone hidden behind or in front of this one).
    colour: optional colour of the clothes over the torso (`fitness.pose.torso_colour`; MultiPose, several people).
    """

    xy: np.ndarray
    score: np.ndarray
    t: float
    pose_score: float = float("nan")
    box: tuple[float, float, float, float] | None = None
    track_id: int | None = None
    shared: bool = False
    frame_size: tuple[int, int] | None = field(default=None, compare=False)  # (width, height)
    colour: tuple[float, float, float] | None = field(default=None, compare=False)  # fitness.pose.torso_colour

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

    @classmethod
    def from_movenet(
        cls,
        raw: np.ndarray,
        crop: Crop,
        frame_size: tuple[int, int],
        t: float = 0.0,
        min_keypoint_score: float = MOVENET_MIN_KEYPOINT_SCORE,
    ) -> Pose:
        """A Pose in frame pixels from one MoveNet result.

        raw: single-pose (17, 3) rows of [y, x, score], or one MultiPose row (56,) = 17 x [y, x, score] then
        [y_min, x_min, y_max, x_max, score]; all coordinates normalized to the square crop the model saw.
        crop: that square region in frame pixels (`fitness.pose.crop.Crop`); frame_size: (width, height).
        pose_score: single-pose, the mean score of keypoints >= min_keypoint_score (0 when none is);
        MultiPose, the box score.
        """
        values = np.asarray(raw, dtype=np.float32)
        box = None
        if values.shape == (MOVENET_MULTIPOSE_ROW,):
            y0, x0, y1, x1, box_score = (float(v) for v in values[3 * NUM_KEYPOINTS :])
            corners = crop.to_frame(np.array([[x0, y0], [x1, y1]]))
            box = (float(corners[0, 0]), float(corners[0, 1]), float(corners[1, 0]), float(corners[1, 1]))
            values = values[: 3 * NUM_KEYPOINTS].reshape(NUM_KEYPOINTS, 3)
            pose_score = box_score
        elif values.shape == (NUM_KEYPOINTS, 3):
            confident = values[:, 2][values[:, 2] >= min_keypoint_score]
            pose_score = float(confident.mean()) if confident.size else 0.0
        else:
            raise InputError(
                f"MoveNet output must be (17, 3) [y, x, score] rows or one (56,) MultiPose row, got {values.shape}"
            )
        xy = crop.to_frame(values[:, 1::-1]).astype(np.float32)
        return cls(xy=xy, score=values[:, 2], t=t, pose_score=pose_score, box=box, frame_size=frame_size)

    def visible(self, min_score: float) -> np.ndarray:
        """(17,) bool: keypoints with a finite position and score >= min_score."""
        return (self.score >= min_score) & np.isfinite(self.xy).all(axis=1)

    def point(self, kp: Keypoint | int) -> np.ndarray:
        return self.xy[int(kp)]

    def replace(self, **changes) -> Pose:
        values = {
            "xy": self.xy,
            "score": self.score,
            "t": self.t,
            "pose_score": self.pose_score,
            "box": self.box,
            "track_id": self.track_id,
            "shared": self.shared,
            "frame_size": self.frame_size,
            "colour": self.colour,
        }
        values.update(changes)
        return Pose(**values)
