"""Snapshot: everything a UI shows at one moment, built by the pipeline from the engine's step; SessionUI: what
receives them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from fitness.exercise.events import MachineStep, RepEvent
from fitness.feedback.pass_progress import PassProgress
from fitness.pose.types import Pose

if TYPE_CHECKING:  # a single exercise's run loads neither the plan nor the workout engine
    from fitness.plan.tracker import PlanProgress
    from fitness.workout.engine import WorkoutStatus

# What the UIs say while no pose is found and the engine has no more specific guidance.
NOBODY_MESSAGE = "Nobody in view: step into the frame so your whole body is visible"


@dataclass(frozen=True)
class PersonView:
    """One of several people counted at once (`--people`): track id, their name (or "#id"), counts, pose, phase."""

    track_id: int
    label: str
    reps: int
    no_reps: int = 0
    pose: Pose | None = None
    phase: str | None = None


@dataclass(frozen=True)
class Snapshot:
    """exercise: the definition's name; title its display title.
    step: the engine's latest step (reps, phase, signals, active cues, guidance).
    pose: the smoothed pose drawn by the overlay (None when nobody is detected).
    main_signal: name of the rep signal (for the range-of-motion bar).
    angle_joints: metric name -> (a, b, c) keypoint indices of metrics that are angles (drawn as arcs).
    set_index: current set, 1-based.  last_rep: the newest finished rep.
    fps: processed frames per second; latency_ms: stage name -> milliseconds for the last frame.
    notice: one line for the user that is not a form cue ("Two people in view: following the largest").
    pass_progress: set while poses are still being found in a recording, before counting starts.
    people: with `--people`, everyone counted, left to right (their own counts and poses).
    workout: in a workout whose exercises are recognised, what it is doing (exercise, recognising, rest time);
    None in a session of one named exercise.
    plan: in a workout that follows a plan, where it stands (block, set, target, progress, rest countdown, next).
    """

    exercise: str
    title: str
    step: MachineStep
    pose: Pose | None = None
    main_signal: str = ""
    angle_joints: Mapping[str, tuple[int, int, int]] = field(default_factory=dict)
    set_index: int = 1
    last_rep: RepEvent | None = None
    fps: float = float("nan")
    latency_ms: Mapping[str, float] = field(default_factory=dict)
    notice: str | None = None
    pass_progress: PassProgress | None = None
    people: tuple[PersonView, ...] = ()
    workout: WorkoutStatus | None = None
    plan: PlanProgress | None = None


class SessionUI(Protocol):
    """What the pipeline drives: start once, update per frame, stop once (also after errors)."""

    def start(self) -> None: ...

    def update(self, snapshot: Snapshot) -> None: ...

    def stop(self) -> None: ...


class NullUI:
    """No UI (analysis, benchmarks, tests)."""

    def start(self) -> None:
        pass

    def update(self, snapshot: Snapshot) -> None:
        pass

    def stop(self) -> None:
        pass
