"""CameraSource: a webcam, a device path or a network stream read in its own thread; the consumer always gets the
newest frame.

A slow machine therefore drops frames instead of falling behind real time. Timestamps are taken at
grab time, so tempo and filters see when the picture was taken, not when it was processed. A network stream
that drops is reopened with growing waits for a bounded time; the frames' clock runs on through the gap.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from fitness.capture.camera_spec import (
    DEVICE,
    MAX_CAMERA_INDEX,
    STREAM,
    CameraSpec,
    check_camera_index,
    is_device_path,
    is_stream_url,
)
from fitness.capture.source import LOST, BaseSource, quiet_native_logs
from fitness.capture.transforms import FrameTransform
from fitness.errors import SourceError

__all__ = ["MAX_CAMERA_INDEX", "CameraSource", "LatestFrame", "Reconnect", "check_camera_index"]

# Read failures for this long mean the camera is gone (unplugged, driver crash). A healthy webcam
# never fails for more than a frame or two, so 2 s gives no false alarms and still ends promptly.
LOST_AFTER_S = 2.0
# Pause after a failed read so a dead camera does not spin a core.
RETRY_WAIT_S = 0.01
# How long OpenCV's FFmpeg backend may wait on a network stream to open or to deliver a frame (its own default
# is 30 s, which would freeze a session that long before a dropped stream is noticed).
STREAM_TIMEOUT_MS = 5000
# FFmpeg's log level that prints nothing (AV_LOG_QUIET).
FFMPEG_LOG_QUIET = -8
# How long "the stream is back" stays on the dashboard after a reconnection.
BACK_NOTICE_S = 3.0


@dataclass(frozen=True)
class Reconnect:
    """How a dropped stream is reopened: the first attempt after `first_wait_s`, each next wait doubled up to
    `max_wait_s`, and no attempt later than `give_up_after_s` after the drop (the stream then counts as lost)."""

    first_wait_s: float = 0.5  # phone apps and RTSP cameras usually accept again within a second
    max_wait_s: float = 4.0  # a stream that comes back is picked up within 4 s of its return
    give_up_after_s: float = 30.0  # long enough to restart a phone app or walk back into Wi-Fi range

    def wait_s(self, attempt: int) -> float:
        """The wait before attempt `attempt` (1-based)."""
        return min(self.max_wait_s, self.first_wait_s * 2.0 ** (attempt - 1))


@dataclass
class _Outage:
    """A dropped stream being reopened: since when (clock), attempts made, when the next one is due."""

    start: float
    attempts: int
    next_at: float


def open_capture(spec: CameraSpec):
    """cv2.VideoCapture for `spec`; a stream gets the FFmpeg backend with short open and read timeouts."""
    if spec.kind == STREAM:
        # FFmpeg's own messages about a dropped connection ("Stream ends prematurely") would scroll through the
        # dashboard; the drop is told in one line by us. A level the user set is kept.
        os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", str(FFMPEG_LOG_QUIET))
        params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, STREAM_TIMEOUT_MS, cv2.CAP_PROP_READ_TIMEOUT_MSEC, STREAM_TIMEOUT_MS]
        return cv2.VideoCapture(spec.target, cv2.CAP_FFMPEG, params)
    return cv2.VideoCapture(spec.opens)


def camera_spec(camera: object) -> CameraSpec:
    """The spec of a CameraSource argument: a device number, a device path or a stream URL (a UsageError else)."""
    if isinstance(camera, str) and is_stream_url(camera):
        return CameraSpec(STREAM, target=camera)
    if isinstance(camera, str) and is_device_path(camera):
        return CameraSpec(DEVICE, target=camera)
    return CameraSpec(DEVICE, index=check_camera_index(camera))


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
    """Frames of `camera` (a device number, a device path or a stream URL); t is seconds since the camera was
    opened, taken at grab time, and each frame's `grabbed_at_s` is that clock's reading.

    When a device's reads fail for `lost_after_s` the stream ends with `end_reason == "lost"`, so the session can
    still save what it has. A network stream that fails is reopened as `reconnect` says (None: never), with
    `notice` saying so meanwhile (`on_notice`, when set, hears each change from the grab thread); if it does
    not come back the stream ends as lost. `capture_factory` and `clock` stand in for cv2.VideoCapture and
    time.monotonic in tests; `start=False` leaves the grab thread off so tests can call `grab_once()`.
    """

    def __init__(
        self,
        camera: int | str = 0,
        transform: FrameTransform | None = None,
        *,
        lost_after_s: float = LOST_AFTER_S,
        reconnect: Reconnect | None = None,
        capture_factory: Callable[[int | str], object] | None = None,
        clock: Callable[[], float] = time.monotonic,
        start: bool = True,
    ) -> None:
        super().__init__(transform)
        self.spec = camera_spec(camera)
        self.index = self.spec.opens  # what was opened (the number, path or URL)
        self.name = self.spec.name
        self.label = f"camera:{self.name}"
        self.is_stream = self.spec.kind == STREAM
        self.reconnect = (reconnect or Reconnect()) if self.is_stream else reconnect
        self._capture_factory = capture_factory
        try:
            cap = self._open()
        except (cv2.error, OverflowError, TypeError, ValueError, SystemError) as exc:
            detail = " ".join(str(exc).split())[:200]
            raise SourceError(f"cannot open camera {self.name}: OpenCV failed ({detail})") from exc
        if not cap.isOpened():
            cap.release()
            if self.is_stream:
                raise SourceError(
                    f"cannot open camera stream {self.name}: nothing answered, or it is not a video stream "
                    "(check the URL shown by the camera or phone app, and that both are on the same network)"
                )
            raise SourceError(
                f"cannot open camera {self.name}: no camera with that index, or another program is using it "
                "(try another --camera number, or close other video apps)"
            )
        self._cap = cap
        fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
        self.fps = fps if math.isfinite(fps) and fps > 0 else float("nan")
        self.lost_after_s = lost_after_s
        self.on_notice: Callable[[str], None] | None = None
        self._clock = clock
        self._t0 = clock()
        self._grabbed = 0
        self._failing_since: float | None = None
        self._outage: _Outage | None = None
        self._gaps_s: list[float] = []  # how long each outage the stream came back from lasted
        self._back_at: float | None = None
        self._slot = LatestFrame()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        if start:
            self._thread = threading.Thread(target=self._grab_loop, name=f"camera {self.name}", daemon=True)
            self._thread.start()

    def _open(self):
        with quiet_native_logs():
            if self._capture_factory is not None:
                return self._capture_factory(self.index)
            return open_capture(self.spec)

    @property
    def dropped(self) -> int:
        """Frames grabbed but replaced by a newer one before the consumer took them."""
        return self._slot.dropped

    @property
    def notice(self) -> str | None:
        """One line for the dashboard while a dropped stream is reopened, and for a moment after it is back."""
        outage = self._outage
        if outage is not None:
            return (f"Camera stream lost: reconnecting (attempt {outage.attempts + 1}); "
                    "the reps so far are kept")
        if self._back_at is not None and self._clock() - self._back_at < BACK_NOTICE_S and self._gaps_s:
            return f"Camera stream back after {self._gaps_s[-1]:.1f} s"
        return None

    @property
    def notes(self) -> tuple[str, ...]:
        """What the user is told at the end about drops the stream came back from."""
        if not self._gaps_s:
            return ()
        times = "once" if len(self._gaps_s) == 1 else f"{len(self._gaps_s)} times"
        return (f"the camera stream {self.name} dropped {times} and was reconnected "
                f"({sum(self._gaps_s):.1f} s without frames); the reps were kept",)

    def grab_once(self) -> bool:
        """Read one frame into the mailbox (or, for a dropped stream, try to reopen it when due); False once the
        camera counts as lost."""
        if self._outage is not None:
            return self._reopen_when_due()
        ok, image = self._cap.read()
        now = self._clock()
        if ok and image is not None:
            self._failing_since = None
            self._slot.put((image, now - self._t0, self._grabbed, {"grabbed_at_s": now}))
            self._grabbed += 1
            return True
        if self.reconnect is not None:
            self._drop(now)  # a stream's demuxer does not recover from a failed read: reopen it
            return True
        if self._failing_since is None:
            self._failing_since = now
        if now - self._failing_since >= self.lost_after_s:
            self._lose(
                f"camera {self.name} stopped delivering frames (unplugged?) after {self._grabbed} frames; "
                "the session so far is saved"
            )
            return False
        return True

    def _drop(self, now: float) -> None:
        self._cap.release()
        self._outage = _Outage(start=now, attempts=0, next_at=now + self.reconnect.wait_s(1))
        self._tell()

    def _reopen_when_due(self) -> bool:
        outage, policy = self._outage, self.reconnect
        if self._clock() < outage.next_at:
            return True
        outage.attempts += 1
        try:
            cap = self._open()
        except (cv2.error, OverflowError, TypeError, ValueError, SystemError):
            cap = None
        now = self._clock()
        if cap is not None and cap.isOpened():
            self._cap, self._outage, self._back_at = cap, None, now
            self._gaps_s.append(now - outage.start)
            self._tell()
            return True
        if cap is not None:
            cap.release()
        outage.next_at = now + policy.wait_s(outage.attempts + 1)
        if outage.next_at - outage.start > policy.give_up_after_s:
            self._outage = None
            self._lose(
                f"the camera stream {self.name} dropped and did not come back within {policy.give_up_after_s:g} s "
                f"({outage.attempts} attempts to reconnect) after {self._grabbed} frames; the session so far is saved"
            )
            return False
        self._tell()
        return True

    def _lose(self, detail: str) -> None:
        self.end_reason = LOST
        self.end_detail = detail
        self._slot.close()

    def _tell(self) -> None:
        listener, text = self.on_notice, self.notice
        if listener is not None and text is not None:
            listener(text)

    def _idle_s(self) -> float:
        """How long the grab thread waits before trying again after a read that gave no frame."""
        if self._outage is None:
            return RETRY_WAIT_S
        return max(RETRY_WAIT_S, self._outage.next_at - self._clock())

    def _grab_loop(self) -> None:
        try:
            while not self._stop.is_set():
                before = self._grabbed
                if not self.grab_once():
                    break
                if self._grabbed == before:
                    self._stop.wait(self._idle_s())
        finally:
            self._slot.close()

    def _frames(self) -> Iterator[tuple[np.ndarray, float, int, float]]:
        while (item := self._slot.take()) is not None:
            yield item

    def _release(self) -> None:
        self._stop.set()
        self._slot.close()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
        if self._outage is None:
            self._cap.release()
