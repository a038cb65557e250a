"""Keypoint tracks of whole sets for every shipped exercise: the synthetic athlete (`fitness.synth`) posed by
its motion scripts, with injected faults and partial reps, projected to true 2D keypoints (no pixels drawn).

Rep indices here are 0-based (the first rep is 0), as the tests count the reps the engine reports.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np

from fitness.pose.types import Keypoint, Pose
from fitness.synth.body import BodyParams, L, Skeleton
from fitness.synth.camera import Camera
from fitness.synth.keypoints import keypoints_of, outline_points, pose_frames
from fitness.synth.motion import SCRIPTS, ExerciseScript, Moment, push_ups
from fitness.synth.render import FLOOR_EXERCISES
from fitness.synth.timeline import RepPlan, Tempo, plan_reps

SIZE = (640, 480)
CENTER = (SIZE[0] / 2, SIZE[1] / 2)
BODY = BodyParams()
PX_PER_M = 240.0  # the average athlete (1.75 m) stands 420 px tall: the pixel sizes of noise_px are relative to that
STILL = (0.0, 0.0, 0.0, 0.0)  # the script's middle-of-the-road athlete (no per-clip style)
HEADING_DEG = {"side": 90.0, "front": 0.0}  # the athlete's heading from the camera (synth.camera)
# Scores like MoveNet's: high on the near side; in a side view the far side (hidden behind the body) lower.
NEAR_SCORE, FAR_SCORE = 0.9, 0.55
LEFT_SIDE = [int(k) for k in Keypoint if k.name.startswith("LEFT_")]
RIGHT_SIDE = [int(k) for k in Keypoint if k.name.startswith("RIGHT_")]
# Filmed end-on, a push-up's elbow bend shows only when the elbows flare out (about 60 deg here, as most
# people's do); the renderer's push-ups keep them tucked and are filmed from the side only.
FLARED_ELBOW_OUT = 1.4
# How far a partial rep goes, where the renderer's own partial amplitude stays short of the exercise's partial
# line (the rep then is no no-rep at all): half the movement.
PARTIAL_AMP = {("shoulder_press", "side"): 0.5, ("lateral_raises", "front"): 0.5, ("push_ups", "front"): 0.5}


def script_for(exercise: str, view: str) -> ExerciseScript:
    script = SCRIPTS[exercise]
    if (exercise, view) == ("push_ups", "front"):
        return dataclasses.replace(script, pose=functools.partial(push_ups, elbow_out=FLARED_ELBOW_OUT))
    return script


def even_tempo(rep_s: float, rest_s: float, lead_s: float = 1.0) -> Tempo:
    """Every rep `rep_s` long (45% down, 10% at the turnaround, 45% up), `rest_s` between reps."""
    fixed = lambda s: (s, s)  # noqa: E731
    return Tempo(down_s=fixed(0.45 * rep_s), bottom_s=fixed(0.1 * rep_s), up_s=fixed(0.45 * rep_s),
                 top_s=fixed(rest_s), lead_s=fixed(lead_s), tail_s=fixed(lead_s), long_pause_p=0.0)


def camera_for(skeletons: list[Skeleton], body: BodyParams, exercise: str, heading_deg: float,
               height_m: float | None = None, distance_m: float = 4.5) -> Camera:
    """A camera 4.5 m away at about hip height (knee height for floor exercises; or `height_m`), PX_PER_M pixels
    to the metre at the body's origin, with the set's motion centred in the frame."""
    if height_m is None:
        height_m = 0.6 if exercise in FLOOR_EXERCISES else 1.0
    cam = Camera(heading_deg, distance_m=distance_m, height_m=height_m, scale=PX_PER_M)
    pts = np.concatenate([outline_points(sk, body) for sk in skeletons[:: max(1, len(skeletons) // 60)]])
    xy, _ = cam.project(pts)
    centre = (xy.min(axis=0) + xy.max(axis=0)) / 2
    return dataclasses.replace(cam, cx=CENTER[0] - centre[0], cy=CENTER[1] - centre[1])


def scores(view: str, cam: Camera) -> np.ndarray:
    score = np.full(17, NEAR_SCORE)
    if view == "side":
        score[RIGHT_SIDE if cam.towards_camera(L) > 0 else LEFT_SIDE] = FAR_SCORE
    return score


def to_frames(skeletons: list[Skeleton | None], body: BodyParams, cam: Camera, view: str, fps: float,
              rng: np.random.Generator, noise_px: float) -> list[tuple[Pose | None, float]]:
    """(pose, t) pairs of the skeletons' true keypoints plus Gaussian noise; None stays None (nobody)."""
    score = scores(view, cam).astype(np.float32)
    out: list[tuple[Pose | None, float]] = []
    for i, sk in enumerate(skeletons):
        t = i / fps
        if sk is None:
            out.append((None, t))
            continue
        xy = keypoints_of(sk, body, cam) + rng.normal(0.0, noise_px, (17, 2))
        out.append((Pose(xy.astype(np.float32), score, t), t))
    return out


def set_frames(exercise: str, view: str, plans: list[RepPlan], duration_s: float, *, fps: float = 30.0,
               body: BodyParams = BODY, style: tuple[float, ...] = STILL, heading_deg: float | None = None,
               noise_px: float = 1.0, rng: np.random.Generator, camera_height_m: float | None = None,
               distance_m: float = 4.5) -> list[tuple[Pose, float]]:
    """The set `plans` describes, filmed from `view` (`heading_deg` overrides its heading; `camera_height_m` and
    `distance_m` place the camera)."""
    skeletons = pose_frames(script_for(exercise, view), body, plans, int(round(duration_s * fps)), fps, style, view)
    cam = camera_for(skeletons, body, exercise, HEADING_DEG[view] if heading_deg is None else heading_deg,
                     camera_height_m, distance_m)
    return to_frames(skeletons, body, cam, view, fps, rng, noise_px)


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
    yaw_deg: float = 0.0,
    partial_amp: float | None = None,
    variant: str | None = None,
    camera_height_m: float | None = None,
    distance_m: float = 4.5,
) -> list[tuple[Pose, float]]:
    """(pose, t) pairs of a whole set at an even tempo. faults: rep index -> fault ids; partial: rep indices,
    going partial_amp of the full movement (default: the renderer's partial amplitude, or PARTIAL_AMP).
    yaw_deg turns the camera around the athlete from the view's square heading (an oblique view). variant: how
    the sides take turns (None: the exercise's default). camera_height_m, distance_m: where the camera stands
    (default: 4.5 m away at about hip height, see camera_for)."""
    script = SCRIPTS[exercise]
    rng = np.random.default_rng(seed)
    plans, duration_s = plan_reps(
        reps, even_tempo(rep_s, rest_s), rng, partial=frozenset(i + 1 for i in partial),
        faults={i + 1: tuple(ids) for i, ids in (faults or {}).items()},
        partial_amp=partial_amp if partial_amp is not None else PARTIAL_AMP.get((exercise, view), script.partial_amp),
        sides=script.sides_for(variant),
    )
    return set_frames(exercise, view, plans, duration_s, fps=fps, heading_deg=HEADING_DEG[view] + yaw_deg,
                      noise_px=noise_px, rng=rng, camera_height_m=camera_height_m, distance_m=distance_m)


def other_person(rng: np.random.Generator, spread: float = 0.15) -> BodyParams:
    """An athlete of average height whose legs, arms and shoulders are each within +-spread of the average."""
    ratio = lambda: float(rng.uniform(1 - spread, 1 + spread))  # noqa: E731
    return BodyParams(build=float(rng.uniform(0.85, 1.25)), leg_ratio=ratio(), arm_ratio=ratio(),
                      shoulder_ratio=ratio())


def varied_track(exercise: str, reps: int, view: str, rng: np.random.Generator,
                 min_depth: float) -> list[tuple[Pose, float]]:
    """A set by another person (`other_person`, with their own style) at a random even tempo (1.2-3 s a
    rep, 0.2-1 s between reps), whose reps reach between min_depth and 100% of the full movement."""
    script = SCRIPTS[exercise]
    plans, duration_s = plan_reps(reps, even_tempo(rng.uniform(1.2, 3.0), rng.uniform(0.2, 1.0)), rng,
                                  sides=script.sides)
    plans = [dataclasses.replace(p, amplitude=float(rng.uniform(min_depth, 1.0))) for p in plans]
    return set_frames(exercise, view, plans, duration_s, body=other_person(rng),
                      style=tuple(float(v) for v in rng.uniform(-1, 1, 4)), noise_px=0.0, rng=rng)


def hold_track(duration_s: float, faults_between: tuple[float, float] | None = None, fault: str = "hip_sag",
               fps: float = 30.0, lead_s: float = 1.0, seed: int = 0) -> list[tuple[Pose | None, float]]:
    """A plank: nobody for lead_s, then in position for duration_s (with `fault` full between the given times)."""
    plank = SCRIPTS["plank"].pose
    skeletons: list[Skeleton | None] = []
    for i in range(int((lead_s + duration_s) * fps)):
        t = i / fps
        bad = faults_between is not None and faults_between[0] <= t < faults_between[1]
        moment = Moment(0.0, 1.0, frozenset({fault}) if bad else frozenset(), t=t, view="side")
        skeletons.append(None if t < lead_s else plank(BODY, moment))
    cam = camera_for([sk for sk in skeletons if sk is not None], BODY, "plank", HEADING_DEG["side"])
    return to_frames(skeletons, BODY, cam, "side", fps, np.random.default_rng(seed), 1.0)


def perturb(frames: list[tuple[Pose, float]], rng: np.random.Generator, noise_px: float, roll_deg: float,
            glitch_p: float, mirror: bool = False) -> list[tuple[Pose, float]]:
    """Mirrors the image (side-on: the athlete faces the other way), rolls the camera by roll_deg, adds
    Gaussian noise and, with probability glitch_p per keypoint and frame, a jump of ~40 px (MoveNet's
    occasional one-frame misplacements)."""
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
