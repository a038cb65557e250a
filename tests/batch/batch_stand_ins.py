"""Stand-ins for batch tests without the model: a pool that runs jobs in the test's process and the summary it
gives each video. Importable by name from every test folder (`pythonpath` in pyproject.toml)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from fitness.batch.worker import Job, Outcome
from fitness.exercise.events import RepEvent
from fitness.session.summary import WorkoutSummary


def fake_summary(job: Job) -> WorkoutSummary:
    """Reps = the number of bytes in the file, so a test can change the result by changing the file."""
    reps = len(Path(job.video).read_bytes())
    details = tuple(RepEvent(i + 1, float(i), i + 0.8, True, rom=(80.0, 170.0), issues=("chest_up",) if i else ())
                    for i in range(reps))
    return WorkoutSummary(exercise=job.exercise, source=f"video:{Path(job.video).name}", model="stand-in",
                          started_at=f"2026-01-01T00:00:{reps:02d}+00:00", duration_s=reps, frames=10 * reps, fps=10.0,
                          reps=reps, no_reps=0, rep_details=details, issues={"chest_up": max(0, reps - 1)})


class StandInPool:
    """Runs jobs in this process; a video named broken* fails; after `stop_after` videos it sends SIGTERM."""

    def __init__(self, stop_after: int | None = None) -> None:
        self.ran: list[str] = []
        self.stop_after = stop_after

    def connect(self) -> None:
        pass

    def close(self) -> None:
        pass

    def run(self, jobs, on_done, stopping) -> None:
        for job in jobs:
            if stopping():
                return
            self.ran.append(Path(job.video).name)
            if Path(job.video).name.startswith("broken"):
                on_done(Outcome(job.video, job.exercise, None, "cannot read video: damaged"))
            else:
                on_done(Outcome(job.video, job.exercise, fake_summary(job).to_dict(), None, frames=10))
            if self.stop_after is not None and len(self.ran) == self.stop_after:
                os.kill(os.getpid(), signal.SIGTERM)


def work_or_crash(job: Job, options) -> Outcome:
    """A worker's work that kills its process on a video named crash*, else reports its process id as frames."""
    if Path(job.video).name.startswith("crash"):
        os._exit(3)
    return Outcome(job.video, job.exercise, {"reps": 1}, None, frames=os.getpid())
