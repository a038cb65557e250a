"""Frame -> model input: where a frame pixel lands in the model input (letterbox and zoomed crops), padding,
channel order, and bad inputs refused with InputError."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fitness.capture.frame import Frame
from fitness.errors import InputError
from fitness.pose.crop import Crop
from fitness.pose.preprocess import as_image, crop_to_input

SIZE = 192


def _blob_centre(channel: np.ndarray) -> np.ndarray:
    """Intensity-weighted centre (x, y) of an image channel, in continuous pixel coordinates."""
    weights = channel.astype(np.float64)
    ys, xs = np.mgrid[0 : channel.shape[0], 0 : channel.shape[1]]
    total = weights.sum()
    return np.array([(weights * (xs + 0.5)).sum() / total, (weights * (ys + 0.5)).sum() / total])


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from([(640, 480), (480, 640), (1920, 1080), (300, 300)]),
    st.floats(0.1, 0.9),
    st.floats(0.1, 0.9),
    st.sampled_from(["full", "zoom"]),
)
def test_a_frame_pixel_lands_where_the_crop_maps_it(size, fx, fy, kind):
    w, h = size
    frame = np.zeros((h, w, 3), np.uint8)
    # A square of white pixels, big enough to survive the resize; its centre is the point we track.
    half = max(2, int(round(max(w, h) / SIZE * 2)))
    px, py = int(fx * w), int(fy * h)
    frame[py - half : py + half, px - half : px + half] = 255
    crop = Crop.full_frame(size) if kind == "full" else Crop(px - 100.0, py - 80.0, 240.0)
    model_input = crop_to_input(frame, crop, SIZE)
    assert model_input.shape == (1, SIZE, SIZE, 3) and model_input.dtype == np.int32
    found = _blob_centre(model_input[0, :, :, 0]) / SIZE
    expected = crop.to_crop(np.array([px, py], dtype=np.float64))
    # Within 1 model pixel: resampling blurs the square but keeps its centre.
    np.testing.assert_allclose(found, expected, atol=1.0 / SIZE)
    # And back: model -> frame pixels lands on the square's centre within one model pixel's footprint.
    np.testing.assert_allclose(crop.to_frame(found), [px, py], atol=crop.size / SIZE)


def test_letterbox_pads_black_and_keeps_the_image_centred():
    frame = np.full((100, 200, 3), 200, np.uint8)
    model_input = crop_to_input(frame, Crop.full_frame((200, 100)), SIZE)[0]
    rows_with_image = np.where(model_input[:, SIZE // 2, 0] > 100)[0]
    assert model_input[0, SIZE // 2].tolist() == [0, 0, 0] and model_input[-1, SIZE // 2].tolist() == [0, 0, 0]
    assert abs((rows_with_image.min() + rows_with_image.max()) / 2 - (SIZE - 1) / 2) <= 1
    assert abs(len(rows_with_image) - SIZE / 2) <= 2


def test_bgr_frames_become_rgb_model_input():
    frame = np.zeros((50, 50, 3), np.uint8)
    frame[..., 0] = 255  # blue in OpenCV's BGR
    centre = crop_to_input(frame, Crop(0, 0, 50), SIZE)[0, SIZE // 2, SIZE // 2]
    assert centre.tolist() == [0, 0, 255]


@pytest.mark.parametrize(("frame_size", "crop_side", "prefiltered"), [
    ((640, 480), 640.0, False),  # shrunk 3.3x: a whole factor of 1, so warped directly
    ((640, 480), 400.0, False),  # shrunk 2.1x: the same
    ((1920, 1080), 1920.0, True),  # shrunk 10x: area-averaged by 5 first
])
def test_only_whole_reductions_by_two_or_more_are_prefiltered(monkeypatch, frame_size, crop_side, prefiltered):
    import fitness.pose.preprocess as preprocess

    sizes = []
    resize = preprocess.cv2.resize

    def counting_resize(image, size, **kw):
        sizes.append(size)
        return resize(image, size, **kw)

    monkeypatch.setattr(preprocess.cv2, "resize", counting_resize)
    frame = np.zeros((frame_size[1], frame_size[0], 3), np.uint8)
    crop_to_input(frame, Crop(0.0, 0.0, crop_side), SIZE)
    assert bool(sizes) == prefiltered
    assert all(w <= frame_size[0] // 2 for w, _ in sizes)


def test_non_contiguous_views_are_accepted():
    frame = np.zeros((60, 80, 3), np.uint8)[:, ::-1]
    assert crop_to_input(frame, Crop.full_frame((80, 60)), SIZE).shape == (1, SIZE, SIZE, 3)


@pytest.mark.parametrize(
    "bad",
    [
        [[1, 2, 3]],
        None,
        np.zeros((10, 10), np.uint8),
        np.zeros((10, 10, 4), np.uint8),
        np.zeros((0, 10, 3), np.uint8),
        np.zeros((10, 10, 3), np.float32),
        np.zeros((10, 10, 3), np.int64),
    ],
    ids=["list", "none", "gray", "bgra", "empty", "float", "int64"],
)
def test_bad_images_are_input_errors(bad):
    with pytest.raises(InputError):
        as_image(bad)


def test_frames_bring_their_time():
    image, t = as_image(Frame(np.zeros((4, 4, 3), np.uint8), t=1.5, index=3))
    assert t == 1.5 and image.shape == (4, 4, 3)
