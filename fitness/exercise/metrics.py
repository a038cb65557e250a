"""The Metrics stage: one pose in, the definition's named metrics on one body side out.

Per frame it picks the side to measure (fixed, or `SideSelector` for side auto), turns the keypoints into a
`MetricFrame` (keypoints below the trusted score become NaN, torso length from `fitness.geometry.body`), runs
the compiled metric expressions, median-filters each metric and says whether the body is usable. `peak()`
metrics keep their memory here (`forget()` drops it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from fitness.exercise.consistent import ConsistentKeypoints
from fitness.exercise.definition import ExerciseDefinition, SideProgram
from fitness.exercise.expr import MetricFrame
from fitness.geometry.body import torso_px
from fitness.geometry.side import SIDE_KEYPOINTS, SideSelector
from fitness.pose.memo import LastPoseMemo
from fitness.pose.types import KEYPOINT_NAMES, Pose

NAN = float("nan")
# Metrics are median-filtered over this window (5 frames at 30 fps, 3 at 15 fps): ~2 frames of latency, which
# `filtered_t` tells (the time a filtered value describes).
MEDIAN_S = 0.15
MEDIAN_FRAMES = 5
LOWER_BODY = ("hip", "knee", "ankle")
NO_ONE_IN_VIEW = "No one in view: step into the camera's view"
NOT_MEASURABLE = "Hold still: the body is not measurable in this pose"


def _joint_name(index: int) -> str:
    name = KEYPOINT_NAMES[index]
    return name.split("_", 1)[1] if name.startswith(("left_", "right_")) else name


def missing_guidance(missing: list[int]) -> str:
    """One line telling the user how to get the missing keypoints into view."""
    joints = []
    for i in missing:
        j = _joint_name(i)
        plural = j if j.endswith("s") else (f"{j}es" if j.endswith("h") else f"{j}s")
        if plural not in joints:
            joints.append(plural)
    listed = ", ".join(joints[:3])
    if any(_joint_name(i) in LOWER_BODY for i in missing):
        return f"Step back: {listed} not visible"
    return f"Move into view: {listed} not visible"


def _points(xy_array, score_array, min_score: float) -> tuple[list, list, list[tuple[float, float, float]], float]:
    """(xy, score) as plain lists, the keypoints as (x, y, score) tuples with NaN coordinates where the score is below
    min_score, and the torso length from those."""
    xy, score = xy_array.tolist(), score_array.tolist()
    points = []
    for (x, y), s in zip(xy, score):
        if s >= min_score and x == x and y == y:
            points.append((x, y, s))
        else:
            points.append((NAN, NAN, s if s == s else 0.0))
    return xy, score, points, torso_px(points)


# Every machine of a workout measures the same pose: its points are made once.
_pose_points = LastPoseMemo(_points)


def build_frame(pose: Pose, min_score: float, consistent: ConsistentKeypoints | None = None,
                t: float = 0.0) -> MetricFrame:
    """Keypoints as (x, y, score) tuples with NaN coordinates where the score is below min_score (unless
    `consistent` finds a low-score keypoint usable at time t). The torso length uses trusted keypoints only."""
    xy, score, points, torso = _pose_points(pose.xy, pose.score, min_score)
    if consistent is not None:
        points = list(points)  # the shared list stays as made
        for i, ok in enumerate(consistent.usable(xy, score, torso, t)):
            if ok and points[i][0] != points[i][0]:
                points[i] = (xy[i][0], xy[i][1], score[i])
    return MetricFrame({}, points, torso)


def median_filter(window: list[tuple[float, float]], value: float, t: float) -> float:
    """The median of a metric over the last MEDIAN_S (at most MEDIAN_FRAMES frames; `window` holds its (t, value)
    samples), so a keypoint that jumps for a frame or two (and the smoother's echo of it) moves no state. NaN
    stays NaN: a missing value is never replaced by older ones."""
    if value != value:
        return value
    window.append((t, value))
    if len(window) > MEDIAN_FRAMES:  # one sample in, at most one out for its count (a workout's hot path)
        del window[0]
    while t - window[0][0] > MEDIAN_S:
        del window[0]
    n = len(window)
    if n < 3:
        return value
    values = sorted([sample[1] for sample in window])
    return values[n // 2]


def filtered_t(window: list[tuple[float, float]], t: float) -> float:
    """The time the median of `window` (a metric's filter samples, newest at t) describes: the middle of the
    window, where a steadily moving value's median comes from; t while the filter passes values through."""
    if len(window) < 3 or window[-1][0] != t:
        return t
    return sum(ts for ts, _ in window) / len(window)


@dataclass(frozen=True, slots=True)
class SideSignals:
    """One frame measured on one body side.

    frame: the metrics (median-filtered; NaN where a keypoint they need is missing), keypoints and torso length;
    None when no one is in view. side: "left"/"right" (None before the first pose of a side-auto definition).
    signal: the definition's rep signal (NaN when unknown); signal_t: the time it describes (t minus the median
    filter's latency). visible: every required keypoint is visible (and, for a rep cycle, the rep signal
    measurable); otherwise `guidance` says what to do.
    """

    t: float
    frame: MetricFrame | None
    side: str | None
    signal: float
    visible: bool
    guidance: str | None = None
    signal_t: float = NAN
    trusted: bool = True  # every required keypoint is above the trusted score (form is judged on such frames)


class MetricsStage:
    """Measures one definition on one body side ("left"/"right") or the better-visible side ("auto").

    consistent: also use low-score keypoints that move consistently (`fitness.exercise.consistent`); the sides of
    one machine share theirs (it follows the same keypoints).
    """

    def __init__(self, definition: ExerciseDefinition, side: str,
                 consistent: ConsistentKeypoints | None = None) -> None:
        self.programs = dict(definition.programs)
        self.min_score = definition.min_score
        self.signal_name = definition.rep_signal
        self.needs_signal = definition.rep is not None
        self.fixed_side = side if side in ("left", "right") else None
        self.consistent = consistent
        self.selector = None
        if side == "auto":
            pairs = [pair for pair in zip(SIDE_KEYPOINTS["left"], SIDE_KEYPOINTS["right"])
                     if pair[0] in self.programs["left"].required] or list(zip(*SIDE_KEYPOINTS.values()))
            self.selector = SideSelector([left for left, _ in pairs], [right for _, right in pairs], self.min_score)
        self.reset()

    def reset(self) -> None:
        self.side = self.fixed_side
        self.windows: dict[str, list[tuple[float, float]]] = {}  # metric -> its median filter's samples
        self.memory: dict = {}  # what peak() metrics remember of earlier frames
        self.last_seen_t = -math.inf  # the last frame with a pose
        if self.selector:
            self.selector.reset()
        if self.consistent is not None:
            self.consistent.reset()

    def forget(self) -> None:
        """Drops what peak() metrics learnt (the person may come back elsewhere, at another distance)."""
        self.memory.clear()

    @property
    def program(self) -> SideProgram:
        """The compiled definition of the side measured last."""
        return self.programs[self.side]

    def measure(self, pose: Pose | None, t: float, keep_side: bool, view: str | None = None) -> SideSignals:
        """This frame's metrics. keep_side: a rep is in progress, so side auto keeps its side unless it is lost.
        view: the camera view, which decides the keypoints required (`view_requires`)."""
        if pose is None:
            return SideSignals(t, None, self.side, NAN, False, NO_ONE_IN_VIEW)
        if self.selector is not None:  # the scores as plain floats, made once per pose for every machine
            self.side = self.selector.update(_pose_points(pose.xy, pose.score, self.min_score)[1], t, hold=keep_side)
        program = self.programs[self.side]
        frame = build_frame(pose, self.min_score, self.consistent, t)
        frame.t, frame.memory = t, self.memory
        metrics, windows = frame.metrics, self.windows
        for name, fn in program.metrics:
            try:
                value = float(fn(frame))
            except (OverflowError, ValueError, TypeError):
                value = NAN
            metrics[name] = median_filter(windows.setdefault(name, []), value, t)
        self.last_seen_t = t
        points = frame.points
        required = program.required_in(view)
        missing = [i for i in required if points[i][0] != points[i][0]]
        signal = metrics.get(self.signal_name, NAN)
        signal_t = filtered_t(windows.get(self.signal_name, []), t)
        if missing:
            return SideSignals(t, frame, self.side, signal, False, missing_guidance(missing))
        if self.needs_signal and signal != signal:
            return SideSignals(t, frame, self.side, signal, False, NOT_MEASURABLE)
        # Only low-score keypoints let in by `consistent` make a frame untrusted.
        trusted = self.consistent is None or all(points[i][2] >= self.min_score for i in required)
        return SideSignals(t, frame, self.side, signal, True, signal_t=signal_t, trusted=trusted)
