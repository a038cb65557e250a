"""One video of a batch, in whichever process runs it (a local worker or a Ray worker): the same session as
`fitness run EXERCISE --video V --no-window --json`, with the model loaded once per process."""

from __future__ import annotations

import time
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fitness.errors import FitnessError
from fitness.text import printable

# Inference threads per worker: one process per core with one thread each beats fewer processes with more.
WORKER_THREADS = 1


@dataclass(frozen=True)
class AnalyzeOptions:
    """What every video of the batch is analysed with: the options of `fitness run` that batch passes on."""

    model: str = "lightning"
    backend: str = "litert"
    threads: int = WORKER_THREADS
    model_source: str = "auto"
    level: str | None = None
    overrides: Mapping[str, float] = field(default_factory=dict)
    exercises_dirs: Sequence[str] = ()


@dataclass(frozen=True)
class Job:
    """One video to analyse. save_video: where its annotated video goes (None: not written)."""

    video: str
    exercise: str
    save_video: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What a worker sends back: the summary as `fitness run --json` writes it (None when it failed), the
    one-line error (None when it went well), the session's notes and how long the video took."""

    video: str
    exercise: str
    summary: dict[str, Any] | None
    error: str | None
    notes: tuple[str, ...] = ()
    frames: int = 0
    seconds: float = 0.0


def run_job(job: Job, options: AnalyzeOptions) -> Outcome:
    """Analyses one video; never raises for a problem of the video (its message becomes `error`)."""
    started = time.perf_counter()
    try:
        summary, notes, frames = _session(job, options)
        error = None
    except FitnessError as exc:
        summary, notes, frames, error = None, (), 0, str(exc)
    except Exception as exc:  # a bug or a library failing on this video: the rest of the batch goes on
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        where = f" (at {Path(last[0].filename).name}:{last[0].lineno})" if last else ""
        summary, notes, frames, error = None, (), 0, f"internal error: {type(exc).__name__}: {exc}{where}"
    return Outcome(job.video, job.exercise, summary, None if error is None else one_line(error), notes, frames,
                   time.perf_counter() - started)


def _session(job: Job, options: AnalyzeOptions) -> tuple[dict[str, Any], tuple[str, ...], int]:
    from fitness.pipeline import SessionConfig, cached_estimator, create_stages, load_definition, run_session

    config = SessionConfig(
        exercise=job.exercise, source="video", path=job.video, model=options.model, backend=options.backend,
        threads=options.threads, model_source=options.model_source, window=False, save_video=job.save_video,
        no_history=True, level=options.level, overrides=dict(options.overrides),
        exercises_dirs=tuple(options.exercises_dirs),
    )
    definition = load_definition(config)
    estimator = cached_estimator(config)
    estimator.reset()  # crop tracking must not carry over from the previous video
    stages = create_stages(config, definition, f"video:{Path(job.video).name}", estimator=estimator)
    result = run_session(config, None, stages=stages, own_signals=False)
    failure = result.failure()
    if failure is not None:
        raise failure
    no_person = result.no_person
    notes = tuple(note for note in result.notes if note != no_person)
    return result.summary.to_dict(), notes, result.frames


def one_line(message: str) -> str:
    """A message as one printable line."""
    return printable(" ".join(message.split()))
