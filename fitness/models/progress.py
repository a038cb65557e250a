"""How fetching reports what it does: a silent reporter for library use and a rich one for the terminal.

Fetch code only calls the `Reporter` methods; rich is imported lazily, only when a terminal reporter is made.
"""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager, nullcontext
from typing import Protocol


class Reporter(Protocol):
    def step(self, description: str) -> AbstractContextManager[None]:
        """A context that shows one named step (download, verify, convert ...) while it runs."""

    def note(self, message: str) -> None:
        """One line of information, e.g. a source that failed before the next is tried."""


class SilentReporter:
    """Reports nothing; keeps the notes so callers and tests can read them."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def step(self, description: str) -> AbstractContextManager[None]:
        return nullcontext()

    def note(self, message: str) -> None:
        self.notes.append(message)


class RichReporter:
    """A rich progress line per step (spinner + elapsed time) on stderr, and notes as plain lines."""

    def __init__(self) -> None:
        from rich.console import Console

        self._console = Console(file=sys.stderr)

    def step(self, description: str) -> AbstractContextManager[None]:
        return _RichStep(self._console, description)

    def note(self, message: str) -> None:
        self._console.print(message, markup=False, highlight=False, soft_wrap=True)


class _RichStep:
    def __init__(self, console, description: str) -> None:
        from rich.markup import escape
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._description = escape(description)

    def __enter__(self) -> None:
        self._progress.start()
        self._task = self._progress.add_task(self._description, total=1)

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self._progress.update(self._task, completed=1)
        else:
            self._progress.update(self._task, description=f"{self._description} (failed)")
        self._progress.stop()


def make_reporter(progress: bool | Reporter) -> Reporter:
    if progress is True:
        return RichReporter()
    if progress is False or progress is None:
        return SilentReporter()
    return progress
