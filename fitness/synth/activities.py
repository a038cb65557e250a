"""Movement that is not an exercise, for the recogniser to leave uncounted: standing (breathing, sway, shifting
weight, looking around), walking (gait with arm swing, turns), stretching (overhead reach, side bends, arm
circles, toe touch, quad stretch) and bending to pick up or put down dumbbells.

Every pose is a function of time in seconds (local to the activity) and starts and ends at a relaxed stand, so
activities chain; `fitness.synth.posing.blend` covers what differs (stance, arms) between them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fitness.synth.body import SIDES, SIGN, BodyParams, F, L, Poser, Skeleton, U, unit
from fitness.synth.posing import blend, placed, tilted
from fitness.synth.timeline import min_jerk

ACTIVITIES = ("standing", "walking", "stretching", "pick_up")  # renderable on their own (`fitness render NAME`)
STRETCHES = ("overhead_reach", "side_bend", "arm_circles", "toe_touch", "quad_stretch")
STEP_LENGTH = 0.37  # x height: a relaxed walking step
STEP_RATE_HZ = 1.8  # steps per second
HIP_SWING_DEG = 21.0  # thigh swing either side of vertical at walking pace
TURN_DEG_PER_S = 240.0  # turning on the spot, with small steps
GAIT_EASE_S = 0.4  # the gait builds up from standing (and settles back) over this long
HANDS_ON_FLOOR_U = 0.06  # x height: the hands' height when they reach the floor (or a dumbbell on it)


def lerp(a: float, b: float, x: float) -> float:
    return a + (b - a) * x


def envelope(tau: float, dur: float, ease_s: float) -> float:
    """0 at both ends of an activity `dur` long, 1 in the middle, easing over `ease_s` (minimum jerk)."""
    ease = max(min(ease_s, dur / 2), 1e-6)
    return min_jerk(min(tau / ease, (dur - tau) / ease, 1.0))


def _stand_legs(p: Poser, b: BodyParams, pelvis_f: float, pelvis_l: float, stance_half: float, lean_deg: float,
                knee_bend: float = 4.0) -> None:
    """Both feet planted `stance_half` either side; the pelvis moved (weight shift) and as high as the legs allow."""
    reach = np.sqrt(max(b.thigh**2 + b.shank**2 + 2 * b.thigh * b.shank * np.cos(np.radians(knee_bend)), 0.0))
    lateral = max(abs(SIGN[s] * stance_half - (pelvis_l + SIGN[s] * b.hip_half)) for s in SIDES)
    h = np.sqrt(max(reach**2 - lateral**2 - pelvis_f**2, 0.0))
    p.torso(np.array([pelvis_f, b.ankle_h + h, pelvis_l]), lean_deg)
    for s in SIDES:
        p.leg_to(s, np.array([0.0, b.ankle_h, SIGN[s] * stance_half]), F + 0.2 * SIGN[s] * L)
        p.foot(s, F + 0.15 * SIGN[s] * L)


@dataclass(frozen=True)
class Manner:
    """How this person stands and moves (per body, in [-1, 1]): sway phase, stance width, posture, arm carriage."""

    style: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)

    def stance_half(self, b: BodyParams) -> float:
        return 0.085 * b.height_m * (1.0 + 0.15 * self.style[1])


def standing(b: BodyParams, t: float, manner: Manner = Manner(), holding: bool = False) -> Skeleton:
    """Standing at ease: breathing, a small sway, the weight shifting from foot to foot, the head looking around.
    holding: a dumbbell in each hand."""
    H, st = b.height_m, manner.style
    shift = 0.022 * H * np.sin(2 * np.pi * t / 7.3 + 3.0 * st[0]) + 0.008 * H * np.sin(2 * np.pi * t / 2.9 + st[2])
    lean = 2.0 + 1.5 * st[2] + 0.8 * np.sin(2 * np.pi * 0.24 * t + st[3])  # breathing moves the chest a little
    p = Poser(b)
    _stand_legs(p, b, 0.004 * H * np.sin(2 * np.pi * t / 5.1), shift, manner.stance_half(b), lean)
    for s in SIDES:
        swing = 2.0 * np.sin(2 * np.pi * t / 4.3 + SIGN[s] + st[0])
        p.arm(s, 6.0 + 2.0 * st[3] + swing, 12.0, 12.0 + 4.0 * np.sin(2 * np.pi * t / 3.7), hint=F + 0.3 * SIGN[s] * L)
        if holding:
            p.dumbbell(s, L)
    yaw = 18.0 * np.sin(2 * np.pi * t / 9.0 + 2.0 * st[1]) * np.sin(2 * np.pi * t / 23.0 + st[0])
    return p.done(head_pitch_deg=-lean * 0.5 + 3.0 * np.sin(2 * np.pi * t / 6.1), head_yaw_deg=yaw)


# --- walking ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WalkPath:
    """A walk sampled every `dt_s`: position (f, lat: towards the left), heading (deg, towards the left), gait
    phase (rad) and how much of the gait shows (0 standing, 0.5 stepping on the spot while turning, 1 walking)."""

    dt_s: float
    f: np.ndarray
    lat: np.ndarray
    heading_deg: np.ndarray
    phase: np.ndarray
    gait: np.ndarray

    @property
    def duration_s(self) -> float:
        return (len(self.f) - 1) * self.dt_s

    def at(self, t: float) -> tuple[float, float, float, float, float]:
        x = min(max(t / self.dt_s, 0.0), len(self.f) - 1.0)
        i = min(int(x), len(self.f) - 2)
        w = x - i
        return tuple(float(a[i] + (a[i + 1] - a[i]) * w)  # type: ignore[return-value]
                     for a in (self.f, self.lat, self.heading_deg, self.phase, self.gait))


def walk_path(b: BodyParams, legs: list[tuple[float, float]], dt_s: float = 1 / 60) -> WalkPath:
    """A walk from the origin facing forward through `legs` [(direction deg, distance m), ...] and back to
    facing forward: it turns on the spot to each direction, walks the distance (speeding up and slowing
    down), and turns back to heading 0 at the end."""
    step = STEP_LENGTH * b.height_m
    speed = step * STEP_RATE_HZ
    f, lat, h, ph, g = [0.0], [0.0], [0.0], [0.0], [0.0]

    def turn(to_deg: float) -> None:
        frm = h[-1]
        delta = (to_deg - frm + 180.0) % 360.0 - 180.0
        n = max(int(round((abs(delta) / TURN_DEG_PER_S + 0.3) / dt_s)), 1)
        for k in range(1, n + 1):
            x = k / n
            f.append(f[-1])
            lat.append(lat[-1])
            h.append(frm + delta * min_jerk(x))
            ph.append(ph[-1] + np.pi * STEP_RATE_HZ * dt_s)
            g.append(0.5 * np.sin(np.pi * x))

    def go(direction_deg: float, dist: float) -> None:
        dur = dist / speed + GAIT_EASE_S  # the eased start and stop lose half an ease each
        n = max(int(round(dur / dt_s)), 2)
        ux, uz = np.cos(np.radians(direction_deg)), np.sin(np.radians(direction_deg))
        for k in range(1, n + 1):
            tau = k * dt_s
            e = envelope(tau, dur, GAIT_EASE_S)
            v = speed * e
            f.append(f[-1] + ux * v * dt_s)
            lat.append(lat[-1] + uz * v * dt_s)
            h.append(h[-1])
            ph.append(ph[-1] + np.pi * v * dt_s / step)
            g.append(e)

    for direction, dist in legs:
        turn(direction)
        go(direction, dist)
    turn(0.0)
    return WalkPath(dt_s, *(np.asarray(a, float) for a in (f, lat, h, ph, g)))


def _walk_pose(b: BodyParams, phase: float, gait: float, manner: Manner) -> Skeleton:
    """One moment of the gait cycle in place, facing forward, feet on the floor."""
    H = b.height_m
    p = Poser(b).torso(np.array([0.0, b.standing_hip_h, 0.0]), 3.0 + 2.0 * gait + manner.style[2])
    for s in SIDES:
        ph = phase if s == "left" else phase + np.pi
        thigh = HIP_SWING_DEG * gait * np.sin(ph)
        knee = 4.0 + gait * (6.0 + 52.0 * max(0.0, float(np.cos(ph))) ** 2)  # the swing leg folds
        p.leg(s, thigh, 4.0, knee)
        p.foot(s, unit(F + 0.1 * SIGN[s] * L + U * 0.25 * gait * max(0.0, float(np.cos(ph)))))
        # Arms swing against the legs.
        p.arm(s, -0.8 * thigh + 5.0, 10.0, 14.0 + 10.0 * gait, hint=F + 0.2 * SIGN[s] * L)
    sk = p.done(head_pitch_deg=-4.0)
    lowest = min(sk["left_ankle"][1], sk["right_ankle"][1])
    return placed(sk, 0.0, np.array([0.0, b.ankle_h - lowest - 0.004 * H, 0.0]))


def walking(b: BodyParams, t: float, path: WalkPath, manner: Manner = Manner()) -> Skeleton:
    """Walking along `path` (it starts and ends standing still, facing forward at the origin)."""
    f, lat, heading, phase, gait = path.at(t)
    return placed(_walk_pose(b, phase, gait, manner), heading, np.array([f, 0.0, lat]))


# --- stretching -------------------------------------------------------------------------------------------------


def _reach_arms(p: Poser, elev: float, plane: float, flex: float) -> None:
    for s in SIDES:
        p.arm(s, elev, plane, flex, hint=F + 0.3 * SIGN[s] * L)


def stretch(b: BodyParams, kind: str, tau: float, dur: float, manner: Manner = Manner(),
            side: str = "left") -> Skeleton:
    """One stretch `dur` seconds long, `tau` into it: in, hold (with its own small movement), out to standing."""
    H = b.height_m
    w = envelope(tau, dur, min(1.2, dur / 3))
    p = Poser(b)
    stance = manner.stance_half(b)
    if kind == "overhead_reach":
        _stand_legs(p, b, 0.0, 0.0, stance, lerp(2.0, -6.0, w))
        _reach_arms(p, lerp(6.0, 172.0, w), lerp(12.0, 18.0, w), lerp(12.0, 6.0, w))
        return p.done(head_pitch_deg=lerp(-1.0, -14.0, w))
    if kind == "side_bend":
        _stand_legs(p, b, 0.0, 0.0, stance * 1.2, 2.0)
        bend_side = np.sin(2 * np.pi * tau / dur)  # to the left, then to the right
        for s in SIDES:
            up = w if SIGN[s] * bend_side < 0 else 0.3 * w  # the arm over the head is the one away from the bend
            p.arm(s, lerp(6.0, 160.0, up), lerp(12.0, 70.0, up), lerp(12.0, 25.0, up), hint=U)
        return tilted(p.done(), 28.0 * w * bend_side)
    if kind == "arm_circles":
        _stand_legs(p, b, 0.0, 0.0, stance * 1.1, 2.0)
        a = 2 * np.pi * 1.1 * tau
        for s in SIDES:
            p.arm(s, lerp(6.0, 84.0 + 14.0 * w * np.sin(a), w), lerp(12.0, 88.0 + 16.0 * w * np.cos(a), w), 8.0,
                  hint=U)
        return p.done()
    if kind == "toe_touch":
        lean = lerp(2.0, 108.0 + 6.0 * manner.style[2], w)
        _stand_legs(p, b, -0.11 * H * w, 0.0, stance, lean, knee_bend=lerp(4.0, 14.0, w))
        _reach_arms(p, lerp(6.0, lean - 4.0, w), 8.0, 10.0)
        return p.done(head_pitch_deg=lerp(-1.0, 20.0, w))
    if kind == "quad_stretch":
        _stand_legs(p, b, 0.0, SIGN[side] * -0.03 * H * w, stance * 0.9, 3.0)
        p.leg(side, lerp(0.0, -12.0, w), 0.0, lerp(4.0, 152.0, w))
        shank = unit(p.p[f"{side}_ankle"] - p.p[f"{side}_knee"])
        p.foot(side, unit(np.cross(L, shank)) if w > 0.05 else F, shank if w > 0.05 else None)
        other = "right" if side == "left" else "left"
        p.arm(other, lerp(6.0, 40.0, w), 80.0, 10.0)
        rest = Poser(b)
        _stand_legs(rest, b, 0.0, 0.0, stance * 0.9, 3.0)
        rest.arm(side, 6.0, 12.0, 12.0)
        hold = p.p[f"{side}_ankle"] + SIGN[side] * L * 0.02 * H - F * 0.02 * H
        hanging = rest.p[f"{side}_wrist"]
        p.arm_to(side, hanging + (hold - hanging) * w, -F + 0.3 * SIGN[side] * L, -U)
        return p.done()
    raise ValueError(f"unknown stretch '{kind}'")


# --- bending down (dumbbells, getting down to the floor) -------------------------------------------------------


def crouch(b: BodyParams, hands_f: float, manner: Manner = Manner(), holding: bool = False) -> Skeleton:
    """Bent down with knees and hips, hands on the floor `hands_f` metres in front of the feet."""
    H = b.height_m
    p = Poser(b)
    _stand_legs(p, b, -0.12 * H, 0.0, manner.stance_half(b) * 1.15, 48.0, knee_bend=105.0)
    for s in SIDES:
        hand = np.array([hands_f, HANDS_ON_FLOOR_U * H, SIGN[s] * (b.hip_half + 0.03 * H)])
        p.arm_to(s, hand, -F * 0.4 + SIGN[s] * L, F)
        if holding:
            p.dumbbell(s, L)
    return p.done(head_pitch_deg=-20.0)


def pick_up(b: BodyParams, tau: float, dur: float, manner: Manner = Manner(), down: bool = False) -> Skeleton:
    """Bending to pick up a pair of dumbbells from the floor (or, `down`, to put them there) and standing up."""
    hands_f = 0.17 * b.height_m
    low = min(tau / (0.42 * dur), 1.0) if tau < 0.5 * dur else min((dur - tau) / (0.42 * dur), 1.0)
    holding = (tau >= 0.5 * dur) != down
    top = standing(b, tau, manner, holding=holding)
    return blend(top, crouch(b, hands_f, manner, holding=holding), low)
