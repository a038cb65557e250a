"""Frame transforms applied by every source: mirror (selfie view) and clockwise rotation."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from fitness.errors import UsageError

ROTATIONS_DEG = (0, 90, 180, 270)
# Large video frames are halved (pixel averaging) while their long side stays at least this, in the decode
# thread: the model's 192-256 px crop of a person filling half the frame's height still gets >= 270 px, and
# everything after decoding costs for a 4K or 1080p video what it costs for 960x540.
WORKING_MIN_SIDE_PX = 960
_CV2_ROTATE = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


@dataclass(frozen=True)
class FrameTransform:
    """mirror: flip left-right first; rotate_deg: then rotate clockwise by 0, 90, 180 or 270 degrees."""

    mirror: bool = False
    rotate_deg: int = 0

    def __post_init__(self) -> None:
        if self.rotate_deg not in ROTATIONS_DEG:
            raise UsageError(
                f"rotation must be one of {', '.join(map(str, ROTATIONS_DEG))} degrees, got {self.rotate_deg}"
            )

    @property
    def is_identity(self) -> bool:
        return not self.mirror and self.rotate_deg == 0

    def size_after(self, size: tuple[int, int]) -> tuple[int, int]:
        """The (width, height) of a frame of `size` once transformed (a quarter turn swaps them)."""
        return (size[1], size[0]) if self.rotate_deg in (90, 270) else size

    def apply(self, image: np.ndarray) -> np.ndarray:
        if self.mirror:
            image = cv2.flip(image, 1)
        if self.rotate_deg:
            image = cv2.rotate(image, _CV2_ROTATE[self.rotate_deg])
        return np.ascontiguousarray(image)


def halvings(size: tuple[int, int], min_side_px: int | None = WORKING_MIN_SIDE_PX) -> int:
    """How often a frame of `size` (width, height) is halved: while the halved long side is >= min_side_px
    (None: never)."""
    if min_side_px is None:
        return 0
    n, side = 0, max(size)
    while side // 2 >= min_side_px:
        side //= 2
        n += 1
    return n


def halve(image: np.ndarray, times: int) -> np.ndarray:
    """`image` halved `times` times, each output pixel the mean of a 2x2 block (OpenCV's fast area path)."""
    for _ in range(times):
        height, width = image.shape[:2]
        image = cv2.resize(image, (max(1, width // 2), max(1, height // 2)), interpolation=cv2.INTER_AREA)
    return image
