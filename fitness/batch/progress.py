"""Progress of a batch: on a terminal a rich bar (videos done / total, frames per second, failures, time
left); piped, one plain line per finished video."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import IO, Protocol

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from fitness.batch.worker import Outcome
from fitness.text import printable


class BatchProgress(Protocol):
    def start(self, total: int, skipped: int) -> None: ...

    def advance(self, outcome: Outcome) -> None: ...

    def stop(self) -> None: ...


class Rate:
    """Videos and frames finished since the start, and the frames per second they make."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.clock = clock
        self.started = clock()
        self.videos = 0
        self.failed = 0
        self.frames = 0

    def add(self, outcome: Outcome) -> None:
        self.videos += 1
        self.failed += int(outcome.error is not None)
        self.frames += outcome.frames

    @property
    def seconds(self) -> float:
        return self.clock() - self.started

    @property
    def fps(self) -> float:
        return self.frames / self.seconds if self.seconds > 0 else 0.0


class RichBatchProgress:
    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self.rate = Rate()
        self.progress = Progress(
            TextColumn("analysing"), BarColumn(), MofNCompleteColumn(), TextColumn("videos"),
            TextColumn("{task.fields[fps]:.0f} frames/s"), TextColumn("[red]{task.fields[failed]} failed"),
            TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(), console=self.console,
        )
        self.task = None

    def start(self, total: int, skipped: int) -> None:
        self.rate = Rate()
        self.progress.start()
        self.task = self.progress.add_task("videos", total=total, fps=0.0, failed=0)

    def advance(self, outcome: Outcome) -> None:
        self.rate.add(outcome)
        self.progress.update(self.task, advance=1, fps=self.rate.fps, failed=self.rate.failed)
        if outcome.error is not None:
            self.progress.console.print(f"[red]failed[/red] {printable(outcome.video)}: {outcome.error}",
                                        markup=True, highlight=False)

    def stop(self) -> None:
        self.progress.stop()


class PlainBatchProgress:
    """One line per finished video: `[3/10] clip.mp4: 5 reps (2 failed, 410 frames/s, about 0:01:05 left)`."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stdout
        self.rate = Rate()
        self.total = 0

    def start(self, total: int, skipped: int) -> None:
        self.rate, self.total = Rate(), total
        print(f"analysing {total} videos" + (f" ({skipped} already done)" if skipped else ""), file=self.stream,
              flush=True)

    def advance(self, outcome: Outcome) -> None:
        rate = self.rate
        rate.add(outcome)
        what = f"failed: {outcome.error}" if outcome.error else f"{(outcome.summary or {}).get('reps', 0)} reps"
        left = (self.total - rate.videos) * rate.seconds / rate.videos
        print(f"[{rate.videos}/{self.total}] {printable(outcome.video)}: {what} ({rate.failed} failed, "
              f"{rate.fps:.0f} frames/s, about {_clock(left)} left)", file=self.stream, flush=True)

    def stop(self) -> None:
        pass


def _clock(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


def choose_progress() -> BatchProgress:
    """The rich bar on stderr when it is a terminal, else plain lines on stdout."""
    return RichBatchProgress(Console(stderr=True)) if sys.stderr.isatty() else PlainBatchProgress(sys.stdout)
