"""A stick figure posed by joint angles, projected to a side or front camera: synthetic keypoint tracks.

Standing exercises use a small 3D forward-kinematics model (x forward, y up, z to the person's left; the
person faces +x) projected orthographically; floor exercises are built directly in the side view's plane.
Lengths are pixels of a person about 420 px tall. Tests drive the joint angles with smooth rep curves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from fitness.pose.types import Keypoint, Pose

TORSO, THIGH, SHIN, UPPER_ARM, FOREARM = 120.0, 105.0, 100.0, 75.0, 65.0
SHOULDER_W, HIP_W, HEAD = 90.0, 55.0, 45.0
CENTER = (320.0, 400.0)  # image position of the world origin (floor below the pelvis)
K = Keypoint


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def _limb_dir(flex_deg: float, abd_deg: float, s: float) -> np.ndarray:
    """Direction of a limb hanging down, flexed forward by flex and abducted sideways by abd."""
    f, b = math.radians(flex_deg), math.radians(abd_deg)
    return _unit(np.array([math.sin(f) * math.cos(b), -math.cos(f) * math.cos(b), s * math.sin(b)]))


@dataclass
class Standing:
    """Joint angles of a standing figure (degrees). Pairs are (left, right).

    pelvis_y: pelvis height above the floor. torso_pitch: forward lean (+) / backward lean (-).
    hip_flex: thigh swung forward from hanging; knee_bend: 0 = straight (knee angle = 180 - bend).
    arm_flex / arm_abd: upper arm forward / sideways from hanging; elbow_bend: 0 = straight (negative in the
    "up" plane: the forearm hangs below the upper arm).
    elbow_plane: "forward" (curls: forearm comes up in front) or "up" (press, raises: forearm turns up).
    """

    pelvis_y: float = THIGH + SHIN
    torso_pitch: float = 0.0
    hip_flex: tuple[float, float] = (0.0, 0.0)
    knee_bend: tuple[float, float] = (0.0, 0.0)
    leg_abd: tuple[float, float] = (4.0, 4.0)
    arm_flex: tuple[float, float] = (0.0, 0.0)
    arm_abd: tuple[float, float] = (8.0, 8.0)
    elbow_bend: tuple[float, float] = (5.0, 5.0)
    elbow_plane: str = "forward"
    knee_in: tuple[float, float] = (0.0, 0.0)  # knees pulled toward the midline (valgus), pixels

    def points3d(self) -> np.ndarray:
        p = np.zeros((17, 3))
        pelvis = np.array([0.0, self.pelvis_y, 0.0])
        pitch = math.radians(self.torso_pitch)
        up = np.array([math.sin(pitch), math.cos(pitch), 0.0])
        fwd = np.array([math.cos(pitch), -math.sin(pitch), 0.0])
        z = np.array([0.0, 0.0, 1.0])
        neck = pelvis + TORSO * up
        nose = neck + HEAD * up + 0.25 * HEAD * fwd
        p[K.NOSE] = nose
        for s, eye, ear in ((1, K.LEFT_EYE, K.LEFT_EAR), (-1, K.RIGHT_EYE, K.RIGHT_EAR)):
            p[eye] = nose + 0.15 * HEAD * up + 0.15 * HEAD * s * z - 0.05 * HEAD * fwd
            p[ear] = nose + 0.1 * HEAD * up + 0.35 * HEAD * s * z - 0.35 * HEAD * fwd
        for i, s in enumerate((1.0, -1.0)):
            sh = neck + s * SHOULDER_W / 2 * z
            hip = pelvis + s * HIP_W / 2 * z
            d_th = _limb_dir(self.hip_flex[i], self.leg_abd[i], s)
            knee = hip + THIGH * d_th
            # Joints bend in one plane: the knee in the sagittal plane (the shin swings back by the bend),
            # the elbow forward (curls) or upward in the frontal plane (press, raises).
            ankle = knee + SHIN * _limb_dir(self.hip_flex[i] - self.knee_bend[i], self.leg_abd[i], s)
            knee = knee - s * self.knee_in[i] * z  # valgus moves the knee alone; the foot stays planted
            d_ua = _limb_dir(self.arm_flex[i], self.arm_abd[i], s)
            elbow = sh + UPPER_ARM * d_ua
            if self.elbow_plane == "forward":
                d_fa = _limb_dir(self.arm_flex[i] + self.elbow_bend[i], self.arm_abd[i], s)
            else:
                d_fa = _limb_dir(self.arm_flex[i], self.arm_abd[i] + self.elbow_bend[i], s)
            wrist = elbow + FOREARM * d_fa
            side = (K.LEFT_SHOULDER, K.LEFT_ELBOW, K.LEFT_WRIST, K.LEFT_HIP, K.LEFT_KNEE, K.LEFT_ANKLE) if s > 0 else (
                K.RIGHT_SHOULDER, K.RIGHT_ELBOW, K.RIGHT_WRIST, K.RIGHT_HIP, K.RIGHT_KNEE, K.RIGHT_ANKLE)
            for k, v in zip(side, (sh, elbow, wrist, hip, knee, ankle)):
                p[k] = v
        return p


YAW_DEG = 0.0  # the camera turned this far around the person from the nominal view (tests set it)


def project(p3: np.ndarray, view: str) -> np.ndarray:
    """(17, 3) world points -> (17, 2) pixels. side: camera at the person's left; front: facing them.
    YAW_DEG turns the camera around the vertical axis (an oblique view)."""
    base = 0.0 if view == "side" else 90.0
    a = np.radians(base + YAW_DEG)
    u = p3[:, 0] * np.cos(a) + p3[:, 2] * np.sin(a)
    return np.stack([CENTER[0] + u, CENTER[1] - p3[:, 1]], axis=1)


def pose_from(xy: np.ndarray, t: float, view: str, rng: np.random.Generator | None = None, noise_px: float = 0.0,
              hidden: tuple[int, ...] = ()) -> Pose:
    """A Pose with scores like MoveNet's: high on the near side; the far side lower in side views."""
    xy = np.array(xy, dtype=np.float64)
    if rng is not None and noise_px > 0:
        xy = xy + rng.normal(0.0, noise_px, xy.shape)
    score = np.full(17, 0.9)
    if view == "side":
        score[
            [
                K.RIGHT_SHOULDER,
                K.RIGHT_ELBOW,
                K.RIGHT_WRIST,
                K.RIGHT_HIP,
                K.RIGHT_KNEE,
                K.RIGHT_ANKLE,
                K.RIGHT_EYE,
                K.RIGHT_EAR,
            ]
        ] = 0.55
    for i in hidden:
        score[i] = 0.05
    return Pose(xy.astype(np.float32), score.astype(np.float32), t)


# ---------------------------------------------------------------------------------------------------
# Floor exercises, built in the side view's image plane (u right, v up; converted to pixels at the end)
# ---------------------------------------------------------------------------------------------------
def _circle_meet(a: np.ndarray, ra: float, b: np.ndarray, rb: float, key=lambda q: q[1]) -> np.ndarray:
    """The point at distance ra from a and rb from b; of the two, the one with the largest key (default: upper)."""
    d = float(np.linalg.norm(b - a))
    d = min(max(d, abs(ra - rb) + 1e-6), ra + rb - 1e-6)
    x = (d * d + ra * ra - rb * rb) / (2 * d)
    h = math.sqrt(max(ra * ra - x * x, 0.0))
    e = (b - a) / np.linalg.norm(b - a)
    n = np.array([-e[1], e[0]])
    c = a + x * e
    cand = (c + h * n, c - h * n)
    return max(cand, key=key)


def _to_pixels(named: dict[int, np.ndarray]) -> np.ndarray:
    """2D points (u right, v up) for the near (left) side -> (17, 2) pixels, far side offset a little."""
    xy = np.zeros((17, 2))
    pairs = [(K.LEFT_SHOULDER, K.RIGHT_SHOULDER), (K.LEFT_ELBOW, K.RIGHT_ELBOW), (K.LEFT_WRIST, K.RIGHT_WRIST),
             (K.LEFT_HIP, K.RIGHT_HIP), (K.LEFT_KNEE, K.RIGHT_KNEE), (K.LEFT_ANKLE, K.RIGHT_ANKLE),
             (K.LEFT_EYE, K.RIGHT_EYE), (K.LEFT_EAR, K.RIGHT_EAR)]
    for left, right in pairs:
        q = named[left]
        xy[left] = (CENTER[0] - 200 + q[0], CENTER[1] - q[1])
        xy[right] = xy[left] + (3.0, -2.0)
    q = named[K.NOSE]
    xy[K.NOSE] = (CENTER[0] - 200 + q[0], CENTER[1] - q[1])
    return xy


def _head(shoulder: np.ndarray, direction: np.ndarray) -> dict[int, np.ndarray]:
    nose = shoulder + HEAD * 1.2 * direction
    return {K.NOSE: nose, K.LEFT_EYE: nose + (0, 5), K.LEFT_EAR: nose - 0.3 * HEAD * direction + (0, 3)}


def push_up(elbow_deg: float, sag_t: float = 0.0, forearm_plank: bool = False) -> np.ndarray:
    """Side view, head to the right. sag_t: hip below (+) / above (-) the shoulder-ankle line, torso units."""
    ankle = np.array([0.0, 8.0])
    if forearm_plank:
        height = UPPER_ARM
    else:
        height = math.sqrt(UPPER_ARM**2 + FOREARM**2 - 2 * UPPER_ARM * FOREARM * math.cos(math.radians(elbow_deg)))
    length = THIGH + SHIN + TORSO
    rise = height + 8.0 - ankle[1]
    run = math.sqrt(length**2 - rise**2)
    shoulder = ankle + (run, rise)
    e = (shoulder - ankle) / length
    normal = np.array([e[1], -e[0]])  # pointing down from the body line
    hip = ankle + (THIGH + SHIN) * e + sag_t * TORSO * normal
    knee = ankle + SHIN * e + 0.5 * sag_t * TORSO * normal * SHIN / (THIGH + SHIN)
    if forearm_plank:
        elbow = shoulder - (0.0, UPPER_ARM)
        wrist = elbow + (FOREARM, 0.0)
    else:
        wrist = np.array([shoulder[0], 8.0])
        elbow = _circle_meet(shoulder, UPPER_ARM, wrist, FOREARM, key=lambda q: -q[0])  # elbows point to the feet
    named = {K.LEFT_SHOULDER: shoulder, K.LEFT_ELBOW: elbow, K.LEFT_WRIST: wrist, K.LEFT_HIP: hip, K.LEFT_KNEE: knee,
             K.LEFT_ANKLE: ankle, **_head(shoulder, e)}
    return _to_pixels(named)


def push_up_front(elbow_deg: float, flare_deg: float = 60.0) -> np.ndarray:
    """A push-up filmed end-on: a phone propped ahead of the hands at about half the person's standing height
    (200 px here), looking horizontally at the head (pinhole camera).

    The side-view body line is lifted into 3D (x toward the head, y up, z to the person's left); the upper
    arms flare sideways by flare_deg, as most people's do, which is what makes the elbow bend visible from
    the front. The body points at the lens, so the torso looks short and the feet appear above the hands.
    """
    side = push_up(elbow_deg)
    u = side[:, 0] - (CENTER[0] - 200)  # back to the side plane: u toward the head, v up
    v = CENTER[1] - side[:, 1]
    half = {K.LEFT_SHOULDER: SHOULDER_W / 2, K.LEFT_HIP: HIP_W / 2, K.LEFT_KNEE: HIP_W / 2, K.LEFT_ANKLE: HIP_W / 2 - 5,
            K.LEFT_WRIST: SHOULDER_W / 2 + 25, K.LEFT_EYE: 0.15 * HEAD, K.LEFT_EAR: 0.35 * HEAD}
    p = np.zeros((17, 3))
    p[K.NOSE] = (u[K.NOSE], v[K.NOSE], 0.0)
    for left, z in half.items():
        for k, s in ((left, 1.0), (left + 1, -1.0)):
            p[k] = (u[left], v[left], s * z)
    a = math.radians(flare_deg)
    for elbow, shoulder, wrist, s in ((K.LEFT_ELBOW, K.LEFT_SHOULDER, K.LEFT_WRIST, 1.0),
                                      (K.RIGHT_ELBOW, K.RIGHT_SHOULDER, K.RIGHT_WRIST, -1.0)):
        # The elbow: UPPER_ARM from the shoulder, FOREARM from the planted hand, as far back and out as it goes.
        sw = p[wrist] - p[shoulder]
        d = float(np.linalg.norm(sw))
        e = sw / d
        x = (d * d + UPPER_ARM**2 - FOREARM**2) / (2 * d)
        h = math.sqrt(max(UPPER_ARM**2 - x * x, 0.0))
        pref = np.array([-math.cos(a), 0.0, s * math.sin(a)])
        n = _unit(pref - np.dot(pref, e) * e)
        p[elbow] = p[shoulder] + x * e + h * n
    cam_x, cam_y, focal = u[K.LEFT_WRIST] + 220.0, 200.0, 500.0
    depth = cam_x - p[:, 0]
    # Image x: the person's left on the image's right (they face the camera); y down.
    return np.stack([CENTER[0] + focal * p[:, 2] / depth, 300.0 - focal * (p[:, 1] - cam_y) / depth], axis=1)


def sit_up(torso_deg: float, knee_deg: float = 80.0, feet_lift_t: float = 0.0) -> np.ndarray:
    """Side view, feet to the right. torso_deg: torso from vertical (90 lying). knee_deg: knee angle."""
    hip = np.array([0.0, 15.0])
    phi = math.radians(torso_deg)
    shoulder = hip + TORSO * np.array([-math.sin(phi), math.cos(phi)])
    hip_ankle = math.sqrt(THIGH**2 + SHIN**2 - 2 * THIGH * SHIN * math.cos(math.radians(knee_deg)))
    lift = feet_lift_t * TORSO
    ankle = hip + (math.sqrt(max(hip_ankle**2 - (lift - 5.0) ** 2, 1.0)), lift - 5.0)
    knee = _circle_meet(hip, THIGH, ankle, SHIN)
    torso_dir = (shoulder - hip) / TORSO
    elbow = shoulder - 0.4 * TORSO * torso_dir + (8.0, 0.0)
    wrist = shoulder + (12.0, 0.0)
    named = {K.LEFT_SHOULDER: shoulder, K.LEFT_ELBOW: elbow, K.LEFT_WRIST: wrist, K.LEFT_HIP: hip, K.LEFT_KNEE: knee,
             K.LEFT_ANKLE: ankle, **_head(shoulder, torso_dir)}
    return _to_pixels(named)


def bridge(lift_deg: float, feet_far: bool = False, hip_drop_deg: float = 0.0) -> np.ndarray:
    """Side view, shoulders on the floor at the left, feet to the right. lift_deg: torso rise from the floor.

    hip_drop_deg lowers the hip below the shoulder-knee line (a bridge that does not extend the hips).
    """
    shoulder = np.array([0.0, 15.0])
    lam = math.radians(lift_deg)
    hip = shoulder + TORSO * np.array([math.cos(lam), math.sin(lam)])
    ankle = np.array([TORSO + (175.0 if feet_far else 95.0), 10.0])
    knee = _circle_meet(hip, THIGH, ankle, SHIN)
    if hip_drop_deg:
        hip = shoulder + TORSO * np.array(
            [math.cos(lam - math.radians(hip_drop_deg)), math.sin(lam - math.radians(hip_drop_deg))]
        )
        knee = _circle_meet(hip, THIGH, ankle, SHIN)
    elbow = shoulder + (30.0, -5.0)
    wrist = shoulder + (60.0, -5.0)
    named = {K.LEFT_SHOULDER: shoulder, K.LEFT_ELBOW: elbow, K.LEFT_WRIST: wrist, K.LEFT_HIP: hip, K.LEFT_KNEE: knee,
             K.LEFT_ANKLE: ankle, **_head(shoulder, np.array([-1.0, 0.05]))}
    return _to_pixels(named)


# ---------------------------------------------------------------------------------------------------
# Rep curves
# ---------------------------------------------------------------------------------------------------
def rep_curve(
    reps: int, rep_s: float = 2.0, rest_s: float = 0.6, fps: float = 30.0, lead_s: float = 1.0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Times, a 0..1 depth curve (0 = rest, 1 = target, a raised cosine per rep) and the rep index per frame
    (-1 between reps)."""
    total = lead_s + reps * (rep_s + rest_s) + lead_s
    t = np.arange(0.0, total, 1.0 / fps)
    depth = np.zeros_like(t)
    index = np.full(t.shape, -1)
    for r in range(reps):
        start = lead_s + r * (rep_s + rest_s)
        inside = (t >= start) & (t < start + rep_s)
        phase = (t[inside] - start) / rep_s
        depth[inside] = (1 - np.cos(2 * np.pi * phase)) / 2
        index[inside] = r
    return t, depth, index
