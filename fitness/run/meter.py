"""The speed a session shows the user: per-stage latency and frame rate, as moving averages."""

from __future__ import annotations

from collections.abc import Callable

# Latency and fps shown to the user are smoothed over roughly this many frames, so the numbers can be read.
METER_FRAMES = 15


class Meter:
    """Exponential moving averages of per-stage milliseconds and of the frame rate, on `clock` (seconds)."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.latency_ms: dict[str, float] = {}
        self._dt: float | None = None
        self._last: float | None = None

    def add(self, stage: str, seconds: float) -> None:
        ms = seconds * 1000.0
        old = self.latency_ms.get(stage)
        self.latency_ms[stage] = ms if old is None else old + (ms - old) / METER_FRAMES

    def tick(self) -> None:
        now = self.clock()
        if self._last is not None:
            dt = now - self._last
            self._dt = dt if self._dt is None else self._dt + (dt - self._dt) / METER_FRAMES
        self._last = now

    @property
    def fps(self) -> float:
        return 1.0 / self._dt if self._dt else float("nan")
