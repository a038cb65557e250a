"""Writes the annotated frames to a video file (no audio), at the source's frame rate."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from fitness.errors import SourceError

# Codecs OpenCV's bundled FFmpeg can always write; anything else gets mp4v in whatever container was asked.
_FOURCC = {".mp4": "mp4v", ".m4v": "mp4v", ".mov": "mp4v", ".avi": "MJPG", ".mkv": "mp4v"}
FALLBACK_FPS = 30.0


class AnnotatedVideoWriter:
    """Opens on the first frame (the size is known only then); every frame must have that size.

    fps: the source's frame rate, so the saved video plays at real speed (FALLBACK_FPS when unknown).
    """

    def __init__(self, path: str | Path, fps: float, writer_factory: Callable[..., object] = cv2.VideoWriter) -> None:
        self.path = Path(path)
        self.fps = fps if math.isfinite(fps) and fps > 0 else FALLBACK_FPS
        self._factory = writer_factory
        self._writer = None
        self._size: tuple[int, int] | None = None
        self.frames = 0
        if not self.path.parent.exists():
            raise SourceError(f"cannot save video to {self.path}: folder {self.path.parent} does not exist")

    def write(self, image: np.ndarray) -> None:
        size = (int(image.shape[1]), int(image.shape[0]))
        if self._writer is None:
            fourcc = cv2.VideoWriter_fourcc(*_FOURCC.get(self.path.suffix.lower(), "mp4v"))
            self._writer = self._factory(str(self.path), fourcc, self.fps, size)
            if not self._writer.isOpened():
                raise SourceError(f"cannot save video to {self.path}: OpenCV could not open a writer (try a .mp4 or .avi name)")
            self._size = size
        if size != self._size:
            image = cv2.resize(image, self._size)
        self._writer.write(image)
        self.frames += 1

    def close(self) -> None:
        if self._writer is not None:
            self._writer.release()
            self._writer = None
