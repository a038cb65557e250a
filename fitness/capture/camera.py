"""CameraSource: a webcam read in its own thread; the consumer always gets the newest frame.

A slow machine therefore drops frames instead of falling behind real time. Timestamps are taken at
grab time, so tempo and filters see when the picture was taken, not when it was processed.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator

import cv2
import numpy as np

from fitness.capture.source import LOST, BaseSource, quiet_native_logs
from fitness.capture.transforms import FrameTransform
from fitness.errors import SourceError, UsageError

# Read failures for this long mean the camera is gone (unplugged, driver crash). A healthy webcam
# never fails for more than a frame or two, so 2 s gives no false alarms and still ends promptly.
LOST_AFTER_S = 2.0
# Pause after a failed read so a dead camera does not spin a core.
RETRY_WAIT_S = 0.01
# OpenCV reads an index of 100 or more as backend * 100 + camera (e.g. 200 is camera 0 through V4L2), so no
# camera has a larger number; a negative index crashes OpenCV and one past 32 bits raises.
MAX_CAMERA_INDEX = 9999


def check_camera_index(index: object) -> int:
    """`index` when it can name a camera (an int in 0..MAX_CAMERA_INDEX), else a UsageError."""
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index <= MAX_CAMERA_INDEX:
        raise UsageError(f"--camera must be a camera number from 0 to {MAX_CAMERA_INDEX} (0 is the default webcam), "
                         f"got {index!r}")
    return index


class LatestFrame:
    """A one-slot mailbox: the producer overwrites, the consumer takes the newest item. Counts drops."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._item = None
        self._closed = False
        self.dropped = 0

    def put(self, item) -> None:
        with self._cond:
            if self._item is not None:
                self.dropped += 1
            self._item = item
            self._cond.notify_all()

    def take(self):
        """The newest item, waiting for one; None once closed and empty."""
        with self._cond:
            while self._item is None and not self._closed:
                self._cond.wait()
            item, self._item = self._item, None
            return item

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()


class CameraSource(BaseSource):
    """Frames of camera `index`; t is seconds since the camera was opened, taken at grab time.

    When reads fail for `lost_after_s` the stream ends with `end_reason == "lost"`, so the session can
    still save what it has. `capture_factory` and `clock` stand in for cv2.VideoCapture and
    time.monotonic in tests; `start=False` leaves the grab thread off so tests can call `grab_once()`.
    """

    def __init__(
        self,
        index: int = 0,
        transform: FrameTransform | None = None,
        *,
        lost_after_s: float = LOST_AFTER_S,
        capture_factory: Callable[[int], object] | None = None,
        clock: Callable[[], float] = time.monotonic,
        start: bool = True,
    ) -> None:
        super().__init__(transform)
        self.index = check_camera_index(index)
        self.label = f"camera:{index}"
        try:
            with quiet_native_logs():
                cap = (capture_factory or cv2.VideoCapture)(index)
        except (cv2.error, OverflowError, TypeError, ValueError, SystemError) as exc:
            detail = " ".join(str(exc).split())[:200]
            raise SourceError(f"cannot open camera {index}: OpenCV failed ({detail})") from exc
        if not cap.isOpened():
            cap.release()
            raise SourceError(
                f"cannot open camera {index}: no camera with that index, or another program is using it "
                "(try another --camera number, or close other video apps)"
            )
        self._cap = cap
        fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
        self.fps = fps if math.isfinite(fps) and fps > 0 else float("nan")
        self.lost_after_s = lost_after_s
        self._clock = clock
        self._t0 = clock()
        self._grabbed = 0
        self._failing_since: float | None = None
        self._slot = LatestFrame()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if start:
            self._thread = threading.Thread(target=self._grab_loop, name=f"camera {index}", daemon=True)
            self._thread.start()

    @property
    def dropped(self) -> int:
        """Frames grabbed but replaced by a newer one before the consumer took them."""
        return self._slot.dropped

    def grab_once(self) -> bool:
        """Read one frame into the mailbox; False once the camera counts as lost."""
        ok, image = self._cap.read()
        now = self._clock()
        if ok and image is not None:
            self._failing_since = None
            self._slot.put((image, now - self._t0, self._grabbed))
            self._grabbed += 1
            return True
        if self._failing_since is None:
            self._failing_since = now
        if now - self._failing_since >= self.lost_after_s:
            self.end_reason = LOST
            self.end_detail = (
                f"camera {self.index} stopped delivering frames (unplugged?) after {self._grabbed} frames; "
                "the session so far is saved"
            )
            self._slot.close()
            return False
        return True

    def _grab_loop(self) -> None:
        try:
            while not self._stop.is_set():
                before = self._grabbed
                if not self.grab_once():
                    break
                if self._grabbed == before:
                    self._stop.wait(RETRY_WAIT_S)
        finally:
            self._slot.close()

    def _frames(self) -> Iterator[tuple[np.ndarray, float, int]]:
        while (item := self._slot.take()) is not None:
            yield item

    def _release(self) -> None:
        self._stop.set()
        self._slot.close()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
        self._cap.release()
