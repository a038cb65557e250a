"""Writes the annotated frames to a video file (no audio), at the source's frame rate."""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from fitness.errors import SourceError
from fitness.feedback.mpeg4_writer import video_writer
from fitness.session.outputs import atomic_target, temp_beside

# Codecs OpenCV's bundled FFmpeg can always write; anything else gets mp4v in whatever container was asked.
_FOURCC = {".mp4": "mp4v", ".m4v": "mp4v", ".mov": "mp4v", ".avi": "MJPG", ".mkv": "mp4v"}
FALLBACK_FPS = 30.0
# The frame size `check()` tries a writer with (even sides, as some codecs need).
_CHECK_SIZE = (64, 48)


class AnnotatedVideoWriter:
    """Opens on the first frame (the size is known only then); every frame must have that size.

    The frames go to a hidden temp file beside `path` (same extension, since OpenCV picks the container from
    it), which `close()` renames to `path`: the file at `path` is never half-written, and a session that ends
    early (Ctrl-C, SIGTERM, a broken source) still leaves the video of what was seen.
    fps: the source's frame rate, so the saved video plays at real speed (FALLBACK_FPS when unknown).
    writer_factory: takes cv2.VideoWriter's arguments (`video_writer`: PyAV's MPEG-4 encoder where it can).
    """

    def __init__(self, path: str | Path, fps: float, writer_factory: Callable[..., object] = video_writer) -> None:
        self.path = Path(path).expanduser()
        self.fps = fps if math.isfinite(fps) and fps > 0 else FALLBACK_FPS
        self._factory = writer_factory
        self._writer = None
        self._tmp: Path | None = None
        self._size: tuple[int, int] | None = None
        self.frames = 0
        if not self.path.parent.exists():
            raise SourceError(f"cannot save video to {self.path}: folder {self.path.parent} does not exist")

    def check(self) -> None:
        """Fails now rather than at the first frame for a name that cannot be written: a folder that refuses files,
        or an extension OpenCV cannot write. The containers of _FOURCC are always written (OpenCV bundles FFmpeg),
        so for them only the folder is tried, and no encoder is loaded before the model is."""
        if atomic_target(self.path).suffix.lower() in _FOURCC:
            tmp = self._temp()
        else:
            writer, tmp = self._open(_CHECK_SIZE)
            writer.release()
        with contextlib.suppress(OSError):
            os.unlink(tmp)

    def _temp(self) -> Path:
        """A new hidden temp file beside the target, with its extension (OpenCV picks the container from it)."""
        target = atomic_target(self.path)
        try:
            return temp_beside(target, suffix=f".part{target.suffix}")
        except OSError as exc:
            raise SourceError(f"cannot save video to {self.path}: {exc.strerror or exc}") from exc

    def _open(self, size: tuple[int, int]) -> tuple[object, Path]:
        tmp = self._temp()
        fourcc = cv2.VideoWriter_fourcc(*_FOURCC.get(tmp.suffix.lower(), "mp4v"))
        writer = self._factory(str(tmp), fourcc, self.fps, size)
        if not writer.isOpened():
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise SourceError(
                f"cannot save video to {self.path}: OpenCV could not open a writer (try a .mp4 or .avi name)"
            )
        return writer, tmp

    def write(self, image: np.ndarray) -> None:
        size = (int(image.shape[1]), int(image.shape[0]))
        if self._writer is None:
            self._writer, self._tmp = self._open(size)
            self._size = size
        if size != self._size:
            image = cv2.resize(image, self._size)
        self._writer.write(image)
        self.frames += 1

    def discard(self) -> None:
        """Throws away the frames written so far (the temp file): the next `write` starts the file again."""
        if self._writer is not None:
            self._writer.release()
            self._writer = None
        tmp, self._tmp = self._tmp, None
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        self._size, self.frames = None, 0

    def close(self) -> None:
        """Finishes the file and renames it to `path` (a SourceError, naming where the frames are, if that fails)."""
        if self._writer is None:
            return
        writer, self._writer = self._writer, None  # a failed finish is not retried into place by a second close
        writer.release()
        tmp, self._tmp = self._tmp, None
        try:
            os.replace(tmp, atomic_target(self.path))
        except OSError as exc:
            reason = exc.strerror or exc
            raise SourceError(f"cannot save video to {self.path}: {reason}; the frames are in {tmp}") from exc
