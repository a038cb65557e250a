"""Crop-region math (properties) and the crop tracker's behaviour over frame sequences."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fitness.pose.crop import (
    BODY_EXPANSION,
    MIN_CROP_KEYPOINT_SCORE,
    TORSO_EXPANSION,
    Crop,
    CropTracker,
    next_crop,
)

sizes = st.tuples(st.integers(16, 2000), st.integers(16, 2000))


def standing_person(cx: float, cy: float, height_px: float) -> tuple[np.ndarray, np.ndarray]:
    """A rough upright person: hips at (cx, cy), head height_px/2 above, ankles height_px/2 below."""
    h = height_px / 2
    xy = np.array(
        [
            [cx, cy - h], [cx + 0.05 * h, cy - 1.05 * h], [cx - 0.05 * h, cy - 1.05 * h], [cx + 0.1 * h, cy - h],
            [cx - 0.1 * h, cy - h], [cx + 0.2 * h, cy - 0.75 * h], [cx - 0.2 * h, cy - 0.75 * h],
            [cx + 0.25 * h, cy - 0.4 * h], [cx - 0.25 * h, cy - 0.4 * h], [cx + 0.25 * h, cy - 0.1 * h],
            [cx - 0.25 * h, cy - 0.1 * h], [cx + 0.1 * h, cy], [cx - 0.1 * h, cy], [cx + 0.1 * h, cy + 0.5 * h],
            [cx - 0.1 * h, cy + 0.5 * h], [cx + 0.1 * h, cy + h], [cx - 0.1 * h, cy + h],
        ]
    )
    return xy, np.full(17, 0.9)


@given(sizes)
def test_full_frame_is_a_centred_square_covering_the_frame(size):
    w, h = size
    crop = Crop.full_frame(size)
    assert crop.size == max(w, h)
    assert crop.x_min <= 0 and crop.y_min <= 0
    assert crop.x_min + crop.size >= w and crop.y_min + crop.size >= h
    assert crop.x_min + crop.size / 2 == pytest.approx(w / 2) and crop.y_min + crop.size / 2 == pytest.approx(h / 2)


@given(
    st.floats(-500, 500), st.floats(-500, 500), st.floats(1, 3000),
    st.lists(st.tuples(st.floats(-1000, 3000), st.floats(-1000, 3000)), min_size=1, max_size=17),
)
def test_pixel_to_crop_to_pixel_round_trips(x_min, y_min, side, points):
    crop = Crop(x_min, y_min, side)
    xy = np.array(points)
    np.testing.assert_allclose(crop.to_frame(crop.to_crop(xy)), xy, atol=1e-6 * (1 + np.abs(xy).max()))


@given(
    sizes,
    st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=17, max_size=17),
    st.lists(st.floats(0, 1), min_size=17, max_size=17),
)
def test_next_crop_keeps_every_confident_keypoint_inside(size, rel, scores):
    w, h = size
    xy = np.array(rel) * (w, h)
    scores = np.array(scores)
    crop = next_crop(xy, scores, size)
    assert crop.size <= max(w, h) + 1e-6
    inside = crop.to_crop(xy[scores >= MIN_CROP_KEYPOINT_SCORE])
    assert np.all(inside >= -1e-9) and np.all(inside <= 1 + 1e-9)


@given(sizes, st.lists(st.floats(0, 1), min_size=17, max_size=17))
def test_without_a_confident_torso_the_crop_is_the_full_frame(size, scores):
    scores = np.array(scores)
    scores[[11, 12]] = np.minimum(scores[[11, 12]], MIN_CROP_KEYPOINT_SCORE / 2)  # both hips unsure
    xy = np.random.default_rng(0).uniform(0, 1, (17, 2)) * size
    assert next_crop(xy, scores, size) == Crop.full_frame(size)


def test_a_small_person_gets_a_crop_centred_on_the_hips_sized_by_the_body():
    size = (1280, 720)
    xy, scores = standing_person(300.0, 500.0, 200.0)
    crop = next_crop(xy, scores, size)
    center = crop.to_frame(np.array([0.5, 0.5]))
    np.testing.assert_allclose(center, [300.0, 500.0])
    # Torso reach 75 px (shoulders) x 1.9 = 142.5 beats body reach 105 px (eyes) x 1.2 = 126.
    assert crop.size == pytest.approx(2 * max(BODY_EXPANSION * 105.0, TORSO_EXPANSION * 75.0))


def test_a_person_filling_the_frame_gets_the_full_frame():
    size = (640, 480)
    xy, scores = standing_person(320.0, 240.0, 470.0)
    assert next_crop(xy, scores, size) == Crop.full_frame(size)


def test_tracker_starts_full_frame_zooms_in_and_resets_when_the_pose_is_lost():
    size = (1280, 720)
    tracker = CropTracker(smoothing_alpha=1.0)
    assert tracker.crop(size) == Crop.full_frame(size)
    xy, scores = standing_person(300.0, 500.0, 200.0)
    zoomed = tracker.update(xy, scores, size)
    assert zoomed.size < 400 and tracker.crop(size) == zoomed
    assert tracker.update(None, None, size) == Crop.full_frame(size)
    tracker.update(xy, scores, size)
    tracker.reset()
    assert tracker.crop(size) == Crop.full_frame(size)


def test_tracker_smooths_towards_a_moving_person_and_converges():
    size = (1280, 720)
    tracker = CropTracker(smoothing_alpha=0.5)
    xy, scores = standing_person(300.0, 500.0, 200.0)
    tracker.update(xy, scores, size)
    moved_xy = xy + (100.0, 0.0)
    target = next_crop(moved_xy, scores, size)
    previous_gap = np.inf
    for _ in range(30):
        crop = tracker.update(moved_xy, scores, size)
        gap = abs(crop.x_min - target.x_min)
        assert gap <= previous_gap
        previous_gap = gap
    assert previous_gap < 1e-3


def test_tracker_restarts_when_the_frame_size_changes():
    tracker = CropTracker()
    xy, scores = standing_person(300.0, 500.0, 200.0)
    tracker.update(xy, scores, (1280, 720))
    assert tracker.crop((640, 480)) == Crop.full_frame((640, 480))


@pytest.mark.parametrize("bad", [0.0, -0.1, 1.5])
def test_tracker_rejects_bad_smoothing(bad):
    with pytest.raises(ValueError):
        CropTracker(smoothing_alpha=bad)


@pytest.mark.parametrize("args", [(0, 0, 0), (0, 0, -1), (float("nan"), 0, 1)])
def test_crop_rejects_degenerate_regions(args):
    with pytest.raises(ValueError):
        Crop(*args)
