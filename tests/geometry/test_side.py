"""Side selection with hysteresis and the front/side view estimate."""

from __future__ import annotations

import numpy as np

from fitness.geometry.side import SIDE_KEYPOINTS, SideSelector, ViewEstimator, better_side
from fitness.pose.types import Keypoint

LEFT = [Keypoint.LEFT_HIP, Keypoint.LEFT_KNEE, Keypoint.LEFT_ANKLE]
RIGHT = [Keypoint.RIGHT_HIP, Keypoint.RIGHT_KNEE, Keypoint.RIGHT_ANKLE]


def scores(left: float, right: float) -> np.ndarray:
    s = np.full(17, 0.5)
    s[LEFT] = left
    s[RIGHT] = right
    return s


def side_scores(left: float, right: float) -> np.ndarray:
    s = np.full(17, 0.5, np.float32)
    s[list(SIDE_KEYPOINTS["left"])] = left
    s[list(SIDE_KEYPOINTS["right"])] = right
    return s


def test_better_side_has_hysteresis():
    assert better_side(side_scores(0.9, 0.3)) == "left"
    assert better_side(side_scores(0.3, 0.9)) == "right"
    assert better_side(side_scores(0.55, 0.5), previous="right") == "right"
    assert better_side(side_scores(0.5, 0.55), previous="left") == "left"
    unseen = side_scores(0.9, 0.3)
    unseen[list(SIDE_KEYPOINTS["left"])] = np.nan  # a side without any score: the choice stays
    assert [better_side(unseen, previous=p) for p in ("left", "right")] == ["left", "right"]


def test_first_choice_is_the_better_side():
    assert SideSelector(LEFT, RIGHT).update(scores(0.5, 0.8), 0.0) == "right"


def test_alternating_noise_does_not_flip_flop():
    sel = SideSelector(LEFT, RIGHT, margin=0.1, switch_s=0.5)
    sides = [sel.update(scores(0.7, 0.85 if i % 2 else 0.6), i / 30) for i in range(120)]
    assert set(sides) == {"left"}


def test_switches_after_the_other_side_is_clearly_better_for_a_while():
    sel = SideSelector(LEFT, RIGHT, margin=0.1, switch_s=0.5)
    sel.update(scores(0.8, 0.5), 0.0)
    sides = [sel.update(scores(0.5, 0.9), 1.0 + i / 30) for i in range(30)]
    assert sides[0] == "left" and sides[10] == "left" and sides[-1] == "right"
    assert sides.index("right") == 15  # 0.5 s at 30 fps


def test_hold_freezes_the_choice_unless_the_side_is_lost():
    sel = SideSelector(LEFT, RIGHT, min_score=0.3, switch_s=0.2)
    sel.update(scores(0.7, 0.5), 0.0)
    assert all(sel.update(scores(0.5, 0.95), 1 + i / 30, hold=True) == "left" for i in range(30))
    lost = [sel.update(scores(0.1, 0.9), 3 + i / 30, hold=True) for i in range(10)]
    assert lost[-1] == "right"


def test_view_estimator_front_and_side_with_hysteresis():
    def body(shoulder_w: float) -> tuple[np.ndarray, np.ndarray]:
        xy = np.zeros((17, 2))
        xy[Keypoint.LEFT_SHOULDER] = (300 + shoulder_w / 2, 100)
        xy[Keypoint.RIGHT_SHOULDER] = (300 - shoulder_w / 2, 100)
        xy[Keypoint.LEFT_HIP] = (310, 220)
        xy[Keypoint.RIGHT_HIP] = (290, 220)
        return xy, np.full(17, 0.9)

    v = ViewEstimator(smooth_s=0.0)
    assert v.update(*body(90), 0.0) == "front"
    assert v.update(*body(50), 0.1) == "front"  # ratio ~0.42: inside the hysteresis gap
    assert v.update(*body(20), 0.2) == "side"
    assert v.update(*body(50), 0.3) == "side"
    none_visible = (np.zeros((17, 2)), np.zeros(17))
    assert ViewEstimator().update(*none_visible, 0.0) is None
