"""Frame transforms applied by every source: mirror (selfie view) and clockwise rotation."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from fitness.errors import UsageError

ROTATIONS_DEG = (0, 90, 180, 270)
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

    def apply(self, image: np.ndarray) -> np.ndarray:
        if self.mirror:
            image = cv2.flip(image, 1)
        if self.rotate_deg:
            image = cv2.rotate(image, _CV2_ROTATE[self.rotate_deg])
        return np.ascontiguousarray(image)
