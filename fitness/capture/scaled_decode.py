"""Large video frames decoded by FFmpeg through PyAV (the optional [video] extra), straight to the working size.

VideoSource halves a 4K or 1080p frame before anything else sees it. Decoding the whole frame to BGR and then
halving it is most of a 4K run's CPU time, so here FFmpeg decodes with frame threads, skips the deblocking
filter (its smoothing of block edges is below what survives the reduction) and converts to BGR while scaling
to the working size in one swscale pass. OpenCV stays the decoder of ordinary frames, and of large ones when
PyAV is missing or cannot open the file (`open_scaled` returns None).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from fitness.capture.frame import video_time_s
from fitness.capture.transforms import FrameTransform
from fitness.errors import UsageError


@functools.cache
def pyav():
    """PyAV, imported on the first large video (a run on ordinary frames never loads it); None when the [video]
    extra is not installed: OpenCV decodes large frames as well."""
    try:
        import av
        import av.video.reformatter
    except ImportError:
        return None
    return av

# FFmpeg decoder options for frames reduced afterwards: no deblocking (in-loop filter) on any frame.
DECODER_OPTIONS = {"skip_loop_filter": "all"}
# swscale's filter for the reduction: each output pixel averages its block of source pixels.
SCALE_INTERPOLATION = "AREA"
# Frames decoded at once (FFmpeg frame threads): two keep a 4K video ahead of the model on 2 cores; each more
# holds another whole frame in memory (4K session peak RSS 229 / 262 / 281 MB with 1 / 2 / 3 threads).
DECODE_THREADS = 2


class ScaledDecoder:
    """Every frame of `path` as BGR at `size` (width, height; the video's own orientation), turned upright as
    its rotation metadata asks (as OpenCV does), with the video's timestamps in seconds from its first frame.

    Build it with `open_scaled`. Timestamps follow VideoSource's rule: the presentation time, except for the
    first frame (0) and frames without a usable one (index / fps). A decoding error ends the frames (the caller
    compares their count with the announced one).
    """

    def __init__(self, container, size: tuple[int, int], fps: float) -> None:
        self._container = container
        self._stream = container.streams.video[0]
        self._size = size
        self._fps = fps
        self._reformatter = pyav().video.reformatter.VideoReformatter()  # one swscale context for every frame
        self._decoded = container.decode(self._stream)
        self._first = next(self._decoded)  # raises here when the file does not decode
        turn = int(getattr(self._first, "rotation", 0) or 0)  # degrees anticlockwise, from the display matrix
        self._upright = FrameTransform(rotate_deg=-turn % 360)  # UsageError for an angle that is no quarter turn

    def frames(self, stride: int = 1) -> Iterator[tuple[int, np.ndarray, float]]:
        """(index, image, t) of every `stride`-th frame from the first; the others are decoded, not converted."""
        frame, index = self._first, 0
        self._first = None
        while frame is not None:
            if index % stride == 0:
                yield index, self._convert(frame), self._seconds(frame, index)
            frame = None  # the next frame is decoded without this one
            try:
                frame = next(self._decoded, None)
            except pyav().error.FFmpegError:
                return  # damaged data: the frames so far stand
            index += 1

    def _convert(self, frame) -> np.ndarray:
        width, height = self._size
        scaled = self._reformatter.reformat(frame, width=width, height=height, format="bgr24",
                                            interpolation=SCALE_INTERPOLATION)
        return self._upright.apply(scaled.to_ndarray())

    def _seconds(self, frame, index: int) -> float:
        start = self._stream.start_time or 0
        stamp_s = math.nan
        if frame.pts is not None and self._stream.time_base is not None:
            stamp_s = float((frame.pts - start) * self._stream.time_base)
        return video_time_s(index, stamp_s, self._fps)

    def close(self) -> None:
        self._first = None
        self._decoded.close()
        self._container.close()


def open_scaled(path: Path, times: int, fps: float) -> ScaledDecoder | None:
    """A ScaledDecoder for the frames of `path` halved `times` times (the size `halve` would give), or None when
    PyAV is not installed or cannot decode the file."""
    av = pyav() if times > 0 else None
    if av is None:
        return None
    container = None
    try:
        container = av.open(str(path))
        stream = container.streams.video[0]
        context = stream.codec_context
        context.thread_type = "FRAME"  # one frame per thread: H.264 from phones and x264 has one slice a frame
        context.thread_count = DECODE_THREADS
        context.options = dict(DECODER_OPTIONS)
        width, height = context.width, context.height
        for _ in range(times):
            width, height = max(1, width // 2), max(1, height // 2)
        return ScaledDecoder(container, (width, height), fps)
    except (av.error.FFmpegError, OSError, IndexError, StopIteration, UsageError):
        # not decodable here (damaged, no video stream, no frame, a rotation that is no quarter turn): OpenCV decodes
        if container is not None:
            container.close()
        return None
