"""The synthetic athlete's poses and true 2D keypoints without drawing a frame.

A script, a body and a rep schedule give one `Skeleton` per frame; a camera turns each into the 17 COCO
keypoints in pixels. The renderer draws the same skeletons, and tests and benchmarks that need keypoint
tracks with exact truth (but no pixels) use these functions directly.
"""

from __future__ import annotations

import numpy as np

from fitness.pose.types import KEYPOINT_NAMES
from fitness.synth.body import BodyParams, Skeleton, face_points
from fitness.synth.camera import Camera
from fitness.synth.motion import ExerciseScript, Moment
from fitness.synth.timeline import RepPlan, phase_at

NO_JITTER = (0.0, 0.0, 0.0)


def moment_at(script: ExerciseScript, t: float, plans: list[RepPlan], style: tuple[float, ...], view: str) -> Moment:
    """Where the script's body is at `t` seconds into the clip.

    A hold (the plank) keeps x at 0: its one plan only times the fault, which eases in over the first 30%
    of the hold, is full over the middle 40% and eases out.
    """
    u, rep = phase_at(t, plans)
    faults = frozenset(rep.faults) if rep else frozenset()
    if script.hold:
        return Moment(0.0, u, faults, None, style, NO_JITTER, t, view)
    return Moment(u * (rep.amplitude if rep else 1.0), u, faults, rep.side if rep else None, style,
                  rep.jitter if rep else NO_JITTER, t, view)


def pose_frames(script: ExerciseScript, body: BodyParams, plans: list[RepPlan], frames: int, fps: float,
                style: tuple[float, ...], view: str) -> list[Skeleton]:
    """The skeleton of every frame of a clip `frames` long."""
    return [script.pose(body, moment_at(script, i / fps, plans, style, view)) for i in range(frames)]


def outline_points(sk: Skeleton, body: BodyParams, thick: bool = False) -> np.ndarray:
    """Points that bound the drawn figure (joints plus the head's extent). thick: also every joint moved by
    the thickest limb's radius along each axis, for a close camera that draws near limbs much thicker."""
    pts = list(sk.points.values())
    r = body.head_r * 1.2
    pts += [sk["head"] + sk.head_up * r, sk["head"] + sk.head_front * r, sk["head"] - sk.head_front * r]
    out = np.array(pts)
    if thick:
        shifts = np.concatenate([np.eye(3), -np.eye(3)]) * body.radius("thigh")
        out = np.concatenate([out, *(out + d for d in shifts)])
    return out


def keypoints_of(sk: Skeleton, body: BodyParams, cam: Camera) -> np.ndarray:
    """(17, 2) COCO keypoints in pixels."""
    face = face_points(sk, body)
    pts = np.stack([face[n][0] if n in face else sk[n] for n in KEYPOINT_NAMES])
    return cam.project(pts)[0]
