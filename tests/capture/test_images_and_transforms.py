"""ImageFolderSource and the mirror/rotate transforms."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from fitness.capture import COMPLETE, FrameTransform, ImageFolderSource
from fitness.errors import SourceError, UsageError


def _asymmetric(h=4, w=6):
    img = np.zeros((h, w, 3), np.uint8)
    img[0, 0] = 255  # top-left marker
    return img


def test_images_in_name_order_at_the_nominal_rate(tmp_path):
    for name, level in (("b.png", 20), ("a.png", 10), ("c.jpg", 30)):
        cv2.imwrite(str(tmp_path / name), np.full((8, 8, 3), level, np.uint8))
    (tmp_path / "notes.txt").write_text("ignored")
    with ImageFolderSource(tmp_path, fps=10) as src:
        frames = list(src)
    assert [int(f.image.mean()) for f in frames] == pytest.approx([10, 20, 30], abs=2)
    assert [f.t for f in frames] == pytest.approx([0.0, 0.1, 0.2])
    assert src.end_reason == COMPLETE


def test_missing_or_empty_folder_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="not found"):
        ImageFolderSource(tmp_path / "nope")
    with pytest.raises(SourceError, match="no images"):
        ImageFolderSource(tmp_path)


def test_a_frame_rate_that_is_not_positive_is_a_source_error(tmp_path):
    cv2.imwrite(str(tmp_path / "a.png"), np.zeros((4, 4, 3), np.uint8))
    with pytest.raises(SourceError, match="frame rate must be > 0"):
        ImageFolderSource(tmp_path, fps=0)


def test_a_damaged_image_is_a_source_error(tmp_path):
    (tmp_path / "a.png").write_bytes(b"garbage")
    with pytest.raises(SourceError, match="cannot read image"):
        list(ImageFolderSource(tmp_path))


@pytest.mark.parametrize(
    ("transform", "marker", "shape"),
    [
        (FrameTransform(), (0, 0), (4, 6)),
        (FrameTransform(mirror=True), (0, 5), (4, 6)),
        (FrameTransform(rotate_deg=90), (0, 3), (6, 4)),  # clockwise: top-left goes to top-right
        (FrameTransform(rotate_deg=180), (3, 5), (4, 6)),
        (FrameTransform(rotate_deg=270), (5, 0), (6, 4)),
        (FrameTransform(mirror=True, rotate_deg=90), (5, 3), (6, 4)),
    ],
)
def test_transforms_move_the_top_left_marker(transform, marker, shape):
    out = transform.apply(_asymmetric())
    assert out.shape[:2] == shape
    assert tuple(np.argwhere(out[:, :, 0] == 255)[0]) == marker


def test_an_unsupported_rotation_is_a_usage_error():
    with pytest.raises(UsageError, match="0, 90, 180, 270"):
        FrameTransform(rotate_deg=45)
