"""How far the pose pass over a recording is (offline smoothing finds every pose before counting starts),
and the words for it. The UIs draw it: a bar on a terminal, a line every tenth when piped."""

from __future__ import annotations

import math
from dataclasses import dataclass

# No remaining time is guessed from fewer frames than this (the first frames include model warm-up).
MIN_FRAMES_FOR_ETA = 10
# Piped output gets one line per this fraction of the pass.
PLAIN_STEP = 0.1
WHAT = "Finding poses in the recording"


@dataclass(frozen=True)
class PassProgress:
    """done_frames: frames searched so far. total_frames: how many the file has (from its container), None when
    unknown. elapsed_s: wall-clock seconds the pass has taken so far."""

    done_frames: int
    total_frames: int | None
    elapsed_s: float

    @property
    def fraction(self) -> float | None:
        """0..1 of the pass done, None when the total is unknown."""
        if not self.total_frames:
            return None
        return min(1.0, self.done_frames / self.total_frames)

    @property
    def remaining_s(self) -> float | None:
        """Seconds left at the average speed so far; None while unknown."""
        if self.fraction is None or self.done_frames < MIN_FRAMES_FOR_ETA or not self.elapsed_s > 0:
            return None
        left = max(0, self.total_frames - self.done_frames)
        return self.elapsed_s * left / self.done_frames

    def counted(self) -> str:
        """"120 of 617 frames (19%), about 0:04 left", or "frame 120" when the total is unknown."""
        if self.fraction is None:
            return f"frame {self.done_frames}"
        text = f"{self.done_frames} of {self.total_frames} frames ({self.fraction:.0%})"
        remaining = self.remaining_s
        return text if remaining is None else f"{text}, about {format_clock(remaining)} left"

    def describe(self) -> str:
        """The whole status line, e.g. for the window's guidance text."""
        return f"{WHAT}: {self.counted()}; counting follows"


def format_clock(seconds: float) -> str:
    """0:04, 1:05, 1:02:03 (rounded up, so the last second reads 0:01 and not 0:00)."""
    total = max(0, math.ceil(seconds)) if math.isfinite(seconds) else 0
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class PlainPassLines:
    """Decides when piped output prints a line about the pass: once at the start, then at each PLAIN_STEP of a
    known total, else every `every_s` seconds of source time."""

    def __init__(self, every_s: float) -> None:
        self.every_s = every_s
        self._started = False
        self._next_fraction = PLAIN_STEP
        self._next_t = 0.0

    def line(self, progress: PassProgress, t: float) -> str | None:
        if not self._started:
            self._started = True
            self._next_t = t + self.every_s
            frames = f" ({progress.total_frames} frames)" if progress.total_frames else ""
            return f"{WHAT}{frames}; counting follows"
        fraction = progress.fraction
        if fraction is not None:
            if fraction + 1e-9 < self._next_fraction:
                return None
            while self._next_fraction <= fraction + 1e-9:
                self._next_fraction += PLAIN_STEP
        elif t < self._next_t:
            return None
        else:
            self._next_t = t + self.every_s
        return f"{WHAT}: {progress.counted()}"
