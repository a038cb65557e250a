"""The stages of one session as the loop sees them (small Protocols and `Stages`), and the wiring that builds
the real ones for a `SessionConfig`: the exercise, the MoveNet estimator, the smoother, the engine, the
recorder with its history store, and the frame source."""

from __future__ import annotations

import dataclasses
import functools
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from fitness.capture import Frame, FrameSource, FrameTransform, VideoSource
from fitness.capture.camera_spec import FILE
from fitness.capture.orientation import detect_turn, sample_every_s
from fitness.exercise import ExerciseMachine, load_exercise
from fitness.exercise.events import MachineStep
from fitness.pose.estimator import PoseEstimator
from fitness.pose.estimator import create_estimator as create_pose_estimator
from fitness.pose.types import Pose
from fitness.run.config import SessionConfig
from fitness.session.recorder import SessionRecorder
from fitness.session.summary import WorkoutSummary
from fitness.smoothing.offline import smooth_offline
from fitness.smoothing.registry import OFFLINE, create_smoother
from fitness.smoothing.smoother import Smoother
from fitness.workout.library import is_auto

# What only some sessions need is imported where they begin: the history store (sqlite3) unless --no-history,
# the workout engine and its classifier for `auto` and plans, the people's engines for --people, the sources other
# than a video file.
if TYPE_CHECKING:
    from fitness.run.people import People
    from fitness.session.store import HistoryStore


class ExerciseDefinition(Protocol):
    name: str
    title: str
    params: Mapping[str, float]
    rep_signal: str | None
    posture: str | None
    is_hold: bool
    keep_score: float | None

    def angle_joints(self, side: str) -> Mapping[str, tuple[int, int, int]]: ...


class Machine(Protocol):
    def update(self, pose: Pose | None, t: float) -> MachineStep: ...

    def finish(self, t: float) -> MachineStep: ...


class Recorder(Protocol):
    def update(self, step: MachineStep) -> Any: ...

    def finish(self, *, frames: int, duration_s: float, fps: float, interrupted: bool) -> WorkoutSummary: ...


@dataclass
class Stages:
    """The stages of one session. `create_stages` builds the real ones; tests hand in stand-ins.

    estimator: stamps each pose with its frame's time (`Frame.t`), the one clock of the session.
    smoother: the per-frame smoother (a pass-through in offline mode).
    smooth_offline: list[Pose | None] -> list[Pose | None], zero-lag; needed only for offline smoothing.
    closers: called once at the end (e.g. the history store's close).
    fresh_engine: () -> (machine, recorder): a new pair like `machine` and `recorder`, without history, which
        lets offline smoothing draw the saved video in its first pass (`fitness.run.draw_ahead`); None: the
        video is drawn in the second pass.
    A recorder with a history `store` also gets `save_thumbnail(rep_index, jpeg)`: a key frame of each rep.
    """

    definition: ExerciseDefinition
    estimator: PoseEstimator
    smoother: Smoother
    machine: Machine
    recorder: Recorder
    smooth_offline: Callable[[list[Pose | None]], list[Pose | None]] | None = None
    closers: Sequence[Callable[[], Any]] = ()
    fresh_engine: Callable[[], tuple[Machine, Recorder]] | None = None


def load_definition(config: SessionConfig) -> ExerciseDefinition:
    """The exercise (raises the engine's error, with the known names, for an unknown one); for `auto` (no exercise
    named), the workout of every exercise of the library, recognised as they come."""
    if config.plan is not None:
        from fitness.plan.machine import load_plan_workout

        return load_plan_workout(config.plan, config.exercises_dirs)
    if is_auto(config.exercise):
        from fitness.workout.library import load_workout

        return load_workout(config.exercises_dirs, config.level, dict(config.overrides))
    return load_exercise(
        config.exercise, extra_dirs=tuple(config.exercises_dirs), level=config.level, overrides=dict(config.overrides)
    )


def create_estimator(config: SessionConfig) -> PoseEstimator:
    # progress: a model that has to be fetched first says why and shows each step on stderr.
    return create_pose_estimator(model=config.model, backend=config.backend, threads=config.threads,
                                 source=config.model_source, person=config.person, progress=True,
                                 people=config.counts_people)


def frame_smoother(config: SessionConfig, definition: ExerciseDefinition) -> tuple[Smoother, dict[str, float]]:
    """The per-frame smoother `config` asks for, and the keypoint-keeping options it and the offline smoother
    share (paired sides: down to the definition's keep_score). Offline mode smooths the whole recording at
    once; the per-frame smoother then passes poses through."""
    mode = config.smoothing_mode
    keep = {} if definition.keep_score is None else {"min_score": definition.keep_score}
    return (create_smoother("none") if mode in (OFFLINE, "none") else create_smoother(mode, **keep)), keep


def create_stages(
    config: SessionConfig, definition: ExerciseDefinition, source_label: str, estimator: PoseEstimator | None = None
) -> Stages:
    """The real stages for `config` (model loading happens here unless `estimator` is given, so it can take
    a few seconds)."""
    smoother, keep = frame_smoother(config, definition)
    machine = make_machine(config, definition)
    estimator = estimator or create_estimator(config)
    store = None if config.no_history else _open_store(config.db)
    plan_result = getattr(machine, "plan_result", None)
    if plan_result is not None:
        kind, plan_name = "plan", definition.plan.name
    else:
        kind, plan_name = ("auto" if is_workout(definition) else "single"), None

    def new_recorder(store: HistoryStore | None) -> SessionRecorder:
        return SessionRecorder(
            exercise=definition.name,
            title=definition.title,
            source=source_label,
            model=estimator.name,
            params=definition.params,
            store=store,
            set_pause_s=config.set_pause,
            signal=definition.rep_signal or "",
            hold=definition.is_hold,
            kind=kind,
            plan_name=plan_name,
            plan_of=plan_result,
        )

    def fresh_engine() -> tuple[Machine, SessionRecorder]:  # plan_of unused: a plan run's count is not adopted
        return make_machine(config, definition), new_recorder(None)

    try:
        recorder = new_recorder(store)
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
        smooth_offline=functools.partial(smooth_offline, **keep),
        closers=(store.close,) if store is not None else (),
        fresh_engine=fresh_engine,
    )


def create_people(config: SessionConfig, stages: Stages) -> People | None:
    """`--people`: one engine per person, each built as the followed person's (None without --people)."""
    if not config.counts_people:
        return None
    from fitness.run.people import People, make_engine_factory

    factory = make_engine_factory(
        stages.definition, lambda: frame_smoother(config, stages.definition)[0],
        source=str(getattr(stages.recorder, "source", "")), model=stages.estimator.name,
        set_pause_s=config.set_pause, make_machine=lambda: make_machine(config, stages.definition),
    )
    tracker = getattr(stages.estimator, "tracker", None)  # what it finds after the fact goes to past frames
    return People(factory, limit=config.people_limit, names=config.names, relabels=getattr(tracker, "relabels", None),
                  backfills=getattr(tracker, "backfills", None))


def make_machine(config: SessionConfig, definition: ExerciseDefinition) -> Machine:
    """The engine: one exercise's machine, or for a workout the machine that recognises its exercises."""
    plan = getattr(definition, "plan", None)
    if plan is not None:
        from fitness.plan.machine import PlanMachine
        from fitness.workout.classifier import load_classifier

        return PlanMachine(definition, load_classifier(), set_pause_s=config.set_pause)
    if is_workout(definition):
        from fitness.workout.classifier import load_classifier
        from fitness.workout.engine import WorkoutMachine

        return WorkoutMachine(definition, load_classifier())
    return ExerciseMachine(definition)


def is_workout(definition: ExerciseDefinition) -> bool:
    """Whether `definition` is a workout's (a `WorkoutDefinition`), asked without loading the workout engine for a
    single exercise: no WorkoutDefinition exists before its module is loaded."""
    engine = sys.modules.get("fitness.workout.engine")
    return engine is not None and isinstance(definition, engine.WorkoutDefinition)


def _open_store(db: str | None) -> HistoryStore:
    from fitness.session.store import HistoryStore

    return HistoryStore.open(db)


def open_source(config: SessionConfig, every_s: float | None = None) -> FrameSource:
    """The source `config` names. every_s: a video delivers only a frame per about that many seconds (a sample)."""
    transform = FrameTransform(config.mirror, config.rotate)
    if config.source == "camera":
        from fitness.capture import CameraSource, ReplayCamera

        spec = config.camera_spec
        return ReplayCamera(spec.target, transform) if spec.kind == FILE else CameraSource(spec.opens, transform)
    if config.source == "video":  # the whole frames are kept only for the saved video
        source = VideoSource(config.path, transform, keep_full=bool(config.save_video) and not every_s,
                             every_s=every_s)
    else:
        from fitness.capture import ImageFolderSource

        source = ImageFolderSource(config.path, transform)
    if not config.realtime:
        return source
    from fitness.capture.realtime import RealtimeSource

    return RealtimeSource(source)


def detect_sideways(config: SessionConfig, definition: ExerciseDefinition, estimator: PoseEstimator) -> int:
    """The clockwise turn that stands a sideways recording upright, or 0 (see fitness.capture.orientation)."""
    if not (
        config.auto_rotate and config.source != "camera" and config.rotate == 0 and definition.posture == "standing"
    ):
        return 0
    as_is = dataclasses.replace(config, rotate=0, realtime=False)  # a few frames are sampled: no pacing

    def estimate(frame: Frame) -> Pose | None:
        estimator.reset()  # each sampled frame on its own, without the crop tracked from the previous one
        return estimator.estimate(frame)

    try:
        return detect_turn(lambda: open_source(as_is, every_s=sample_every_s()), estimate)
    finally:
        estimator.reset()
