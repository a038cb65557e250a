"""Whole workouts and non-exercise clips: one body doing sets of exercises with rests between them (standing,
walking, stretching, picking up and putting down dumbbells), posture changing smoothly from one activity to the
next, the phone moved between exercises; and clips of the non-exercise movement alone.

A clip is a timeline of `Piece`s (a set, or one rest activity). Each piece poses the body from its own local time
and blends in from where the previous piece left the body (through a crouch when getting down to the floor or up
from it). Each exercise block has its own camera; between blocks the camera moves during the rest.

    truth = render_motion(WorkoutSpec(blocks=parse_sequence("squats:5,push_ups:8x2"), seed=3), "w.mp4")
    truth = render_motion(WorkoutSpec(activity="walking", seconds=12, view="front", seed=3), "walk.mp4")
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import cv2
import numpy as np

from fitness.errors import SourceError, UsageError
from fitness.pose.types import KEYPOINT_NAMES
from fitness.spelling import did_you_mean
from fitness.synth.activities import (
    ACTIVITIES,
    STRETCHES,
    Manner,
    WalkPath,
    crouch,
    pick_up,
    standing,
    stretch,
    walk_path,
    walking,
)
from fitness.synth.body import BodyParams, Skeleton
from fitness.synth.camera import VIEWS, Camera, is_end_on, place_camera
from fitness.synth.draw import Scene, draw_athlete, make_background, shadow
from fitness.synth.keypoints import keypoints_of, moment_at, outline_points
from fitness.synth.motion import SCRIPTS, Moment
from fitness.synth.posing import blend
from fitness.synth.render import (
    FLOOR_EXERCISES,
    MARGIN_PX,
    PHASE_KEYS,
    _draw_mat,
    _mat_colour,
    _mat_corners,
    _post,
    _visibility,
    random_body,
    truth_path,
)
from fitness.synth.timeline import RepPlan, plan_reps

WORKOUT = "workout"  # the render name of a composite workout
WORKOUT_STREAM = 11  # the seed's random streams of a workout's plan ...
SET_STREAM = 12  # ... of each set's tempo ...
ROOM_STREAM = 13  # ... and of the room (one room, whichever way the phone looks)
DUMBBELL_EXERCISES = frozenset({"bicep_curls", "shoulder_press", "lateral_raises"})
REST_S = (6.0, 12.0)  # default rest between sets and exercises: last rep's end to the next set's first rep
LEAD_S = (1.0, 2.0)  # standing before the first set and after the last one
JOIN_S = 0.4  # every activity blends in from the previous one's last posture over this long ...
CHANGE_S = 0.9  # ... a standing exercise's start posture over this long ...
FLOOR_CHANGE_S = (1.6, 2.2)  # ... getting down to the floor or back up over this long, through a crouch ...
LIE_CHANGE_S = (2.4, 3.0)  # ... and lying down on the back (or getting up from it), through a crouch and a sit
LYING_EXERCISES = frozenset({"sit_ups", "glute_bridges"})
PICK_UP_S = (2.4, 3.2)  # bending to pick up (or put down) the dumbbells and standing up
CAMERA_MOVE_S = 1.5  # the phone moved to the next exercise's view, mid-rest
SECONDS = (2.0, 600.0)  # the length a non-exercise clip may ask for
SETS_MAX = 10
FLOOR_HANDS_F = 0.3  # x height: where the hands go down, in front of the feet, getting to the floor


@dataclass(frozen=True)
class Block:
    """One exercise of a workout: `sets` sets of `reps` reps (a hold: seconds), filmed from `view` (None: drawn),
    done as `variant` (None: the exercise's default; a one-arm variant's arm is drawn per block)."""

    exercise: str
    reps: int
    sets: int = 1
    view: str | None = None
    variant: str | None = None


def _bad_exercise(name: str) -> UsageError:
    hint = did_you_mean(name, SCRIPTS)
    return UsageError(f"unknown exercise '{name}' in --sequence; {hint + ' ' if hint else ''}"
                      f"expected one of {', '.join(SCRIPTS)}")


def parse_sequence(text: str) -> tuple[Block, ...]:
    """'squats:5,push_ups@front:8x2,bicep_curls/alternating:8' -> blocks.

    Items are NAME[/VARIANT][@VIEW]:REPS[xSETS]."""
    items = [s.strip() for s in text.split(",") if s.strip()]
    if not items:
        raise UsageError("--sequence expects EXERCISE:REPS items like squats:5,push_ups:8x2")
    blocks = []
    for item in items:
        head, sep, count = item.rpartition(":")
        reps, times, sets = count.lower().partition("x")
        if not sep or not head or not reps.isdigit() or (times and not sets.isdigit()):
            raise UsageError(f"--sequence expects EXERCISE[/VARIANT][@VIEW]:REPS[xSETS] items like squats:5 or "
                             f"push_ups@side:8x2, got '{item}'")
        name_variant, _, view = head.partition("@")
        name, _, variant = name_variant.partition("/")
        if name not in SCRIPTS:
            raise _bad_exercise(name)
        blocks.append(Block(name, int(reps), int(sets) if sets else 1, view or None, variant or None))
    return tuple(blocks)


def parse_range(text: str, option: str = "--rest-s") -> tuple[float, float]:
    """'10' -> (10, 10); '8-15' -> (8, 15) (seconds)."""
    lo, sep, hi = text.partition("-")
    try:
        a, b = float(lo), float(hi) if sep else float(lo)
    except ValueError:
        raise UsageError(f"{option} expects seconds like 10 or a range like 8-15, got '{text}'") from None
    if not 0.0 <= a <= b <= 600.0:
        raise UsageError(f"{option} must be within 0-600 s with the smaller first, got '{text}'")
    return a, b


@dataclass(frozen=True)
class WorkoutSpec:
    """A workout (`blocks`) or a clip of one non-exercise activity (`activity`, `seconds` long, from `view`).

    rest_s: (min, max) rest between sets, drawn per rest. body: None = drawn from the seed. The look options are
    those of `RenderSpec`.
    """

    blocks: tuple[Block, ...] = ()
    activity: str | None = None
    seconds: float = 0.0
    view: str | None = None
    seed: int = 0
    fps: float = 30.0
    size: tuple[int, int] = (640, 480)
    rest_s: tuple[float, float] = REST_S
    body: BodyParams | None = None
    noise_std: float = 3.0
    blur_sigma: float = 0.0
    shake_px: float = 0.0

    def __post_init__(self) -> None:
        if bool(self.blocks) == (self.activity is not None):
            raise UsageError("a workout render needs either exercise blocks or one activity")
        if self.activity is not None:
            if self.activity not in ACTIVITIES:
                hint = did_you_mean(self.activity, ACTIVITIES)
                raise UsageError(f"unknown activity '{self.activity}'; {hint + ' ' if hint else ''}"
                                 f"expected one of {', '.join(ACTIVITIES)}")
            lo, hi = SECONDS
            if not lo <= self.seconds <= hi:
                raise UsageError(f"--seconds must be between {lo:g} and {hi:g}, got {self.seconds:g}")
            if self.view is not None and self.view not in VIEWS:
                raise UsageError(f"unknown view '{self.view}'; expected one of {', '.join(VIEWS)}")
        for b in self.blocks:
            script = SCRIPTS.get(b.exercise)
            if script is None:
                raise _bad_exercise(b.exercise)
            if b.view is not None and b.view not in script.render_views:
                raise UsageError(f"{b.exercise} is rendered from the {' or '.join(script.views)} view or at an angle "
                                 f"(oblique), not '{b.view}'")
            if b.variant is not None and b.variant not in script.variants:
                hint = did_you_mean(b.variant, script.variants)
                raise UsageError(f"unknown variant '{b.variant}' for {b.exercise}; {hint + ' ' if hint else ''}"
                                 f"expected one of {', '.join(script.variants) or '(none: it has no variants)'}")
            limit = 600 if script.hold else 200
            if not 1 <= b.reps <= limit:
                raise UsageError(f"reps must be between 1 and {limit} for {b.exercise}, got {b.reps}")
            if not 1 <= b.sets <= SETS_MAX:
                raise UsageError(f"sets must be between 1 and {SETS_MAX} for {b.exercise}, got {b.sets}")
        if not 5.0 <= self.fps <= 120.0:
            raise UsageError(f"fps must be between 5 and 120, got {self.fps}")
        w, h = self.size
        if not (96 <= w <= 3840 and 96 <= h <= 2160):
            raise UsageError(f"size must be between 96x96 and 3840x2160, got {w}x{h}")

    @property
    def name(self) -> str:
        return self.activity or WORKOUT


@dataclass(frozen=True)
class Piece:
    """One stretch of the timeline: a set or a rest activity.

    pose(tau): the body at `tau` seconds into the piece. It blends in over `join_s` from where the previous piece
    left the body, through the postures `via` (a crouch, a sit) at equal steps. block: the exercise block whose
    camera films it.
    """

    kind: str  # "set", or the rest's activity: standing, walking, stretching, pick_up, put_down, transition
    start_s: float
    end_s: float
    pose: Callable[[float], Skeleton]
    block: int = 0
    join_s: float = JOIN_S
    via: tuple[Skeleton, ...] = ()
    set_index: int | None = None
    detail: str | None = None  # the stretch, or the walk's direction (across, towards)

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class SetTruth:
    index: int  # 1-based over the workout
    exercise: str
    view: str
    reps: tuple[RepPlan, ...]  # times on the workout clock
    hold_s: float | None = None
    variant: str | None = None  # as the single-clip truth names it (None for an exercise without variants)

    @property
    def start_s(self) -> float:
        return self.reps[0].start_s

    @property
    def end_s(self) -> float:
        return self.reps[-1].end_s


@dataclass(frozen=True)
class BlockLook:
    """An exercise block's camera and what it frames (decided once the whole timeline is posed)."""

    exercise: str | None
    view: str
    facing: int
    camera: Camera | None = None
    floor: bool = False


class _Timeline:
    """Appends pieces back to back."""

    def __init__(self) -> None:
        self.pieces: list[Piece] = []

    @property
    def t(self) -> float:
        return self.pieces[-1].end_s if self.pieces else 0.0

    def add(self, kind: str, dur: float, pose: Callable[[float], Skeleton], block: int, **kw) -> Piece:
        piece = Piece(kind, self.t, self.t + dur, pose, block, **kw)
        self.pieces.append(piece)
        return piece


def _nominal_azimuth(view: str, facing: int) -> float:
    return {"side": 90.0 * facing, "front": 0.0, "oblique": 45.0 * facing}[view]


def _walk_legs(kind: str, azimuth_deg: float, dist: float, rng: np.random.Generator) -> list[tuple[float, float]]:
    """Out and back across the frame, or away from the camera and back towards it."""
    if kind == "across":
        d = 90.0 - azimuth_deg + (180.0 if rng.random() < 0.5 else 0.0)
    else:
        d = 180.0 - azimuth_deg
    return [(d, dist), (d + 180.0, dist)]


def _fill_rest(tl: _Timeline, dur: float, block: int, body: BodyParams, manner: Manner, azimuth_deg: float,
               rng: np.random.Generator, holding: bool = False, low_camera: bool = False) -> None:
    """`dur` seconds of rest activities: standing, walking out and back, a stretch (not while holding dumbbells).
    low_camera: a phone on the floor close by (push-ups end-on), which nobody walks towards."""
    end = tl.t + dur
    while end - tl.t > 1e-6:
        left = end - tl.t
        pick = rng.random()
        if left >= 4.0 and pick < 0.4:
            kind = "across" if rng.random() < 0.55 or low_camera else "towards"
            path = walk_path(body, _walk_legs(kind, azimuth_deg, float(rng.uniform(0.7, 1.5)), rng))
            if path.duration_s <= left:
                tl.add("walking", path.duration_s, _walker(body, path, manner), block, detail=kind)
                continue
        if left >= 3.0 and pick >= 0.7 and not holding:
            name = STRETCHES[int(rng.integers(len(STRETCHES)))]
            d = min(float(rng.uniform(3.0, 4.5)), left)
            side = "left" if rng.random() < 0.5 else "right"
            tl.add("stretching", d, _stretcher(body, name, d, manner, side), block, detail=name)
            continue
        d = left if left < 3.5 else float(rng.uniform(1.5, min(4.0, left - 1.0)))
        t0 = tl.t
        tl.add("standing", d, lambda tau, t0=t0: standing(body, t0 + tau, manner, holding), block)


def _walker(body: BodyParams, path: WalkPath, manner: Manner) -> Callable[[float], Skeleton]:
    return lambda tau: walking(body, tau, path, manner)


def _stretcher(body: BodyParams, name: str, dur: float, manner: Manner, side: str) -> Callable[[float], Skeleton]:
    return lambda tau: stretch(body, name, tau, dur, manner, side)


def _activity_timeline(spec: WorkoutSpec, body: BodyParams, manner: Manner, azimuth_deg: float,
                       rng: np.random.Generator) -> _Timeline:
    """A clip of one non-exercise activity, `spec.seconds` long, starting and ending standing."""
    tl = _Timeline()
    end = spec.seconds
    name = spec.activity

    def stand(d: float, holding: bool = False) -> None:
        t0 = tl.t
        tl.add("standing", d, lambda tau: standing(body, t0 + tau, manner, holding), 0)

    if name == "standing":
        stand(end)
        return tl
    stand(min(float(rng.uniform(0.5, 1.2)), end))
    walks = ["across", "towards"] if rng.random() < 0.5 else ["towards", "across"]
    stretches = [STRETCHES[i] for i in rng.permutation(len(STRETCHES))]
    k = 0
    while end - tl.t > 1e-6:
        left = end - tl.t
        if name == "walking":
            kind = walks[k % 2]
            path = walk_path(body, _walk_legs(kind, azimuth_deg, float(rng.uniform(1.0, 2.0)), rng))
            if path.duration_s > left:
                stand(left)
                break
            tl.add("walking", path.duration_s, _walker(body, path, manner), 0, detail=kind)
        elif name == "stretching":
            d = float(rng.uniform(3.0, 5.0))
            if d > left:
                stand(left)
                break
            side = "left" if k % 4 < 2 else "right"
            s_name = stretches[k % len(stretches)]
            tl.add("stretching", d, _stretcher(body, s_name, d, manner, side), 0, detail=s_name)
        else:  # pick_up: pick the dumbbells up, stand holding them, put them down
            up, hold = float(rng.uniform(*PICK_UP_S)), float(rng.uniform(1.0, 2.5))
            down = float(rng.uniform(*PICK_UP_S))
            if up + hold + down > left:
                stand(left)
                break
            tl.add("pick_up", up, lambda tau, d=up: pick_up(body, tau, d, manner), 0)
            stand(hold, holding=True)
            tl.add("put_down", down, lambda tau, d=down: pick_up(body, tau, d, manner, down=True), 0)
        k += 1
        left = end - tl.t
        if left > 1e-6:
            stand(min(float(rng.uniform(0.6, 1.6)), left))
    return tl


def _floor_vias(body: BodyParams, manner: Manner, lying: bool) -> tuple[Skeleton, ...]:
    """The postures between standing and the floor: a crouch, hands down; to lie on the back, then a sit."""
    down = crouch(body, FLOOR_HANDS_F * body.height_m, manner)
    if not lying:
        return (down,)
    sit = SCRIPTS["sit_ups"].pose(body, Moment(x=1.0, u=1.0))
    return down, sit


def _set_pose(exercise: str, body: BodyParams, plans: list[RepPlan], style: tuple[float, ...],
              view: str) -> Callable[[float], Skeleton]:
    script = SCRIPTS[exercise]
    return lambda tau: script.pose(body, moment_at(script, tau, plans, style, view))


def _workout_timeline(spec: WorkoutSpec, body: BodyParams, manner: Manner, looks: list[BlockLook],
                      rng: np.random.Generator) -> tuple[_Timeline, list[SetTruth], list[float]]:
    """The workout's pieces, its sets (truth) and the times the camera moves (one between blocks)."""
    tl = _Timeline()
    sets: list[SetTruth] = []
    moves: list[float] = []
    tl.add("standing", float(rng.uniform(*LEAD_S)), lambda tau: standing(body, tau, manner), 0)
    last_rep_end: float | None = None
    holding = False
    for bi, block in enumerate(spec.blocks):
        script = SCRIPTS[block.exercise]
        look = looks[bi]
        floor = block.exercise in FLOOR_EXERCISES
        dumbbells = block.exercise in DUMBBELL_EXERCISES
        style = tuple(float(v) for v in rng.uniform(-1, 1, size=4))
        one_side = "left" if np.random.default_rng([spec.seed, SET_STREAM, bi]).random() < 0.5 else "right"
        for k in range(block.sets):
            set_rng = np.random.default_rng([spec.seed, SET_STREAM, bi, k])
            if script.hold:
                lead = float(set_rng.uniform(0.3, 0.8))
                hold = float(block.reps)
                plans = [RepPlan(1, lead, lead + 0.3 * hold, lead + 0.7 * hold, lead + hold, 1.0, False)]
                duration = lead + hold + float(set_rng.uniform(0.3, 0.8))
            else:
                plans, duration = plan_reps(block.reps, script.tempo, set_rng, partial_amp=script.partial_amp,
                                            sides=script.sides_for(block.variant, one_side))
            pose = _set_pose(block.exercise, body, plans, style, look.view)
            lying = block.exercise in LYING_EXERCISES
            floor_s = LIE_CHANGE_S if lying else FLOOR_CHANGE_S
            change = float(rng.uniform(*floor_s)) if floor else CHANGE_S
            pick = float(rng.uniform(*PICK_UP_S)) if dumbbells and not holding else 0.0
            fixed = change + pick + plans[0].start_s
            if last_rep_end is not None:  # the rest before this set, after the previous set's pieces
                rest = float(rng.uniform(*spec.rest_s))
                fill = max(rest - (tl.t - last_rep_end) - fixed, 1.0)
                prev = looks[bi - 1] if k == 0 else look
                _fill_rest(tl, fill / 2, bi - 1 if k == 0 else bi, body, manner,
                           _nominal_azimuth(prev.view, prev.facing), rng, holding, is_end_on(prev.view, prev.floor))
                if k == 0:
                    moves.append(tl.t)
                _fill_rest(tl, fill / 2, bi, body, manner, _nominal_azimuth(look.view, look.facing), rng, holding,
                           is_end_on(look.view, look.floor))
            if pick:
                tl.add("pick_up", pick, lambda tau, d=pick: pick_up(body, tau, d, manner), bi)
                holding = True
            start = pose(0.0)
            via = _floor_vias(body, manner, lying) if floor else ()
            tl.add("transition", change, lambda tau, s=start: s, bi, join_s=change, via=via)
            t_set = tl.t
            tl.add("set", duration, pose, bi, set_index=len(sets) + 1)
            shifted = tuple(replace(p, start_s=p.start_s + t_set, turn_s=p.turn_s + t_set, back_s=p.back_s + t_set,
                                    end_s=p.end_s + t_set) for p in plans)
            variant = block.variant or (script.variants[0] if script.variants else None)
            sets.append(SetTruth(len(sets) + 1, block.exercise, look.view, shifted,
                                 float(block.reps) if script.hold else None, variant))
            last_rep_end = shifted[-1].end_s
            # Back on the feet (or the arms down) after the set.
            t1 = tl.t
            back = float(rng.uniform(*floor_s)) if floor else CHANGE_S
            tl.add("transition", back, lambda tau, t1=t1, h=dumbbells: standing(body, t1 + tau, manner, h), bi,
                   join_s=back, via=via[::-1])
            if dumbbells:
                last_of_block = k == block.sets - 1
                if last_of_block:
                    d = float(rng.uniform(*PICK_UP_S))
                    tl.add("put_down", d, lambda tau, d=d: pick_up(body, tau, d, manner, down=True), bi)
                holding = not last_of_block
    t_end = tl.t
    tl.add("standing", float(rng.uniform(*LEAD_S)), lambda tau: standing(body, t_end + tau, manner),
           len(spec.blocks) - 1)
    return tl, sets, moves


@dataclass
class MotionClip:
    """A planned workout or activity clip: per-frame skeletons and scenes, its sets and pieces."""

    spec: WorkoutSpec
    body: BodyParams
    pieces: list[Piece]
    sets: list[SetTruth]
    skeletons: list[Skeleton]
    scenes: list[Scene]  # one per block
    frame_scene: list[tuple[int, int, float]]  # per frame: (block, next block, how far the camera moved to it)
    offsets: np.ndarray
    views: list[str] = field(default_factory=list)  # per block

    @property
    def frames(self) -> int:
        return len(self.skeletons)

    def scene_at(self, i: int) -> Scene:
        a, b, w = self.frame_scene[i]
        if w <= 0.0:
            return self.scenes[a]
        if w >= 1.0:
            return self.scenes[b]
        sa, sb = self.scenes[a], self.scenes[b]
        ca, cb = sa.camera, sb.camera
        d_az = (cb.azimuth_deg - ca.azimuth_deg + 180.0) % 360.0 - 180.0
        cam = Camera(ca.azimuth_deg + d_az * w, *(x + (y - x) * w for x, y in (
            (ca.distance_m, cb.distance_m), (ca.height_m, cb.height_m), (ca.scale, cb.scale), (ca.cx, cb.cx),
            (ca.cy, cb.cy))))
        bg = cv2.addWeighted(sa.background, 1.0 - w, sb.background, w, 0.0)
        near = sa if w < 0.5 else sb
        return replace(near, camera=cam, background=bg, floor_y=sa.floor_y + (sb.floor_y - sa.floor_y) * w)


def _pose_frames(pieces: list[Piece], frames: int, fps: float) -> list[Skeleton]:
    """Every frame's skeleton: the piece under way, blended in from the previous piece's last posture."""
    ends: list[Skeleton] = []

    def at(i: int, tau: float) -> Skeleton:
        piece = pieces[i]
        own = piece.pose(min(max(tau, 0.0), piece.duration_s))
        if i == 0 or tau >= piece.join_s:
            return own
        keys = (ends[i - 1], *piece.via, own)
        x = max(tau, 0.0) / piece.join_s * (len(keys) - 1)
        k = min(int(x), len(keys) - 2)
        return blend(keys[k], keys[k + 1], x - k)

    for i, p in enumerate(pieces):
        ends.append(at(i, p.duration_s))
    out = []
    k = 0
    for f in range(frames):
        t = f / fps
        while k < len(pieces) - 1 and t >= pieces[k].end_s:
            k += 1
        out.append(at(k, t - pieces[k].start_s))
    return out


def plan_motion(spec: WorkoutSpec) -> MotionClip:
    """Decides everything about a workout or activity clip from the spec and its seed."""
    rng = np.random.default_rng([spec.seed, sum(map(ord, spec.name)), WORKOUT_STREAM])
    body = spec.body or random_body(rng)
    manner = Manner(tuple(float(v) for v in rng.uniform(-1, 1, size=4)))  # type: ignore[arg-type]
    looks: list[BlockLook] = []
    if spec.activity is not None:
        view = spec.view or ("side", "front", "oblique")[int(rng.integers(3))]
        looks.append(BlockLook(None, view, 1 if rng.random() < 0.5 else -1))
        tl = _activity_timeline(spec, body, manner, _nominal_azimuth(view, looks[0].facing), rng)
        sets: list[SetTruth] = []
        moves: list[float] = []
    else:
        for b in spec.blocks:
            views = SCRIPTS[b.exercise].render_views
            # Drawn views favour the exercise's own (oblique one time in five).
            view = b.view or (views[-1] if rng.random() < 0.2 else views[int(rng.integers(len(views) - 1))])
            looks.append(BlockLook(b.exercise, view, 1 if rng.random() < 0.5 else -1,
                                   floor=b.exercise in FLOOR_EXERCISES))
        tl, sets, moves = _workout_timeline(spec, body, manner, looks, rng)
    pieces = tl.pieces
    n = max(int(round(tl.t * spec.fps)), 1)
    skeletons = _pose_frames(pieces, n, spec.fps)
    # Which block films each frame: the camera moves at `moves[j]` from block j to block j + 1.
    frame_scene = []
    for f in range(n):
        t = f / spec.fps
        j = sum(t >= m + CAMERA_MOVE_S / 2 for m in moves)
        w = 0.0
        if j < len(moves) and t > moves[j] - CAMERA_MOVE_S / 2:
            w = (t - (moves[j] - CAMERA_MOVE_S / 2)) / CAMERA_MOVE_S
        frame_scene.append((j, min(j + 1, len(looks) - 1), w))
    cam_rng = np.random.default_rng([spec.seed, sum(map(ord, spec.name)), WORKOUT_STREAM, 1])
    room = [int(v) for v in cam_rng.integers(0, 2**31, size=1)]
    mat = _mat_colour(body, cam_rng)
    scenes = []
    for j, look in enumerate(looks):
        # The frames this block's camera films (alone, or moving to or from it) frame it.
        mine = [sk for f, sk in enumerate(skeletons)
                if frame_scene[f][0] == j or (frame_scene[f][2] > 0 and frame_scene[f][1] == j)]
        set_frames = [sk for f, sk in enumerate(skeletons)
                      if frame_scene[f][0] == j and _piece_at(pieces, f / spec.fps).kind == "set"]
        end_on = is_end_on(look.view, look.floor)
        step = max(1, len(mine) // 120)
        pts = np.concatenate([outline_points(sk, body, thick=end_on) for sk in mine[::step]])
        reach = float(np.concatenate([outline_points(sk, body) for sk in (set_frames or mine)[::step]])[:, 0].max())
        cam = place_camera(look.view, look.floor, look.facing, reach, cam_rng)
        cam = cam.framed(pts, spec.size, float(cam_rng.uniform(0.72, 0.86)),
                         (float(cam_rng.uniform(0.44, 0.56)), float(cam_rng.uniform(0.5, 0.56))))
        wall_m = float(cam_rng.uniform(1.2, 3.0))
        horizon = cam.cy + cam.scale * cam.distance_m / (cam.distance_m + wall_m) * cam.height_m
        floor_y = float(cam.project(np.zeros((1, 3)))[0][0, 1])
        background = make_background(spec.size, MARGIN_PX, horizon, np.random.default_rng([spec.seed, ROOM_STREAM,
                                                                                             *room]))
        mat_pts = np.concatenate([outline_points(sk, body, thick=end_on) for sk in (set_frames or mine)[::step]])
        xs = cam.project(mat_pts)[0][:, 0]
        scenes.append(Scene(body, cam, spec.size, background, MARGIN_PX, floor_y, mat if look.floor else None,
                            _mat_corners(mat_pts) if end_on and look.floor else None, perspective_radii=end_on,
                            mat_xs=(float(xs.min()), float(xs.max())), floor_follows_body=not look.floor))
    offsets = _shake(n, spec.shake_px, cam_rng)
    return MotionClip(spec, body, pieces, sets, skeletons, scenes, frame_scene, offsets, [lk.view for lk in looks])


def _shake(n: int, amp_px: float, rng: np.random.Generator) -> np.ndarray:
    from fitness.synth.render import _shake as shake

    return shake(n, amp_px, rng)


def _piece_at(pieces: list[Piece], t: float) -> Piece:
    for p in pieces:
        if t < p.end_s:
            return p
    return pieces[-1]


def _shadow_row(scene: Scene, sk: Skeleton) -> float:
    if scene.mat_corners is not None:
        return float(scene.camera.project(np.array([[sk["neck"][0], 0.0, 0.0]]))[0][0, 1])
    if scene.floor_follows_body:
        feet = (sk["left_ankle"] + sk["right_ankle"]) / 2
        return float(scene.camera.project(np.array([[feet[0], 0.0, feet[2]]]))[0][0, 1])
    return scene.floor_y


def render_motion_frames(clip: MotionClip) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Yields (BGR frame, (17, 2) keypoints in pixels, (17,) visible) for every frame of the clip."""
    spec = clip.spec
    w, h = spec.size
    rng = np.random.default_rng([spec.seed, 99])
    bank = [] if spec.noise_std <= 0 else [
        np.round(rng.normal(0, spec.noise_std, (h, w, 1))).astype(np.int16) for _ in range(4)
    ]
    ids = np.zeros((h, w), np.uint8)
    for i, sk in enumerate(clip.skeletons):
        scene = clip.scene_at(i)
        m = scene.margin
        off = np.round(clip.offsets[i]).astype(int)
        img = scene.background[m - off[1]: m - off[1] + h, m - off[0]: m - off[0] + w].copy()
        _draw_mat(img, scene, off, scene.mat_xs or (0.0, 0.0))
        kp = keypoints_of(sk, scene.body, scene.camera) + off
        shadow(img, scene.camera.project(np.stack([sk["left_ankle"], sk["right_ankle"], sk["pelvis"], sk["neck"],
                                                   sk["left_toe"], sk["right_toe"]]))[0] + off,
               _shadow_row(scene, sk) + off[1])
        ids[:] = 0
        draw_athlete(img, ids, scene, sk, off.astype(float))
        vis = _visibility(sk, scene.body, scene.camera, kp, ids)
        yield _post(img, spec, bank, i), kp, vis  # type: ignore[arg-type]


def _rep_dict(rep: RepPlan, fps: float, frames: int) -> dict:
    return {
        "index": rep.index,
        "start_frame": int(round(rep.start_s * fps)),
        "end_frame": min(int(round(rep.end_s * fps)), frames - 1),
        "partial": rep.partial,
        "counted": not rep.partial,
        "faults": list(rep.faults),
        "side": rep.side,
        **{k: round(getattr(rep, k), 3) for k in PHASE_KEYS},
    }


def motion_truth(clip: MotionClip, keypoints: list[np.ndarray], visible: list[np.ndarray]) -> dict:
    """The truth dict of a workout or activity clip (docs/synth.md): its sets as `fitness run --json` reports
    them, the pieces of the timeline as segments, per-frame keypoints."""
    spec = clip.spec
    fps = spec.fps
    sets = []
    rep_list = []
    for i, s in enumerate(clip.sets):
        hold = s.hold_s is not None
        details = [] if hold else [_rep_dict(r, fps, clip.frames) for r in s.reps]
        rep_list += [{**d, "set_index": s.index, "exercise": s.exercise} for d in details]
        sets.append({
            "index": s.index,
            "exercise": s.exercise,
            "view": s.view,
            "variant": s.variant,
            "reps": 0 if hold else sum(not r.partial for r in s.reps),
            "no_reps": 0 if hold else sum(r.partial for r in s.reps),
            "hold_s": s.hold_s,
            "start_s": round(s.start_s, 3),
            "end_s": round(s.end_s, 3),
            "rest_before_s": None if i == 0 else round(s.start_s - clip.sets[i - 1].end_s, 3),
            "rep_details": details,
        })
    segments = []
    for p in clip.pieces:
        seg = {"kind": p.kind, "start_s": round(p.start_s, 3), "end_s": round(p.end_s, 3)}
        if p.set_index is not None:
            seg.update(set_index=p.set_index, exercise=clip.sets[p.set_index - 1].exercise)
        if p.detail:
            seg["detail"] = p.detail
        segments.append(seg)
    workout = spec.activity is None
    return {
        "exercise": None,
        "activity": spec.name,
        "view": clip.views[0] if not workout else None,
        "views": clip.views,
        "variant": None,
        "fps": fps,
        "frames": clip.frames,
        "duration_s": round(clip.frames / fps, 3),
        "size": list(spec.size),
        "seed": spec.seed,
        "reps": sum(s["reps"] for s in sets),
        "no_reps": sum(s["no_reps"] for s in sets),
        "rep_list": rep_list,
        "sets": sets,
        "segments": segments,
        "keypoint_names": list(KEYPOINT_NAMES),
        "keypoints": [[[round(float(x), 1), round(float(y), 1)] for x, y in kp] for kp in keypoints],
        "visible": [[bool(v) for v in vis] for vis in visible],
    }


def render_motion(spec: WorkoutSpec, out: str | Path, progress: Callable[[int, int], None] | None = None) -> dict:
    """Renders a workout or activity clip to the MP4 `out` and its truth beside it; returns the truth dict."""
    out = Path(out)
    if out.suffix.lower() != ".mp4":
        raise UsageError(f"the output must be an .mp4 file, got '{out.name}'")
    out.parent.mkdir(parents=True, exist_ok=True)
    clip = plan_motion(spec)
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), spec.fps, spec.size)
    if not writer.isOpened():
        raise SourceError(f"cannot write video '{out}': OpenCV could not open an mp4v writer there")
    keypoints, visible = [], []
    try:
        for i, (img, kp, vis) in enumerate(render_motion_frames(clip)):
            writer.write(img)
            keypoints.append(kp)
            visible.append(vis)
            if progress:
                progress(i + 1, clip.frames)
    finally:
        writer.release()
    truth = motion_truth(clip, keypoints, visible)
    truth_path(out).write_text(json.dumps(truth, separators=(",", ":")))
    return truth
