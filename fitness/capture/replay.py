"""ReplayCamera (`--camera FILE`): a recording played as a live camera, to test and measure live mode.

A capture thread hands each frame on at its own time on the video's clock, as a sensor would; the consumer
takes the newest, and frames it was too slow for are dropped (and counted), exactly as with CameraSource.
`--video FILE --realtime` (fitness.capture.realtime) paces the same way but never drops a frame.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from fitness.capture.camera import LatestFrame
from fitness.capture.realtime import Pacer
from fitness.capture.source import TRUNCATED, BaseSource
from fitness.capture.transforms import FrameTransform
from fitness.capture.video import VideoSource


class ReplayCamera(BaseSource):
    """The frames of the video `path`, delivered on its own clock: t is the video's timestamp (the engine's
    clock, as for `--video`), `grabbed_at_s` the monotonic time the frame was handed on. `clock` and `sleep`
    stand in for time.monotonic and a stop-aware sleep in tests; the capture thread starts with the first
    iteration (`start=False` leaves it off so tests can call `grab_once()`). `video_factory` opens the file
    (VideoSource, which decodes ahead in its own thread and applies the transform there)."""

    transforms_itself = True  # the VideoSource underneath transforms in its decode thread

    def __init__(
        self,
        path: str | Path,
        transform: FrameTransform | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] | None = None,
        start: bool = True,
        video_factory: Callable[[Path, FrameTransform], VideoSource] = VideoSource,
    ) -> None:
        super().__init__(transform)
        self.path = Path(path)
        self._video = video_factory(self.path, self.transform)
        self.label = f"replay:{self.path.name}"
        self.fps = self._video.fps
        self._frames_in = iter(self._video)
        self._stop = threading.Event()
        self._pacer = Pacer(clock, sleep or self._stop.wait)
        self._slot = LatestFrame()
        self.handed_on = 0
        self._start = start
        self._thread: threading.Thread | None = None

    @property
    def dropped(self) -> int:
        """Frames handed on but replaced by a newer one before the consumer took them."""
        return self._slot.dropped

    def grab_once(self) -> bool:
        """Hands the next frame on when it is due (waiting for it); False at the end of the video."""
        frame = next(self._frames_in, None)
        if frame is None or self._stop.is_set():
            self._slot.close()
            return False
        grabbed_at_s = self._pacer.wait_for(frame.t)
        if self._stop.is_set():
            self._slot.close()
            return False
        self._slot.put((frame.image, frame.t, frame.index,
                        {"grabbed_at_s": grabbed_at_s, "source_size": frame.source_size, "full": frame.full}))
        self.handed_on += 1
        return True

    def _capture_loop(self) -> None:
        try:
            while self.grab_once():
                pass
        finally:
            self._slot.close()

    def _frames(self) -> Iterator[tuple]:
        if self._start and self._thread is None:
            # The replay starts when frames are first asked for, not when the file is opened: the session opens
            # its source before the model loads, and a recording should not lose its first seconds to that.
            self._thread = threading.Thread(target=self._capture_loop, name=f"replay {self.path.name}", daemon=True)
            self._thread.start()
        while (item := self._slot.take()) is not None:
            yield item
        if self._video.end_reason == TRUNCATED and not self._closed:
            self.end_reason, self.end_detail = TRUNCATED, self._video.end_detail

    def _release(self) -> None:
        self._stop.set()
        self._slot.close()
        self._video.close()  # also ends a capture thread waiting on the decoder
        if self._thread is not None:
            self._thread.join(timeout=5.0)
