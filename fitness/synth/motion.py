"""Motion scripts: how each shipped exercise moves, with real joint ranges and the injectable faults.

A script turns a `Moment` (how far into the rep, which faults, which side) into a 3D `Skeleton`. Angles are
those of real people doing the exercise (squat knee ~172 deg at the top to ~80 deg at the bottom, push-up
elbow ~168 to ~85 deg, ...); faults change the joint the form rule watches, by a clear but realistic amount.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from fitness.synth.body import SIDES, SIGN, BodyParams, F, L, Poser, Skeleton, U, joint_angle, unit
from fitness.synth.timeline import Tempo, min_jerk


@dataclass(frozen=True)
class Moment:
    """Where the body is in its script.

    x: progress towards the turnaround, already scaled by the rep's amplitude (partial reps stay low).
    u: the unscaled phase (faults ramp in with it, so a faulty rep is clean at rest).
    style: per-clip variations in [-1, 1] (how deep this athlete goes, stance width, ...).
    jitter: per-rep variations in [-1, 1].
    t: seconds since the clip started (for idle sway).
    """

    x: float = 0.0
    u: float = 0.0
    faults: frozenset[str] = frozenset()
    side: str | None = None
    style: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0)
    jitter: tuple[float, ...] = (0.0, 0.0, 0.0)
    t: float = 0.0
    view: str = "side"

    def fault(self, rule_id: str) -> float:
        """How strongly `rule_id` shows now: 0 when absent or at rest, up to 1 at the turnaround."""
        return self.u if rule_id in self.faults else 0.0

    def moving(self, side: str) -> bool:
        """Whether the arm (or leg) on `side` works in this rep (both do when the rep has no side)."""
        return self.side is None or self.side == side


# Filmed at an angle (view "oblique") people do it as they would anyway: the press grip (elbows out or
# forward) and the push-up elbow flare are the clip's own, from its style, for every exercise.
OBLIQUE = "oblique"
PRESS_SIDE_PLANE_DEG = 10.0  # neutral-grip press seen from the side: elbows forward of the frontal plane
PRESS_SIDE_RACK_DEG = 60.0  # upper arm elevation at the start of a press filmed from the side
SQUAT_ARM_PLANE_DEG = 20.0  # arms reach forward at the bottom of a squat, this far out from parallel


def lerp(a: float, b: float, x: float) -> float:
    return a + (b - a) * x


def _sway(m: Moment, amp_deg: float = 1.0) -> float:
    """A slow idle sway (breathing, balance), so rest is never frozen still."""
    return amp_deg * np.sin(2 * np.pi * 0.31 * m.t + 3.0 * m.style[0])


def _stand(p: Poser, b: BodyParams, pelvis_f: float, stance_half: float, lean_deg: float, knee_bend: float = 0.0,
           toe_out: float = 0.15) -> None:
    """Standing legs: ankles planted at `stance_half` each side, slightly soft knees."""
    drop = (
        b.thigh
        + b.shank
        - np.sqrt(max(b.thigh**2 + b.shank**2 + 2 * b.thigh * b.shank * np.cos(np.radians(knee_bend)), 0))
    )
    lateral = max(stance_half - b.hip_half, 0.0)
    h = np.sqrt(max((b.thigh + b.shank - drop) ** 2 - lateral**2, 0.0))
    p.torso(np.array([pelvis_f, b.ankle_h + h, 0.0]), lean_deg)
    for s in SIDES:
        ankle = np.array([0.0, b.ankle_h, SIGN[s] * stance_half])
        p.leg_to(s, ankle, F + 0.2 * SIGN[s] * L)
        p.foot(s, F + toe_out * SIGN[s] * L)


# --- squats -----------------------------------------------------------------------------------------------------


def squats(b: BodyParams, m: Moment) -> Skeleton:
    x = m.x
    bottom_knee = 84.0 + 6.0 * m.style[1] + 2.0 * m.jitter[0]
    knee = lerp(172.0, bottom_knee, x)
    shank_tilt = lerp(3.0, 30.0 + 3.0 * m.style[2], x)
    thigh_tilt = 180.0 - knee - shank_tilt
    lean = lerp(3.0 + _sway(m), 32.0 + 3.0 * m.style[3] + 2.0 * m.jitter[1], x)
    lean = lerp(lean, 58.0 + 2.0 * m.jitter[1], m.fault("chest_up"))
    stance = 0.125 * b.height_m * (1.0 + 0.1 * m.style[2])
    # Sagittal chain from the planted ankle: shank forward, thigh back up to the hip.
    st, tt = np.radians(shank_tilt), np.radians(thigh_tilt)
    lateral = stance - b.hip_half
    sag = lambda length: np.sqrt(max(length**2 - (lateral * 0.5) ** 2, 1e-6))  # noqa: E731
    knee_p = np.array([np.sin(st) * sag(b.shank), b.ankle_h + np.cos(st) * sag(b.shank)])
    hip_p = knee_p + np.array([-np.sin(tt) * sag(b.thigh), np.cos(tt) * sag(b.thigh)])
    p = Poser(b).torso(np.array([hip_p[0], hip_p[1], 0.0]), lean)
    cave = m.fault("knees_cave")
    for s in SIDES:
        out = SIGN[s] * L
        hint = F + out * lerp(0.35, -0.05, cave)  # valgus: knees ~60% of the ankle width apart
        p.leg_to(s, np.array([0.0, b.ankle_h, SIGN[s] * stance]), hint)
        p.foot(s, F + 0.25 * out)
        # Arms reach forward for balance as the hips sink.
        p.arm(s, lerp(10.0, 75.0 + lean, x), lerp(14.0, SQUAT_ARM_PLANE_DEG, x), lerp(12.0, 18.0, x))
    return p.done(head_pitch_deg=-0.6 * lean)


# --- push-ups and plank -----------------------------------------------------------------------------------------


def _circle_meet(c1: np.ndarray, r1: float, c2: np.ndarray, r2: float) -> np.ndarray:
    """The upper intersection of two circles in the f-u plane (nearest point when they do not meet)."""
    d = float(np.linalg.norm(c2 - c1))
    d = min(max(d, abs(r1 - r2) + 1e-6), r1 + r2 - 1e-6)
    a = (r1 * r1 - r2 * r2 + d * d) / (2 * d)
    h = np.sqrt(max(r1 * r1 - a * a, 0.0))
    e = (c2 - c1) / np.linalg.norm(c2 - c1)
    base = c1 + e * a
    perp = np.array([-e[1], e[0]])
    cand = (base + perp * h, base - perp * h)
    return cand[0] if cand[0][1] >= cand[1][1] else cand[1]


def _plank_body(
    b: BodyParams, elbow_deg: float, hip_offset: float, m: Moment, hands_back: float = 0.0, elbow_out: float = 0.6
) -> Skeleton:
    """Straight-arm plank / push-up: toes and hands on the floor, elbow at `elbow_deg`, hips off the
    shoulder-ankle line by `hip_offset` metres (negative = sag, positive = pike). `hands_back` (metres) puts
    the hands that far behind the top-of-rep shoulder, towards the feet; `elbow_out` how far the elbows
    point sideways against backwards (1 = as much)."""
    H = b.height_m
    toe_dir = unit(np.array([0.45, -0.89, 0.0]))
    sole = unit(np.array([-0.89, -0.45, 0.0]))
    ankle_u = -(toe_dir[1] * b.foot * 0.76 + sole[1] * b.ankle_h * 0.75) + 0.005
    ankle = np.array([0.0, ankle_u])
    feet_half = 0.06 * H
    hand_half = b.shoulder_half * 1.15
    wrist_u = 0.03 * H
    legs = np.sqrt(max((b.thigh + b.shank) ** 2 - (b.hip_half - feet_half) ** 2, 0))
    reach = legs + b.torso  # ankle to mid-shoulder along a straight body

    def arm_span(e_deg: float) -> float:
        d3 = np.sqrt(b.upper_arm**2 + b.forearm**2 - 2 * b.upper_arm * b.forearm * np.cos(np.radians(e_deg)))
        return float(np.sqrt(max(d3**2 - (hand_half - b.shoulder_half) ** 2, 1e-6)))

    top = arm_span(168.0)
    wrist_f = float(np.sqrt(max(reach**2 - (wrist_u + top - ankle_u) ** 2, 0.0))) - hands_back
    wrist = np.array([wrist_f, wrist_u])
    neck = _circle_meet(ankle, reach, wrist, arm_span(elbow_deg))
    axis = (neck - ankle) / np.linalg.norm(neck - ankle)
    normal = np.array([-axis[1], axis[0]])
    if normal[1] < 0:
        normal = -normal
    hip = ankle + axis * legs + normal * hip_offset
    p = Poser(b).torso_from_shoulder(np.array([neck[0], neck[1], 0.0]), np.array([hip[0], hip[1], 0.0]))
    for s in SIDES:
        out = SIGN[s] * L
        p.leg_to(s, np.array([ankle[0], ankle[1], SIGN[s] * feet_half]), U + 0.1 * F)
        p.foot(s, toe_dir, sole)
        p.arm_to(
            s, np.array([wrist[0], wrist[1], SIGN[s] * hand_half]), -F * 0.8 + out * elbow_out + U * 0.2, F + 0.2 * out
        )
    return p.done(head_pitch_deg=-12.0 + _sway(m, 3.0))


# Hands under the lower chest rather than under the shoulders, so at the bottom the upper arm is near level
# and the shoulders come down to about a forearm above the hands (chest near the floor), as in real push-ups.
PUSH_UP_HANDS_BACK = 0.09  # x height
PUSH_UP_BOTTOM_ELBOW_DEG = 80.0
# Elbows tucked about 25 degrees from the body, as coached; side-on, real push-ups then read 55-85 degrees
# at the elbow at the bottom (a wide flare would point the near elbow at the camera and read wider).
PUSH_UP_ELBOW_OUT = 0.35
# Filmed end-on, people differ: from tucked to a ~60 deg flare (per clip, from its style), as the flare is what
# makes the elbow bend visible from the front.
PUSH_UP_FRONT_ELBOW_OUT = (0.35, 1.4)


def push_ups(b: BodyParams, m: Moment, elbow_out: float | None = None) -> Skeleton:
    """elbow_out: how far the elbows point sideways against backwards (1.4 is a ~60 deg flare); None = tucked
    from the side, the clip's own from the front."""
    if elbow_out is None:
        lo, hi = PUSH_UP_FRONT_ELBOW_OUT
        elbow_out = lerp(lo, hi, (m.style[3] + 1) / 2) if m.view in ("front", OBLIQUE) else PUSH_UP_ELBOW_OUT
    H = b.height_m
    elbow = lerp(168.0, PUSH_UP_BOTTOM_ELBOW_DEG + 5.0 * m.style[1] + 2.0 * m.jitter[0], m.x)
    offset = 0.006 * H * m.style[2]
    offset -= 0.075 * H * m.fault("hip_sag")
    offset += 0.10 * H * m.fault("hips_high")
    return _plank_body(b, elbow, offset, m, hands_back=PUSH_UP_HANDS_BACK * H, elbow_out=elbow_out)


def plank(b: BodyParams, m: Moment) -> Skeleton:
    H = b.height_m
    offset = 0.006 * H * m.style[2] + 0.002 * H * _sway(m)
    offset -= 0.075 * H * m.fault("hip_sag")
    offset += 0.10 * H * m.fault("hips_high")
    return _plank_body(b, 170.0 + _sway(m, 1.5), offset, m)


# --- standing arm exercises -------------------------------------------------------------------------------------


def bicep_curls(b: BodyParams, m: Moment) -> Skeleton:
    swing = m.fault("body_swing")
    lean = 2.0 + _sway(m) - 20.0 * swing
    p = Poser(b)
    _stand(p, b, 0.03 * b.height_m * swing, 0.09 * b.height_m, lean, knee_bend=4.0 + 8.0 * swing)
    for s in SIDES:
        # A single-arm rep: the other arm hangs as at rest.
        x = m.x if m.moving(s) else 0.0
        elev = lerp(4.0, 9.0, x) + lerp(0.0, 38.0, m.fault("elbow_drift") if m.moving(s) else 0.0)
        flex = lerp(12.0, 140.0 + 4.0 * m.style[1] + 2.0 * m.jitter[0], x)
        p.arm(s, elev, 14.0, flex, hint=F + 0.3 * SIGN[s] * L, wrist_flex_deg=10.0)
        p.dumbbell(s, L)
    return p.done(head_pitch_deg=-lean * 0.5)


def shoulder_press(b: BodyParams, m: Moment) -> Skeleton:
    p = Poser(b)
    _stand(p, b, 0.0, 0.11 * b.height_m, 1.0 + _sway(m))
    # From the side people press with a neutral grip, elbows forward; from the front, elbows out.
    elbows_out = m.view == "front" or (m.view == OBLIQUE and m.style[3] > 0)
    for s in SIDES:
        # A single-arm rep: the other arm stays in the rack position.
        lock = m.fault("lockout") if m.moving(s) else 0.0
        x = m.x if m.moving(s) else 0.0
        if s == "right" and "uneven_arms" in m.faults:
            x *= 0.35
        top_flex = lerp(8.0, 42.0, lock)
        elev = lerp(82.0 if elbows_out else PRESS_SIDE_RACK_DEG, lerp(170.0, 150.0, lock), x)
        plane = 58.0 if elbows_out else PRESS_SIDE_PLANE_DEG
        p.arm(s, elev, plane, lerp(92.0, top_flex, x), hint=p.up)
        p.dumbbell(s, L)
    return p.done()


def lateral_raises(b: BodyParams, m: Moment) -> Skeleton:
    p = Poser(b)
    _stand(p, b, 0.0, 0.1 * b.height_m, 3.0 + _sway(m))
    for s in SIDES:
        # A single-arm rep: the other arm hangs as at rest.
        on = m.moving(s)
        top = lerp(88.0 + 3.0 * m.style[1], 128.0, m.fault("arms_high") if on else 0.0)
        flex = lerp(16.0, 68.0, m.fault("bent_elbows") if on else 0.0)
        p.arm(s, lerp(12.0, top, m.x if on else 0.0), 80.0, flex, hint=F + 0.5 * U)
        p.dumbbell(s, F)
    return p.done()


def jumping_jacks(b: BodyParams, m: Moment) -> Skeleton:
    H, x = b.height_m, m.x
    hop = 0.03 * H * np.sin(np.pi * m.u) if m.u > 0 else 0.0
    feet = lerp(0.07 * H, lerp(0.25 * H, 0.085 * H, m.fault("feet_narrow")), x)
    lateral = max(feet - b.hip_half, 0.0)
    legs = b.thigh + b.shank - 0.01 * H
    pelvis = np.array([0.0, b.ankle_h + np.sqrt(legs**2 - lateral**2) + hop, 0.0])
    p = Poser(b).torso(pelvis, 2.0)
    arm_top = lerp(168.0, 98.0, m.fault("arms_low"))
    for s in SIDES:
        out = SIGN[s] * L
        p.leg_to(s, np.array([0.0, b.ankle_h + hop, SIGN[s] * feet]), F + 0.3 * out)
        p.foot(s, F + 0.3 * out)
        p.arm(s, lerp(8.0, arm_top, x), 88.0, 10.0, hint=U)
    return p.done()


# --- lunges -----------------------------------------------------------------------------------------------------


def lunges(b: BodyParams, m: Moment) -> Skeleton:
    H = b.height_m
    lead = m.side or "left"
    trail = "right" if lead == "left" else "left"
    # The first 35% of the phase is the step forward, the rest is the descent (scaled for partial reps).
    amp = m.x / m.u if m.u > 1e-6 else 1.0
    step = min_jerk(min(m.u / 0.35, 1.0))
    depth = max((m.u - 0.35) / 0.65, 0.0) * amp
    stride = (0.48 + 0.02 * m.style[1]) * H
    front_f = stride * step
    lift = 0.05 * H * np.sin(np.pi * step)
    knee = lerp(174.0, 90.0 + 4.0 * m.style[2] + 2.0 * m.jitter[0], depth)
    # Where the hips end up at the bottom: front shank near vertical, or well forward with knee_past_toes.
    bottom_knee = 90.0 + 4.0 * m.style[2]
    shank_tilt = 6.0 + 30.0 * (1.0 if "knee_past_toes" in m.faults else 0.0)
    tt = np.radians(180.0 - bottom_knee - shank_tilt)
    hip_bottom_f = stride + np.sin(np.radians(shank_tilt)) * b.shank - np.sin(tt) * b.thigh
    hip_f = lerp(lerp(0.0, 0.42 * stride, step), hip_bottom_f, depth)
    front_ankle = np.array([front_f, b.ankle_h + lift, SIGN[lead] * 0.07 * H])
    reach = np.sqrt(b.thigh**2 + b.shank**2 - 2 * b.thigh * b.shank * np.cos(np.radians(knee)))
    hip_u = front_ankle[1] + np.sqrt(max(reach**2 - (front_f - hip_f) ** 2, 0.01))
    lean = lerp(3.0 + _sway(m), 8.0, depth) + 32.0 * m.fault("torso_lean") * depth
    p = Poser(b).torso(np.array([hip_f, hip_u, 0.0]), lean)
    p.leg_to(lead, front_ankle, F)
    p.foot(lead, F + 0.1 * SIGN[lead] * L)
    back_u = lerp(b.ankle_h, 0.1 * H, depth)
    p.leg_to(trail, np.array([-0.03 * H * depth, back_u, SIGN[trail] * 0.07 * H]), F)
    toe = unit(np.array([1.0, -lerp(0.0, 1.1, depth), 0.0]))
    p.foot(trail, toe, unit(np.array([toe[1], -toe[0], 0.0])))
    for s in SIDES:
        p.arm(s, 6.0 + 4.0 * (step - depth), 12.0, 14.0)
    return p.done(head_pitch_deg=-0.5 * lean)


# --- floor exercises --------------------------------------------------------------------------------------------


def sit_ups(b: BodyParams, m: Moment) -> Skeleton:
    H, x = b.height_m, m.x
    pelvis = np.array([0.0, 0.085 * H, 0.0])
    pitch = lerp(-86.0, -14.0 + 4.0 * m.style[1], x)
    p = Poser(b).torso(pelvis, pitch)
    knee = lerp(78.0 + 4.0 * m.style[2], 138.0, m.fault("legs_straight"))
    d = np.sqrt(b.thigh**2 + b.shank**2 - 2 * b.thigh * b.shank * np.cos(np.radians(knee)))
    ankle_f = np.sqrt(max(d**2 - (pelvis[1] - b.ankle_h) ** 2, 0.0))
    lift = 0.075 * H * m.fault("feet_lift")
    for s in SIDES:
        p.leg_to(s, np.array([ankle_f, b.ankle_h + lift, SIGN[s] * 0.07 * H]), U + 0.2 * F)
        p.foot(s, unit(F + 0.1 * SIGN[s] * L + U * (lift / (0.3 * H))))
        p.arm(s, lerp(30.0, 62.0, x), 10.0, 8.0)
    return p.done(head_pitch_deg=lerp(8.0, 20.0, x))


def _bridge(b: BodyParams, neck: np.ndarray, beta_deg: float, ankle: np.ndarray) -> Poser:
    """Shoulders on the floor at `neck`, hips raised so the torso rises `beta_deg` from the floor, feet at `ankle`."""
    beta = np.radians(beta_deg)
    pelvis = neck + np.array([np.cos(beta), np.sin(beta), 0.0]) * b.torso
    p = Poser(b).torso_from_shoulder(neck, pelvis)
    for s in SIDES:
        p.leg_to(s, np.array([ankle[0], ankle[1], SIGN[s] * 0.08 * b.height_m]), U + 0.3 * F)
        p.foot(s, F + 0.1 * SIGN[s] * L)
        # Arms lie straight along the floor beside the body, palms down.
        drop = neck[1] - 0.03 * b.height_m
        reach = np.sqrt(max((0.995 * (b.upper_arm + b.forearm)) ** 2 - drop**2 - (0.03 * b.height_m) ** 2, 0.0))
        wrist = np.array([neck[0] + reach, 0.03 * b.height_m, SIGN[s] * (b.shoulder_half + 0.03 * b.height_m)])
        p.arm_to(s, wrist, -U + 0.3 * SIGN[s] * L, F)
    return p


def _bridge_top(b: BodyParams, neck: np.ndarray, hip_deg: float, knee_deg: float) -> tuple[float, np.ndarray]:
    """(beta, ankle) for a bridge whose top has the given hip and knee angles (solved numerically)."""
    best = (0.0, np.zeros(3), 1e9)
    for beta in np.linspace(5.0, 45.0, 81):
        pelvis = neck + np.array([np.cos(np.radians(beta)), np.sin(np.radians(beta)), 0.0]) * b.torso
        # Thigh continues the torso line, bent up by (180 - hip_deg).
        a = np.radians(beta + 180.0 - hip_deg)
        knee = pelvis + np.array([np.cos(a), np.sin(a), 0.0]) * b.thigh
        # Shank from the knee down to the floor at the requested knee angle.
        back = unit(pelvis - knee)
        k = np.radians(knee_deg)
        # Of the two rotations of the knee->hip direction by the knee angle, the shank is the one going forward.
        shanks = [
            np.array(
                [np.cos(k) * back[0] - sg * np.sin(k) * back[1], sg * np.sin(k) * back[0] + np.cos(k) * back[1], 0.0]
            )
            for sg in (1.0, -1.0)
        ]
        shank = max(shanks, key=lambda v: v[0])
        ankle = knee + shank * b.shank
        err = abs(ankle[1] - b.ankle_h)
        if err < best[2]:
            best = (float(beta), ankle, err)
    return best[0], np.array([best[1][0], b.ankle_h, 0.0])


def glute_bridges(b: BodyParams, m: Moment) -> Skeleton:
    H = b.height_m
    neck = np.array([0.0, 0.07 * H, 0.0])
    knee_top = lerp(95.0 + 3.0 * m.style[1], 124.0, m.fault("feet_far"))
    beta_top, ankle = _bridge_top(b, neck, 175.0, knee_top)
    if "hips_low" in m.faults:
        beta_top = _bridge_top(b, neck, 161.0, knee_top)[0]
    beta = lerp(2.0, beta_top, m.x)
    p = _bridge(b, neck, beta, ankle)
    # The head rests on the floor, chin slightly tucked.
    return p.done(head_pitch_deg=15.0 - beta * 0.8)


# How the sides take turns over a set: variant -> the side of reps 1, 2, ... (cycled); None = both together,
# ONE_SIDE = the one side the whole clip uses (drawn from the seed).
ONE_SIDE = "one"
VARIANT_SIDES: dict[str, tuple[str | None, ...]] = {
    "simultaneous": (None,),
    "alternating": ("left", "right"),
    "one_arm": (ONE_SIDE,),
    "one_leg": (ONE_SIDE,),
}


@dataclass(frozen=True)
class ExerciseScript:
    """How one exercise moves: its views, fault ids, partial-rep amplitude, tempo and pose function.

    variants: ways of doing it (keys of VARIANT_SIDES), the first is the default; () = one way, both sides
    together. both_arm_faults: faults that need both arms moving (not injectable in a single-arm variant).
    """

    name: str
    views: tuple[str, ...]
    faults: tuple[str, ...]
    pose: Callable[[BodyParams, Moment], Skeleton]
    tempo: Tempo = field(default_factory=Tempo)
    partial_amp: float = 0.45
    variants: tuple[str, ...] = ()
    hold: bool = False
    both_arm_faults: tuple[str, ...] = ()

    @property
    def render_views(self) -> tuple[str, ...]:
        """The views it can be rendered from: its own, and turned 35-55 deg off square (any exercise)."""
        return (*self.views, OBLIQUE)

    def sides_for(self, variant: str | None, one_side: str = "left") -> tuple[str | None, ...]:
        """The side of reps 1, 2, ... (cycled) in `variant` (None = the default); `one_side` for one-side variants."""
        variant = variant or (self.variants[0] if self.variants else "simultaneous")
        return tuple(one_side if s == ONE_SIDE else s for s in VARIANT_SIDES[variant])

    @property
    def sides(self) -> tuple[str | None, ...]:
        """The default variant's sides."""
        return self.sides_for(None)

    def faults_for(self, variant: str | None) -> tuple[str, ...]:
        """The faults injectable in `variant` (None = the default)."""
        if None in self.sides_for(variant):
            return self.faults
        return tuple(f for f in self.faults if f not in self.both_arm_faults)


_FAST = Tempo(down_s=(0.32, 0.42), bottom_s=(0.04, 0.12), up_s=(0.32, 0.42), top_s=(0.08, 0.3), long_pause_p=0.05)
_CURL = Tempo(down_s=(0.8, 1.2), bottom_s=(0.1, 0.4), up_s=(1.0, 1.5), top_s=(0.3, 0.8))
_LUNGE = Tempo(down_s=(1.3, 1.8), bottom_s=(0.1, 0.4), up_s=(1.1, 1.5), top_s=(0.4, 0.9))
_ARMS = ("simultaneous", "alternating", "one_arm")

SCRIPTS: dict[str, ExerciseScript] = {
    s.name: s
    for s in (
        ExerciseScript("squats", ("side", "front"), ("chest_up", "knees_cave"), squats, partial_amp=0.6),
        ExerciseScript("push_ups", ("side", "front"), ("hip_sag", "hips_high"), push_ups, partial_amp=0.62),
        ExerciseScript(
            "bicep_curls", ("side", "front"), ("elbow_drift", "body_swing"), bicep_curls, _CURL, 0.4, _ARMS
        ),
        ExerciseScript(
            "lunges", ("side",), ("torso_lean", "knee_past_toes"), lunges, _LUNGE, 0.62, ("alternating", "one_leg")
        ),
        ExerciseScript("jumping_jacks", ("front",), ("arms_low", "feet_narrow"), jumping_jacks, _FAST, 0.25),
        ExerciseScript(
            "shoulder_press", ("front", "side"), ("lockout", "uneven_arms"), shoulder_press, partial_amp=0.3,
            variants=_ARMS, both_arm_faults=("uneven_arms",),
        ),
        ExerciseScript("sit_ups", ("side",), ("legs_straight", "feet_lift"), sit_ups, partial_amp=0.4),
        ExerciseScript("glute_bridges", ("side",), ("hips_low", "feet_far"), glute_bridges, partial_amp=0.3),
        ExerciseScript(
            "lateral_raises", ("front",), ("arms_high", "bent_elbows"), lateral_raises, partial_amp=0.4,
            variants=("simultaneous", "one_arm"),
        ),
        ExerciseScript("plank", ("side",), ("hip_sag", "hips_high"), plank, hold=True),
    )
}


def measure(sk: Skeleton, side: str = "left") -> dict[str, float]:
    """Key 3D joint angles of a skeleton (degrees), for tests and docs: knee, hip, elbow, lean."""
    s = sk.points
    up = sk.torso_up
    return {
        "knee_deg": joint_angle(s[f"{side}_hip"], s[f"{side}_knee"], s[f"{side}_ankle"]),
        "hip_deg": joint_angle(s[f"{side}_shoulder"], s[f"{side}_hip"], s[f"{side}_knee"]),
        "elbow_deg": joint_angle(s[f"{side}_shoulder"], s[f"{side}_elbow"], s[f"{side}_wrist"]),
        "lean_deg": float(np.degrees(np.arctan2(abs(up[0]), up[1]))),
    }
