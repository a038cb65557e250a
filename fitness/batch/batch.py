"""A whole batch: expand the inputs, skip what results.jsonl already has, run the rest on local workers or
Ray, record each video as it finishes (and in the history with --db), then write summary.csv (and parquet).

The first Ctrl-C or SIGTERM stops the batch: videos in progress are abandoned, every finished one is in
results.jsonl, and the tables are written. A second one aborts at once (results.jsonl is still whole lines).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fitness.batch.aggregate import require_pyarrow, write_parquet, write_summary_csv
from fitness.batch.inputs import VideoInput, expand_inputs
from fitness.batch.results import Done, ResultsLog, ResumeKey
from fitness.batch.worker import AnalyzeOptions, Job, Outcome
from fitness.errors import FitnessError, UsageError
from fitness.run.signals import first_signal_stops
from fitness.text import printable

VIDEOS_DIR = "videos"  # annotated videos (--save-video) go here, inside the output folder


@dataclass(frozen=True)
class BatchConfig:
    """ray: None runs local worker processes; "" uses Ray (a local one, or RAY_ADDRESS); else a Ray address.
    workers: local processes, or Ray tasks in flight (None: the CPU count). db: None keeps no history, "" the
    default history database, else that file."""

    inputs: tuple[str, ...]
    out_dir: Path
    exercise: str | None = None
    workers: int | None = None
    ray: str | None = None
    force: bool = False
    retry_failed: bool = False
    parquet: bool = False
    save_video: bool = False
    db: str | None = None
    options: AnalyzeOptions = field(default_factory=AnalyzeOptions)


@dataclass(frozen=True)
class BatchReport:
    """total: videos the inputs name; skipped: already in results.jsonl; analysed: finished in this run.
    failures: (video, error) of the inputs' videos whose result is an error (this run's or an earlier one).
    stopped_by: "Ctrl-C" or "SIGTERM" when the batch was stopped, else None. frames: of the videos analysed
    now; seconds: the batch's wall time; worker_seconds: the workers' time on those videos (start-up left out)."""

    total: int
    skipped: int
    analysed: int
    failures: tuple[tuple[str, str], ...]
    stopped_by: str | None
    frames: int
    seconds: float
    worker_seconds: float
    results: Path
    tables: tuple[Path, ...]


def default_workers() -> int:
    """The CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS
        return os.cpu_count() or 1


def check_exercises(videos: list[VideoInput], options: AnalyzeOptions) -> None:
    """Every exercise named loads (the engine's error, listing the known names, before any video starts)."""
    from fitness.exercise import load_exercise

    for name in dict.fromkeys(v.exercise for v in videos):
        load_exercise(name, extra_dirs=tuple(options.exercises_dirs), level=options.level,
                      overrides=dict(options.overrides))


def annotated_paths(videos: list[VideoInput], out_dir: Path) -> dict[VideoInput, str]:
    """DIR/videos/NAME.mp4 for each video; names shared by several videos get a short hash of path and exercise."""
    stems = Counter(Path(v.video).stem for v in videos)
    out = {}
    for v in videos:
        stem = Path(v.video).stem
        if stems[stem] > 1:
            where = f"{ResumeKey.of(v.video, v.exercise or '').path}\0{v.exercise}"
            stem += "-" + hashlib.sha1(where.encode()).hexdigest()[:8]
        out[v] = str(out_dir / VIDEOS_DIR / f"{stem}.mp4")
    return out


def make_pool(config: BatchConfig, workers: int | None):
    if config.ray is not None:
        from fitness.batch.cluster import RayPool

        return RayPool(config.ray, workers, config.options)
    from fitness.batch.local import LocalPool

    return LocalPool(workers or default_workers(), config.options)


def _record(outcome: Outcome, key: ResumeKey) -> dict[str, Any]:
    """A results.jsonl line: `video`, then the `fitness run --json` summary (or `exercise` and `error`)."""
    if outcome.summary is None:
        return {"video": outcome.video, "exercise": outcome.exercise, "error": outcome.error, "key": key.to_dict()}
    return {"video": outcome.video, **outcome.summary, "notes": list(outcome.notes), "key": key.to_dict(),
            "seconds": round(outcome.seconds, 3)}


def run_batch(config: BatchConfig, progress, pool=None) -> BatchReport:
    """Runs the batch (see the module docstring). pool: what runs the jobs (tests); by default local worker
    processes or Ray, as the config says."""
    out_dir = config.out_dir.expanduser()
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out {printable(str(out_dir))} is a file; give a folder for the results")
    videos = expand_inputs(config.inputs, config.exercise, out_dir)
    if not videos:
        raise UsageError("no videos found in the inputs (looked for " + ", ".join(config.inputs) + ")")
    check_exercises(videos, config.options)
    if config.parquet:
        require_pyarrow()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        if config.save_video:
            (out_dir / VIDEOS_DIR).mkdir(exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the output folder {printable(str(out_dir))}: {exc.strerror}") from None

    log = ResultsLog(out_dir)
    done = log.load()
    if log.needs_compact:  # before the first append: a torn last line would swallow it
        log.compact()
    keys = {v: ResumeKey.of(v.video, v.exercise) for v in videos}
    saved = annotated_paths(videos, out_dir) if config.save_video else {}
    todo = [v for v in videos if _needs_run(done.get(keys[v].video), keys[v], config)]
    jobs = [Job(v.video, v.exercise, saved.get(v)) for v in todo]
    key_of = {(v.video, v.exercise): keys[v] for v in todo}

    store = _open_history(config.db)
    pool = pool or make_pool(config, config.workers)
    stop: dict[str, str] = {}
    frames, analysed, worker_seconds = 0, 0, 0.0
    started = time.perf_counter()
    try:
        pool.connect()
        progress.start(len(jobs), len(videos) - len(jobs))

        def on_done(outcome: Outcome) -> None:
            nonlocal frames, analysed, worker_seconds
            record = _record(outcome, key_of[(outcome.video, outcome.exercise)])
            if store is not None and outcome.summary is not None:
                record = _into_history(store, record)
            log.add(record)
            frames += outcome.frames
            analysed += 1
            worker_seconds += outcome.seconds
            progress.advance(outcome)

        try:
            with first_signal_stops(lambda name: stop.setdefault("by", name)):
                pool.run(jobs, on_done, lambda: "by" in stop)
        finally:
            progress.stop()
    finally:
        log.close()
        pool.close()
        if store is not None:
            store.close()
    if log.needs_compact:  # videos analysed again (changed, --force, --retry-failed): one line per video again
        log.compact()
    tables = [write_summary_csv(log.records(), out_dir)]
    if config.parquet:
        tables.append(write_parquet(log.records(), out_dir))
    failures = tuple((v.video, str(log.done[keys[v].video].error)) for v in videos
                     if keys[v].video in log.done and log.done[keys[v].video].error is not None)
    return BatchReport(len(videos), len(videos) - len(jobs), analysed, failures, stop.get("by"), frames,
                       time.perf_counter() - started, worker_seconds, log.path, tuple(tables))


def _needs_run(previous: Done | None, key: ResumeKey, config: BatchConfig) -> bool:
    """Not analysed yet, changed since, or asked for again."""
    if previous is None or config.force or previous.key != key:
        return True
    return config.retry_failed and previous.error is not None


def _open_history(db: str | None):
    if db is None:
        return None
    from fitness.session.store import HistoryStore

    return HistoryStore.open(db or None)


def _into_history(store, record: dict[str, Any]) -> dict[str, Any]:
    """The record with the id of its new history session (recorded as `fitness run` records one, so two videos
    of the same name that started in the same second are two sessions); a history that cannot take it is a
    note."""
    from fitness.session.summary import WorkoutSummary

    summary = WorkoutSummary.from_dict(record)
    try:
        session_id = store.begin_session(summary.exercise, started_at=summary.started_at, title=summary.title,
                                         source=summary.source, model=summary.model, params=summary.params)
        store.finish_session(session_id, summary)
    except FitnessError as exc:
        return {**record, "notes": [*record.get("notes", ()), f"not saved in the history: {exc}"]}
    return {**record, "id": session_id}
