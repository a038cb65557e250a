"""Whole-skeleton transforms: move and turn a posed body on the floor, tilt its upper body sideways, and blend
two postures (the smooth change of posture between activities of a workout)."""

from __future__ import annotations

import numpy as np

from fitness.synth.body import L, Skeleton, unit
from fitness.synth.timeline import min_jerk

# The points above the pelvis that a sideways tilt of the upper body carries along.
UPPER_POINTS = ("neck", "head",
                *(f"{s}_{j}" for s in ("left", "right") for j in ("shoulder", "elbow", "wrist", "hand")))


def _yaw_matrix(deg: float) -> np.ndarray:
    """Turns the body-frame forward axis towards the left by `deg` (row vectors: v @ M)."""
    c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def _roll_matrix(deg: float) -> np.ndarray:
    """Tilts the up axis towards the left by `deg` about the forward axis (row vectors: v @ M)."""
    c, s = np.cos(np.radians(deg)), np.sin(np.radians(deg))
    return np.array([[1.0, 0.0, 0.0], [0.0, c, s], [0.0, -s, c]])


def _left(sk: Skeleton) -> np.ndarray:
    return L if sk.left_axis is None else sk.left_axis


def placed(sk: Skeleton, heading_deg: float, at: np.ndarray) -> Skeleton:
    """The skeleton turned `heading_deg` about the vertical (towards its left) and moved by `at` (f, u, l)."""
    m = _yaw_matrix(heading_deg)
    at = np.asarray(at, float)
    return Skeleton(
        {k: v @ m + at for k, v in sk.points.items()}, sk.torso_up @ m, sk.torso_front @ m, sk.head_up @ m,
        sk.head_front @ m, {k: v @ m for k, v in sk.dumbbells.items()}, _left(sk) @ m,
    )


def tilted(sk: Skeleton, roll_deg: float) -> Skeleton:
    """The upper body (from the pelvis up) tilted `roll_deg` towards the body's left: a side bend."""
    m = _roll_matrix(roll_deg)
    pelvis = sk["pelvis"]
    points = {k: ((v - pelvis) @ m + pelvis if k in UPPER_POINTS else v) for k, v in sk.points.items()}
    return Skeleton(points, sk.torso_up @ m, sk.torso_front @ m, sk.head_up @ m, sk.head_front @ m,
                    {k: v @ m for k, v in sk.dumbbells.items()}, sk.left_axis)


def _bones() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(parent, child, the child's descendants) from the pelvis outwards: the order lengths are restored in."""
    out = [("pelvis", "neck", ("head", *(f"{s}_{j}" for s in ("left", "right")
                                          for j in ("shoulder", "elbow", "wrist", "hand")))), ("neck", "head", ())]
    for s in ("left", "right"):
        arm = [f"{s}_{j}" for j in ("shoulder", "elbow", "wrist", "hand")]
        leg = [f"{s}_{j}" for j in ("hip", "knee", "ankle")]
        foot = (f"{s}_heel", f"{s}_toe")
        out += [("neck", arm[0], tuple(arm[1:]))]
        out += [(arm[i], arm[i + 1], tuple(arm[i + 2:])) for i in range(3)]
        out += [("pelvis", leg[0], (*leg[1:], *foot))]
        out += [(leg[i], leg[i + 1], (*leg[i + 2:], *foot)) for i in range(2)]
    return tuple(out)


BONES = _bones()


def blend(a: Skeleton, b: Skeleton, w: float) -> Skeleton:
    """Posture `a` moving towards `b`, `w` of the way (0..1, eased by a minimum-jerk profile): every point moves
    on a straight line, then each bone gets its own length back (the direction is the blend's), so the body
    stays the same body. Dumbbells change hands half way."""
    k = min_jerk(w)
    mix = lambda x, y: unit(x + (y - x) * k)  # noqa: E731
    grips = a.dumbbells if k < 0.5 else b.dumbbells
    q = {n: a.points[n] + (b.points[n] - a.points[n]) * k for n in a.points}
    if 0.0 < k < 1.0:
        for parent, child, below in BONES:
            length = float(np.linalg.norm(a.points[child] - a.points[parent]))
            moved = q[parent] + unit(q[child] - q[parent]) * length - q[child]
            for n in (child, *below):
                q[n] = q[n] + moved
    return Skeleton(q,
                    mix(a.torso_up, b.torso_up), mix(a.torso_front, b.torso_front), mix(a.head_up, b.head_up),
                    mix(a.head_front, b.head_front), dict(grips), mix(_left(a), _left(b)))
