"""The Frame: one image from a source with its own timestamp."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from fitness.errors import InputError

# The frame rate assumed for a video that does not say its own.
ASSUMED_FPS = 30.0


def video_fps(fps: float) -> float:
    """A video's frame rate as it says, or ASSUMED_FPS when it says none (0, NaN)."""
    return fps if math.isfinite(fps) and fps > 0 else ASSUMED_FPS


def video_time_s(index: int, stamp_s: float, fps: float) -> float:
    """A decoded frame's time in seconds from the video's first: the container's stamp, except for the first frame
    (0) and a frame without a usable stamp (index / fps)."""
    if index > 0 and stamp_s > 0 and math.isfinite(stamp_s):
        return stamp_s
    return index / video_fps(fps)


@dataclass(frozen=True)
class Frame:
    """One image of a source.

    image: (H, W, 3) uint8, BGR (OpenCV's order); possibly reduced from the source's own size (a 4K video is
       decoded into a smaller working image: the model needs no more).
    t: seconds on the source's own clock (video timestamps for files, capture time for cameras);
       monotonic per source.
    index: position in the source, 0-based; gaps mean dropped frames.
    grabbed_at_s: time.monotonic() when a live source (camera, stream, replayed camera) got the image, for
       measuring latency; None for files read as fast as they decode. Never the engine's clock (that is t).
    source_size: (width, height) of the source's frame when `image` was reduced from it (None: not reduced).
       Poses are given in these pixels, whatever the size of `image`.
    full: the image at the source's size, kept only when something needs it (the saved video); else None.
    """

    image: np.ndarray
    t: float
    index: int
    grabbed_at_s: float | None = None
    source_size: tuple[int, int] | None = None
    full: np.ndarray | None = None

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
        """(width, height) of the source's frame: the pixels poses are given in."""
        if self.source_size is not None:
            return self.source_size
        return int(self.image.shape[1]), int(self.image.shape[0])

    @property
    def scale(self) -> tuple[float, float]:
        """Source pixels per pixel of `image`, along x and y (1, 1 when it was not reduced)."""
        if self.source_size is None:
            return 1.0, 1.0
        return self.source_size[0] / self.image.shape[1], self.source_size[1] / self.image.shape[0]

    @property
    def largest(self) -> np.ndarray:
        """The image at the source's size: `full` when kept, else `image`."""
        return self.full if self.full is not None else self.image
