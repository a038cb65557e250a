"""A recording played at its own speed (`--video FILE --realtime`): each frame is handed on no earlier than its
timestamp after the first, as a camera would deliver it, but none is ever dropped. For demos and for watching a
video in the live view; `fitness.capture.replay` drops frames as a real camera does (`--camera FILE`)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from fitness.capture.frame import Frame
from fitness.capture.source import FrameSource


class Pacer:
    """When each frame of a recording is due: its timestamp after the first frame's, on `clock` from the moment
    the first one was handed on. `wait_for` sleeps until then; a frame already late is not waited for (nothing
    catches up)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], object] = time.sleep) -> None:
        self._clock, self._sleep = clock, sleep
        self._start: float | None = None
        self._first_t = 0.0

    def wait_for(self, t: float) -> float:
        """Waits until the frame of timestamp `t` is due; returns when it was handed on (the due time, or now
        when it came late), on `clock`."""
        now = self._clock()
        if self._start is None:
            self._start, self._first_t = now, t
        due = self._start + (t - self._first_t)
        if due > now:
            self._sleep(due - now)
            return due
        return now


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
        pacer = Pacer(self._clock, self._sleep)
        for frame in self.source:
            pacer.wait_for(frame.t)
            yield frame

    def close(self) -> None:
        self.source.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
