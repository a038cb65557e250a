"""One session of the pipeline: source -> estimator -> smoother -> machine -> recorder -> overlay and UIs.

`run_session` is what `fitness run` does; `analyze_video` runs it over a video without UI or history, for
evaluation. The parts live in `fitness.run`: the config (`config`), the stages and their wiring (`stages`),
the loop (`session`), how a session ended (`result`), whom it follows (`person`), the drawn side (`side`),
Ctrl-C and SIGTERM (`signals`), the window and video file (`display`) and the speed meter (`meter`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fitness.capture import FrameSource
from fitness.capture.orientation import turned_note
from fitness.feedback.snapshot import SessionUI
from fitness.feedback.window import PreviewWindow, WindowUnavailable
from fitness.pose.estimator import PoseEstimator
from fitness.pose.types import Pose
from fitness.run.config import SessionConfig, check_session_outputs
from fitness.run.display import Display, FrameSink
from fitness.run.person import choose_person, no_person_message
from fitness.run.result import SessionResult
from fitness.run.session import Session
from fitness.run.stages import (
    Stages,
    create_estimator,
    create_people,
    create_stages,
    detect_sideways,
    load_definition,
    open_source,
)
from fitness.session.summary import WorkoutSummary
from fitness.smoothing.registry import SMOOTHING_MODES

if TYPE_CHECKING:
    from fitness.voice.speaker import Voice

__all__ = [
    "SMOOTHING_MODES",
    "SessionConfig",
    "SessionResult",
    "Stages",
    "VideoResult",
    "analyze_video",
    "cached_estimator",
    "choose_person",
    "create_estimator",
    "create_stages",
    "load_definition",
    "no_person_message",
    "run_session",
]


def run_session(
    config: SessionConfig,
    ui: SessionUI | None = None,
    *,
    stages: Stages | None = None,
    source_factory: Callable[[], FrameSource] | None = None,
    keep_raw_poses: bool = False,
    own_signals: bool = True,
    voice: Voice | None = None,
    frame_sink: FrameSink | None = None,
) -> SessionResult:
    """`fitness run`: opens the source, the window and the video file, builds the stages, runs and saves (history
    and `config.json_path`). An output that could not be written at the end is `result.write_error` (the rest
    is saved); a source that broke mid-way raises its SourceError after the session is saved.

    `stages` and `source_factory` replace the real stages and source (tests, benchmarks); keep_raw_poses: the
    model's poses come back in `result.raw_poses`; own_signals False leaves Ctrl-C and SIGTERM to the caller
    (a batch of sessions ends as a whole); voice: speaks the counts and cues (`fitness.voice.speaker`);
    frame_sink: takes the annotated frames while someone watches (the browser's live view, a FrameHub).
    """
    check_session_outputs(config)
    definition = stages.definition if stages is not None else load_definition(config)
    own_source = source_factory is None
    source_factory = source_factory or (lambda: open_source(config))  # reads `config` when called
    # Open the source once up front: a bad camera index or file fails before the model loads.
    first = source_factory()
    label, fps = first.label, first.fps
    display = Display(sink=frame_sink)
    window_note = None
    try:
        if config.save_video:  # drawing (overlay, canvas) and encoding are loaded by the runs that save a video
            from fitness.feedback.background_writer import BackgroundVideoWriter
            from fitness.feedback.recording import AnnotatedVideoWriter

            display.writer = BackgroundVideoWriter(AnnotatedVideoWriter(config.save_video, fps))
            display.writer.check()
        if config.window:
            try:
                display.window = PreviewWindow(f"fitness - {definition.title or definition.name}")
            except WindowUnavailable as exc:
                window_note = str(exc)
        if stages is None:
            stages = create_stages(config, definition, label)
        turn = detect_sideways(config, definition, stages.estimator) if own_source else 0
        if turn:
            config = dataclasses.replace(config, rotate=turn)
            first.close()
            first = source_factory()
    except BaseException:
        first.close()
        display.drop_window()
        raise
    # The first source is the first pass's (a camera is not reopened); a second pass opens a new one.
    pending = [first]

    def factory() -> FrameSource:
        return pending.pop() if pending else source_factory()

    session = Session(config, stages, factory, ui=ui, display=display, keep_raw_poses=keep_raw_poses,
                      own_signals=own_signals, voice=voice, people=create_people(config, stages))
    result = session.run()
    if window_note:
        result = dataclasses.replace(result, notes=(window_note, *result.notes))
    if turn:
        result = dataclasses.replace(result, notes=(turned_note(turn), *result.notes))
    return result


@dataclass(frozen=True)
class VideoResult:
    """summary: the session's summary; poses: the model's raw poses, one per frame (None = nobody found)."""

    summary: WorkoutSummary
    poses: list[Pose | None]


def analyze_video(
    path: str | Path,
    exercise: str,
    model: str = "lightning",
    smoothing: str | None = None,
    *,
    backend: str = "litert",
    threads: int = 2,
    model_source: str = "auto",
    level: str | None = None,
    overrides: Mapping[str, float] | None = None,
    exercises_dirs: Sequence[str] = (),
    person: str = "largest",
    stages: Stages | None = None,
) -> VideoResult:
    """The pipeline over a video without any UI or history, for evaluation (`fitness eval`, benchmarks).

    smoothing None means offline (zero-lag), as `fitness run --video` does.
    """
    config = SessionConfig(
        exercise=exercise, source="video", path=str(path), model=model, backend=backend, threads=threads,
        model_source=model_source, smoothing=smoothing, window=False, no_history=True, level=level,
        overrides=dict(overrides or {}), person=person, exercises_dirs=tuple(exercises_dirs),
    )
    if stages is None:
        definition = load_definition(config)
        estimator = cached_estimator(config)
        estimator.reset()  # crop tracking and person ids must not carry over from the previous video
        stages = create_stages(config, definition, f"video:{Path(path).name}", estimator=estimator)
    result = run_session(config, None, stages=stages, keep_raw_poses=True, own_signals=False)
    return VideoResult(summary=result.summary, poses=list(result.raw_poses or ()))


# Evaluation and batch workers run many clips in one process: the loaded model is kept for the next call.
_ESTIMATOR_CACHE: dict[tuple, PoseEstimator] = {}


def cached_estimator(config: SessionConfig) -> PoseEstimator:
    """The estimator `config` asks for, loaded once per process (the last one asked for is kept)."""
    key = (config.model, config.backend, config.threads, config.model_source, config.person, config.counts_people)
    if key not in _ESTIMATOR_CACHE:
        _ESTIMATOR_CACHE.clear()  # one model in memory at a time
        _ESTIMATOR_CACHE[key] = create_estimator(config)
    return _ESTIMATOR_CACHE[key]
