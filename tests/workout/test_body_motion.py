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


def knees_at(p: Pose, drop_torso: float, score: float = 0.9) -> Pose:
    """`p` with both knees `drop_torso` torso lengths below the hips, scored `score`."""
    xy, sc = p.xy.copy(), p.score.copy()
    hips_y = xy[[Keypoint.LEFT_HIP, Keypoint.RIGHT_HIP], 1].mean()
    torso = hips_y - xy[[Keypoint.LEFT_SHOULDER, Keypoint.RIGHT_SHOULDER], 1].mean()
    for knee in (Keypoint.LEFT_KNEE, Keypoint.RIGHT_KNEE):
        xy[knee, 1] = hips_y + drop_torso * torso
        sc[knee] = score
    return Pose(xy, sc, p.t)


def test_an_upright_looking_torso_over_knees_at_the_hips_is_not_judged():
    # The top of a push-up filmed head-on: the torso foreshortened to just over the shoulders' width (under
    # END_ON_RATIO), looking upright, the knees (far behind) drawn next to the hips.
    assert math.isnan(share(knees_at(pose(shoulder_w=88, torso=76), drop_torso=0.2)))


def test_such_a_torso_with_the_knees_unseen_is_not_judged():
    assert math.isnan(share(knees_at(pose(shoulder_w=88, torso=76), drop_torso=1.0, score=0.05)))


def test_a_broad_torso_over_knees_hanging_below_is_upright():
    # Standing, facing the camera, with broad shoulders.
    assert share(knees_at(pose(shoulder_w=90, torso=90), drop_torso=0.9)) == 1.0


def test_sitting_up_side_on_with_the_knees_bent_up_is_upright():
    # Getting up after glute bridges, filmed from the side: a narrow torso, upright, is judged whatever the knees.
    assert share(knees_at(pose(shoulder_w=20, torso=150), drop_torso=0.1)) == 1.0


def test_standing_still_stood_still_and_moving_or_lying_did_not():
    standing = pose(shoulder_w=80, torso=150)
    motion = BodyMotion()
    for k in range(90):  # 3 s still, then 1 s swinging the arms up and down
        p = standing
        if k >= 60:
            xy = standing.xy.copy()
            xy[[Keypoint.LEFT_WRIST, Keypoint.RIGHT_WRIST], 1] -= 150 * abs(math.sin(math.pi * (k - 60) / 15))
            p = Pose(xy, standing.score, 0.0)
        motion.update(p, k / 30)
    assert motion.stood_still(0.0, 1.9)
    assert not motion.stood_still(1.0, 2.95)
    lying = BodyMotion()
    flat = Pose(standing.xy[:, ::-1].copy(), standing.score, 0.0)  # the body turned level
    for k in range(60):
        lying.update(flat, k / 30)
    assert not lying.stood_still(0.0, 1.9)
