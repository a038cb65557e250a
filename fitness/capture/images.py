"""ImageFolderSource: the images of a folder in name order, as frames at a fixed nominal rate."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from fitness.capture.source import BaseSource
from fitness.capture.transforms import FrameTransform
from fitness.errors import SourceError

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"})
# Images carry no time; this rate turns positions into seconds so tempo numbers stay meaningful.
DEFAULT_FPS = 30.0


class ImageFolderSource(BaseSource):
    """Every image in `folder` (sorted by name); frame i has t = i / fps. Unreadable files raise SourceError.
    frame_count: how many images there are (like VideoSource's)."""

    def __init__(
        self, folder: str | Path, transform: FrameTransform | None = None, *, fps: float = DEFAULT_FPS
    ) -> None:
        super().__init__(transform)
        self.folder = Path(folder)
        self.label = f"images:{self.folder.name}"
        if not self.folder.is_dir():
            raise SourceError(f"image folder not found: {self.folder} (give a folder of .jpg/.png files)")
        if not fps > 0:
            raise SourceError(f"image frame rate must be > 0, got {fps}")
        self.fps = float(fps)
        self.paths = sorted(p for p in self.folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())
        if not self.paths:
            raise SourceError(
                f"no images in {self.folder}: expected files ending in {', '.join(sorted(IMAGE_SUFFIXES))}"
            )
        self.frame_count = len(self.paths)

    def _frames(self) -> Iterator[tuple[np.ndarray, float, int]]:
        for index, path in enumerate(self.paths):
            image = cv2.imread(str(path), cv2.IMREAD_COLOR)
            if image is None:
                raise SourceError(f"cannot read image {path}: not an image OpenCV can decode, or the file is damaged")
            yield image, index / self.fps, index
