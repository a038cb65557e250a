"""What a session ended with: how it ended (`Ending`), what frames it saw (`FrameTally`) and its `SessionResult`."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fitness.capture import CLOSED, COMPLETE
from fitness.errors import FitnessError, SourceError
from fitness.pose.types import Pose
from fitness.session.summary import WorkoutSummary

if TYPE_CHECKING:
    from fitness.voice.speaker import SpokenLine

ENDED_NORMALLY = "complete"
ENDED_BY_USER = "quit"  # q / Esc in the window
ENDED_BY_INTERRUPT = "interrupted"  # Ctrl-C or SIGTERM
ENDED_BY_ERROR = "error"  # the source broke mid-way (the session is saved, then the error raised)


@dataclass(frozen=True)
class SessionResult:
    """summary: what was recorded. frames / frames_with_person: processed frames and those with a pose.
    ended: "complete", "quit", "interrupted" or the source's reason ("truncated", "lost").
    notes: one-line messages for the user about how the session went.
    raw_poses: the model's poses, one per processed frame (only when asked for).
    no_person: the message when no person was followed in any frame (also among the notes), else None.
    write_error: why the JSON or the annotated video could not be written at the end (the rest is saved).
    spoken: what the voice said (`--voice`), None without a voice.
    people: with `--people`, everyone counted, left to right (`fitness.run.people.PersonResult`)."""

    summary: WorkoutSummary
    frames: int
    frames_with_person: int
    ended: str
    notes: tuple[str, ...] = ()
    raw_poses: tuple[Pose | None, ...] | None = None
    no_person: str | None = None
    write_error: FitnessError | None = None
    spoken: tuple[SpokenLine, ...] | None = None
    people: tuple[Any, ...] = ()

    def failure(self) -> FitnessError | None:
        """The error a session ends with once everything is saved (`fitness run` raises it, `fitness analyze`
        records it): an output that could not be written, no frame read, or nobody followed; else None."""
        if self.write_error is not None:
            return self.write_error  # only that file is missing
        if self.frames == 0:
            return SourceError(f"no frames were read from {self.summary.source}; nothing was counted")
        if self.no_person:
            return SourceError(self.no_person)
        return None


class Ending:
    """How a session is ending. stop_requested: leave the loop after the current frame. ended: one of the
    ENDED_* values or the source's own reason. stopped_by: the signal's name in the notes. source_notes: what
    the source said about an early end. source_error: the error of a source that broke mid-way."""

    def __init__(self) -> None:
        self.stop_requested = False
        self.ended = ENDED_NORMALLY
        self.stopped_by = "Ctrl-C"
        self.source_notes: list[str] = []
        self.source_error: SourceError | None = None

    def interrupt(self, by: str) -> None:
        """Ctrl-C or SIGTERM (`by` names it): stop after the current frame."""
        self.stop_requested = True
        self.stopped_by = by
        self.ended = ENDED_BY_INTERRUPT

    def quit(self) -> None:
        """q / Esc in the window."""
        self.stop_requested = True
        self.ended = ENDED_BY_USER

    def source_broke(self, error: SourceError) -> None:
        """A file that breaks mid-way: what was read is kept and saved, then the (first) error is raised."""
        self.source_error = self.source_error or error
        if self.ended == ENDED_NORMALLY:
            self.ended = ENDED_BY_ERROR

    def source_ended(self, reason: str | None, detail: str) -> None:
        """The source ran out: early (a lost camera, a truncated file) unless `reason` says it was complete."""
        if reason not in (None, COMPLETE, CLOSED) and self.ended == ENDED_NORMALLY:
            self.ended = reason
            if detail:
                self.source_notes.append(detail)

    @property
    def interrupted(self) -> bool:
        """The summary's `interrupted`: anything but running to the end or the user's quit."""
        return self.ended not in (ENDED_NORMALLY, ENDED_BY_USER)


class FrameTally:
    """The frames a session processed: how many, how many with a person, the first and last frame time, and
    the source's nominal frame rate (NaN when unknown)."""

    def __init__(self) -> None:
        self.frames = 0
        self.with_person = 0
        self.first_t: float | None = None
        self.last_t = 0.0
        self.source_fps = float("nan")

    def add(self, t: float, with_person: bool) -> None:
        self.frames += 1
        self.with_person += int(with_person)
        self.first_t = t if self.first_t is None else self.first_t
        self.last_t = t

    def rate(self) -> tuple[float, float]:
        """(fps, duration_s) from the frames' own times: right for videos (= n / fps) and for cameras that
        dropped frames; the source's exact rate when the times agree with it within 1 %."""
        n = self.frames
        span = self.last_t - (self.first_t if self.first_t is not None else self.last_t)
        if n >= 2 and span > 0:
            fps, duration_s = (n - 1) / span, span * n / (n - 1)
            nominal = self.source_fps
            if math.isfinite(nominal) and abs(fps - nominal) <= 0.01 * nominal:
                fps, duration_s = nominal, n / nominal  # the container's exact rate, not a rounding of it
            return fps, duration_s
        fps = self.source_fps
        return fps, n / fps if math.isfinite(fps) and fps > 0 else 0.0
