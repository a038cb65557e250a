"""A recording played at its own speed (`--realtime`): each frame is handed on no earlier than its timestamp
after the first, as a camera would deliver it. For demos and for watching a video in the live view."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from fitness.capture.frame import Frame
from fitness.capture.source import FrameSource


class RealtimeSource:
    """Wraps a FrameSource; `clock` and `sleep` stand in for time.monotonic and time.sleep in tests. A machine
    slower than the video is not made to catch up: frames then come as fast as they are decoded."""

    def __init__(self, source: FrameSource, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.source = source
        self._clock, self._sleep = clock, sleep

    def __getattr__(self, name: str):  # label, fps, end_reason, end_detail, frame_count
        return getattr(self.source, name)

    def __iter__(self) -> Iterator[Frame]:
        start_wall = first_t = None
        for frame in self.source:
            now = self._clock()
            if start_wall is None:
                start_wall, first_t = now, frame.t
            wait_s = start_wall + (frame.t - first_t) - now
            if wait_s > 0:
                self._sleep(wait_s)
            yield frame

    def close(self) -> None:
        self.source.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
