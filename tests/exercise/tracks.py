"""Synthetic keypoint tracks of whole sets for every shipped exercise, with injected faults and partial reps.

Each exercise maps a 0..1 depth (0 = rest, 1 = the rep's target) and a set of fault ids to a stick-figure
pose. The joint angles are those of an ordinary person doing the movement (not textbook extremes), and
each fault moves its joint well past the coaching threshold the same way the rule table describes it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from fitness.geometry.angles import angle
from fitness.pose.types import Keypoint, Pose

from . import kinematics
from .kinematics import CENTER, Standing, bridge, pose_from, project, push_up, push_up_front, rep_curve, sit_up

# A partial rep goes this far of the way to the target in joint angles (a squat's depth signal is the
# cosine of the thigh angle, so 40% of the joint range barely lowers the hips: 50% is a half squat, knee
# ~120 deg; a bridge's 40% of the torso lift is ~40% of the way to a straight hip).
PARTIAL_DEPTH: dict = {
    "squats": 0.5,
    "bicep_curls": 0.5,
    "lunges": 0.5,
    "push_ups": 0.5,
    "sit_ups": 0.5,
    "glute_bridges": 0.4,
    # Facing the camera the thigh points at the lens and a half squat hardly lowers the hip on screen.
    ("squats", "front"): 0.52,
    # End-on a push-up's elbow reads straighter than it is: a 3D half push-up (126 deg) reads ~143.
    ("push_ups", "front"): 0.6,
}


def _standing(view: str, st: Standing) -> np.ndarray:
    p = st.points3d()
    p[:, 1] -= min(p[15, 1], p[16, 1]) - 5.0  # feet on the floor
    return project(p, view)


def squats(d: float, faults: frozenset[str], view: str) -> np.ndarray:
    lean = 10 + (48 if "chest_up" in faults else 22) * d
    cave = 32.0 * d if "knees_cave" in faults else -20.0 * d  # good form: knees pushed out over the toes
    return _standing(view, Standing(
        torso_pitch=lean, hip_flex=(95 * d, 95 * d), knee_bend=(118 * d, 118 * d), leg_abd=(8 + 6 * d, 8 + 6 * d),
        knee_in=(cave, cave), arm_flex=(80 * d, 80 * d), elbow_bend=(5, 5),
    ))


def push_ups(d: float, faults: frozenset[str], view: str) -> np.ndarray:
    if view == "front":  # end-on: the hips' line cannot be judged, only the count
        return push_up_front(172 - 92 * d)
    sag = 0.3 if "hip_sag" in faults else (-0.35 if "hips_high" in faults else 0.02)
    return push_up(172 - 92 * d, sag_t=sag)


def bicep_curls(d: float, faults: frozenset[str], view: str) -> np.ndarray:
    drift = 5 + (45 if "elbow_drift" in faults else 8) * d
    swing = -(26 if "body_swing" in faults else 3) * d
    bend = 12 + 118 * d
    return _standing(
        view, Standing(torso_pitch=swing, arm_flex=(drift, drift), arm_abd=(6, 6), elbow_bend=(bend, bend))
    )


def lunges_side(lead: int) -> Callable[[float, frozenset[str], str], np.ndarray]:
    """Lunge with leg `lead` (0 left, 1 right) in front."""

    def pose(d: float, faults: frozenset[str], view: str) -> np.ndarray:
        shin_forward = (40 if "knee_past_toes" in faults else 8) * d
        front_flex, back_flex = (96 * d - shin_forward), -18 * d  # front knee angle ~84 deg either way
        hip_flex = [0.0, 0.0]
        knee_bend = [0.0, 0.0]
        hip_flex[lead], hip_flex[1 - lead] = front_flex, back_flex
        knee_bend[lead] = front_flex + shin_forward
        knee_bend[1 - lead] = 85 * d
        lean = (42 if "torso_lean" in faults else 6) * d
        return _standing(view, Standing(torso_pitch=lean, hip_flex=tuple(hip_flex), knee_bend=tuple(knee_bend)))

    return pose


def jumping_jacks(d: float, faults: frozenset[str], view: str) -> np.ndarray:
    arms = 12 + (85 if "arms_low" in faults else 160) * d
    legs = 4 + (1 if "feet_narrow" in faults else 16) * d  # narrow: ankles land at shoulder-joint width
    return _standing(view, Standing(arm_abd=(arms, arms), elbow_bend=(8, 8), leg_abd=(legs, legs), elbow_plane="up"))


def shoulder_press(d: float, faults: frozenset[str], view: str) -> np.ndarray:
    # Start: upper arms out to the sides at shoulder height (~80 deg), forearms up; press to overhead.
    top_bend = 45 if "lockout" in faults else 5
    bend = 95 + (top_bend - 95) * d
    abd = 80 + 90 * d
    lag = 0.55 * d if "uneven_arms" in faults else 0.0
    abd_r = 80 + 90 * max(d - lag, 0.0)
    bend_r = 95 + (top_bend - 95) * max(d - lag, 0.0)
    flex = 20.0 if view == "side" else 0.0
    return _standing(
        view, Standing(arm_abd=(abd, abd_r), arm_flex=(flex, flex), elbow_bend=(bend, bend_r), elbow_plane="up")
    )


def sit_ups(d: float, faults: frozenset[str], view: str) -> np.ndarray:
    knee = 150.0 if "legs_straight" in faults else 80.0
    lift = 0.5 * d if "feet_lift" in faults else 0.0
    return sit_up(88 - 68 * d, knee_deg=knee, feet_lift_t=lift)


def _hip_deg(points: np.ndarray) -> float:
    return float(angle(*(points[i, :2] for i in (Keypoint.LEFT_SHOULDER, Keypoint.LEFT_HIP, Keypoint.LEFT_KNEE))))


def _straight_lift(feet_far: bool) -> float:
    """The torso lift at which shoulders, hips and knees are in one line (the hip angle's maximum) for the
    current body proportions: a clean bridge goes there, whatever the person's segment lengths."""
    key = (kinematics.TORSO, kinematics.THIGH, kinematics.SHIN, feet_far)
    if key not in _STRAIGHT:
        lifts = np.arange(5.0, 60.0, 0.25)
        _STRAIGHT[key] = float(lifts[np.argmax([_hip_deg(bridge(x, feet_far=feet_far)) for x in lifts])])
    return _STRAIGHT[key]


_STRAIGHT: dict[tuple, float] = {}


def glute_bridges(d: float, faults: frozenset[str], view: str) -> np.ndarray:
    top = _straight_lift("feet_far" in faults)
    if "hips_low" in faults:
        return bridge(0.8 * top * d, feet_far="feet_far" in faults, hip_drop_deg=9 * d)
    return bridge(top * d, feet_far="feet_far" in faults)


def lateral_raises(d: float, faults: frozenset[str], view: str) -> np.ndarray:
    arms = 12 + (118 if "arms_high" in faults else 80) * d
    bend = -60 * d if "bent_elbows" in faults else 12.0  # bent: the forearms hang down from the elbows
    return _standing(view, Standing(arm_abd=(arms, arms), elbow_bend=(bend, bend), elbow_plane="up"))


def plank(d: float, faults: frozenset[str], view: str) -> np.ndarray:
    sag = 0.3 if "hip_sag" in faults else (-0.35 if "hips_high" in faults else 0.02)
    return push_up(0.0, sag_t=sag, forearm_plank=True)


POSERS: dict[str, Callable[[float, frozenset[str], str], np.ndarray]] = {
    "squats": squats,
    "push_ups": push_ups,
    "bicep_curls": bicep_curls,
    "jumping_jacks": jumping_jacks,
    "shoulder_press": shoulder_press,
    "sit_ups": sit_ups,
    "glute_bridges": glute_bridges,
    "lateral_raises": lateral_raises,
    "plank": plank,
}


def track(
    exercise: str,
    reps: int,
    view: str,
    faults: dict[int, list[str]] | None = None,
    partial: tuple[int, ...] = (),
    rep_s: float = 2.0,
    rest_s: float = 0.6,
    fps: float = 30.0,
    noise_px: float = 1.0,
    seed: int = 0,
) -> list[tuple[Pose, float]]:
    """(pose, t) pairs of a whole set. faults: rep index (0-based) -> fault ids; partial: rep indices."""
    faults = faults or {}
    t, depth, index = rep_curve(reps, rep_s, rest_s, fps)
    rng = np.random.default_rng(seed)
    out = []
    for ti, di, ri in zip(t, depth, index):
        f = frozenset(faults.get(int(ri), ())) if ri >= 0 else frozenset()
        d = di * (PARTIAL_DEPTH.get((exercise, view), PARTIAL_DEPTH.get(exercise, 0.4)) if ri in partial else 1.0)
        if exercise == "lunges":
            xy = lunges_side(int(ri) % 2 if ri >= 0 else 0)(d, f, view)
        else:
            xy = POSERS[exercise](d, f, view)
        out.append((pose_from(xy, float(ti), view, rng, noise_px), float(ti)))
    return out


def hold_track(duration_s: float, faults_between: tuple[float, float] | None = None, fault: str = "hip_sag",
               fps: float = 30.0, lead_s: float = 1.0, seed: int = 0) -> list[tuple[Pose | None, float]]:
    """A plank: nobody for lead_s, then in position for duration_s (with `fault` between the given times)."""
    rng = np.random.default_rng(seed)
    out: list[tuple[Pose | None, float]] = []
    for i in range(int((lead_s + duration_s) * fps)):
        t = i / fps
        if t < lead_s:
            out.append((None, t))
            continue
        bad = faults_between is not None and faults_between[0] <= t < faults_between[1]
        out.append((pose_from(plank(0.0, frozenset({fault}) if bad else frozenset(), "side"), t, "side", rng, 1.0), t))
    return out


# ---------------------------------------------------------------------------------------------------
# Real-people perturbations: body proportions, camera roll, keypoint noise and glitches, uneven depth
# ---------------------------------------------------------------------------------------------------
SEGMENTS = ("TORSO", "THIGH", "SHIN", "UPPER_ARM", "FOREARM", "SHOULDER_W", "HIP_W")


def person_proportions(rng: np.random.Generator, spread: float = 0.15) -> dict[str, float]:
    """Segment lengths of a random person: each within +-spread of the stick figure's."""
    return {name: getattr(kinematics, name) * rng.uniform(1 - spread, 1 + spread) for name in SEGMENTS}


def perturb(frames: list[tuple[Pose, float]], rng: np.random.Generator, noise_px: float, roll_deg: float,
            glitch_p: float, mirror: bool = False) -> list[tuple[Pose, float]]:
    """Mirrors the image (the athlete faces the other way), rolls the camera by roll_deg, adds Gaussian
    noise and, with probability glitch_p per keypoint and frame, a jump of ~40 px (MoveNet's occasional
    one-frame misplacements)."""
    c, s = np.cos(np.radians(roll_deg)), np.sin(np.radians(roll_deg))
    rot = np.array([[c, -s], [s, c]])
    out = []
    for pose, t in frames:
        xy = pose.xy.astype(np.float64) - CENTER
        if mirror:
            xy[:, 0] = -xy[:, 0]
        xy = xy @ rot.T + CENTER
        xy += rng.normal(0.0, noise_px, xy.shape)
        glitch = rng.random(17) < glitch_p
        xy[glitch] += rng.normal(0.0, 40.0, (int(glitch.sum()), 2))
        out.append((pose.replace(xy=xy.astype(np.float32)), t))
    return out


def uneven_track(
    exercise: str, reps: int, view: str, rng: np.random.Generator, min_depth: float
) -> list[tuple[Pose, float]]:
    """A set whose reps reach between min_depth and 100% of the full movement, at a random tempo."""
    depths = rng.uniform(min_depth, 1.0, reps)
    t, depth, index = rep_curve(reps, rng.uniform(1.2, 3.0), rng.uniform(0.2, 1.0))
    out = []
    for ti, di, ri in zip(t, depth, index):
        d = di * (depths[ri] if ri >= 0 else 1.0)
        pose_fn = lunges_side(int(ri) % 2 if ri >= 0 else 0) if exercise == "lunges" else POSERS[exercise]
        out.append((pose_from(pose_fn(d, frozenset(), view), float(ti), view), float(ti)))
    return out
