"""CropRefiner: small people (in MultiPose's input) get a Lightning crop of their own; big ones keep MultiPose's
pose; a crop that sees less than MultiPose did is dropped."""

from __future__ import annotations

import numpy as np

from fitness.pose.crop import next_crop
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


def test_a_big_person_multipose_is_unsure_of_gets_a_crop_whose_score_stands_for_the_pose():
    runner = FakeLightning(score=0.7)
    weak, sure = person(2.0 * small_height_px(), score=0.15), person(2.0 * small_height_px(), track_id=2, score=0.5)
    out = CropRefiner(runner, 256, weak_score=0.25).refine(IMAGE, [weak, sure])
    assert runner.calls == 1
    assert np.allclose(out[0].score, 0.7) and out[0].pose_score >= 0.7 - 1e-6
    assert out[1] == sure


class SeesAt(FakeLightning):
    """Answers the crop a pose's keypoints place with keypoints at `xy` (frame pixels) and `score`."""

    def __init__(self, placed_by: Pose, xy: np.ndarray, score: float) -> None:
        super().__init__(score)
        crop = next_crop(placed_by.xy, placed_by.score, (IMAGE.shape[1], IMAGE.shape[0]))
        self.yx = np.column_stack([(xy[:, 1] - crop.y_min) / crop.size, (xy[:, 0] - crop.x_min) / crop.size])

    def run(self, batch):
        raw = super().run(batch)
        raw[0, 0, :, :2] = self.yx
        return raw


def test_a_crop_scoring_lower_than_multipose_but_on_the_same_person_stands():
    """Lightning's keypoint scores are not on MultiPose's scale: reading a small arm right, it may score lower."""
    pose = person(small_height_px(), score=0.6)
    truer = pose.xy + np.array([0.0, -6.0], np.float32)  # the wrists and all, a little higher
    (out,) = CropRefiner(SeesAt(pose, truer, score=0.45), 256).refine(IMAGE, [pose])
    assert np.allclose(out.xy, truer, atol=0.5) and np.allclose(out.score, 0.45)


def test_a_crop_that_finds_someone_else_is_dropped():
    pose = person(small_height_px(), score=0.6)
    beside = pose.xy + np.array([0.8 * small_height_px(), 0.0], np.float32)  # the neighbour, in the crop's edge
    (out,) = CropRefiner(SeesAt(pose, beside, score=0.7), 256).refine(IMAGE, [pose])
    assert out is pose


def test_a_small_person_whose_pose_may_hold_someone_else_keeps_multipose_pose_and_crop_tracking_restarts():
    """Someone walking behind a small person: Lightning, shown both in one crop, may take the walker's legs. While the
    tracker says the person's box is shared, MultiPose's pose stands; after, the crop is placed from it afresh."""
    pose = person(small_height_px(), score=0.6)
    legs_behind = pose.xy.copy()
    legs_behind[13:, 1] -= 40.0  # knees and ankles of someone further back: higher in the frame
    runner = SeesAt(pose, legs_behind, score=0.7)
    refiner = CropRefiner(runner, 256)
    (first,) = refiner.refine(IMAGE, [pose])
    assert not np.allclose(first.xy, pose.xy)  # alone, the crop's pose stands
    shared = pose.replace(shared=True)
    (out,) = refiner.refine(IMAGE, [shared])
    assert out is shared and runner.calls == 1
    assert 1 not in refiner._last  # the next crop is placed from MultiPose's pose, not the shared one's crop
