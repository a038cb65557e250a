"""Workout sequences for the engine tests: sets of the synthetic athlete's keypoint tracks (tests/exercise/tracks)
one after another on one clock, with the athlete standing still, walking or away between them."""

from __future__ import annotations

import functools

import numpy as np
from exercise.tracks import hold_track, track

from fitness.exercise import load_exercise, scan_exercises
from fitness.pose.types import Keypoint, Pose
from fitness.workout.engine import WorkoutDefinition

FPS = 30.0

Frames = list[tuple[Pose | None, float]]


@functools.cache
def library() -> WorkoutDefinition:
    """The shipped exercises as a workout."""
    return WorkoutDefinition([load_exercise(info.path) for info in scan_exercises().infos])


def shifted(frames: Frames, start_t: float) -> Frames:
    """`frames` moved in time to start at `start_t` (their poses' t too)."""
    t0 = frames[0][1]
    out = []
    for pose, t in frames:
        new_t = start_t + t - t0
        out.append((None if pose is None else Pose(pose.xy, pose.score, new_t), new_t))
    return out


def still(pose: Pose, start_t: float, seconds: float, jitter_px: float = 0.5, seed: int = 0) -> Frames:
    """Standing (or lying) still as in `pose`, with keypoint jitter."""
    rng = np.random.default_rng(seed)
    n = int(seconds * FPS)
    return [(Pose(pose.xy + rng.normal(0, jitter_px, pose.xy.shape), pose.score, start_t + i / FPS),
             start_t + i / FPS) for i in range(n)]


def away(start_t: float, seconds: float) -> Frames:
    n = int(seconds * FPS)
    return [(None, start_t + i / FPS) for i in range(n)]


def walking(pose: Pose, start_t: float, seconds: float, speed_px_s: float = 60.0, stride_hz: float = 0.9) -> Frames:
    """Walking across the view: the standing pose moving sideways, legs and arms swinging in stride."""
    n = int(seconds * FPS)
    out = []
    legs = {Keypoint.LEFT_KNEE: 1, Keypoint.LEFT_ANKLE: 2, Keypoint.RIGHT_KNEE: -1, Keypoint.RIGHT_ANKLE: -2,
            Keypoint.LEFT_WRIST: -1.5, Keypoint.RIGHT_WRIST: 1.5, Keypoint.LEFT_ELBOW: -0.7, Keypoint.RIGHT_ELBOW: 0.7}
    for i in range(n):
        t = start_t + i / FPS
        xy = pose.xy.copy()
        xy[:, 0] += speed_px_s * (t - start_t) * (1 if int((t - start_t) / 8) % 2 == 0 else -1)
        swing = np.sin(2 * np.pi * stride_hz * (t - start_t))
        for k, amp in legs.items():
            xy[k, 0] += 12 * amp * swing
        xy[[Keypoint.LEFT_ANKLE, Keypoint.RIGHT_ANKLE], 1] -= 6 * abs(swing)
        out.append((Pose(xy, pose.score, t), t))
    return out


def stretching(pose: Pose, start_t: float, seconds: float) -> Frames:
    """Side bends with the arms overhead, slowly: reaching up once, leaning left and right, arms down again."""
    n = int(seconds * FPS)
    out = []
    shoulders = pose.xy[[Keypoint.LEFT_SHOULDER, Keypoint.RIGHT_SHOULDER]]
    top = shoulders.mean(axis=0)
    torso = float(np.hypot(*(top - pose.xy[[Keypoint.LEFT_HIP, Keypoint.RIGHT_HIP]].mean(axis=0))))
    for i in range(n):
        t = start_t + i / FPS
        u = (t - start_t) / seconds
        reach = min(1.0, 4 * u, 4 * (1 - u))  # up over the first quarter, down over the last
        lean = np.sin(2 * np.pi * 2 * u) * 0.25 * torso * (reach >= 1.0)
        xy = pose.xy.copy()
        for side, (elbow, wrist) in ((0, (Keypoint.LEFT_ELBOW, Keypoint.LEFT_WRIST)),
                                     (1, (Keypoint.RIGHT_ELBOW, Keypoint.RIGHT_WRIST))):
            sh = shoulders[side]
            xy[elbow] = (1 - reach) * pose.xy[elbow] + reach * (sh + [0, -0.45 * torso])
            xy[wrist] = (1 - reach) * pose.xy[wrist] + reach * (sh + [0, -0.9 * torso])
        upper = [Keypoint.NOSE, Keypoint.LEFT_EYE, Keypoint.RIGHT_EYE, Keypoint.LEFT_EAR, Keypoint.RIGHT_EAR,
                 Keypoint.LEFT_SHOULDER, Keypoint.RIGHT_SHOULDER, Keypoint.LEFT_ELBOW, Keypoint.RIGHT_ELBOW,
                 Keypoint.LEFT_WRIST, Keypoint.RIGHT_WRIST]
        xy[upper, 0] += lean
        out.append((Pose(xy, pose.score, t), t))
    return out


def move_to(pose: Pose, target: Pose, start_t: float, seconds: float) -> Frames:
    """From `pose` to `target` (getting down to the floor, or up from it), every keypoint on a straight line."""
    n = int(seconds * FPS)
    out = []
    for i in range(n):
        t = start_t + i / FPS
        u = (i + 1) / n
        out.append((Pose((1 - u) * pose.xy + u * target.xy, np.minimum(pose.score, target.score), t), t))
    return out


def workout(*parts) -> Frames:
    """Parts one after another: ("set", exercise, reps, view), ("hold", s) (a plank, side view), ("still", s),
    ("walk", s), ("stretch", s), ("away", s), ("move", exercise, view, s) (into the first pose of that exercise's
    set, as when lying down for it or getting up for the next). The athlete between sets stands (or lies) as the
    last pose seen."""
    frames: Frames = []
    t = 0.0
    last: Pose | None = None
    for part in parts:
        kind = part[0]
        if kind == "set":
            _, exercise, reps, view = part
            chunk = shifted(track(exercise, reps, view, seed=len(frames)), t)
        elif kind == "hold":
            chunk = shifted(hold_track(part[1], lead_s=0.0, seed=len(frames)), t)
        elif kind == "away":
            chunk = away(t, part[1])
        elif kind == "move":
            _, exercise, view, seconds = part
            base = last if last is not None else track("squats", 1, "front")[0][0]
            chunk = move_to(base, track(exercise, 1, view)[0][0], t, seconds)
        else:
            base = last if last is not None else track("squats", 1, "front")[0][0]
            maker = {"still": still, "walk": walking, "stretch": stretching}[kind]
            chunk = maker(base, t, part[1])
        frames.extend(chunk)
        t = chunk[-1][1] + 1 / FPS
        last = next((p for p, _ in reversed(chunk) if p is not None), last)
    return frames


def head_on_as_detected(frames: Frames, width_ratio: float = 1.15, knee_drop: float = 0.2) -> Frames:
    """A lying set filmed head-on as MoveNet reads it: the hips drawn under the shoulders, the torso foreshortened to
    just under `width_ratio` of the shoulders' width (not end-on by END_ON_RATIO, and looking upright), the legs
    (far behind) folded up to the hips, `knee_drop` torso lengths below them."""
    out = []
    shoulders, hips = [Keypoint.LEFT_SHOULDER, Keypoint.RIGHT_SHOULDER], [Keypoint.LEFT_HIP, Keypoint.RIGHT_HIP]
    legs = {Keypoint.LEFT_KNEE: knee_drop, Keypoint.RIGHT_KNEE: knee_drop,
            Keypoint.LEFT_ANKLE: 3 * knee_drop, Keypoint.RIGHT_ANKLE: 3 * knee_drop}
    for pose, t in frames:
        if pose is None:
            out.append((pose, t))
            continue
        xy = pose.xy.copy()
        top = xy[shoulders].mean(axis=0)
        torso = float(np.linalg.norm(xy[shoulders[0]] - xy[shoulders[1]])) / width_ratio
        xy[hips, 1] = top[1] + torso
        for k, drop in legs.items():
            xy[k, 1] = top[1] + torso * (1 + drop)
        out.append((Pose(xy, pose.score, pose.t), t))
    return out


def turned_level(frames: Frames) -> Frames:
    """`frames` turned 90 degrees about the first pose's hips: the same joint angles with the torso level (an
    upright movement done lying down, as a lunge machine reads lying down after getting up)."""
    hips = [Keypoint.LEFT_HIP, Keypoint.RIGHT_HIP]
    centre = frames[0][0].xy[hips].mean(axis=0)
    turn = np.array([[0.0, -1.0], [1.0, 0.0]])
    return [(None if pose is None else Pose((pose.xy - centre) @ turn.T + centre, pose.score, pose.t), t)
            for pose, t in frames]


def arms_out_of_step(frames: Frames, lag_s: float) -> Frames:
    """`frames` with the right arm doing what it did `lag_s` earlier (a side bend reaching up with one arm, then the
    other): a two-sided machine reads each arm's reach as a rep of its own, the two overlapping in time."""
    arm = [Keypoint.RIGHT_SHOULDER, Keypoint.RIGHT_ELBOW, Keypoint.RIGHT_WRIST]
    lag_n = int(round(lag_s * FPS))
    out = []
    for i, (pose, t) in enumerate(frames):
        xy = pose.xy.copy()
        xy[arm] = frames[max(0, i - lag_n)][0].xy[arm]
        out.append((Pose(xy, pose.score, t), t))
    return out
