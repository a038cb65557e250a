"""What every frame source shares: iteration, close(), context manager, transforms and how it ended."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol, runtime_checkable

import numpy as np

from fitness.capture.frame import Frame
from fitness.capture.transforms import FrameTransform

# Why a stream stopped; the session reports anything but COMPLETE to the user.
COMPLETE = "complete"  # the source ran out normally (end of file, last image)
TRUNCATED = "truncated"  # a video stopped delivering frames before its announced end
LOST = "lost"  # a camera stopped delivering frames (unplugged, driver crash)
CLOSED = "closed"  # close() was called while frames were still coming


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
    """Shared plumbing; subclasses implement `_frames()` yielding (image, t, index) and `_release()`.

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

    def _frames(self) -> Iterator[tuple[np.ndarray, float, int]]:
        raise NotImplementedError

    def _release(self) -> None:
        """Free the device or file; must be safe to call twice."""

    def __iter__(self) -> Iterator[Frame]:
        for image, t, index in self._frames():
            if self._closed:
                break
            # A source clock must never run backwards, or tempo and the filters would see negative time.
            t = max(float(t), self._last_t + 1e-6)
            self._last_t = t
            if not self.transforms_itself:
                image = self.transform.apply(image)
            yield Frame(image, t, index)
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
