"""Frame -> model input: validate the image, cut a square crop (letterbox padding outside the frame),
resize it to the model's input size and hand it over as int32 RGB [1, S, S, 3]."""

from __future__ import annotations

import cv2
import numpy as np

from fitness.capture.frame import Frame
from fitness.errors import InputError
from fitness.pose.crop import Crop

# Bilinear warping skips pixels when shrinking more than 2x; below this scale an area-averaging resize by a whole
# factor (2 or more: a factor of 1 would only copy the frame) runs first so small models still see a clean image
# of a 1080p frame.
_PREFILTER_BELOW_SCALE = 0.5


def as_image(frame: Frame | np.ndarray) -> tuple[np.ndarray, float]:
    """(BGR uint8 (H, W, 3) image, t seconds) from a Frame or a bare array (t = 0); InputError otherwise."""
    if isinstance(frame, Frame):
        return frame.image, float(frame.t)
    if not isinstance(frame, np.ndarray):
        raise InputError(
            f"expected a Frame or a numpy image (H, W, 3) uint8 BGR, got {type(frame).__name__}; "
            "read frames with fitness.capture or cv2.imread"
        )
    if frame.ndim != 3 or frame.shape[2] != 3 or frame.shape[0] == 0 or frame.shape[1] == 0:
        raise InputError(
            f"expected an image of shape (H, W, 3) with H, W > 0, got {frame.shape}; "
            "convert grayscale or BGRA images with cv2.cvtColor first"
        )
    if frame.dtype != np.uint8:
        raise InputError(f"expected a uint8 image, got {frame.dtype}; scale floats to 0..255 and cast to uint8")
    return frame, 0.0


def crop_to_input(image_bgr: np.ndarray, crop: Crop, input_size: int) -> np.ndarray:
    """The crop of a BGR frame resized to int32 RGB [1, input_size, input_size, 3]; outside the frame is 0."""
    height, width = image_bgr.shape[:2]
    image = np.ascontiguousarray(image_bgr)
    # Map from source pixel coordinates to model-input pixel coordinates, per axis.
    fx = fy = 1.0
    scale = input_size / crop.size
    factor = int(1.0 / (2.0 * scale)) if scale < _PREFILTER_BELOW_SCALE else 1
    if factor >= 2:
        small_w, small_h = max(1, width // factor), max(1, height // factor)
        image = cv2.resize(image, (small_w, small_h), interpolation=cv2.INTER_AREA)
        fx, fy = width / small_w, height / small_h
    ax, ay = fx * scale, fy * scale
    # Pixel centres sit at +0.5: (u + 0.5) = ((x + 0.5) * f - x_min) * scale.
    tx = 0.5 * ax - 0.5 - crop.x_min * scale
    ty = 0.5 * ay - 0.5 - crop.y_min * scale
    matrix = np.array([[ax, 0.0, tx], [0.0, ay, ty]], dtype=np.float64)
    warped = cv2.warpAffine(
        image, matrix, (input_size, input_size), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0
    )
    # BGR -> RGB on the small warped image: a contiguous copy, which converts to int32 ~15x faster than a reversed view.
    return cv2.cvtColor(warped, cv2.COLOR_BGR2RGB)[np.newaxis].astype(np.int32)
