import math

import numpy as np

from fitness.geometry import angle, distance, incline


def test_right_angle_and_straight_line():
    assert math.isclose(angle([1, 0], [0, 0], [0, 1]), 90.0)
    assert math.isclose(angle([-1, 0], [0, 0], [1, 0]), 180.0)


def test_missing_point_gives_nan_not_zero():
    assert math.isnan(angle([np.nan, 0], [0, 0], [0, 1]))
    assert math.isnan(angle([0, 0], [0, 0], [0, 1]))


def test_incline_is_zero_for_upright_and_90_for_horizontal():
    hip, shoulder = np.array([100.0, 200.0]), np.array([100.0, 100.0])
    assert math.isclose(incline(hip, shoulder), 0.0)
    assert math.isclose(incline(hip, [200.0, 200.0]), 90.0)
    assert math.isclose(incline(hip, [0.0, 200.0]), 90.0)


def test_distance_broadcasts():
    d = distance(np.zeros((3, 2)), np.array([[3.0, 4.0], [0, 1], [1, 0]]))
    assert np.allclose(d, [5, 1, 1])


def test_torso_length_uses_the_visible_side_and_nan_when_none():
    from fitness.geometry import torso_length

    xy = np.full((17, 2), np.nan)
    xy[5], xy[11] = [0, 0], [0, 30]  # left shoulder, left hip
    assert math.isclose(torso_length(xy), 30.0)
    xy[6], xy[12] = [10, 0], [10, 50]
    assert math.isclose(torso_length(xy), 40.0)
    assert math.isnan(torso_length(np.full((17, 2), np.nan)))
