"""Estimators driven by a fake runner (no model): crop tracking loop, lost-pose reset, MultiPose filtering and
ids, ScriptedEstimator, bad inputs."""

from __future__ import annotations

import numpy as np
import pytest

from fitness.capture.frame import Frame
from fitness.errors import InputError, UsageError
from fitness.pose.crop import Crop
from fitness.pose.estimator import (
    MIN_MULTIPOSE_SCORE,
    MultiPoseEstimator,
    PoseEstimator,
    ScriptedEstimator,
    SinglePoseEstimator,
)
from fitness.pose.people_tracker import CONFIRM_HITS, PeopleTracker
from fitness.pose.types import Pose


class FakeRunner:
    """Returns queued raw outputs and remembers the inputs it was given."""

    def __init__(self, outputs, input_size: int = 192):
        self.outputs = list(outputs)
        self.inputs: list[np.ndarray] = []
        self.input_size = input_size

    def run(self, batch):
        self.inputs.append(batch)
        return self.outputs.pop(0)


def single_raw(xy_norm: np.ndarray, score: float) -> np.ndarray:
    raw = np.zeros((1, 1, 17, 3), np.float32)
    raw[0, 0, :, 0] = xy_norm[:, 1]
    raw[0, 0, :, 1] = xy_norm[:, 0]
    raw[0, 0, :, 2] = score
    return raw


def small_person_in_letterbox() -> np.ndarray:
    """(17, 2) normalized (x, y) of a small person left of centre in a 1280x720 letterbox."""
    xy = np.tile([0.3, 0.55], (17, 1))
    xy[:5, 1] -= 0.08  # head
    xy[5:7, 1] -= 0.06  # shoulders
    xy[15:, 1] += 0.08  # ankles
    xy[[5, 11, 15], 0] += 0.01
    xy[[6, 12, 16], 0] -= 0.01
    return xy


FRAME = Frame(np.zeros((720, 1280, 3), np.uint8), t=0.5, index=0)


def test_single_pose_zooms_in_after_a_confident_pose_and_resets_when_lost():
    runner = FakeRunner(
        [single_raw(small_person_in_letterbox(), 0.9)] * 2 + [single_raw(small_person_in_letterbox(), 0.05)] * 2
    )
    est = SinglePoseEstimator(runner, "fake")
    first = est.estimate(FRAME)
    assert first is not None and first.t == 0.5 and est.last_crop == Crop.full_frame((1280, 720))
    est.estimate(FRAME)
    zoomed = est.last_crop
    assert zoomed.size < 0.5 * 1280
    np.testing.assert_allclose(zoomed.to_frame([0.5, 0.5]), first.xy[[11, 12]].mean(axis=0), atol=1e-3)
    assert est.estimate(FRAME) is None  # low score: nobody
    est.estimate(FRAME)
    assert est.last_crop == Crop.full_frame((1280, 720))


def test_crop_tracking_can_be_switched_off():
    runner = FakeRunner([single_raw(small_person_in_letterbox(), 0.9)] * 2)
    est = SinglePoseEstimator(runner, "fake", crop_tracking=False)
    est.estimate(FRAME)
    est.estimate(FRAME)
    assert est.last_crop == Crop.full_frame((1280, 720))


def test_reset_returns_to_the_full_frame():
    runner = FakeRunner([single_raw(small_person_in_letterbox(), 0.9)] * 2)
    est = SinglePoseEstimator(runner, "fake")
    est.estimate(FRAME)
    est.reset()
    est.estimate(FRAME)
    assert est.last_crop == Crop.full_frame((1280, 720))


def multipose_raw(people: list[tuple[tuple[float, float, float, float], float]]) -> np.ndarray:
    raw = np.zeros((1, 6, 56), np.float32)
    for i, ((y0, x0, y1, x1), score) in enumerate(people):
        raw[0, i, 0:51:3] = (y0 + y1) / 2
        raw[0, i, 1:51:3] = (x0 + x1) / 2
        raw[0, i, 2:51:3] = score
        raw[0, i, 51:] = [y0, x0, y1, x1, score]
    return raw


def test_multipose_drops_weak_boxes_and_keeps_ids_and_picks_a_person():
    big, small, weak = ((0.2, 0.1, 0.8, 0.4), 0.9), ((0.4, 0.6, 0.6, 0.7), 0.7), ((0.0, 0.8, 0.1, 0.9), 0.1)
    runner = FakeRunner([multipose_raw([big, small, weak]), multipose_raw([small, big])], input_size=256)
    est = MultiPoseEstimator(runner, "fake", person="largest")
    first = est.estimate_all(FRAME)
    assert [p.track_id for p in first] == [1, 2]
    assert [p.t for p in first] == [FRAME.t] * 2  # the frame's time is the poses' one stamp
    chosen = est.estimate(FRAME)  # same two people, other order
    assert chosen.track_id == 1 and chosen.box[2] - chosen.box[0] > 300 and chosen.t == FRAME.t


def test_with_people_tracked_a_weak_box_continues_someone_known_but_starts_nobody():
    big, stranger = (0.2, 0.1, 0.8, 0.4), (0.3, 0.6, 0.7, 0.75)
    sure = [multipose_raw([(big, 0.9)])] * (CONFIRM_HITS + 1)
    runner = FakeRunner([*sure, multipose_raw([(big, 0.15), (stranger, 0.15)])], input_size=256)
    est = MultiPoseEstimator(runner, "fake", tracker=PeopleTracker(MIN_MULTIPOSE_SCORE))
    for _ in sure:
        (known,) = est.estimate_all(FRAME)
    assert known.track_id is not None
    assert [p.track_id for p in est.estimate_all(FRAME)] == [known.track_id]


def test_multipose_person_by_id_returns_none_when_absent():
    runner = FakeRunner([multipose_raw([((0.2, 0.1, 0.8, 0.4), 0.9)])], input_size=256)
    assert MultiPoseEstimator(runner, "fake", person="5").estimate(FRAME) is None


def test_multipose_rejects_a_bad_person_choice():
    with pytest.raises(UsageError):
        MultiPoseEstimator(FakeRunner([]), "fake", person="tallest")


@pytest.mark.parametrize(
    "bad", ["image.png", np.zeros((10, 10), np.uint8), np.zeros((10, 10, 3), np.float64), np.zeros((0, 0, 3), np.uint8)]
)
def test_estimators_refuse_bad_frames_before_running_the_model(bad):
    runner = FakeRunner([])
    for est in (SinglePoseEstimator(runner, "fake"), MultiPoseEstimator(runner, "fake")):
        with pytest.raises(InputError):
            est.estimate(bad)
    assert runner.inputs == []


def test_scripted_estimator_replays_poses_with_the_frame_time():
    pose = Pose(xy=np.ones((17, 2)), score=np.full(17, 0.9), t=0.0)
    est = ScriptedEstimator([pose, None, pose])
    assert isinstance(est, PoseEstimator)
    assert est.estimate(FRAME).t == 0.5
    assert est.estimate_all(FRAME) == []
    assert len(est.estimate_all(FRAME)) == 1
    assert est.estimate(FRAME) is None  # script exhausted
    with pytest.raises(InputError):
        est.estimate(None)


REDUCED = Frame(np.zeros((180, 320, 3), np.uint8), t=0.5, index=0, source_size=(1280, 720))  # FRAME, quartered


def test_a_pose_found_on_a_reduced_image_comes_in_the_source_pixels_and_the_crop_tracks_the_image():
    whole, reduced = (SinglePoseEstimator(FakeRunner([single_raw(small_person_in_letterbox(), 0.9)] * 2), "fake")
                      for _ in range(2))
    on_whole, on_reduced = whole.estimate(FRAME), reduced.estimate(REDUCED)
    np.testing.assert_allclose(on_reduced.xy, on_whole.xy, rtol=1e-5)
    assert on_reduced.frame_size == (1280, 720) and reduced.last_crop == Crop.full_frame((320, 180))
    reduced.estimate(REDUCED)
    assert reduced.last_crop.size < 0.5 * 320  # zoomed in, in the reduced image's pixels


def test_multipose_boxes_and_the_choice_of_person_use_the_source_pixels():
    big = ((0.2, 0.1, 0.8, 0.4), 0.9)
    whole = MultiPoseEstimator(FakeRunner([multipose_raw([big])], input_size=256), "fake").estimate(FRAME)
    reduced = MultiPoseEstimator(FakeRunner([multipose_raw([big])], input_size=256), "fake").estimate(REDUCED)
    np.testing.assert_allclose(reduced.box, whole.box, rtol=1e-5)
    np.testing.assert_allclose(reduced.xy, whole.xy, rtol=1e-5)


def test_with_people_tracked_each_pose_carries_the_colour_over_its_torso():
    image = np.zeros((720, 1280, 3), np.uint8)
    image[:, :640] = (30, 40, 200)  # red (BGR) on the left, blue on the right
    image[:, 640:] = (200, 60, 30)
    frame = Frame(image, t=0.5, index=0)
    left, right = ((0.2, 0.1, 0.8, 0.4), 0.9), ((0.2, 0.6, 0.8, 0.9), 0.9)
    runner = FakeRunner([multipose_raw([left, right])] * 2, input_size=256)
    people = MultiPoseEstimator(runner, "fake", tracker=PeopleTracker(MIN_MULTIPOSE_SCORE)).estimate_all(frame)
    on_left, on_right = sorted(people, key=lambda p: p.xy[0, 0])
    assert on_left.colour == pytest.approx((30 / 270, 40 / 270, 90))
    assert on_right.colour == pytest.approx((200 / 290, 60 / 290, 290 / 3))
    assert all(p.colour is None for p in MultiPoseEstimator(runner, "fake").estimate_all(frame))  # one followed
