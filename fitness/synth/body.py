"""The synthetic athlete's body: proportions, colours and the kinematic helpers that pose it in 3D.

Coordinates are body-frame metres: f (forward, the way the athlete faces when standing), u (up),
l (the athlete's left). The floor is u = 0. Proportions follow the usual anthropometric fractions of
standing height (shoulder 0.818 H, hip 0.53 H, knee 0.285 H, upper arm 0.186 H, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from fitness.errors import InputError

F = np.array([1.0, 0.0, 0.0])
U = np.array([0.0, 1.0, 0.0])
L = np.array([0.0, 0.0, 1.0])

SIDES = ("left", "right")
SIGN = {"left": 1.0, "right": -1.0}

BGR = tuple[int, int, int]

SKIN_TONES: tuple[BGR, ...] = (
    (170, 200, 240), (140, 180, 225), (120, 160, 210), (95, 135, 185), (70, 105, 150), (55, 80, 120),
)
CLOTHES: tuple[BGR, ...] = (
    (180, 60, 30), (40, 40, 170), (60, 140, 40), (40, 40, 40), (200, 200, 200), (30, 120, 200),
    (130, 50, 120), (150, 110, 40), (70, 70, 140), (200, 140, 90),
)
HAIR: tuple[BGR, ...] = ((20, 25, 30), (25, 45, 70), (40, 70, 110), (90, 150, 200), (60, 60, 60))
SHOES: tuple[BGR, ...] = ((235, 235, 235), (30, 30, 30), (60, 60, 200), (200, 120, 40), (120, 120, 120))


@dataclass(frozen=True)
class BodyParams:
    """One athlete: size, build, limb ratios and colours (BGR). Lengths derive from `height_m`."""

    height_m: float = 1.75
    build: float = 1.0  # girth multiplier: 0.85 slim .. 1.25 heavy
    leg_ratio: float = 1.0  # leg length relative to the average adult
    arm_ratio: float = 1.0
    shoulder_ratio: float = 1.0
    skin_bgr: BGR = SKIN_TONES[1]
    shirt_bgr: BGR = CLOTHES[0]
    shorts_bgr: BGR = CLOTHES[3]
    hair_bgr: BGR = HAIR[0]
    shoe_bgr: BGR = SHOES[0]
    sleeve: float = 0.45  # fraction of the upper arm the shirt covers
    shorts_len: float = 0.45  # fraction of the thigh the shorts cover
    long_hair: bool = False

    def __post_init__(self) -> None:
        checks = {
            "height_m": (1.4, 2.1), "build": (0.7, 1.5), "leg_ratio": (0.85, 1.15),
            "arm_ratio": (0.85, 1.15), "shoulder_ratio": (0.8, 1.2), "sleeve": (0.0, 1.0), "shorts_len": (0.1, 1.0),
        }
        for name, (lo, hi) in checks.items():
            value = getattr(self, name)
            if not lo <= value <= hi:
                raise InputError(f"BodyParams.{name} must be within [{lo}, {hi}] for an adult, got {value}")

    # Segment lengths (m) and radii (m).
    @property
    def thigh(self) -> float:
        return 0.245 * self.height_m * self.leg_ratio

    @property
    def shank(self) -> float:
        return 0.246 * self.height_m * self.leg_ratio

    @property
    def ankle_h(self) -> float:
        return 0.045 * self.height_m

    @property
    def upper_arm(self) -> float:
        return 0.186 * self.height_m * self.arm_ratio

    @property
    def forearm(self) -> float:
        return 0.150 * self.height_m * self.arm_ratio

    @property
    def hand(self) -> float:
        return 0.085 * self.height_m * self.arm_ratio

    @property
    def torso(self) -> float:
        """Hip joint centre to shoulder joint centre."""
        return 0.288 * self.height_m

    @property
    def neck(self) -> float:
        """Shoulder line to the centre of the head."""
        return 0.118 * self.height_m

    @property
    def head_r(self) -> float:
        return 0.058 * self.height_m

    @property
    def shoulder_half(self) -> float:
        return 0.105 * self.height_m * self.shoulder_ratio

    @property
    def hip_half(self) -> float:
        return 0.068 * self.height_m * (0.5 + 0.5 * self.build)

    @property
    def foot(self) -> float:
        return 0.15 * self.height_m

    @property
    def standing_hip_h(self) -> float:
        return self.ankle_h + self.shank + self.thigh

    def radius(self, part: str) -> float:
        """Drawn half-thickness of a body part (m)."""
        base = {
            "upper_arm": 0.030, "forearm": 0.024, "hand": 0.020, "thigh": 0.048, "shank": 0.034,
            "neck": 0.026, "shoe": 0.024, "chest_depth": 0.068, "waist_depth": 0.060,
        }[part]
        return base * self.height_m * self.build


def unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n > 1e-12 else v


def sagittal(theta_deg: float) -> np.ndarray:
    """Unit vector in the f-u plane, `theta_deg` from straight down towards forward (90 = forward, 180 = up)."""
    t = np.radians(theta_deg)
    return np.array([np.sin(t), -np.cos(t), 0.0])


def torso_axes(pitch_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """(up, front) of a torso pitched forward by `pitch_deg` from upright (90 = face down, -90 = lying on the back)."""
    p = np.radians(pitch_deg)
    up = np.array([np.sin(p), np.cos(p), 0.0])
    front = np.array([np.cos(p), -np.sin(p), 0.0])
    return up, front


def limb_dir(down: np.ndarray, front: np.ndarray, side: str, elev_deg: float, plane_deg: float) -> np.ndarray:
    """Direction of a limb raised `elev_deg` from hanging along `down`, in a plane `plane_deg` from the
    sagittal one (0 = straight forward flexion, 90 = sideways abduction)."""
    e, pl = np.radians(elev_deg), np.radians(plane_deg)
    out = np.cos(pl) * front + np.sin(pl) * SIGN[side] * L
    return unit(np.cos(e) * down + np.sin(e) * out)


def bend(upper: np.ndarray, flex_deg: float, hint: np.ndarray) -> np.ndarray:
    """The next segment's direction after a hinge flexes `flex_deg` from straight, bending towards `hint`."""
    h = hint - np.dot(hint, upper) * upper
    if np.linalg.norm(h) < 1e-6:  # hint parallel to the limb: any perpendicular will do
        h = np.cross(upper, L) if abs(upper[2]) < 0.9 else np.cross(upper, F)
    h = unit(h)
    f = np.radians(flex_deg)
    return unit(np.cos(f) * upper + np.sin(f) * h)


def two_link(
    root: np.ndarray, end: np.ndarray, l1: float, l2: float, hint: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Middle joint of a two-segment limb from `root` to `end`, bent towards `hint`.

    Returns (middle, end'); end' equals `end` unless the limb cannot reach it (then it is pulled in along
    the line: a straight limb) or cannot fold that far (then it is pushed out).
    """
    d = end - root
    dist = float(np.linalg.norm(d))
    axis = unit(d)
    # Out of reach (or folded closer than the segments allow): move the end along the line.
    clamped = min(max(dist, abs(l1 - l2) + 1e-6), l1 + l2 - 1e-6)
    if clamped != dist:
        dist = clamped
        end = root + axis * dist
    a = (l1 * l1 - l2 * l2 + dist * dist) / (2 * dist)
    h = np.sqrt(max(l1 * l1 - a * a, 0.0))
    perp = hint - np.dot(hint, axis) * axis
    perp = unit(perp) if np.linalg.norm(perp) > 1e-9 else unit(np.cross(axis, L))
    return root + axis * a + perp * h, end


def joint_angle(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    """The 3D angle a-b-c at b in degrees."""
    u, v = unit(a - b), unit(c - b)
    return float(np.degrees(np.arccos(np.clip(np.dot(u, v), -1.0, 1.0))))


@dataclass
class Skeleton:
    """3D points of one posed body (body frame, metres) and the head's orientation.

    Keys: pelvis, neck, head, {left,right}_{shoulder,elbow,wrist,hand,hip,knee,ankle,heel,toe}.
    """

    points: dict[str, np.ndarray]
    torso_up: np.ndarray
    torso_front: np.ndarray
    head_up: np.ndarray
    head_front: np.ndarray
    dumbbells: dict[str, np.ndarray] = field(default_factory=dict)  # side -> grip axis (unit), held at the hand
    left_axis: np.ndarray | None = None  # the body's left once turned on the floor (walking); None = L

    def __getitem__(self, key: str) -> np.ndarray:
        return self.points[key]


class Poser:
    """Builds a Skeleton piece by piece; exercise scripts use its verbs (torso, arm, leg_*, foot)."""

    def __init__(self, body: BodyParams) -> None:
        self.b = body
        self.p: dict[str, np.ndarray] = {}
        self.up = U.copy()
        self.front = F.copy()
        self.grips: dict[str, np.ndarray] = {}

    def torso(self, pelvis: np.ndarray, pitch_deg: float) -> Poser:
        b = self.b
        self.up, self.front = torso_axes(pitch_deg)
        self.p["pelvis"] = np.asarray(pelvis, dtype=float)
        self.p["neck"] = self.p["pelvis"] + self.up * b.torso
        for s in SIDES:
            self.p[f"{s}_hip"] = self.p["pelvis"] + SIGN[s] * L * b.hip_half
            self.p[f"{s}_shoulder"] = self.p["neck"] + SIGN[s] * L * b.shoulder_half
        return self

    def torso_from_shoulder(self, neck: np.ndarray, pelvis: np.ndarray) -> Poser:
        """Torso placed by its two ends (length is taken from the body, direction from the points)."""
        d = unit(np.asarray(neck, float) - np.asarray(pelvis, float))
        pitch = float(np.degrees(np.arctan2(d[0], d[1])))
        return self.torso(pelvis, pitch)

    def arm(self, side: str, elev_deg: float, plane_deg: float, elbow_flex_deg: float, hint: np.ndarray | None = None,
            wrist_flex_deg: float = 0.0) -> Poser:
        """Free arm, angles relative to the torso; the forearm bends towards `hint` (default: the torso's front)."""
        b = self.b
        down = -self.up
        upper = limb_dir(down, self.front, side, elev_deg, plane_deg)
        fore = bend(upper, elbow_flex_deg, self.front if hint is None else hint)
        sh = self.p[f"{side}_shoulder"]
        self.p[f"{side}_elbow"] = sh + upper * b.upper_arm
        self.p[f"{side}_wrist"] = self.p[f"{side}_elbow"] + fore * b.forearm
        hand = bend(fore, wrist_flex_deg, self.front) if wrist_flex_deg else fore
        self.p[f"{side}_hand"] = self.p[f"{side}_wrist"] + hand * b.hand
        return self

    def arm_to(self, side: str, wrist: np.ndarray, hint: np.ndarray, hand_dir: np.ndarray) -> Poser:
        """Arm whose wrist is placed (hands on the floor, on the chest); the elbow bends towards `hint`."""
        b = self.b
        elbow, wrist = two_link(self.p[f"{side}_shoulder"], np.asarray(wrist, float), b.upper_arm, b.forearm, hint)
        self.p[f"{side}_elbow"], self.p[f"{side}_wrist"] = elbow, wrist
        self.p[f"{side}_hand"] = wrist + unit(hand_dir) * b.hand
        return self

    def leg(self, side: str, elev_deg: float, plane_deg: float, knee_flex_deg: float, pitch_deg: float = 0.0) -> Poser:
        """Free leg: thigh raised `elev_deg` from hanging (relative to a frame pitched `pitch_deg`), knee flexed."""
        b = self.b
        up, front = torso_axes(pitch_deg)
        thigh = limb_dir(-up, front, side, elev_deg, plane_deg)
        shank = bend(thigh, knee_flex_deg, -front)
        hip = self.p[f"{side}_hip"]
        self.p[f"{side}_knee"] = hip + thigh * b.thigh
        self.p[f"{side}_ankle"] = self.p[f"{side}_knee"] + shank * b.shank
        return self

    def leg_to(self, side: str, ankle: np.ndarray, hint: np.ndarray) -> Poser:
        """Leg whose ankle is placed (planted foot); the knee bends towards `hint`."""
        b = self.b
        knee, ankle = two_link(self.p[f"{side}_hip"], np.asarray(ankle, float), b.thigh, b.shank, hint)
        self.p[f"{side}_knee"], self.p[f"{side}_ankle"] = knee, ankle
        return self

    def foot(self, side: str, toe_dir: np.ndarray | None = None, sole_down: np.ndarray | None = None) -> Poser:
        """Heel and toe from the ankle; default a flat foot pointing forward."""
        b = self.b
        td = unit(np.asarray(F if toe_dir is None else toe_dir, float))
        down = unit(np.asarray(-U if sole_down is None else sole_down, float))
        a = self.p[f"{side}_ankle"] + SIGN[side] * L * 0.01 * b.height_m
        self.p[f"{side}_toe"] = a + td * b.foot * 0.76 + down * b.ankle_h * 0.75
        self.p[f"{side}_heel"] = a - td * b.foot * 0.22 + down * b.ankle_h * 0.75
        return self

    def dumbbell(self, side: str, axis: np.ndarray) -> Poser:
        """A dumbbell in this hand, its bar along `axis` (lateral for curls, forward for a neutral grip)."""
        self.grips[side] = unit(np.asarray(axis, float))
        return self

    def done(self, head_pitch_deg: float = 0.0, head_yaw_deg: float = 0.0) -> Skeleton:
        """Adds the head (tilted forward `head_pitch_deg` relative to the torso) and returns the Skeleton."""
        b = self.b
        p = np.radians(head_pitch_deg)
        head_up = unit(np.cos(p) * self.up + np.sin(p) * self.front)
        head_front = unit(np.cos(p) * self.front - np.sin(p) * self.up)
        if head_yaw_deg:
            y = np.radians(head_yaw_deg)
            head_front = unit(np.cos(y) * head_front + np.sin(y) * L)
        self.p["head"] = self.p["neck"] + head_up * b.neck
        missing = [k for k in REQUIRED if k not in self.p]
        if missing:
            raise InputError(f"pose script left body points unset: {missing}")
        return Skeleton(dict(self.p), self.up.copy(), self.front.copy(), head_up, head_front, dict(self.grips))


REQUIRED = tuple(
    ["pelvis", "neck"]
    + [f"{s}_{j}" for s in SIDES for j in ("shoulder", "elbow", "wrist", "hand", "hip", "knee", "ankle", "heel", "toe")]
)


def face_points(sk: Skeleton, body: BodyParams) -> dict[str, np.ndarray]:
    """The COCO face keypoints (nose, eyes, ears) on the head sphere, with their outward normals."""
    c, r = sk["head"], body.head_r
    fr, up = sk.head_front, sk.head_up
    # Body coordinates have l = f x u (left-handed on purpose: l always means the athlete's left).
    lat = unit(np.cross(fr, up))
    pts = {
        "nose": (c + fr * r * 1.08 - up * r * 0.12, fr),
        "left_eye": (c + fr * r * 0.86 + up * r * 0.18 + lat * r * 0.36, unit(fr + 0.45 * lat)),
        "right_eye": (c + fr * r * 0.86 + up * r * 0.18 - lat * r * 0.36, unit(fr - 0.45 * lat)),
        "left_ear": (c + lat * r * 0.92 - fr * r * 0.08, lat),
        "right_ear": (c - lat * r * 0.92 - fr * r * 0.08, -lat),
    }
    return pts
