"""Worker processes on this machine: one interpreter and one model per worker, a video at a time each.

Workers are forked from a `forkserver` process that imported the pipeline once (a worker starts in
milliseconds, not the seconds the imports take, and inherits no threads of the parent's libraries; `spawn`
where there is no forkserver). They ignore Ctrl-C, so the parent decides what happens on an interrupt. A
worker that dies (a crash in a native library, the kernel's OOM killer) records an error for the video it
had and is replaced; the rest go on.
"""

from __future__ import annotations

import importlib
import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait

from fitness.batch.worker import AnalyzeOptions, Job, Outcome, run_job

# How often (s) the parent looks at the stop flag while it waits for workers.
POLL_S = 0.2
# How long (s) a worker is given to exit after the batch is done before it is terminated.
JOIN_S = 5.0

# Imported before a worker's first video (the pipeline's libraries: OpenCV, LiteRT, SciPy, the engine: seconds).
PRELOAD = ("fitness.pipeline",)
START_METHOD = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"

Work = Callable[[Job, AnalyzeOptions], Outcome]


def _worker_main(conn: Connection, options: AnalyzeOptions, work: Work, preload: tuple[str, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group; the parent decides
    for module in preload:
        importlib.import_module(module)
    while True:
        try:
            job = conn.recv()
        except EOFError:  # the parent is gone
            return
        if job is None:
            return
        conn.send(work(job, options))


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    job: Job | None = None


def crash_outcome(job: Job, exitcode: int | None) -> Outcome:
    how = f"exit code {exitcode}"
    if exitcode is not None and exitcode < 0:
        try:
            how = f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            pass
    return Outcome(job.video, job.exercise, None, f"the worker analysing this video crashed ({how})")


class LocalPool:
    """Runs jobs in `workers` processes. work: what a worker does with a job (run_job; tests pass others);
    preload: modules a worker imports when it starts."""

    def __init__(self, workers: int, options: AnalyzeOptions, work: Work = run_job,
                 preload: tuple[str, ...] = PRELOAD) -> None:
        self.workers = max(1, int(workers))
        self.options = options
        self.work = work
        self.preload = preload
        self._context = multiprocessing.get_context(START_METHOD)
        if START_METHOD == "forkserver":
            self._context.set_forkserver_preload(list(preload))  # used when this process starts its forkserver

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(child, self.options, self.work, self.preload),
                                        daemon=True, name="fitness-analyze-worker")
        process.start()
        child.close()
        return _Worker(process, parent)

    def run(self, jobs: Sequence[Job], on_done: Callable[[Outcome], None], stopping: Callable[[], bool]) -> None:
        """Calls on_done with each job's outcome as it finishes; returns when all are done or, once `stopping()`
        is true, at once (the videos in progress are abandoned)."""
        pending = deque(jobs)
        pool: list[_Worker] = []
        try:
            for _ in range(min(self.workers, len(pending))):
                pool.append(self._start())
            for i in range(len(pool)):
                self._give(pool, i, pending)
            while any(w.job is not None for w in pool) and not stopping():
                busy = [w for w in pool if w.job is not None]
                ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=POLL_S))
                for i, worker in enumerate(pool):
                    if worker.job is None or not (worker.conn in ready or worker.process.sentinel in ready):
                        continue
                    job, outcome = worker.job, self._receive(worker)
                    worker.job = None
                    on_done(outcome or crash_outcome(job, worker.process.exitcode))
                    self._give(pool, i, pending)
        finally:
            for worker in pool:
                self._stop(worker, now=worker.job is not None)

    def _give(self, pool: list[_Worker], i: int, pending: deque[Job]) -> None:
        """The next job to worker i; a worker that died meanwhile is replaced first."""
        if not pending:
            return
        if not pool[i].process.is_alive():
            self._stop(pool[i])
            pool[i] = self._start()
        job = pending.popleft()
        try:
            pool[i].conn.send(job)
        except OSError:  # died just now: a fresh worker takes the job
            self._stop(pool[i])
            pool[i] = self._start()
            pool[i].conn.send(job)
        pool[i].job = job

    @staticmethod
    def _receive(worker: _Worker) -> Outcome | None:
        """The worker's outcome, or None when it died instead of sending one."""
        try:
            if worker.conn.poll():
                return worker.conn.recv()
        except (EOFError, OSError):
            pass
        worker.process.join(JOIN_S)
        return None

    @staticmethod
    def _stop(worker: _Worker, now: bool = False) -> None:
        try:
            if not now and worker.process.is_alive():
                worker.conn.send(None)
                worker.process.join(JOIN_S)
        except (BrokenPipeError, OSError):
            pass
        if worker.process.is_alive():
            worker.process.terminate()
            worker.process.join(JOIN_S)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()

    def connect(self) -> None:
        """Nothing to set up: workers start with the first jobs (the same interface as RayPool)."""

    def close(self) -> None:
        """Nothing to tear down: `run` stops its workers."""
