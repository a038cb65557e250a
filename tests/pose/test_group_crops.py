"""CropRefiner: small people (in MultiPose's input) get a Lightning crop of their own; big ones keep MultiPose's
pose; a crop that sees less than MultiPose did is dropped."""

from __future__ import annotations

import numpy as np

from fitness.pose.group_crops import SMALL_IN_INPUT_PX, CropRefiner
from fitness.pose.types import Pose

IMAGE = np.zeros((720, 1280, 3), np.uint8)


class FakeLightning:
    """Answers every crop with the same pose: all 17 keypoints at the crop's centre with `score`."""

    input_size = 192

    def __init__(self, score: float) -> None:
        self.score, self.calls = score, 0

    def run(self, batch):
        self.calls += 1
        raw = np.zeros((1, 1, 17, 3), np.float32)
        raw[..., 0] = raw[..., 1] = 0.5
        raw[..., 2] = self.score
        return raw


def person(height_px: float, track_id: int | None = 1, score: float = 0.5) -> Pose:
    """A standing stick person of the given height with its torso in place (hips and shoulders)."""
    y = np.linspace(100, 100 + height_px, 17)
    xy = np.column_stack([np.full(17, 400.0), y])
    xy[[5, 6], 1], xy[[11, 12], 1] = 100 + 0.25 * height_px, 100 + 0.55 * height_px
    xy[[5, 11], 0], xy[[6, 12], 0] = 380.0, 420.0
    return Pose(xy, np.full(17, score), 0.0, box=(370.0, 100.0, 430.0, 100.0 + height_px), track_id=track_id)


def small_height_px() -> float:
    return 0.8 * SMALL_IN_INPUT_PX * 1280 / 256  # below the line in a 256 px input of a 1280 wide frame


def test_a_small_person_is_refined_and_keeps_their_id_and_box():
    runner = FakeLightning(score=0.9)
    pose = person(small_height_px())
    (out,) = CropRefiner(runner, 256).refine(IMAGE, [pose])
    assert runner.calls == 1
    assert out.track_id == 1 and out.box == pose.box
    assert np.allclose(out.score, 0.9) and not np.allclose(out.xy, pose.xy)


def test_big_people_and_people_without_an_id_are_left_as_multipose_saw_them():
    runner = FakeLightning(score=0.9)
    big, unknown = person(2.0 * small_height_px()), person(small_height_px(), track_id=None)
    assert CropRefiner(runner, 256).refine(IMAGE, [big, unknown]) == [big, unknown]
    assert runner.calls == 0


def test_a_crop_that_sees_less_than_multipose_is_dropped():
    pose = person(small_height_px(), score=0.6)
    (out,) = CropRefiner(FakeLightning(score=0.1), 256).refine(IMAGE, [pose])
    assert out is pose
