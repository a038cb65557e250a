"""A walking gait for the synthetic athlete (moving to another spot, or a passer-by), and blending two poses.

The gait's phase follows the distance walked, so the feet keep pace with the body. Body frame as in body.py:
the walker faces f; the caller turns and places the body (Camera.azimuth_deg, Camera.place_m).
"""

from __future__ import annotations

import numpy as np

from fitness.synth.body import SIDES, BodyParams, Poser, Skeleton, unit

STEP_M_PER_M = 0.4  # one step (heel strike to the other heel strike) is this share of the walker's height
HIP_SWING_DEG = 22.0  # the thigh swings this far forward and back from hanging
SWING_KNEE_DEG = 55.0  # knee flexion at mid-swing (the leg moving forward)
STANCE_KNEE_DEG = 6.0  # the supporting knee stays soft
ARM_SWING_DEG = 16.0  # arms swing against the legs
WALK_LEAN_DEG = 4.0  # a slight forward lean


def walk_pose(b: BodyParams, distance_m: float, grips: dict[str, np.ndarray] | None = None) -> Skeleton:
    """The body `distance_m` into a walk, standing on the floor (the lower ankle at ankle height).

    grips: dumbbells carried (side -> grip axis), as the exercise's rest pose holds them."""
    phase = np.pi * distance_m / (STEP_M_PER_M * b.height_m)
    p = Poser(b).torso(np.zeros(3), WALK_LEAN_DEG)
    for k, s in enumerate(SIDES):
        ph = phase + k * np.pi
        swing = max(0.0, float(np.cos(ph)))  # the thigh moves forward while cos > 0
        knee = STANCE_KNEE_DEG + (SWING_KNEE_DEG - STANCE_KNEE_DEG) * swing**2
        p.leg(s, HIP_SWING_DEG * float(np.sin(ph)), 0.0, knee)
        p.foot(s)
        p.arm(s, -ARM_SWING_DEG * float(np.sin(ph)), 0.0, 20.0)
    for side, axis in (grips or {}).items():
        p.dumbbell(side, axis)
    sk = p.done(head_pitch_deg=-WALK_LEAN_DEG)
    lift = b.ankle_h - min(float(sk[f"{s}_ankle"][1]) for s in SIDES)
    return shifted(sk, np.array([0.0, lift, 0.0]))


def shifted(sk: Skeleton, by: np.ndarray) -> Skeleton:
    """The skeleton moved by `by` (body-frame metres)."""
    return Skeleton({k: v + by for k, v in sk.points.items()}, sk.torso_up, sk.torso_front, sk.head_up,
                    sk.head_front, dict(sk.dumbbells))


def blend(a: Skeleton, b: Skeleton, w: float) -> Skeleton:
    """A pose between `a` (w = 0) and `b` (w = 1): points and axes interpolated; `a`'s dumbbells, else `b`'s."""
    if w <= 0.0:
        return a
    if w >= 1.0:
        return b
    pts = {k: (1 - w) * a.points[k] + w * b.points[k] for k in a.points}
    axes = [unit((1 - w) * x + w * y) for x, y in ((a.torso_up, b.torso_up), (a.torso_front, b.torso_front),
                                                 (a.head_up, b.head_up), (a.head_front, b.head_front))]
    return Skeleton(pts, *axes, dict(a.dumbbells or b.dumbbells))
