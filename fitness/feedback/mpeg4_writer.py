"""MPEG-4 Part 2 ("mp4v") video files written by FFmpeg through PyAV (the optional [video] extra).

OpenCV's writer converts each BGR frame to YUV 4:2:0 with swscale and encodes with FFmpeg's threads; here OpenCV's
vectorised conversion feeds the encoder's planes without a copy and one encoder thread does the rest: ~1.1 -> ~0.7
CPU-ms per 640x480 frame, the same codec in the same containers, at OpenCV's bit-rate settings. `video_writer`
picks it where it can (PyAV installed, a container it is known to fit, even sides) and OpenCV's writer elsewhere.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import cv2
import numpy as np

from fitness.capture.scaled_decode import pyav
from fitness.errors import SourceError

# Containers that take MPEG-4 Part 2 (those the annotated video writes as mp4v).
MPEG4_SUFFIXES = frozenset({".mp4", ".m4v", ".mov", ".mkv"})
# OpenCV's settings for mp4v: a bit-rate of one bit per pixel per frame (never reached) and quantiser >= 3.
BITS_PER_PIXEL = 1.0
MIN_QUANTISER = 3
# A key frame this often (FFmpeg's default is every 12 frames): the same CPU per frame, files ~26 % smaller at
# 640x480 (squats_side: 1336 -> 983 kB for 300 frames), and a player seeks to within 2 s.
KEY_FRAME_INTERVAL_S = 2.0
# Largest time-base denominator MPEG-4 Part 2 can store (16 bits).
_MAX_TIME_BASE_DEN = 65535


def frame_rate(fps: float) -> Fraction:
    """`fps` as a fraction whose time base (its inverse) MPEG-4 can store: 29.97 -> 30000/1001."""
    return 1 / Fraction(1 / fps).limit_denominator(_MAX_TIME_BASE_DEN)


class Mpeg4Writer:
    """Writes BGR frames of `size` (width, height; both even) to `path` at `fps`, with the interface of
    cv2.VideoWriter that AnnotatedVideoWriter uses (isOpened, write, release). Opening raises what PyAV raises."""

    def __init__(self, path: str | Path, fps: float, size: tuple[int, int]) -> None:
        av = pyav()
        self.path = str(path)
        self._container = av.open(self.path, "w")
        try:
            stream = self._container.add_stream("mpeg4", rate=frame_rate(fps))
            stream.width, stream.height = size
            stream.pix_fmt = "yuv420p"
            codec = stream.codec_context
            codec.bit_rate = int(BITS_PER_PIXEL * size[0] * size[1] * fps)
            codec.qmin = MIN_QUANTISER
            codec.gop_size = max(1, round(KEY_FRAME_INTERVAL_S * fps))
            codec.thread_count = 1  # off the frame loop already: more threads only add hand-offs
            self._container.start_encoding()  # creates the file now, as OpenCV's writer does
        except BaseException:
            self._container.close()
            raise
        self._stream = stream
        self._size = size
        self._frame = av.VideoFrame
        self._errors = (OSError, av.error.FFmpegError)
        self._open = True

    def isOpened(self) -> bool:  # noqa: N802 (cv2.VideoWriter's name)
        return self._open

    def write(self, image: np.ndarray) -> None:
        """Encodes one BGR frame of the writer's size."""
        planes = cv2.cvtColor(image, cv2.COLOR_BGR2YUV_I420)  # a new array: the frame may keep it past this call
        try:
            for packet in self._stream.encode(self._frame.from_numpy_buffer(planes, format="yuv420p")):
                self._container.mux(packet)
        except self._errors as exc:
            raise SourceError(f"cannot save video to {self.path}: {exc}") from exc

    def release(self) -> None:
        """Encodes the frames the encoder still holds and finishes the file."""
        if not self._open:
            return
        self._open = False
        try:
            for packet in self._stream.encode(None):
                self._container.mux(packet)
        except self._errors as exc:
            raise SourceError(f"cannot save video to {self.path}: {exc}") from exc
        finally:
            self._container.close()


def video_writer(path: str, fourcc: int, fps: float, size: tuple[int, int]):
    """A writer for `path` (cv2.VideoWriter's arguments): an Mpeg4Writer for mp4v in a container it fits at even
    sides when PyAV is installed and opens the file, else OpenCV's writer (which says whether it opened)."""
    even = size[0] % 2 == 0 and size[1] % 2 == 0
    if (fourcc == cv2.VideoWriter_fourcc(*"mp4v") and even and Path(path).suffix.lower() in MPEG4_SUFFIXES
            and pyav() is not None):
        try:
            return Mpeg4Writer(path, fps, size)
        except (OSError, ValueError, pyav().error.FFmpegError):
            pass  # OpenCV tries, and says why not
    return cv2.VideoWriter(path, fourcc, fps, size)
