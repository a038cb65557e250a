"""`fitness run`: one live or recorded session — builds the SessionConfig, picks the UI, prints the summary."""

from __future__ import annotations

import sys

from rich.console import Console

from fitness.errors import UsageError
from fitness.feedback.dashboard import LiveDashboard, PlainProgress
from fitness.feedback.summary_view import SummaryView
from fitness.pipeline import SessionConfig, run_session
from fitness.text import printable


def parse_overrides(items: list[str]) -> dict[str, float]:
    """`--set depth_deg=90` items -> {"depth_deg": 90.0}. Only the form is checked here: the loader checks each
    value against its param's range (`ParamDef`), which also refuses nan and inf."""
    out: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        try:
            if not sep or not name.strip():
                raise ValueError
            out[name.strip()] = float(value)
        except ValueError:
            raise UsageError(f"--set expects NAME=NUMBER (e.g. --set depth_deg=90), got {item!r}") from None
    return out


def config_from_args(args) -> SessionConfig:
    if args.camera is not None:
        source, path = "camera", None
    elif args.video is not None:
        source, path = "video", args.video
    else:
        source, path = "images", args.images
    return SessionConfig(
        exercise=args.exercise,
        source=source,
        path=path,
        camera_index=args.camera if args.camera is not None else 0,
        model=args.model,
        backend=args.backend,
        threads=args.threads,
        model_source=args.model_source,
        smoothing=args.smoothing,
        window=not args.no_window,
        save_video=args.save_video,
        json_path=args.json,
        db=args.db,
        no_history=args.no_history,
        level=args.level,
        overrides=parse_overrides(args.overrides),
        mirror=args.mirror,
        rotate=args.rotate or 0,
        auto_rotate=args.rotate is None,
        person=args.person,
        set_pause_s=args.set_pause_s,
        exercises_dirs=tuple(args.exercises_dir),
    )


def choose_ui(stream=None):
    """The live dashboard on a terminal, plain progress lines otherwise (pipes, logs, CI)."""
    stream = stream or sys.stdout
    if stream.isatty():
        return LiveDashboard(Console(file=stream))
    return PlainProgress(stream)


def run(args) -> int:
    config = config_from_args(args)
    result = run_session(config, choose_ui())
    Console().print(SummaryView(result.summary))
    if result.write_error is None:
        if config.json_path:
            print(f"Summary written to {printable(config.json_path)}")
        if config.save_video and result.frames:
            print(f"Annotated video written to {printable(config.save_video)}")
    for note in result.notes:
        if note != result.no_person:
            print(f"fitness: note: {note}", file=sys.stderr)
    failure = result.failure()  # after the summary and the history record
    if failure is not None:
        raise failure
    return 0
