"""What every frame source shares: iteration, close(), context manager, transforms and how it ended."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Protocol, runtime_checkable

import cv2

from fitness.capture.frame import Frame
from fitness.capture.transforms import FrameTransform

# Why a stream stopped; the session reports anything but COMPLETE to the user.
COMPLETE = "complete"  # the source ran out normally (end of file, last image)
TRUNCATED = "truncated"  # a video stopped delivering frames before its announced end
LOST = "lost"  # a camera stopped delivering frames (unplugged, driver crash)
CLOSED = "closed"  # close() was called while frames were still coming


# OpenCV's log level for errors only. 5.x has the setter under cv2.utils.logging, 4.x at the top level.
_LOG_LEVEL_ERROR = 2
_LOGGING = getattr(getattr(cv2, "utils", None), "logging", None) or cv2


@contextlib.contextmanager
def quiet_native_logs() -> Iterator[None]:
    """Silences OpenCV's and FFmpeg's own console messages while a camera or file is opened.

    They print straight to the process's stderr ("moov atom not found", "VIDEOIO ... camera device"),
    which would add noise to our one-line SourceError. Only the opening is silenced, never a whole session.
    """
    level = _LOGGING.getLogLevel()
    _LOGGING.setLogLevel(_LOG_LEVEL_ERROR)
    saved = devnull = None
    try:
        saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
    except OSError:
        pass  # no usable stderr descriptor: nothing to silence
    try:
        yield
    finally:
        if saved is not None:
            os.dup2(saved, 2)
            os.close(saved)
        if devnull is not None:
            os.close(devnull)
        _LOGGING.setLogLevel(level)


@runtime_checkable
class FrameSource(Protocol):
    """An iterable of Frames with close(). `label` names it in summaries ("video:squats.mp4"),
    `fps` is its nominal frame rate (NaN when unknown), `end_reason` is None while running."""

    label: str
    fps: float
    end_reason: str | None

    def __iter__(self) -> Iterator[Frame]: ...

    def close(self) -> None: ...


class BaseSource:
    """Shared plumbing; subclasses implement `_frames()` yielding (image, t, index), optionally followed by a
    dict of the Frame's other fields (a live source's `grabbed_at_s`; a reduced frame's `source_size` and
    `full`), and `_release()`.

    A subclass that transforms images itself (in its own thread) sets `transforms_itself`.
    """

    label = "source"
    fps = float("nan")
    transforms_itself = False

    def __init__(self, transform: FrameTransform | None = None) -> None:
        self.transform = transform or FrameTransform()
        self.end_reason: str | None = None
        self.end_detail = ""
        self._closed = False
        self._last_t = float("-inf")

    def _frames(self) -> Iterator[tuple]:
        raise NotImplementedError

    def _release(self) -> None:
        """Free the device or file; must be safe to call twice."""

    def __iter__(self) -> Iterator[Frame]:
        for image, t, index, *more in self._frames():
            if self._closed:
                break
            # A source clock must never run backwards, or tempo and the filters would see negative time.
            t = max(float(t), self._last_t + 1e-6)
            self._last_t = t
            if not self.transforms_itself:
                image = self.transform.apply(image)
            yield Frame(image, t, index, **(more[0] if more else {}))
        if self.end_reason is None:
            self.end_reason = CLOSED if self._closed else COMPLETE

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._release()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
