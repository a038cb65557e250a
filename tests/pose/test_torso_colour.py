"""The colour over a person's torso: sampled inside the shoulders and hips, steady under shading."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fitness.pose.torso_colour import BRIGHTNESS_WEIGHT, colour_gap, torso_colour
from fitness.pose.types import Keypoint, Pose


def person(shoulders_y: float = 100.0, hips_y: float = 220.0, left_x: float = 130.0, right_x: float = 70.0,
           score: float = 0.8) -> Pose:
    """Facing the camera: their left side on the image's right."""
    xy = np.full((17, 2), 150.0)
    xy[[Keypoint.LEFT_SHOULDER, Keypoint.RIGHT_SHOULDER]] = [(left_x, shoulders_y), (right_x, shoulders_y)]
    xy[[Keypoint.LEFT_HIP, Keypoint.RIGHT_HIP]] = [(left_x - 10, hips_y), (right_x + 10, hips_y)]
    return Pose(xy, np.full(17, score), 0.0)


def test_the_torso_colour_is_the_shirts_not_the_background_or_the_arms_beside_it():
    image = np.full((300, 200, 3), (90, 200, 90), np.uint8)  # green background
    image[100:220, 70:131] = (40, 40, 170)  # a red shirt between shoulders and hips
    image[100:220, 70:80] = image[100:220, 121:131] = (120, 160, 220)  # skin: the arms along its sides
    b, g, level = torso_colour(image, person())
    assert (b, g, level) == pytest.approx((40 / 250, 40 / 250, 250 / 3))


def test_an_arm_across_the_torso_does_not_change_its_colour():
    """Side-on, a swinging arm lies over part of the torso (here a quarter of the samples): the shirt's colour."""
    image = np.full((300, 200, 3), (90, 200, 90), np.uint8)
    image[100:220, 70:131] = (40, 40, 170)  # a red shirt
    image[100:220, 100:109] = (120, 160, 220)  # a bare arm down the middle of it
    assert torso_colour(image, person()) == pytest.approx((40 / 250, 40 / 250, 250 / 3))


def test_no_colour_where_the_shoulders_or_hips_are_unsure():
    image = np.zeros((300, 200, 3), np.uint8)
    assert torso_colour(image, person(score=0.2)) is None
    assert torso_colour(image, person(hips_y=float("nan"))) is None


def test_a_torso_partly_out_of_the_frame_samples_its_edge():
    image = np.full((300, 200, 3), (10, 20, 30), np.uint8)
    assert torso_colour(image, person(left_x=260.0, right_x=190.0)) == pytest.approx((10 / 60, 20 / 60, 20.0))


bgr = st.tuples(*[st.integers(20, 180)] * 3)


@given(bgr, st.floats(0.6, 1.4))
def test_shading_changes_the_gap_only_by_the_brightness_share(colour, shade):
    """One shirt in light and shadow: the chromaticity stays, the brightness ratio counts BRIGHTNESS_WEIGHT."""
    lit = np.array(colour, np.float64)
    a = (lit[0] / lit.sum(), lit[1] / lit.sum(), lit.sum() / 3)
    b = (a[0], a[1], a[2] * shade)
    assert colour_gap(a, b) == pytest.approx(colour_gap(b, a))
    assert colour_gap(a, b) <= BRIGHTNESS_WEIGHT * abs(np.log(shade)) + 1e-9
    assert colour_gap(a, a) == 0.0


def test_shirts_of_different_colours_are_far_apart():
    image = np.zeros((300, 400, 3), np.uint8)
    image[:, :200] = (40, 40, 170)  # red
    image[:, 200:] = (180, 60, 30)  # blue
    red, blue = torso_colour(image, person()), torso_colour(image, person(left_x=330.0, right_x=270.0))
    assert colour_gap(red, blue) > 0.5
