"""The same jobs as Ray tasks: on a local Ray started here, or on a running cluster (an address or RAY_ADDRESS).

Each task is `run_job` on one CPU; Ray reuses its worker processes, and `run_job` keeps the loaded model in
its process (`fitness.pipeline.cached_estimator`), so each worker loads the model once, not once per video.
At most `workers` tasks are in flight (default: the cluster's CPUs), so a million videos are not all
submitted at once. A task whose worker dies records an error for its video (no retry: a video that crashes
a worker would crash the next one too).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

from fitness.batch.worker import AnalyzeOptions, Job, Outcome, one_line, run_job
from fitness.errors import UsageError

# How often (s) the driver looks at the stop flag while it waits for tasks.
POLL_S = 0.2
INSTALL_HINT = "pip install 'fitness[scale]'"


def import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise UsageError(f"--ray needs Ray, which is not installed: {INSTALL_HINT}") from None
    return ray


class RayPool:
    """address: a cluster to join; None starts a local Ray (or joins RAY_ADDRESS when it is set).
    workers: tasks in flight at a time (None: the cluster's CPUs; on a local Ray started here, its CPUs).
    work: what a task does with a job (run_job; tests pass others importable by the workers)."""

    def __init__(self, address: str | None, workers: int | None, options: AnalyzeOptions,
                 work: Callable[[Job, AnalyzeOptions], Outcome] = run_job) -> None:
        self.address = address or None
        self.workers = workers
        self.options = options
        self.work = work
        self._ray: Any = None
        self._started_here = False

    def connect(self) -> None:
        """Starts or joins Ray (before the batch owns Ctrl-C and SIGTERM: ray.init installs handlers of its own)."""
        ray = self._ray = import_ray()
        if ray.is_initialized():
            return
        local = self.address is None and not os.environ.get("RAY_ADDRESS")
        if local:
            os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # a local run reports nothing anywhere
            # Ray runs its workers at nice 15; on a machine doing other work too, that would starve the batch
            # compared with local workers (nice 0).
            os.environ.setdefault("RAY_worker_niceness", "0")
        try:
            ray.init(address=self.address, num_cpus=self.workers if local else None, include_dashboard=False,
                     logging_level="warning")
        except (ConnectionError, RuntimeError, ValueError) as exc:
            where = self.address or os.environ.get("RAY_ADDRESS") or "a local Ray"
            raise UsageError(f"cannot start or join Ray at {where}: {one_line(str(exc))}") from None
        self._started_here = True

    def close(self) -> None:
        if self._started_here:
            self._ray.shutdown()
            self._started_here = False

    def run(self, jobs: Sequence[Job], on_done: Callable[[Outcome], None], stopping: Callable[[], bool]) -> None:
        """As LocalPool.run: outcomes as they finish; on a stop the tasks in flight are cancelled."""
        ray = self._ray
        task = ray.remote(num_cpus=1, max_retries=0)(self.work)
        options_ref = ray.put(self.options)
        width = self.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        pending = list(reversed(jobs))
        in_flight: dict[Any, Job] = {}
        try:
            while (pending or in_flight) and not stopping():
                while pending and len(in_flight) < width:
                    job = pending.pop()
                    in_flight[task.remote(job, options_ref)] = job
                done, _ = ray.wait(list(in_flight), num_returns=1, timeout=POLL_S)
                for ref in done:
                    on_done(self._outcome(ref, in_flight.pop(ref)))
        finally:
            for ref in in_flight:
                ray.cancel(ref, force=True)

    def _outcome(self, ref: Any, job: Job) -> Outcome:
        try:
            return self._ray.get(ref)
        except self._ray.exceptions.RayError as exc:
            first = next(iter(str(exc).strip().splitlines()), "")
            return Outcome(job.video, job.exercise, None,
                           one_line(f"the Ray task analysing this video failed: {type(exc).__name__}: {first}"))
