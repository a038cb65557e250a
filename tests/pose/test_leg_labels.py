"""LegLabels: a person's knees and ankles keep one label each from frame to frame."""

from __future__ import annotations

import numpy as np

from fitness.pose.leg_labels import MEMORY_S, LegLabels
from fitness.pose.types import Pose

LEGS = [13, 14, 15, 16]


def side_on(t: float, apart_px: float) -> Pose:
    """Side-on, the left leg forward by apart_px (knees and ankles), the right back; every keypoint at 0.6."""
    xy = np.column_stack([np.full(17, 500.0), np.linspace(100.0, 500.0, 17)])
    xy[[13, 15], 0] += apart_px / 2
    xy[[14, 16], 0] -= apart_px / 2
    return Pose(xy, np.full(17, 0.6), t)


def traded(pose: Pose) -> Pose:
    order = np.arange(17)
    order[LEGS] = [14, 13, 16, 15]
    return pose.replace(xy=pose.xy[order], score=pose.score[order])


def test_legs_whose_labels_trade_now_and_then_keep_one_label_each():
    rng = np.random.default_rng(0)
    legs = LegLabels()
    for k in range(90):
        truth = side_on(k / 30, 120.0 + 20.0 * np.sin(k / 10))
        got = legs.apply(traded(truth) if k and rng.random() < 0.4 else truth)
        np.testing.assert_allclose(got.xy[LEGS], truth.xy[LEGS])
        np.testing.assert_allclose(got.score, truth.score)


def test_legs_that_cross_on_their_own_keep_the_labels_given():
    """A leg that swings past the other (a stride) moves a little each frame: nothing is traded."""
    legs = LegLabels()
    for k in range(60):
        pose = side_on(k / 30, 150.0 * np.cos(k / 9))
        assert np.array_equal(legs.apply(pose).xy, pose.xy)


def test_a_leg_last_seen_long_ago_says_nothing():
    legs = LegLabels()
    legs.apply(side_on(0.0, 120.0))
    later = traded(side_on(MEMORY_S + 0.1, 120.0))
    assert np.array_equal(legs.apply(later).xy, later.xy)
