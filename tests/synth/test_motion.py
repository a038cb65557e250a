"""Motion scripts: real joint ranges at rest and at the turnaround, partial reps stop short, and every
injectable fault moves the joint its form rule watches (thresholds from docs/INTEGRATION.md)."""

from __future__ import annotations

import numpy as np
import pytest

from fitness.synth.body import BodyParams, Skeleton, joint_angle
from fitness.synth.motion import SCRIPTS, Moment, measure

BODY = BodyParams(height_m=1.75)
H = BODY.height_m


def pose(
    exercise: str, x: float = 1.0, faults: tuple[str, ...] = (), side: str | None = None, view: str = "side"
) -> Skeleton:
    """The script's pose at progress x (u = 1 so faults show fully at the turnaround; u = 0 at rest)."""
    u = 1.0 if x > 0 else 0.0
    return SCRIPTS[exercise].pose(BODY, Moment(x=x, u=u, faults=frozenset(faults), side=side, view=view))


def lean_forward_deg(sk: Skeleton) -> float:
    """Torso incline from vertical, signed: positive leaning forward, negative leaning back."""
    up = sk.torso_up
    return float(np.degrees(np.arctan2(up[0], up[1])))


def hip_offset(sk: Skeleton) -> float:
    """Height of the hip above the shoulder-ankle line (m): negative = sag, positive = pike."""
    s, h, a = sk["left_shoulder"][:2], sk["left_hip"][:2], sk["left_ankle"][:2]
    d = (s - a) / np.linalg.norm(s - a)
    v = h - a
    return float(d[0] * v[1] - d[1] * v[0])


def elbow(sk: Skeleton, side: str = "left") -> float:
    return measure(sk, side)["elbow_deg"]


# (exercise, fault, metric, clean check, fault check)
FAULT_CASES = [
    ("squats", "chest_up", lean_forward_deg, lambda v: v < 40, lambda v: v > 50),
    (
        "squats",
        "knees_cave",
        lambda s: abs(s["left_knee"][2] - s["right_knee"][2]) - abs(s["left_ankle"][2] - s["right_ankle"][2]),
        lambda v: v >= 0,
        lambda v: v < -0.05,
    ),
    ("push_ups", "hip_sag", hip_offset, lambda v: abs(v) < 0.03, lambda v: v < -0.08),
    ("push_ups", "hips_high", hip_offset, lambda v: abs(v) < 0.03, lambda v: v > 0.1),
    ("plank", "hip_sag", hip_offset, lambda v: abs(v) < 0.03, lambda v: v < -0.08),
    ("plank", "hips_high", hip_offset, lambda v: abs(v) < 0.03, lambda v: v > 0.1),
    (
        "bicep_curls",
        "elbow_drift",
        lambda s: joint_angle(s["left_hip"], s["left_shoulder"], s["left_elbow"]),
        lambda v: v < 15,
        lambda v: v > 30,
    ),
    ("bicep_curls", "body_swing", lean_forward_deg, lambda v: v > -5, lambda v: v < -15),
    ("lunges", "torso_lean", lean_forward_deg, lambda v: v < 15, lambda v: v > 30),
    (
        "lunges",
        "knee_past_toes",
        lambda s: s["left_knee"][0] - s["left_ankle"][0],
        lambda v: v < 0.06,
        lambda v: v > 0.15,
    ),
    (
        "jumping_jacks",
        "arms_low",
        lambda s: s["left_wrist"][1] - (s["head"][1] + BODY.head_r),
        lambda v: v > 0,
        lambda v: v < 0,
    ),
    (
        "jumping_jacks",
        "feet_narrow",
        lambda s: abs(s["left_ankle"][2] - s["right_ankle"][2]) - abs(s["left_shoulder"][2] - s["right_shoulder"][2]),
        lambda v: v > 0.1,
        lambda v: v < 0,
    ),
    ("shoulder_press", "lockout", elbow, lambda v: v > 165, lambda v: v < 150),
    (
        "shoulder_press",
        "uneven_arms",
        lambda s: abs(s["left_wrist"][1] - s["right_wrist"][1]),
        lambda v: v < 0.02,
        lambda v: v > 0.15,
    ),
    ("sit_ups", "legs_straight", lambda s: measure(s)["knee_deg"], lambda v: v < 100, lambda v: v > 120),
    ("sit_ups", "feet_lift", lambda s: s["left_ankle"][1] - BODY.ankle_h, lambda v: abs(v) < 1e-6, lambda v: v > 0.08),
    ("glute_bridges", "hips_low", lambda s: measure(s)["hip_deg"], lambda v: v > 165, lambda v: v < 160),
    ("glute_bridges", "feet_far", lambda s: measure(s)["knee_deg"], lambda v: v < 105, lambda v: v > 115),
    (
        "lateral_raises",
        "arms_high",
        lambda s: s["left_wrist"][1] - s["left_shoulder"][1],
        lambda v: abs(v) < 0.1,
        lambda v: v > 0.15,
    ),
    ("lateral_raises", "bent_elbows", elbow, lambda v: v > 150, lambda v: v < 140),
]


def test_every_fault_of_every_script_is_covered():
    covered = {(e, f) for e, f, *_ in FAULT_CASES}
    assert covered == {(e, f) for e, s in SCRIPTS.items() for f in s.faults}


@pytest.mark.parametrize(
    "exercise,fault,metric,clean_ok,fault_ok", FAULT_CASES, ids=[f"{c[0]}-{c[1]}" for c in FAULT_CASES]
)
def test_fault_moves_the_watched_joint(exercise, fault, metric, clean_ok, fault_ok):
    view = "front" if exercise in ("jumping_jacks", "lateral_raises", "shoulder_press") else "side"
    side = "left" if exercise == "lunges" else None
    clean = metric(pose(exercise, 1.0, (), side, view))
    faulty = metric(pose(exercise, 1.0, (fault,), side, view))
    assert clean_ok(clean), f"clean {exercise} at the turnaround: {clean:.3f}"
    assert fault_ok(faulty), f"{fault} at the turnaround: {faulty:.3f}"


def test_faults_are_absent_at_rest():
    for exercise, script in SCRIPTS.items():
        if script.hold:
            continue
        for fault in script.faults:
            rest_clean = pose(exercise, 0.0, (), "left")
            rest_fault = SCRIPTS[exercise].pose(BODY, Moment(0.0, 0.0, frozenset([fault]), "left"))
            for name in rest_clean.points:
                np.testing.assert_allclose(
                    rest_clean[name], rest_fault[name], atol=1e-9, err_msg=f"{exercise}/{fault}/{name}"
                )


# (exercise, metric, rest range, turnaround range) — real people's ranges, not exaggerated.
RANGES = [
    ("squats", lambda s: measure(s)["knee_deg"], (165, 178), (70, 95)),
    ("push_ups", elbow, (160, 178), (75, 95)),
    ("bicep_curls", elbow, (160, 175), (30, 50)),
    ("lunges", lambda s: measure(s, "left")["knee_deg"], (165, 180), (80, 100)),
    ("shoulder_press", elbow, (75, 100), (165, 180)),
    ("glute_bridges", lambda s: measure(s)["hip_deg"], (130, 150), (165, 180)),
    ("sit_ups", lambda s: abs(lean_forward_deg(s)), (80, 90), (5, 25)),
]


@pytest.mark.parametrize("exercise,metric,rest,turn", RANGES, ids=[r[0] for r in RANGES])
def test_real_joint_ranges(exercise, metric, rest, turn):
    assert rest[0] <= metric(pose(exercise, 0.0, side="left")) <= rest[1]
    assert turn[0] <= metric(pose(exercise, 1.0, side="left")) <= turn[1]


@pytest.mark.parametrize("exercise,metric,rest,turn", RANGES, ids=[r[0] for r in RANGES])
def test_partial_reps_stop_well_short(exercise, metric, rest, turn):
    amp = SCRIPTS[exercise].partial_amp
    partial = metric(SCRIPTS[exercise].pose(BODY, Moment(x=amp, u=1.0, side="left")))
    full_gap = abs(np.mean(turn) - np.mean(rest))
    # A partial rep moves, but covers at most ~2/3 of the way to the full turnaround.
    assert abs(partial - np.mean(rest)) > 0.15 * full_gap
    assert abs(partial - np.mean(turn)) > 0.3 * full_gap
