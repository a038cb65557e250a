"""Wires the stages of one session: source -> estimator -> smoother -> machine -> recorder -> overlay and UIs.

The only module that knows every stage. The real stages are imported lazily in the `create_*` factories
below (the wiring points); the loop itself only speaks the small Protocols, so tests run it with stand-ins.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import math
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from fitness.capture import CameraSource, FrameSource, FrameTransform, ImageFolderSource, VideoSource
from fitness.capture.camera import check_camera_index
from fitness.capture.frame import Frame
from fitness.capture.orientation import detect_turn, turned_note
from fitness.capture.source import COMPLETE
from fitness.errors import FitnessError, SourceError, UsageError
from fitness.exercise.events import MachineStep, RepEvent, Signals
from fitness.feedback.pass_progress import PassProgress
from fitness.feedback.snapshot import Snapshot
from fitness.pose.tracking import select_person
from fitness.pose.types import Keypoint, Pose
from fitness.session.export import write_json
from fitness.session.summary import WorkoutSummary

SOURCE_KINDS = ("camera", "video", "images")
SMOOTHING_MODES = ("live", "oneeuro", "fixedlag", "offline", "none")
# Latency and fps shown to the user are smoothed over roughly this many frames, so the numbers can be read.
METER_FRAMES = 15


# --- configuration ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionConfig:
    """Everything `fitness run` was asked to do.

    source: "camera" (uses camera_index), "video" or "images" (use path).
    smoothing: "live" (the camera default, now One Euro), "oneeuro" (One Euro, ~25 ms lag), "fixedlag"
        (steadier, fixed 67 ms lag), "offline" (zero-lag, files only: poses first, then the engine),
        "none"; None picks live for cameras and offline for files.
    overrides: exercise parameter -> value (`--set depth_deg=90`).
    auto_rotate: turn a sideways recording of an exercise done standing upright (when --rotate is not given).
    """

    exercise: str
    source: str = "video"
    path: str | None = None
    camera_index: int = 0
    model: str = "lightning"
    backend: str = "litert"
    threads: int = 2
    model_source: str = "auto"
    smoothing: str | None = None
    window: bool = True
    save_video: str | None = None
    json_path: str | None = None
    db: str | None = None
    no_history: bool = False
    level: str | None = None
    overrides: Mapping[str, float] = field(default_factory=dict)
    mirror: bool = False
    rotate: int = 0
    auto_rotate: bool = False
    person: str = "largest"
    set_pause_s: float = 20.0
    exercises_dirs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.source not in SOURCE_KINDS:
            raise UsageError(f"source must be one of {', '.join(SOURCE_KINDS)}, got {self.source!r}")
        if self.source != "camera" and not self.path:
            raise UsageError(f"a {self.source} source needs a path")
        if self.smoothing is not None and self.smoothing not in SMOOTHING_MODES:
            raise UsageError(f"smoothing must be one of {', '.join(SMOOTHING_MODES)}, got {self.smoothing!r}")
        if self.source == "camera" and self.smoothing == "offline":
            raise UsageError("offline smoothing needs the whole recording first; use --smoothing live with a camera")
        if not self.set_pause_s > 0:
            raise UsageError(f"--set-pause-s must be > 0 seconds, got {self.set_pause_s}")
        if self.threads < 1:
            raise UsageError(f"--threads must be >= 1, got {self.threads}")
        FrameTransform(self.mirror, self.rotate)  # validates the rotation
        if self.source == "camera":
            check_camera_index(self.camera_index)

    @property
    def smoothing_mode(self) -> str:
        if self.smoothing is not None:
            return self.smoothing
        return "live" if self.source == "camera" else "offline"

    @property
    def multi_person(self) -> bool:
        return self.model == "multipose"


# --- the stages, as the loop sees them ----------------------------------------------------------------


class ExerciseDefinition(Protocol):
    name: str
    title: str
    params: Mapping[str, float]
    rep_signal: str | None
    posture: str | None

    def angle_joints(self, side: str) -> Mapping[str, tuple[int, int, int]]: ...


class Estimator(Protocol):
    name: str

    def estimate(self, frame: Frame) -> Pose | None: ...

    def estimate_all(self, frame: Frame) -> list[Pose]: ...

    def reset(self) -> None: ...


class Smoother(Protocol):
    def apply(self, pose: Pose) -> Pose: ...

    def reset(self) -> None: ...


class Machine(Protocol):
    def update(self, pose: Pose | None, t: float) -> MachineStep: ...

    def finish(self, t: float) -> MachineStep: ...


class Recorder(Protocol):
    def update(self, step: MachineStep) -> Any: ...

    def finish(self, *, frames: int, duration_s: float, fps: float, interrupted: bool) -> WorkoutSummary: ...


class SessionUI(Protocol):
    def start(self) -> None: ...

    def update(self, snapshot: Snapshot) -> None: ...

    def stop(self) -> None: ...


@dataclass
class Stages:
    """The stages of one session. `create_stages` builds the real ones; tests hand in stand-ins.

    smooth_offline: list[Pose | None] -> list[Pose | None], zero-lag; needed only for offline smoothing.
    closers: called once at the end (e.g. the history store's close).
    """

    definition: ExerciseDefinition
    estimator: Estimator
    smoother: Smoother
    machine: Machine
    recorder: Recorder
    smooth_offline: Callable[[list[Pose | None]], list[Pose | None]] | None = None
    closers: Sequence[Callable[[], Any]] = ()


# --- wiring points: the real stages, imported lazily -------------------------------------------------


def _stage(module: str, name: str, stage: str):
    """`module.name`, or one clear error when that stage is not part of this build."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise FitnessError(
            f"the {stage} is not available in this build (cannot import {module}.{name}: {exc})"
        ) from exc


def load_definition(config: SessionConfig) -> ExerciseDefinition:
    """The exercise (raises the engine's error, with the known names, for an unknown one)."""
    load_exercise = _stage("fitness.exercise", "load_exercise", "exercise engine")
    return load_exercise(
        config.exercise, extra_dirs=tuple(config.exercises_dirs), level=config.level, overrides=dict(config.overrides)
    )


def create_estimator(config: SessionConfig) -> Estimator:
    create = _stage("fitness.pose.estimator", "create_estimator", "MoveNet estimator")
    # progress: a model that has to be fetched first says why and shows each step on stderr.
    return create(model=config.model, backend=config.backend, threads=config.threads, source=config.model_source,
                  person=config.person, progress=True)


def create_stages(
    config: SessionConfig, definition: ExerciseDefinition, source_label: str, estimator: Estimator | None = None
) -> Stages:
    """The real stages for `config` (model loading happens here unless `estimator` is given, so it can take
    a few seconds)."""
    create_smoother = _stage("fitness.smoothing", "create_smoother", "smoothing stage")
    smooth_offline = _stage("fitness.smoothing", "smooth_offline", "smoothing stage")
    machine_class = _stage("fitness.exercise", "ExerciseMachine", "exercise engine")
    recorder_class = _stage("fitness.session.recorder", "SessionRecorder", "session recorder")
    store_class = _stage("fitness.session.store", "HistoryStore", "history store")
    mode = config.smoothing_mode
    # Offline mode smooths the whole recording at once; the per-frame smoother then passes poses through.
    smoother = create_smoother("none" if mode == "offline" else mode)
    machine = machine_class(definition)
    estimator = estimator or create_estimator(config)
    store = None if config.no_history else store_class.open(config.db)
    try:
        recorder = recorder_class(
            exercise=definition.name,
            title=definition.title,
            source=source_label,
            model=estimator.name,
            params=definition.params,
            store=store,
            set_pause_s=config.set_pause_s,
            signal=definition.rep_signal or "",
            hold=definition.is_hold,
        )
    except BaseException:
        if store is not None:
            store.close()
        raise
    return Stages(
        definition=definition,
        estimator=estimator,
        smoother=smoother,
        machine=machine,
        recorder=recorder,
        smooth_offline=smooth_offline,
        closers=(store.close,) if store is not None else (),
    )


def check_session_outputs(config: SessionConfig) -> None:
    """UsageError before anything loads when `--json` or `--save-video` cannot be written, or would overwrite
    an input, the history or a model (see fitness.session.outputs)."""
    if not (config.json_path or config.save_video):
        return
    from fitness.session.outputs import check_outputs, session_inputs

    inputs = session_inputs(source=config.source, input_path=config.path, exercise=config.exercise, model=config.model,
                            db=config.db)
    check_outputs({"--json": config.json_path, "--save-video": config.save_video}, inputs)


def open_source(config: SessionConfig) -> FrameSource:
    transform = FrameTransform(config.mirror, config.rotate)
    if config.source == "camera":
        return CameraSource(config.camera_index, transform)
    if config.source == "video":
        return VideoSource(config.path, transform)
    return ImageFolderSource(config.path, transform)


def detect_sideways(config: SessionConfig, definition: ExerciseDefinition, estimator: Estimator) -> int:
    """The clockwise turn that stands a sideways recording upright, or 0 (see fitness.capture.orientation)."""
    if not (
        config.auto_rotate and config.source != "camera" and config.rotate == 0 and definition.posture == "standing"
    ):
        return 0
    as_is = dataclasses.replace(config, rotate=0)

    def estimate(frame: Frame) -> Pose | None:
        estimator.reset()  # each sampled frame on its own, without the crop tracked from the previous one
        return estimator.estimate(frame)

    try:
        return detect_turn(lambda: open_source(as_is), estimate)
    finally:
        estimator.reset()


# --- helpers ------------------------------------------------------------------------------------------

_SIDE_POINTS = {
    "left": [
        Keypoint.LEFT_SHOULDER,
        Keypoint.LEFT_ELBOW,
        Keypoint.LEFT_WRIST,
        Keypoint.LEFT_HIP,
        Keypoint.LEFT_KNEE,
        Keypoint.LEFT_ANKLE,
    ],
    "right": [
        Keypoint.RIGHT_SHOULDER,
        Keypoint.RIGHT_ELBOW,
        Keypoint.RIGHT_WRIST,
        Keypoint.RIGHT_HIP,
        Keypoint.RIGHT_KNEE,
        Keypoint.RIGHT_ANKLE,
    ],
}
# The drawn side changes only when the other side is clearly better seen, so the arcs do not flicker.
SIDE_MARGIN = 0.1


def camera_side(pose: Pose, previous: str = "left") -> str:
    """The body side facing the camera (better keypoint scores), for drawing the angle arcs."""
    left, right = (float(np.nanmean(pose.score[[int(k) for k in pts]])) for pts in _SIDE_POINTS.values())
    if left > right + SIDE_MARGIN:
        return "left"
    if right > left + SIDE_MARGIN:
        return "right"
    return previous


def choose_person(
    poses: Sequence[Pose], person: str, frame_size: tuple[int, int], previous: Pose | None = None
) -> Pose | None:
    """The pose to follow among several: the same track as before while it is still there (so a second
    person walking by does not steal the session), else `select_person`'s choice by `person`:
    "largest", "center" or a track id number."""
    if not person.isdigit() and previous is not None and previous.track_id is not None:
        same = next((p for p in poses if p.track_id == previous.track_id), None)
        if same is not None:
            return same
    return select_person(poses, person, frame_size)


class _Meter:
    """Exponential moving averages of per-stage milliseconds and of the frame rate."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.latency_ms: dict[str, float] = {}
        self._dt: float | None = None
        self._last: float | None = None

    def add(self, stage: str, seconds: float) -> None:
        ms = seconds * 1000.0
        old = self.latency_ms.get(stage)
        self.latency_ms[stage] = ms if old is None else old + (ms - old) / METER_FRAMES

    def tick(self) -> None:
        now = self.clock()
        if self._last is not None:
            dt = now - self._last
            self._dt = dt if self._dt is None else self._dt + (dt - self._dt) / METER_FRAMES
        self._last = now

    @property
    def fps(self) -> float:
        return 1.0 / self._dt if self._dt else float("nan")


# The signals that end a session cleanly, and how notes name them: Ctrl-C, and what kill, systemd and Docker send.
STOP_SIGNALS = {"SIGINT": "Ctrl-C", "SIGTERM": "SIGTERM"}


@contextlib.contextmanager
def first_signal_stops(on_stop: Callable[[str], None]) -> Iterator[None]:
    """While active, the first Ctrl-C or SIGTERM calls `on_stop(name)` with "Ctrl-C" or "SIGTERM" (the session
    ends after the current frame and saves); then the usual handlers are back, so a second Ctrl-C raises
    KeyboardInterrupt and a second SIGTERM terminates. Only the main thread can own signal handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = {getattr(signal, sig): name for sig, name in STOP_SIGNALS.items() if hasattr(signal, sig)}
    previous = {signum: signal.getsignal(signum) for signum in names}

    def restore() -> None:
        for signum, old in previous.items():
            signal.signal(signum, signal.SIG_DFL if old is None else old)

    def handler(signum, frame) -> None:
        restore()
        on_stop(names[signum])

    for signum in names:
        signal.signal(signum, handler)
    try:
        yield
    finally:
        restore()


# --- the session loop ---------------------------------------------------------------------------------

ENDED_NORMALLY = "complete"
ENDED_BY_USER = "quit"  # q / Esc in the window
ENDED_BY_INTERRUPT = "interrupted"  # Ctrl-C or SIGTERM
ENDED_BY_ERROR = "error"  # the source broke mid-way (the session is saved, then the error raised)


@dataclass(frozen=True)
class SessionResult:
    """summary: what was recorded. frames / frames_with_person: processed frames and those with a pose.
    ended: "complete", "quit", "interrupted" or the source's reason ("truncated", "lost").
    notes: one-line messages for the user about how the session went.
    raw_poses: the model's poses, one per processed frame (only when asked for).
    no_person: the message when no person was followed in any frame (also among the notes), else None.
    write_error: why the JSON or the annotated video could not be written at the end (the rest is saved)."""

    summary: WorkoutSummary
    frames: int
    frames_with_person: int
    ended: str
    notes: tuple[str, ...] = ()
    raw_poses: tuple[Pose | None, ...] | None = None
    no_person: str | None = None
    write_error: FitnessError | None = None


class Session:
    """One pass of the pipeline over a source. `run()` always finishes the machine and the recorder,
    whether the source ran out, the user quit, Ctrl-C or SIGTERM came or the camera was lost."""

    def __init__(
        self,
        config: SessionConfig,
        stages: Stages,
        source_factory: Callable[[], FrameSource],
        *,
        ui: SessionUI | None = None,
        window=None,
        writer=None,
        keep_raw_poses: bool = False,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        from fitness.feedback.dashboard import NullUI

        self.config = config
        self.stages = stages
        self.source_factory = source_factory
        self.ui = ui or NullUI()
        self.window = window
        self.writer = writer
        self.keep_raw_poses = keep_raw_poses
        self.meter = _Meter(clock)
        self.clock = clock
        definition = stages.definition
        self._main_signal = definition.rep_signal or ""
        self._joints_by_side: dict[str, Mapping[str, tuple[int, int, int]]] = {}
        self._side = "left"
        self._stop_requested = False
        self._ended = ENDED_NORMALLY
        self._frames = 0
        self._with_person = 0
        self._crowded_frames = 0
        self._ids_seen: set[int] = set()
        self._stopped_by = "Ctrl-C"
        self._first_t: float | None = None
        self._last_t = 0.0
        self._last_rep: RepEvent | None = None
        self._followed: Pose | None = None
        self._raw: list[Pose | None] = []
        self._source_fps = float("nan")
        self._source_notes: list[str] = []
        self._source_error: SourceError | None = None

    def request_stop(self, by: str = "Ctrl-C") -> None:
        """Ends the session after the current frame (Ctrl-C and SIGTERM handler, tests); `by` names the cause."""
        self._stop_requested = True
        self._stopped_by = by
        self._ended = ENDED_BY_INTERRUPT

    # -- per frame --

    def _estimate(self, frame: Frame) -> tuple[Pose | None, int]:
        """The pose to follow in this frame (stamped with the frame's time) and how many people were found."""
        est = self.stages.estimator
        if not self.config.multi_person:
            pose = est.estimate(frame)
            people = int(pose is not None)
        else:
            poses = est.estimate_all(frame)
            self._ids_seen.update(p.track_id for p in poses if p.track_id is not None)
            pose = self._followed = choose_person(poses, self.config.person, frame.size, self._followed)
            people = len(poses)
        if pose is not None and pose.t != frame.t:
            pose = pose.replace(t=frame.t)  # the smoother and the engine run on the source's clock
        return pose, people

    def _angle_joints(self, pose: Pose | None, step_side: str | None) -> Mapping[str, tuple[int, int, int]]:
        # Draw the side the engine measures; before it has chosen one, the better-seen side.
        if step_side is not None:
            self._side = step_side
        elif pose is not None:
            self._side = camera_side(pose, self._side)
        if self._side not in self._joints_by_side:
            self._joints_by_side[self._side] = dict(self.stages.definition.angle_joints(self._side))
        return self._joints_by_side[self._side]

    def _advance(self, t: float, pose: Pose | None, people: int, image: np.ndarray | None) -> None:
        """Smoother -> machine -> recorder -> snapshot -> overlay, window, video file, UI."""
        clock, meter, stages = self.clock, self.meter, self.stages
        self._frames += 1
        self._with_person += int(pose is not None)
        self._first_t = t if self._first_t is None else self._first_t
        self._last_t = t
        t0 = clock()
        smoothed = stages.smoother.apply(pose) if pose is not None else None
        t1 = clock()
        step = stages.machine.update(smoothed, t)
        stages.recorder.update(step)
        t2 = clock()
        meter.add("smooth", t1 - t0)
        meter.add("engine", t2 - t1)
        if step.new_reps:
            self._last_rep = step.new_reps[-1]
        notice = None
        if people > 1:
            self._crowded_frames += 1
            doing = "following" if pose is not None else "not seeing"
            notice = f"{people} people in view: {doing} the {self._person_words()}"
        snapshot = Snapshot(
            exercise=stages.definition.name,
            title=stages.definition.title,
            step=step,
            pose=smoothed,
            main_signal=self._main_signal,
            angle_joints=self._angle_joints(smoothed, step.side),
            set_index=int(getattr(stages.recorder, "set_index", 1) or 1),
            last_rep=self._last_rep,
            fps=meter.fps,
            latency_ms=dict(meter.latency_ms),
            notice=notice,
        )
        if image is not None and (self.window is not None or self.writer is not None):
            from fitness.feedback.overlay import draw_overlay

            annotated = draw_overlay(image, snapshot)
            if self.writer is not None:
                self.writer.write(annotated)
            if self.window is not None:
                self._show(annotated)
            meter.add("draw", clock() - t2)
        t3 = clock()
        self.ui.update(snapshot)
        meter.add("ui", clock() - t3)

    def _show(self, image: np.ndarray, snapshot: Snapshot | None = None) -> None:
        """Shows the frame (annotated with `snapshot` when given); q / Esc ends the session."""
        if snapshot is not None:
            from fitness.feedback.overlay import draw_overlay

            image = draw_overlay(image, snapshot)
        if not self.window.show(image):
            self._stop_requested = True
            self._ended = ENDED_BY_USER

    def _person_words(self) -> str:
        person = self.config.person
        return f"person with id {person}" if person.isdigit() else f"{person} one"

    def _frames_of(self, source: FrameSource) -> Iterator[Frame]:
        """The source's frames, timing the wait for each (decode, or camera delivery)."""
        it = iter(source)
        while not self._stop_requested:
            t0 = self.clock()
            try:
                frame = next(it)
            except StopIteration:
                return
            except SourceError as exc:
                # A file that breaks mid-way: keep what was read, finish and save, then report (see run()).
                self._source_error = self._source_error or exc
                if self._ended == ENDED_NORMALLY:
                    self._ended = ENDED_BY_ERROR
                return
            self.meter.add("decode", self.clock() - t0)
            self.meter.tick()
            yield frame

    def _note_source_end(self, source: FrameSource) -> None:
        self._source_fps = source.fps
        reason = getattr(source, "end_reason", None)
        if reason not in (None, COMPLETE, "closed") and self._ended == ENDED_NORMALLY:
            self._ended = reason
            detail = getattr(source, "end_detail", "")
            if detail:
                self._source_notes.append(detail)

    # -- passes --

    def _live_pass(self) -> None:
        with self.source_factory() as source:
            self._source_fps = source.fps
            for frame in self._frames_of(source):
                t0 = self.clock()
                pose, people = self._estimate(frame)
                self.meter.add("pose", self.clock() - t0)
                if self.keep_raw_poses:
                    self._raw.append(pose)
                self._advance(frame.t, pose, people, frame.image)
            self._note_source_end(source)

    def _offline_passes(self) -> None:
        """Poses for the whole recording first, then zero-lag smoothing, then the engine over them."""
        if self.stages.smooth_offline is None:
            raise FitnessError("offline smoothing was asked for but no offline smoother is wired in")
        times: list[float] = []
        people: list[int] = []
        drawing = self.window is not None or self.writer is not None
        with self.source_factory() as source:
            self._source_fps = source.fps
            total, started = getattr(source, "frame_count", None), self.clock()
            for frame in self._frames_of(source):
                t0 = self.clock()
                pose, n = self._estimate(frame)
                self.meter.add("pose", self.clock() - t0)
                self._raw.append(pose)
                times.append(frame.t)
                people.append(n)
                progress = PassProgress(len(times), total, self.clock() - started)
                snapshot = self._analysing_snapshot(frame.t, pose, progress)
                if self.window is not None:
                    self._show(frame.image, snapshot)
                self.ui.update(snapshot)
            self._note_source_end(source)
        smoothed = self.stages.smooth_offline(list(self._raw))
        # A stop during the first pass still counts what was seen so far, in the second pass.
        stopped, self._stop_requested = self._stop_requested, False
        if self._ended == ENDED_BY_USER and self.window is not None:
            self.window.close()  # the user closed it; the second pass does not reopen it
            self.window = None
            drawing = self.writer is not None
        if drawing:
            with self.source_factory() as source:
                for frame, pose, n in zip(self._frames_of(source), smoothed, people):
                    self._advance(frame.t, pose, n, frame.image)
        else:
            for t, pose, n in zip(times, smoothed, people):
                if self._stop_requested:
                    break
                self._advance(t, pose, n, None)
        self._stop_requested = self._stop_requested or stopped

    def _analysing_snapshot(self, t: float, pose: Pose | None, progress: PassProgress) -> Snapshot:
        step = MachineStep(t=t, signals=Signals(t, {}, pose is not None), phase=None, reps=0, no_reps=0,
                           guidance=progress.describe())
        return Snapshot(exercise=self.stages.definition.name, title=self.stages.definition.title, step=step,
                        pose=pose, fps=self.meter.fps, latency_ms=dict(self.meter.latency_ms), pass_progress=progress)

    # -- the whole session --

    def run(self) -> SessionResult:
        interrupted_hard = False
        self.ui.start()
        try:
            with first_signal_stops(self.request_stop):
                try:
                    if self.config.smoothing_mode == "offline":
                        self._offline_passes()
                    else:
                        self._live_pass()
                except KeyboardInterrupt:
                    # Ctrl-C outside the handler (not the main thread, or raised by a stage): end cleanly too.
                    interrupted_hard = True
                    self._ended = ENDED_BY_INTERRUPT
            result = self._finish(interrupted_hard)
            if self._source_error is not None:
                raise self._source_error  # after saving: the reps read before the damage are kept
            return result
        finally:
            self.ui.stop()
            for close in (
                getattr(self.window, "close", None),
                getattr(self.writer, "close", None),
                *self.stages.closers,
            ):
                if close is not None:
                    close()

    def _finish(self, interrupted_hard: bool) -> SessionResult:
        stages = self.stages
        step = stages.machine.finish(self._last_t)
        stages.recorder.update(step)
        if step.new_reps:
            self._last_rep = step.new_reps[-1]
        n = self._frames
        span = self._last_t - (self._first_t if self._first_t is not None else self._last_t)
        # From the frames' own times: right for videos (= n / fps) and for cameras that dropped frames.
        if n >= 2 and span > 0:
            fps, duration_s = (n - 1) / span, span * n / (n - 1)
            nominal = self._source_fps
            if math.isfinite(nominal) and abs(fps - nominal) <= 0.01 * nominal:
                fps, duration_s = nominal, n / nominal  # the container's exact rate, not a rounding of it
        else:
            fps = self._source_fps
            duration_s = n / fps if math.isfinite(fps) and fps > 0 else 0.0
        interrupted = interrupted_hard or self._ended not in (ENDED_NORMALLY, ENDED_BY_USER)
        summary = stages.recorder.finish(
            frames=n, duration_s=float(duration_s), fps=float(fps), interrupted=interrupted
        )
        write_error = None
        try:
            if self.config.json_path:
                write_json(summary, self.config.json_path)
        except FitnessError as exc:
            write_error = exc
        try:
            if self.writer is not None:
                self.writer.close()  # renames the finished video into place
        except FitnessError as exc:
            write_error = write_error or exc
        return SessionResult(
            summary=summary,
            frames=n,
            frames_with_person=self._with_person,
            ended=self._ended,
            notes=tuple(self._notes(summary)),
            raw_poses=tuple(self._raw) if self.keep_raw_poses else None,
            no_person=self._no_person_message(),
            write_error=write_error,
        )

    def _notes(self, summary: WorkoutSummary) -> list[str]:
        notes = list(self._source_notes)
        if self._ended == ENDED_BY_INTERRUPT:
            stopped = f"stopped by {self._stopped_by} after {self._frames} frames"
            notes.append(f"{stopped}; the {summary.reps} reps so far are saved")
        nobody = self._no_person_message()
        if nobody:
            notes.append(nobody)
        if self._crowded_frames and nobody is None:
            notes.append(
                f"more than one person was in view in {self._crowded_frames} frames; "
                f"followed the {self._person_words()}"
            )
        return notes

    def _no_person_message(self) -> str | None:
        """Why no person was followed in any frame (None when one was): nobody detected, or never the asked-for id."""
        if not self._frames or self._with_person:
            return None
        person = self.config.person
        if person.isdigit() and self._ids_seen:
            seen = ", ".join(str(i) for i in sorted(self._ids_seen))
            return (f"no person with id {person} was seen in any of the {self._frames} frames (ids seen: {seen}); "
                    "pick one of those with --person, or use --person largest")
        return no_person_message(self._frames)


def no_person_message(frames: int) -> str:
    return (
        f"no person was detected in any of the {frames} frames: make sure the whole body is in view and well lit "
        "(or check --rotate for a sideways video)"
    )


# --- entry points ---------------------------------------------------------------------------------------


def run_session_detailed(
    config: SessionConfig,
    ui: SessionUI | None = None,
    *,
    stages: Stages | None = None,
    source_factory: Callable[[], FrameSource] | None = None,
    keep_raw_poses: bool = False,
) -> SessionResult:
    """`fitness run`: opens the window and the source, builds the stages, runs, saves. See `run_session`."""
    from fitness.feedback.recording import AnnotatedVideoWriter
    from fitness.feedback.window import PreviewWindow, WindowUnavailable

    check_session_outputs(config)
    definition = stages.definition if stages is not None else load_definition(config)
    own_source = source_factory is None
    source_factory = source_factory or (lambda: open_source(config))  # reads `config` when called
    # Open the source once up front: a bad camera index or file fails before the model loads.
    probe = source_factory()
    label, fps = probe.label, probe.fps
    window = writer = None
    window_note = None
    try:
        if config.save_video:
            writer = AnnotatedVideoWriter(config.save_video, fps)
            writer.check()
        if config.window:
            try:
                window = PreviewWindow(f"fitness - {definition.title or definition.name}")
            except WindowUnavailable as exc:
                window_note = str(exc)
        if stages is None:
            stages = create_stages(config, definition, label)
        turn = detect_sideways(config, definition, stages.estimator) if own_source else 0
        if turn:
            config = dataclasses.replace(config, rotate=turn)
            probe.close()
            probe = source_factory()
    except BaseException:
        probe.close()
        if window is not None:
            window.close()
        raise
    # The probe is the first pass's source (a camera is not reopened); a second pass opens a new one.
    pending = [probe]

    def factory() -> FrameSource:
        return pending.pop() if pending else source_factory()

    session = Session(config, stages, factory, ui=ui, window=window, writer=writer, keep_raw_poses=keep_raw_poses)
    result = session.run()
    if window_note:
        result = dataclasses.replace(result, notes=(window_note, *result.notes))
    if turn:
        result = dataclasses.replace(result, notes=(turned_note(turn), *result.notes))
    return result


def run_session(
    config: SessionConfig,
    ui: SessionUI | None = None,
    *,
    stages: Stages | None = None,
    source_factory: Callable[[], FrameSource] | None = None,
) -> WorkoutSummary:
    """Runs one session and returns its summary (also written to `config.json_path` and history).

    `stages` and `source_factory` replace the real stages and source (tests, benchmarks).
    """
    result = run_session_detailed(config, ui, stages=stages, source_factory=source_factory)
    if result.write_error is not None:
        raise result.write_error
    return result.summary


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
        estimator = _cached_estimator(config)
        estimator.reset()  # crop tracking and person ids must not carry over from the previous video
        stages = create_stages(config, definition, f"video:{Path(path).name}", estimator=estimator)
    result = run_session_detailed(config, None, stages=stages, keep_raw_poses=True)
    return VideoResult(summary=result.summary, poses=list(result.raw_poses or ()))


# Evaluation runs analyze_video over many clips: the loaded model is kept for the next call.
_ESTIMATOR_CACHE: dict[tuple, Estimator] = {}


def _cached_estimator(config: SessionConfig) -> Estimator:
    key = (config.model, config.backend, config.threads, config.model_source, config.person)
    if key not in _ESTIMATOR_CACHE:
        _ESTIMATOR_CACHE.clear()  # one model in memory at a time
        _ESTIMATOR_CACHE[key] = create_estimator(config)
    return _ESTIMATOR_CACHE[key]
