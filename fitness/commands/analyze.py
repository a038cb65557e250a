"""`fitness analyze`: many videos through the `fitness run` pipeline, on local worker processes or Ray."""

from __future__ import annotations

import sys
from pathlib import Path

from fitness.batch.batch import BatchConfig, BatchReport, run_batch
from fitness.batch.progress import choose_progress
from fitness.batch.worker import AnalyzeOptions
from fitness.commands.run import parse_overrides
from fitness.errors import UsageError
from fitness.text import printable

# Failed videos listed on stderr at the end; the rest are in summary.csv and results.jsonl.
SHOWN_FAILURES = 10
# Exit codes of a batch stopped by a signal, as a shell reports a process ended by it (128 + signal number).
STOPPED_EXIT = {"Ctrl-C": 130, "SIGTERM": 143}


def config_from_args(args) -> BatchConfig:
    if args.workers is not None and args.workers < 1:
        raise UsageError(f"--workers must be at least 1, got {args.workers}")
    options = AnalyzeOptions(
        model=args.model, backend=args.backend, threads=args.threads, model_source=args.model_source,
        level=args.level, overrides=parse_overrides(args.overrides), exercises_dirs=tuple(args.exercises_dir),
    )
    return BatchConfig(
        inputs=tuple(args.inputs), out_dir=Path(args.out), exercise=args.exercise, workers=args.workers,
        ray=args.ray, force=args.force, retry_failed=args.retry_failed, parquet=args.parquet,
        save_video=args.save_video, db=args.db, options=options,
    )


def analyze(args) -> int:
    report = run_batch(config_from_args(args), choose_progress())
    print(describe(report))
    for video, error in report.failures[:SHOWN_FAILURES]:
        print(f"fitness: error: {printable(video)}: {error}", file=sys.stderr)
    if len(report.failures) > SHOWN_FAILURES:
        print(f"fitness: error: ... and {len(report.failures) - SHOWN_FAILURES} more failed videos "
              "(see summary.csv)", file=sys.stderr)
    if report.stopped_by:
        print(f"fitness: note: stopped by {report.stopped_by}; every finished video is in {report.results}; "
              "run the same command again to go on", file=sys.stderr)
        return STOPPED_EXIT.get(report.stopped_by, 130)
    return 1 if report.failures else 0


def describe(report: BatchReport) -> str:
    fps = report.frames / report.seconds if report.seconds > 0 else 0.0
    skipped = f", {report.skipped} already done" if report.skipped else ""
    failed = f", {len(report.failures)} failed" if report.failures else ""
    tables = ", ".join(printable(str(p)) for p in (report.results, *report.tables))
    return (f"Analysed {report.analysed} of {report.total} videos{skipped}{failed} in {report.seconds:.1f} s "
            f"({fps:.0f} frames/s). Results: {tables}")
