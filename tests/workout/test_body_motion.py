"""BodyMotion's posture: a torso seen end-on (shorter than the shoulders are wide) is not judged upright or not."""

from __future__ import annotations

import math

import numpy as np

from fitness.pose.types import NUM_KEYPOINTS, Keypoint, Pose
from fitness.workout.motion import BodyMotion


def pose(shoulder_w: float, torso: float) -> Pose:
    """Shoulders `shoulder_w` px apart, the hips `torso` px straight below them, the limbs hanging."""
    xy = np.zeros((NUM_KEYPOINTS, 2))
    for side, sign in (("LEFT", -1), ("RIGHT", 1)):
        x = 320 + sign * shoulder_w / 2
        xy[Keypoint[f"{side}_SHOULDER"]] = (x, 200)
        xy[Keypoint[f"{side}_ELBOW"]] = (x, 200 + torso / 2)
        xy[Keypoint[f"{side}_WRIST"]] = (x, 200 + torso)
        xy[Keypoint[f"{side}_HIP"]] = (320 + sign * shoulder_w / 4, 200 + torso)
        xy[Keypoint[f"{side}_KNEE"]] = (320 + sign * shoulder_w / 4, 200 + 1.5 * torso)
        xy[Keypoint[f"{side}_ANKLE"]] = (320 + sign * shoulder_w / 4, 200 + 2 * torso)
    xy[Keypoint.NOSE] = (320, 200 - torso / 3)
    return Pose(xy, np.full(NUM_KEYPOINTS, 0.9), 0.0)


def share(p: Pose) -> float:
    motion = BodyMotion()
    for k in range(30):
        motion.update(p, k / 30)
    return motion.upright_share(0.0, 1.0)


def test_a_standing_torso_is_upright():
    assert share(pose(shoulder_w=80, torso=150)) == 1.0


def test_a_torso_seen_end_on_is_not_judged_upright():
    # Push-ups filmed head-on: the torso points at the camera, its length foreshortened under the shoulders' width.
    assert math.isnan(share(pose(shoulder_w=120, torso=40)))
