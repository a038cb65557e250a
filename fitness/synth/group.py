"""Rendering a group: 2-4 athletes in one frame, side by side at different depths, doing the same exercise with
their own bodies, counts, tempos and start times; optionally two of them swap places mid-set (their paths
cross, the farther one hidden behind the nearer) and a passer-by walks through the background.

    from fitness.synth.group import GroupSpec, render_group_video
    truth = render_group_video(GroupSpec("squats", reps=(5, 7, 4), seed=3, cross=True), out="group.mp4")

The truth (`people`, one entry per athlete, ids 1.. left to right at the start) is in docs/synth.md. A group
has its own random stream, so single-athlete renders (render.py) stay as they were, bit for bit.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from fitness.errors import UsageError
from fitness.pose.types import KEYPOINT_NAMES
from fitness.synth.body import BodyParams, Skeleton
from fitness.synth.camera import FLOOR_HEIGHT_M, STANDING_HEIGHT_M, Camera, fit_frame, is_end_on, view_azimuth
from fitness.synth.draw import Scene, draw_athlete, make_background, shadow
from fitness.synth.keypoints import keypoints_of, moment_at, outline_points
from fitness.synth.motion import ExerciseScript
from fitness.synth.render import (
    FLOOR_EXERCISES,
    MARGIN_PX,
    RenderSpec,
    camera_shake,
    draw_mat,
    get_script,
    mat_colour,
    mp4_path,
    noise_bank,
    post_process,
    random_body,
    rep_list,
    truth_path,
    visibility,
    write_frames,
)
from fitness.synth.timeline import RepPlan, Tempo, min_jerk, plan_reps
from fitness.synth.walk import blend, walk_pose

GROUP_STREAM = 10  # the seed's random stream of a group clip (single clips use 8 and 9)
GROUP_SIZE = (1280, 720)  # the default frame of a group render: wide, for 3-4 people side by side
MAX_PEOPLE = 4
ID_STRIDE = 32  # athlete k's parts are PART_IDS + 32 k in the id map (five bodies fit a uint8 map)
GROUP_DISTANCE_M = (6.0, 7.5)  # camera to the middle of the group
DEPTH_M = (-1.8, 0.9)  # each athlete's depth offset from the group's middle (negative = farther from the camera)
MIN_DEPTH_SPREAD_M = 1.0  # the nearest and the farthest athlete are at least this far apart in depth
CROSS_DEPTH_GAP_M = 0.8  # the two who swap places walk lanes at least this far apart in depth
GAP_M = (0.1, 0.6)  # free floor between neighbours' motion footprints (at the group's middle depth)
LEAD_EXTRA_S = (0.0, 1.5)  # an athlete starts this much later than their own idle lead-in: not all together
TEMPO_SCALE = (0.85, 1.18)  # each athlete's rep phases last this much of the script's
HIDDEN_SHOWN_SHARE = 0.33  # an athlete is hidden in a frame when less than this share of their drawn body shows
TURN_S = 0.5  # turning towards the walk (and easing into the gait) before it, and back after it
CROSS_SPEED_M_S = (0.4, 0.8)  # the pair swapping places stroll at this speed
CROSS_PAUSE_S = (0.3, 0.8)  # idle time before and after the swap
HIDE_WAIT_S = (0.2, 0.7)  # the second of the swapping pair sets off this long after the first has arrived
PASSER_BEHIND_M = (1.5, 2.5)  # a passer-by walks this far behind the farthest athlete
PASSER_SPEED_M_S = (1.1, 1.4)
WALL_BEHIND_M = (1.0, 2.5)  # the wall is this far behind the farthest person
FRAMING_FILL = (0.76, 0.86)  # share of the limiting frame dimension the group's motion spans ...
FRAMING_ANCHOR = ((0.47, 0.53), (0.5, 0.54))  # ... centred here (fractions of the frame): feet stay inside


@dataclass(frozen=True)
class GroupSpec:
    """What to render: `reps` per athlete (left to right at the start; a hold's seconds for the plank).

    faults and partial apply to every athlete whose set has that rep. cross: two neighbours swap places mid-set,
    the farther one passing behind the nearer. passer: someone walks through the background, never exercising.
    The other fields are RenderSpec's.
    """

    exercise: str
    reps: tuple[int, ...]
    view: str | None = None
    faults: dict[int, list[str]] = field(default_factory=dict)
    partial: list[int] = field(default_factory=list)
    seed: int = 0
    fps: float = 30.0
    size: tuple[int, int] = GROUP_SIZE
    noise_std: float = 3.0
    blur_sigma: float = 0.0
    shake_px: float = 0.0
    variant: str | None = None
    camera_height_m: float | None = None
    cross: bool = False
    passer: bool = False

    def __post_init__(self) -> None:
        if not 2 <= len(self.reps) <= MAX_PEOPLE:
            raise UsageError(f"a group has 2 to {MAX_PEOPLE} athletes, got {len(self.reps)}")
        script = get_script(self.exercise)
        most = max(self.reps)
        # One spec with every fault and partial rep checks their names and numbers; each athlete's checks the rest.
        RenderSpec(self.exercise, most, self.view, self.faults, self.partial, self.seed, self.fps, self.size,
                   None, self.noise_std, self.blur_sigma, self.shake_px, self.variant, self.camera_height_m)
        for k in range(len(self.reps)):
            self.athlete_spec(k)
        floor = self.exercise in FLOOR_EXERCISES
        if is_end_on(self.view_name, floor):
            raise UsageError(f"a group of {self.exercise} is rendered from the side or oblique view, not "
                             f"'{self.view_name}' (end-on needs a camera on the floor in front of one athlete)")
        if self.cross and (floor or script.hold):
            raise UsageError(f"--cross needs a standing exercise (the athletes walk), not {self.exercise}")

    @property
    def view_name(self) -> str:
        return self.view or get_script(self.exercise).views[0]

    @property
    def variant_name(self) -> str | None:
        return RenderSpec(self.exercise, max(self.reps), self.view, variant=self.variant).variant_name

    def athlete_spec(self, k: int) -> RenderSpec:
        """Athlete k's own spec (0-based, left to right at the start): their reps, faults and partial reps."""
        n = self.reps[k]
        return RenderSpec(
            self.exercise, n, self.view, {r: f for r, f in self.faults.items() if r <= n},
            [r for r in self.partial if r <= n], self.seed, self.fps, self.size, None, self.noise_std,
            self.blur_sigma, self.shake_px, self.variant, self.camera_height_m,
        )


@dataclass(frozen=True)
class Walk:
    """A walk from one spot to another (world X, Z in metres): turn, stroll at `speed_m_s`, turn back."""

    start_s: float
    from_m: tuple[float, float]
    to_m: tuple[float, float]
    speed_m_s: float

    @property
    def distance_m(self) -> float:
        return float(np.hypot(self.to_m[0] - self.from_m[0], self.to_m[1] - self.from_m[1]))

    @property
    def end_s(self) -> float:
        return self.start_s + 2 * TURN_S + self.distance_m / self.speed_m_s

    @property
    def heading_deg(self) -> float:
        """The walker's azimuth (0 = towards the camera, 90 = to the image right)."""
        dx, dz = self.to_m[0] - self.from_m[0], self.to_m[1] - self.from_m[1]
        return float(np.degrees(np.arctan2(dx, dz)))

    def at(self, t: float) -> tuple[tuple[float, float], float, float]:
        """(place (X, Z), distance walked (m), gait weight 0..1 easing in and out over the turns) at t."""
        walked = min(max((t - self.start_s - TURN_S) * self.speed_m_s, 0.0), self.distance_m)
        f = walked / self.distance_m if self.distance_m > 0 else 1.0
        place = (self.from_m[0] + f * (self.to_m[0] - self.from_m[0]),
                 self.from_m[1] + f * (self.to_m[1] - self.from_m[1]))
        weight = min(min_jerk((t - self.start_s) / TURN_S), min_jerk((self.end_s - t) / TURN_S))
        return place, walked, weight


@dataclass
class Person:
    """One body in a group clip: an athlete (with a script and reps) or a passer-by (script None)."""

    body: BodyParams
    heading_deg: float  # facing while exercising (or walking, for a passer-by)
    place_m: tuple[float, float]  # (X, Z) at the start
    plans: list[RepPlan] = field(default_factory=list)
    style: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0)
    walk: Walk | None = None
    id: int = 0  # athletes: 1.. left to right at the start; a passer-by: 0
    spec: RenderSpec | None = None
    hold_s: float | None = None
    mat_bgr: tuple[int, int, int] | None = None
    skeletons: list[Skeleton] = field(default_factory=list)
    cameras: list[Camera] = field(default_factory=list)
    mat_xs: tuple[float, float] = (0.0, 0.0)  # image x range of the motion (for the mat)


@dataclass
class GroupClip:
    spec: GroupSpec
    camera: Camera  # the framed camera at azimuth 0 (world axes); each person's is it turned and placed
    background: np.ndarray
    athletes: list[Person]  # by id
    passers: list[Person]
    offsets: np.ndarray  # (frames, 2) camera shake in pixels

    @property
    def frames(self) -> int:
        return len(self.athletes[0].skeletons)

    @property
    def people(self) -> list[Person]:
        return [*self.athletes, *self.passers]


def _tempo(base: Tempo, scale: float, lead_extra_s: float) -> Tempo:
    def s(r: tuple[float, float]) -> tuple[float, float]:
        return r[0] * scale, r[1] * scale

    return replace(base, down_s=s(base.down_s), bottom_s=s(base.bottom_s), up_s=s(base.up_s), top_s=s(base.top_s),
                   lead_s=(base.lead_s[0] + lead_extra_s, base.lead_s[1] + lead_extra_s))


def _plan_athlete(spec: RenderSpec, script: ExerciseScript, rng: np.random.Generator) -> tuple[Person, float]:
    """A body, heading, style and rep schedule for one athlete; returns it and its set's duration (s)."""
    body = random_body(rng)
    style = tuple(float(v) for v in rng.uniform(-1, 1, size=4))
    faults = {k: tuple(v) for k, v in spec.faults.items()}
    lead_extra = float(rng.uniform(*LEAD_EXTRA_S))
    hold_s = None
    if script.hold:
        hold_s = float(spec.reps)
        lead = float(rng.uniform(0.3, 0.8)) + lead_extra
        plans = [RepPlan(1, lead, lead + 0.3 * hold_s, lead + 0.7 * hold_s, lead + hold_s, 1.0, False,
                         faults.get(1, ()))]
        duration = lead + hold_s + float(rng.uniform(0.3, 0.8))
    else:
        tempo = _tempo(script.tempo, float(rng.uniform(*TEMPO_SCALE)), lead_extra)
        sides = script.sides_for(spec.variant, "left" if rng.random() < 0.5 else "right")
        plans, duration = plan_reps(spec.reps, tempo, rng, partial=frozenset(spec.partial), faults=faults,
                                    partial_amp=script.partial_amp, sides=sides)
    heading = view_azimuth(spec.view_name, 1 if rng.random() < 0.5 else -1, rng)
    return Person(body, heading, (0.0, 0.0), plans, style, spec=spec, hold_s=hold_s), duration


def _shift_after(plans: list[RepPlan], done: int, delta_s: float) -> list[RepPlan]:
    """The plans with every rep after the first `done` moved `delta_s` later."""
    return [p if p.index <= done else replace(p, start_s=p.start_s + delta_s, turn_s=p.turn_s + delta_s,
                                              back_s=p.back_s + delta_s, end_s=p.end_s + delta_s) for p in plans]


def _footprint(p: Person, script: ExerciseScript, fps: float, frames: int) -> tuple[float, float]:
    """World-X extent (m) of the athlete's motion around their body origin, as turned to their heading."""
    cam = Camera(p.heading_deg)
    xs = []
    for i in range(0, frames, max(1, frames // 40)):
        sk = script.pose(p.body, moment_at(script, i / fps, p.plans, p.style, p.spec.view_name))
        xs.append(cam.to_world(outline_points(sk, p.body))[:, 0])
    allx = np.concatenate(xs)
    return float(allx.min()), float(allx.max())


def plan_group(spec: GroupSpec) -> GroupClip:
    """Decides everything about a group clip from the spec and its seed: bodies, schedules, places, camera."""
    script = get_script(spec.exercise)
    rng = np.random.default_rng([spec.seed, sum(map(ord, spec.exercise)), GROUP_STREAM])
    n = len(spec.reps)
    athletes, durations = [], []
    for k in range(n):
        person, duration = _plan_athlete(spec.athlete_spec(k), script, rng)
        athletes.append(person)
        durations.append(duration)
    distance = float(rng.uniform(*GROUP_DISTANCE_M))
    floor = spec.exercise in FLOOR_EXERCISES
    height = float(rng.uniform(*(FLOOR_HEIGHT_M if floor else STANDING_HEIGHT_M)))
    if spec.camera_height_m is not None:
        height = float(spec.camera_height_m)
    pair = int(rng.integers(n - 1)) if spec.cross else -1  # athletes pair and pair + 1 swap places
    while True:  # depths: spread out, and the swapping pair in clearly different lanes
        depths = rng.uniform(*DEPTH_M, size=n)
        if np.ptp(depths) >= MIN_DEPTH_SPREAD_M and (pair < 0 or abs(depths[pair] - depths[pair + 1])
                                                      >= CROSS_DEPTH_GAP_M):
            break
    frames = max(int(round(max(durations) * spec.fps)), 1)
    # Side by side in the image: equal slots as wide as the widest footprint (seen at its depth), random gaps.
    k_rel = distance / (distance - depths)  # image size relative to a body at the group's middle depth
    feet = [_footprint(a, script, spec.fps, frames) for a in athletes]
    widths = [k_rel[i] * (hi - lo) for i, (lo, hi) in enumerate(feet)]
    mids = [k_rel[i] * (lo + hi) / 2 for i, (lo, hi) in enumerate(feet)]  # footprint centre from the body origin
    # The swapping pair stand where the other stood (body origin on body origin, so one hides the other): room
    # for footprints that sit off their slot's centre by up to the spread of the mids.
    slot = max(widths) + (2 * (max(mids) - min(mids)) if pair >= 0 else 0.0)
    gaps = rng.uniform(*GAP_M, size=n - 1)
    centres = np.concatenate([[0.0], np.cumsum(slot + gaps)])
    centres -= centres[-1] / 2

    def origin_x(i: int, centre: float) -> float:
        lo, hi = feet[i]
        return float(centre / k_rel[i] - (lo + hi) / 2)

    for i, a in enumerate(athletes):
        a.place_m = (origin_x(i, centres[i]), float(depths[i]))
    if pair >= 0:
        a, b = athletes[pair], athletes[pair + 1]
        targets = (k_rel[pair + 1] * b.place_m[0] / k_rel[pair], k_rel[pair] * a.place_m[0] / k_rel[pair + 1])
        frames = _plan_swap(athletes, pair, targets, rng, spec.fps, frames)
    base = Camera(0.0, distance, height)
    for a in athletes:
        a.skeletons, a.cameras = _pose_athlete(a, script, base, spec.fps, frames)
    # Frame the athletes' motion (every place they exercise at) with one camera.
    xy = []
    for a in athletes:
        for i in range(0, frames, max(1, frames // 40)):
            xy.append(a.cameras[i].project(outline_points(a.skeletons[i], a.body))[0])
    scale, cx, cy = fit_frame(np.concatenate(xy), spec.size, float(rng.uniform(*FRAMING_FILL)),
                              (float(rng.uniform(*FRAMING_ANCHOR[0])), float(rng.uniform(*FRAMING_ANCHOR[1]))))
    cam = replace(base, scale=scale, cx=cx, cy=cy)
    for a in athletes:
        a.cameras = [replace(c, scale=scale, cx=cx, cy=cy) for c in a.cameras]
    # Ids left to right by the hip centre in the first frame.
    hips_x = [float(np.mean(keypoints_of(a.skeletons[0], a.body, a.cameras[0])[11:13, 0])) for a in athletes]
    athletes = [athletes[i] for i in np.argsort(hips_x, kind="stable")]
    for k, a in enumerate(athletes):
        a.id = k + 1
    passers = []
    farthest = float(min(depths))
    if spec.passer:
        passer = _plan_passer(rng, cam, spec, farthest, frames)
        passers.append(passer)
        farthest = passer.place_m[1]
    wall_m = -farthest + float(rng.uniform(*WALL_BEHIND_M))
    horizon = cam.cy + cam.scale * cam.distance_m / (cam.distance_m + wall_m) * cam.height_m
    background = make_background(spec.size, MARGIN_PX, horizon, rng)
    for a in athletes:
        if floor:
            a.mat_bgr = mat_colour(a.body, rng)
        xs = np.concatenate([a.cameras[i].project(np.stack(list(a.skeletons[i].points.values())))[0][:, 0]
                             for i in range(0, frames, max(1, frames // 30))])
        a.mat_xs = (float(xs.min()), float(xs.max()))
    offsets = camera_shake(frames, spec.shake_px, rng)
    return GroupClip(spec, cam, background, athletes, passers, offsets)


def _plan_swap(athletes: list[Person], pair: int, targets_x: tuple[float, float], rng: np.random.Generator,
               fps: float, frames: int) -> int:
    """Athletes `pair` and `pair + 1` swap places between reps, each in their own depth lane: one walks to the
    other's spot (passing behind or in front of them) and, once there, the other walks to the first's old
    spot, so the farther one is hidden for a while. The reps after the swap move later. Returns the clip's
    frame count (longer if a set now ends later)."""
    a, b = athletes[pair], athletes[pair + 1]
    done = [max(1, len(p.plans) // 2) for p in (a, b)]
    start = max(p.plans[d - 1].end_s for p, d in zip((a, b), done)) + float(rng.uniform(*CROSS_PAUSE_S))
    speed = float(rng.uniform(*CROSS_SPEED_M_S))
    order = [(a, targets_x[0]), (b, targets_x[1])]
    if rng.random() < 0.5:
        order.reverse()
    (p1, x1), (p2, x2) = order
    p1.walk = Walk(start, p1.place_m, (x1, p1.place_m[1]), speed)
    arrived = p1.walk.end_s - TURN_S
    p2.walk = Walk(arrived + float(rng.uniform(*HIDE_WAIT_S)), p2.place_m, (x2, p2.place_m[1]), speed)
    end = max(p1.walk.end_s, p2.walk.end_s)
    last = end
    for p, d in zip((a, b), done):
        if d < len(p.plans):
            delta = max(0.0, end + float(rng.uniform(*CROSS_PAUSE_S)) - p.plans[d].start_s)
            p.plans = _shift_after(p.plans, d, delta)
        last = max(last, p.plans[-1].end_s)
    return max(frames, int(round((last + float(rng.uniform(0.7, 1.3))) * fps)))


def _pose_athlete(a: Person, script: ExerciseScript, base: Camera, fps: float,
                  frames: int) -> tuple[list[Skeleton], list[Camera]]:
    """Every frame's skeleton and (unframed) camera: exercising in place, or walking between two spots."""
    skeletons, cameras = [], []
    view = a.spec.view_name
    for i in range(frames):
        t = i / fps
        sk = script.pose(a.body, moment_at(script, t, a.plans, a.style, view))
        place, heading = a.place_m, a.heading_deg
        w = a.walk
        if w is not None and t >= w.start_s:
            place, walked, weight = w.at(t)
            if t <= w.end_s:
                sk = blend(sk, walk_pose(a.body, walked, sk.dumbbells), weight)
                turn = (w.heading_deg - heading + 180.0) % 360.0 - 180.0  # the shorter way round
                heading = heading + turn * weight
        skeletons.append(sk)
        cameras.append(replace(base, azimuth_deg=heading, place_m=place))
    return skeletons, cameras


def _plan_passer(rng: np.random.Generator, cam: Camera, spec: GroupSpec, farthest_m: float, frames: int) -> Person:
    """Someone walking through the background from outside the frame to outside the other side."""
    body = random_body(rng)
    z = farthest_m - float(rng.uniform(*PASSER_BEHIND_M))
    px_per_m = cam.scale * cam.distance_m / (cam.distance_m - z)
    half_w = spec.size[0] / 2 / px_per_m
    centre = (spec.size[0] / 2 - cam.cx) / px_per_m
    ends = (centre - half_w - 0.6, centre + half_w + 0.6)  # a stride beyond the frame's edges
    if rng.random() < 0.5:
        ends = ends[::-1]
    speed = float(rng.uniform(*PASSER_SPEED_M_S))
    span_s = abs(ends[1] - ends[0]) / speed
    duration = frames / spec.fps
    start = float(rng.uniform(0.0, max(duration - span_s, 0.0))) - TURN_S
    walk = Walk(start, (ends[0], z), (ends[1], z), speed)
    p = Person(body, walk.heading_deg, walk.from_m, walk=walk)
    for i in range(frames):
        place, walked, _ = walk.at(i / spec.fps)
        p.skeletons.append(walk_pose(body, walked))
        p.cameras.append(replace(cam, azimuth_deg=walk.heading_deg, place_m=place))
    return p


@dataclass(frozen=True)
class PersonFrame:
    """One person in one frame: keypoints (17, 2) px, visible (17,), the whole body's box (x0, y0, x1, y1; None
    when out of the frame) and the share of the drawn body that shows (others and the frame edge hide the rest)."""

    keypoints: np.ndarray
    visible: np.ndarray
    box: tuple[float, float, float, float] | None
    shown: float


def _window(cam: Camera, sk: Skeleton, body: BodyParams, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """A pixel window that holds everything drawn of the body (for counting its pixels cheaply)."""
    xy, depth = cam.project(outline_points(sk, body))
    pad = 0.12 * body.height_m * cam.scale * cam.distance_m / float(depth.min()) + 4
    x0, y0 = np.floor(xy.min(axis=0) - pad).astype(int)
    x1, y1 = np.ceil(xy.max(axis=0) + pad).astype(int)
    return max(int(x0), 0), max(int(y0), 0), min(int(x1), size[0]), min(int(y1), size[1])


def render_group_frames(clip: GroupClip) -> Iterator[tuple[np.ndarray, list[PersonFrame]]]:
    """Yields (BGR frame, one PersonFrame per person: athletes by id, then passers-by) for every frame."""
    spec = clip.spec
    w, h = spec.size
    m = MARGIN_PX
    bank = noise_bank(spec.seed, spec.noise_std, spec.size)
    ids = np.zeros((h, w), np.uint8)
    people = clip.people
    for i in range(clip.frames):
        off = np.round(clip.offsets[i]).astype(int)
        img = clip.background[m - off[1]: m - off[1] + h, m - off[0]: m - off[0] + w].copy()
        ids[:] = 0
        depth = [float(p.cameras[i].project(p.skeletons[i]["pelvis"][None])[1][0]) for p in people]
        solo: dict[int, tuple[int, tuple[int, int, int, int] | None]] = {}
        for k in sorted(range(len(people)), key=lambda j: -depth[j]):  # the farthest first
            p, cam, sk = people[k], people[k].cameras[i], people[k].skeletons[i]
            window = _window(cam, sk, p.body, spec.size)
            if window[2] <= window[0] or window[3] <= window[1]:  # wholly outside the frame
                solo[k] = (0, None)
                continue
            floor_y = float(cam.project(np.zeros((1, 3)))[0][0, 1])
            scene = Scene(p.body, cam, spec.size, clip.background, m, floor_y, p.mat_bgr)
            draw_mat(img, scene, off, p.mat_xs)
            shadow(img, cam.project(np.stack([sk["left_ankle"], sk["right_ankle"], sk["pelvis"], sk["neck"],
                                              sk["left_toe"], sk["right_toe"]]))[0] + off, floor_y + off[1])
            draw_athlete(img, ids, scene, sk, off.astype(float), id_base=k * ID_STRIDE)
            solo[k] = _pixels(ids, k, window, with_box=True)
        frames = []
        for k, p in enumerate(people):
            cam, sk = p.cameras[i], p.skeletons[i]
            kp = keypoints_of(sk, p.body, cam) + off
            vis = visibility(sk, p.body, cam, kp, ids, id_base=k * ID_STRIDE)
            area, box = solo[k]
            shown_area, _ = _pixels(ids, k, _window(cam, sk, p.body, spec.size), with_box=False)
            frames.append(PersonFrame(kp, vis, box, shown_area / area if area else 0.0))
        yield post_process(img, spec.blur_sigma, bank, i), frames


def _pixels(ids: np.ndarray, k: int, window: tuple[int, int, int, int],
            with_box: bool) -> tuple[int, tuple[int, int, int, int] | None]:
    """How many pixels of the id map show person k, and (with_box) their bounding box."""
    x0, y0, x1, y1 = window
    if x1 <= x0 or y1 <= y0:
        return 0, None
    sub = ids[y0:y1, x0:x1]
    mine = (sub > k * ID_STRIDE) & (sub < (k + 1) * ID_STRIDE)
    area = int(np.count_nonzero(mine))
    if not with_box or area == 0:
        return area, None
    rows, cols = np.flatnonzero(mine.any(axis=1)), np.flatnonzero(mine.any(axis=0))
    return area, (x0 + int(cols[0]), y0 + int(rows[0]), x0 + int(cols[-1]) + 1, y0 + int(rows[-1]) + 1)


def _track(frames: list[PersonFrame]) -> dict:
    """A person's per-frame truth: box, hip centre, shown share, hidden frames, keypoints and visibility."""
    return {
        "boxes": [None if f.box is None else list(f.box) for f in frames],
        "hips": [[round(float(x), 1), round(float(y), 1)] for x, y in (f.keypoints[11:13].mean(axis=0)
                                                                         for f in frames)],
        "shown": [round(f.shown, 2) for f in frames],
        "hidden_frames": [i for i, f in enumerate(frames) if f.shown < HIDDEN_SHOWN_SHARE],
        "keypoints": [[[round(float(x), 1), round(float(y), 1)] for x, y in f.keypoints] for f in frames],
        "visible": [[bool(v) for v in f.visible] for f in frames],
    }


def _walk_truth(w: Walk | None) -> dict | None:
    if w is None:
        return None
    return {"start_s": round(w.start_s, 3), "end_s": round(w.end_s, 3),
            "from_m": [round(float(v), 3) for v in w.from_m], "to_m": [round(float(v), 3) for v in w.to_m]}


def group_truth_of(clip: GroupClip, per_frame: list[list[PersonFrame]]) -> dict:
    """The group truth: the clip's keys, `people` (athletes by id) and `passers`; the top-level counts,
    reps and keypoints are those of the largest athlete (`followed`), whom a single-person run follows."""
    spec = clip.spec
    hold = get_script(spec.exercise).hold
    people = []
    for k, a in enumerate(clip.athletes):
        track = _track([f[k] for f in per_frame])
        entry = {
            "id": a.id,
            "reps": 0 if hold else sum(not r.partial for r in a.plans),
            "no_reps": 0 if hold else sum(r.partial for r in a.plans),
            "rep_list": rep_list(a.plans, a.skeletons, spec.fps),
            "height_m": round(a.body.height_m, 3),
            "depth_m": round(a.place_m[1], 3),
            "walk": _walk_truth(a.walk),
            **track,
        }
        if a.hold_s is not None:
            entry["hold_s"] = a.hold_s
        people.append(entry)
    passers = []
    for j, p in enumerate(clip.passers):
        track = _track([f[len(clip.athletes) + j] for f in per_frame])
        passers.append({"walk": _walk_truth(p.walk), "height_m": round(p.body.height_m, 3), **track})

    def mean_area(entry: dict) -> float:
        return float(np.mean([(b[2] - b[0]) * (b[3] - b[1]) if b else 0.0 for b in entry["boxes"]]))

    followed = max(people, key=mean_area)
    truth = {
        "exercise": spec.exercise,
        "view": spec.view_name,
        "variant": spec.variant_name,
        "fps": spec.fps,
        "frames": clip.frames,
        "size": list(spec.size),
        "seed": spec.seed,
        "camera_height_m": round(clip.camera.height_m, 3),
        "followed": followed["id"],
        "reps": followed["reps"],
        "no_reps": followed["no_reps"],
        "rep_list": followed["rep_list"],
        "keypoint_names": list(KEYPOINT_NAMES),
        "keypoints": followed["keypoints"],
        "visible": followed["visible"],
        "hidden_share": HIDDEN_SHOWN_SHARE,
        "people": people,
        "passers": passers,
    }
    if "hold_s" in followed:
        truth["hold_s"] = followed["hold_s"]
    return truth


def render_group_video(spec: GroupSpec, out: str | Path, progress: Callable[[int, int], None] | None = None) -> dict:
    """Renders the group to the MP4 `out` and its truth beside it (.truth.json); returns the truth dict."""
    out = mp4_path(out)
    clip = plan_group(spec)
    per_frame = write_frames(out, render_group_frames(clip), spec.fps, spec.size, clip.frames, progress)
    truth = group_truth_of(clip, per_frame)
    truth_path(out).write_text(json.dumps(truth, separators=(",", ":")))
    return truth
