"""The Frame: one image from a source with its own timestamp."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fitness.errors import InputError


@dataclass(frozen=True)
class Frame:
    """One image of a source.

    image: (H, W, 3) uint8, BGR (OpenCV's order).
    t: seconds on the source's own clock (video timestamps for files, capture time for cameras);
       monotonic per source.
    index: position in the source, 0-based; gaps mean dropped frames.
    grabbed_at_s: time.monotonic() when a live source (camera, stream, replayed camera) got the image, for
       measuring latency; None for files read as fast as they decode. Never the engine's clock (that is t).
    """

    image: np.ndarray
    t: float
    index: int
    grabbed_at_s: float | None = None

    def __post_init__(self) -> None:
        img = self.image
        if not isinstance(img, np.ndarray):
            raise InputError(f"Frame.image must be a numpy array, got {type(img).__name__}")
        if img.ndim != 3 or img.shape[2] != 3 or img.shape[0] == 0 or img.shape[1] == 0:
            raise InputError(f"Frame.image must have shape (H, W, 3) with H, W > 0, got {img.shape}")
        if img.dtype != np.uint8:
            raise InputError(f"Frame.image must be uint8, got {img.dtype}")

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return int(self.image.shape[1]), int(self.image.shape[0])
