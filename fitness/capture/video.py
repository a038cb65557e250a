"""VideoSource: every frame of a video file, decoded in its own thread so decoding overlaps inference."""

from __future__ import annotations

import math
import queue
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np

from fitness.capture.frame import video_fps, video_time_s
from fitness.capture.scaled_decode import ScaledDecoder, open_scaled
from fitness.capture.source import TRUNCATED, BaseSource, quiet_native_logs
from fitness.capture.transforms import WORKING_MIN_SIDE_PX, FrameTransform, halve, halvings
from fitness.errors import SourceError

# Frames decoded ahead of the consumer: enough to hide decode jitter ...
QUEUE_FRAMES = 8
# ... and at most this many bytes of them (2 frames when 4K frames are kept whole for a saved video).
QUEUE_BUDGET_BYTES = 64 * 2**20

_END = object()


class VideoSource(BaseSource):
    """Every frame of `path`, in order, with the video's own timestamps (seconds from its first frame).

    Timestamps come from the container (CAP_PROP_POS_MSEC) and fall back to index / fps when the
    container gives none. A video that stops before its announced frame count ends the stream with
    `end_reason == "truncated"`; one that cannot be opened or has no first frame raises SourceError.
    Large frames are halved in the decode thread down to about `min_side_px` on their long side (None: kept
    whole; see `fitness.capture.transforms.halvings`): decoded by FFmpeg straight to that size when PyAV is
    installed (`fitness.capture.scaled_decode`; `decoder` says which), else by OpenCV and halved; keep_full:
    each Frame keeps the whole frame as well (`Frame.full`, for a saved video; OpenCV decodes). every_s: only
    frames whose index is a multiple of round(every_s x fps) are delivered (a sample; the others are decoded but
    neither converted nor scaled, and no end is reported as truncated). `capture_factory` stands in for
    cv2.VideoCapture in tests, `scaled_factory` for open_scaled.
    """

    transforms_itself = True  # mirror/rotate in the decode thread, off the inference thread

    def __init__(
        self,
        path: str | Path,
        transform: FrameTransform | None = None,
        *,
        queue_frames: int = QUEUE_FRAMES,
        capture_factory: Callable[[str], object] | None = None,
        scaled_factory: Callable[[Path, int, float], ScaledDecoder | None] = open_scaled,
        min_side_px: int | None = WORKING_MIN_SIDE_PX,
        keep_full: bool = False,
        every_s: float | None = None,
    ) -> None:
        super().__init__(transform)
        self.path = Path(path)
        self.label = f"video:{self.path.name}"
        if not self.path.is_file():
            raise SourceError(f"video file not found: {self.path} (check the path, or use --camera N for a webcam)")
        with quiet_native_logs():
            cap = (capture_factory or cv2.VideoCapture)(str(self.path))
        if not cap.isOpened():
            cap.release()
            raise SourceError(
                f"cannot read video {self.path}: not a video OpenCV can decode, or the file is damaged "
                "(try re-encoding it as H.264 MP4)"
            )
        self._cap = cap
        fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
        self.fps = fps if math.isfinite(fps) and fps > 0 else float("nan")
        count = float(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0.0)
        self.frame_count = int(count) if math.isfinite(count) and count > 0 else None
        self.frames_read = 0
        rate = video_fps(self.fps)
        self._stride = max(1, round(every_s * rate)) if every_s else 1
        self._keep_full = keep_full
        # Large frames are decoded at the working size when they can be: then OpenCV decodes nothing, and no
        # whole 4K frame is ever made. The size OpenCV announces is upright, as its frames are.
        size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH) or 0), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT) or 0))
        times = halvings(size, min_side_px) if min(size) > 0 and not keep_full else 0
        with quiet_native_logs():
            self._scaled = scaled_factory(self.path, times, self.fps) if times else None
        if self._scaled is not None:
            cap.release()
            self._halvings, self._first = times, None
        else:
            with quiet_native_logs():
                ok, first = cap.read()
            if not ok or first is None:
                cap.release()
                raise SourceError(
                    f"cannot read video {self.path}: it has no decodable frame (empty or damaged file)"
                )
            size = (int(first.shape[1]), int(first.shape[0]))
            self._halvings = halvings(size, min_side_px)
            self._first = (first, self._timestamp(0))
        self._source_size = size  # (width, height), upright
        self.decoder = "ffmpeg-scaled" if self._scaled is not None else "opencv"
        whole = 3 * size[0] * size[1]  # bytes of a whole BGR frame
        held = whole // 4**self._halvings + (whole if keep_full else 0)  # bytes per queued frame
        self._queue: queue.Queue = queue.Queue(maxsize=max(1, min(queue_frames, QUEUE_BUDGET_BYTES // held)))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._decode, name=f"decode {self.path.name}", daemon=True)
        self._thread.start()

    def _timestamp(self, index: int) -> float:
        return video_time_s(index, float(self._cap.get(cv2.CAP_PROP_POS_MSEC) or 0.0) / 1000.0, self.fps)

    def _put(self, item) -> bool:
        """Blocks while the queue is full; gives up when the source is closed."""
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _prepare(self, image: np.ndarray, t: float, index: int) -> tuple:
        """What the consumer gets of one decoded frame: the working image (halved, transformed), its time and
        index, the source's size when halved, and the whole frame when kept."""
        if not self._halvings:
            return self.transform.apply(image), t, index  # the working image is the whole frame
        if self._scaled is not None:  # decoded at the working size
            return self.transform.apply(image), t, index, {"source_size": self.transform.size_after(self._source_size)}
        source_size = self.transform.size_after((int(image.shape[1]), int(image.shape[0])))
        working = self.transform.apply(halve(image, self._halvings))
        return working, t, index, {"source_size": source_size,
                                   "full": self.transform.apply(image) if self._keep_full else None}

    def _decode(self) -> None:
        decoded = self._scaled.frames(self._stride) if self._scaled is not None else self._opencv_frames()
        try:
            for index, image, t in decoded:
                item, image = self._prepare(image, t, index), None  # a whole 4K frame is 25 MB: not held
                if not self._put(item):
                    break
                item = None
        finally:
            decoded.close()
            self._put(_END)

    def _opencv_frames(self) -> Iterator[tuple[int, np.ndarray, float]]:
        """(index, image, t) of every stride-th frame, decoded by OpenCV at the video's size."""
        image, t = self._first
        self._first = None  # the first frame is not held for the whole session
        index = 0
        while True:
            yield index, image, t
            image = None  # the next frame is decoded without this one
            index += 1
            while index % self._stride and self._cap.grab():  # skipped by a sample: not converted
                index += 1
            if index % self._stride:
                return
            ok, image = self._cap.read()
            if not ok or image is None:
                return
            t = self._timestamp(index)

    def _frames(self) -> Iterator[tuple]:
        while True:
            item = self._queue.get()
            if item is _END:
                break
            self.frames_read += 1
            yield item
        complete = self._stride > 1 or self.frame_count is None or self.frames_read >= self.frame_count
        if not complete and not self._closed:
            self.end_reason = TRUNCATED
            self.end_detail = (
                f"video {self.path.name} ended after {self.frames_read} of its {self.frame_count} frames "
                "(the file looks truncated); the reps so far are kept"
            )

    def _release(self) -> None:
        self._stop.set()
        self._drain()  # a decoder blocked on a full queue now sees the stop flag and exits
        self._thread.join(timeout=5.0)
        self._drain()
        self._queue.put_nowait(_END)  # wakes a consumer still waiting on the queue
        self._cap.release()
        if self._scaled is not None and not self._thread.is_alive():
            self._scaled.close()

    def _drain(self) -> None:
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return
