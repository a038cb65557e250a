"""`Pose.from_movenet`: MoveNet's normalized [y, x, score] layout -> frame pixels, for both output kinds."""

from __future__ import annotations

import numpy as np
import pytest

from fitness.errors import InputError
from fitness.pose.crop import Crop
from fitness.pose.types import Pose


def test_single_pose_rows_map_through_the_crop():
    raw = np.zeros((17, 3), np.float32)
    raw[:, 0] = 0.25  # y
    raw[:, 1] = 0.75  # x
    raw[:, 2] = 0.1
    raw[0, 2] = raw[5, 2] = 0.9
    pose = Pose.from_movenet(raw, Crop(100.0, 50.0, 200.0), (640, 480), t=2.0)
    np.testing.assert_allclose(pose.xy[0], [100 + 0.75 * 200, 50 + 0.25 * 200])
    assert pose.t == 2.0 and pose.frame_size == (640, 480) and pose.box is None
    # Only keypoints scoring >= 0.2 count towards the pose score.
    assert pose.pose_score == pytest.approx(0.9)


def test_a_pose_with_no_confident_keypoint_scores_zero():
    raw = np.full((17, 3), 0.1, np.float32)
    assert Pose.from_movenet(raw, Crop(0, 0, 10), (10, 10)).pose_score == 0.0


def test_letterboxed_coordinates_land_in_the_frame():
    # Full-frame letterbox of 640x480: the model's (x=0.5, y=0.5) is the frame centre.
    raw = np.tile(np.array([0.5, 0.5, 0.8], np.float32), (17, 1))
    pose = Pose.from_movenet(raw, Crop.full_frame((640, 480)), (640, 480))
    np.testing.assert_allclose(pose.xy, np.tile([320.0, 240.0], (17, 1)))


def test_multipose_rows_carry_a_box_and_its_score():
    row = np.zeros(56, np.float32)
    row[: 51 : 3] = 0.5
    row[1:51:3] = 0.25
    row[2:51:3] = 0.7
    row[51:] = [0.1, 0.2, 0.9, 0.6, 0.8]
    pose = Pose.from_movenet(row, Crop(0.0, -80.0, 640.0), (640, 480))
    assert pose.box == pytest.approx((0.2 * 640, 0.1 * 640 - 80, 0.6 * 640, 0.9 * 640 - 80))
    assert pose.pose_score == pytest.approx(0.8)
    np.testing.assert_allclose(pose.xy[3], [160.0, 240.0])


@pytest.mark.parametrize("shape", [(17, 2), (1, 17, 3), (55,), (0,)])
def test_wrong_shapes_are_input_errors(shape):
    with pytest.raises(InputError):
        Pose.from_movenet(np.zeros(shape), Crop(0, 0, 1), (1, 1))
