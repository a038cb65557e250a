"""Rendering a clip: RenderSpec -> frames with exact truth (reps, faults, 2D keypoints, visibility) -> MP4 + JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

import cv2
import numpy as np

from fitness.errors import SourceError, UsageError
from fitness.pose.types import KEYPOINT_NAMES
from fitness.synth.body import CLOTHES, HAIR, SHOES, SKIN_TONES, BodyParams, Skeleton, face_points
from fitness.synth.camera import Camera, is_end_on, place_camera
from fitness.synth.draw import ONE, PART_IDS, SHIFT, Scene, draw_athlete, make_background, shadow
from fitness.synth.keypoints import keypoints_of, outline_points, pose_frames
from fitness.synth.motion import SCRIPTS, ExerciseScript, measure
from fitness.synth.timeline import RepPlan, plan_reps

T = TypeVar("T")

FLOOR_EXERCISES = frozenset({"push_ups", "plank", "sit_ups", "glute_bridges"})
# A rep's phase times in the truth (s from the clip start, 1 ms): leaves rest, reaches the turnaround, leaves it,
# is back at rest.
PHASE_KEYS = ("start_s", "turn_s", "back_s", "end_s")
CLIP_STREAM = 8  # the seed's random stream of everything about a clip ...
ONE_SIDE_STREAM = 9  # ... and the one of a one-arm / one-leg clip's side, so the clip's own draws stay the same
MARGIN_PX = 16  # background margin that camera shake may reveal
CAMERA_HEIGHT_M = (0.05, 2.0)  # the camera heights a spec may ask for: from on the floor to above head height
MAT_HALF_WIDTH_M = 0.4  # an exercise mat seen end-on: this wide each side of the body's midline ...
MAT_MARGIN_M = 0.12  # ... and this much longer than the motion at each end
VISIBLE_RADIUS = 0.012  # visibility is judged over a square of this half-size (fraction of frame height)
VISIBLE_FRACTION = 0.4  # share of that square that must show the keypoint's own limb

# Which drawn parts may cover a keypoint for it to still count as visible (its own limb).
_OWN_PARTS: dict[str, tuple[str, ...]] = {"nose": ("head",), "left_eye": ("head",), "right_eye": ("head",),
                                          "left_ear": ("head",), "right_ear": ("head",)}
for _s in ("left", "right"):
    _OWN_PARTS[f"{_s}_shoulder"] = (f"{_s}_upper_arm", "torso", "neck")
    _OWN_PARTS[f"{_s}_elbow"] = (f"{_s}_upper_arm", f"{_s}_forearm")
    _OWN_PARTS[f"{_s}_wrist"] = (f"{_s}_forearm", f"{_s}_hand")
    _OWN_PARTS[f"{_s}_hip"] = (f"{_s}_thigh", "torso")
    _OWN_PARTS[f"{_s}_knee"] = (f"{_s}_thigh", f"{_s}_shank")
    _OWN_PARTS[f"{_s}_ankle"] = (f"{_s}_shank", f"{_s}_shoe")


def exercise_names() -> tuple[str, ...]:
    return tuple(SCRIPTS)


def get_script(exercise: str) -> ExerciseScript:
    if exercise not in SCRIPTS:
        raise UsageError(f"unknown exercise '{exercise}' for rendering; expected one of {', '.join(SCRIPTS)}")
    return SCRIPTS[exercise]


@dataclass(frozen=True)
class RenderSpec:
    """What to render. Rep numbers are 1-based. For the hold exercise (plank), `reps` is the hold in seconds.

    faults: {rep: [rule ids]}; partial: reps that stop short (no-reps). body: None = drawn from the seed.
    noise_std: sensor noise (grey levels); blur_sigma: lens blur (px); shake_px: camera shake amplitude (px).
    variant: how the sides take turns (the script's `variants`; None = its default, e.g. both arms together).
    camera_height_m: the camera's height above the floor, instead of the seed's (which is still drawn, so
    everything else about the clip stays the seed's).
    """

    exercise: str
    reps: int
    view: str | None = None
    faults: dict[int, list[str]] = field(default_factory=dict)
    partial: list[int] = field(default_factory=list)
    seed: int = 0
    fps: float = 30.0
    size: tuple[int, int] = (640, 480)
    body: BodyParams | None = None
    noise_std: float = 3.0
    blur_sigma: float = 0.0
    shake_px: float = 0.0
    variant: str | None = None
    camera_height_m: float | None = None

    def __post_init__(self) -> None:
        script = get_script(self.exercise)
        if self.view is not None and self.view not in script.render_views:
            raise UsageError(
                f"{self.exercise} is rendered from the {' or '.join(script.views)} view or at an angle (oblique), "
                f"not '{self.view}'"
            )
        if self.variant is not None and self.variant not in script.variants:
            if not script.variants:
                raise UsageError(f"{self.exercise} has no variants, got '{self.variant}'")
            raise UsageError(
                f"unknown variant '{self.variant}' for {self.exercise}; expected one of {', '.join(script.variants)}"
            )
        limit = 600 if script.hold else 200
        if not 1 <= self.reps <= limit:
            raise UsageError(f"reps must be between 1 and {limit} for {self.exercise}, got {self.reps}")
        n_reps = 1 if script.hold else self.reps
        for rep, ids in self.faults.items():
            if not 1 <= rep <= n_reps:
                raise UsageError(f"fault rep {rep} is outside 1..{n_reps}")
            valid = script.faults_for(self.variant)
            bad = [f for f in ids if f not in valid]
            if bad:
                which = self.exercise if valid == script.faults else f"{self.exercise} ({self.variant_name})"
                raise UsageError(f"unknown fault '{bad[0]}' for {which}; expected one of {', '.join(valid)}")
        for rep in self.partial:
            if script.hold:
                raise UsageError(f"{self.exercise} is a hold: it has no partial reps")
            if not 1 <= rep <= self.reps:
                raise UsageError(f"partial rep {rep} is outside 1..{self.reps}")
        if not 5.0 <= self.fps <= 120.0:
            raise UsageError(f"fps must be between 5 and 120, got {self.fps}")
        w, h = self.size
        if not (96 <= w <= 3840 and 96 <= h <= 2160):
            raise UsageError(f"size must be between 96x96 and 3840x2160, got {w}x{h}")
        lo, hi = CAMERA_HEIGHT_M
        if self.camera_height_m is not None and not lo <= self.camera_height_m <= hi:
            raise UsageError(f"camera height must be between {lo} and {hi} m, got {self.camera_height_m}")

    @property
    def view_name(self) -> str:
        return self.view or get_script(self.exercise).views[0]

    @property
    def variant_name(self) -> str | None:
        """The variant rendered (None for an exercise without variants)."""
        variants = get_script(self.exercise).variants
        return self.variant or (variants[0] if variants else None)


def random_body(rng: np.random.Generator) -> BodyParams:
    """An adult of random size, build and clothes; skin, shirt and shorts always differ clearly."""
    shirt = CLOTHES[rng.integers(len(CLOTHES))]
    shorts = CLOTHES[rng.integers(len(CLOTHES))]
    while sum(abs(a - b) for a, b in zip(shirt, shorts)) < 120:
        shorts = CLOTHES[rng.integers(len(CLOTHES))]
    return BodyParams(
        height_m=float(rng.uniform(1.58, 1.92)),
        build=float(rng.uniform(0.88, 1.2)),
        leg_ratio=float(rng.uniform(0.95, 1.05)),
        arm_ratio=float(rng.uniform(0.95, 1.05)),
        shoulder_ratio=float(rng.uniform(0.92, 1.08)),
        skin_bgr=SKIN_TONES[rng.integers(len(SKIN_TONES))],
        shirt_bgr=shirt,
        shorts_bgr=shorts,
        hair_bgr=HAIR[rng.integers(len(HAIR))],
        shoe_bgr=SHOES[rng.integers(len(SHOES))],
        sleeve=float(rng.choice([0.0, 0.35, 0.5])),
        shorts_len=float(rng.uniform(0.35, 0.6)),
        long_hair=bool(rng.random() < 0.35),
    )


@dataclass
class Clip:
    """A planned clip: its scene, the per-frame skeletons and the rep plans (all decided by the seed)."""

    spec: RenderSpec
    scene: Scene
    plans: list[RepPlan]
    skeletons: list[Skeleton]
    offsets: np.ndarray  # (frames, 2) camera shake in pixels
    hold_s: float | None = None

    @property
    def frames(self) -> int:
        return len(self.skeletons)


def plan_clip(spec: RenderSpec) -> Clip:
    """Decides everything about a clip (body, camera, tempo, per-frame pose) from the spec and its seed."""
    script = get_script(spec.exercise)
    rng = np.random.default_rng([spec.seed, sum(map(ord, spec.exercise)), CLIP_STREAM])
    body = spec.body or random_body(rng)
    style = tuple(float(v) for v in rng.uniform(-1, 1, size=4))
    faults = {k: tuple(v) for k, v in spec.faults.items()}
    hold_s = None
    if script.hold:
        hold_s = float(spec.reps)
        lead = float(rng.uniform(0.3, 0.8))
        plans = [
            RepPlan(1, lead, lead + 0.3 * hold_s, lead + 0.7 * hold_s, lead + hold_s, 1.0, False, faults.get(1, ()))
        ]
        duration = lead + hold_s + float(rng.uniform(0.3, 0.8))
    else:
        plans, duration = plan_reps(spec.reps, script.tempo, rng, partial=frozenset(spec.partial), faults=faults,
                                    partial_amp=script.partial_amp, sides=_sides(spec))
    n = max(int(round(duration * spec.fps)), 1)
    skeletons = pose_frames(script, body, plans, n, spec.fps, style, spec.view_name)
    facing = 1 if rng.random() < 0.5 else -1
    floor_ex = spec.exercise in FLOOR_EXERCISES
    end_on = is_end_on(spec.view_name, floor_ex)
    pts = np.concatenate([outline_points(sk, body, thick=end_on) for sk in skeletons[:: max(1, n // 60)]])
    cam = place_camera(spec.view_name, floor_ex, facing, float(pts[:, 0].max()), rng)
    if spec.camera_height_m is not None:
        cam = replace(cam, height_m=float(spec.camera_height_m))
    fill = float(rng.uniform(0.72, 0.86))
    anchor = (float(rng.uniform(0.44, 0.56)), float(rng.uniform(0.5, 0.56)))
    cam = cam.framed(pts, spec.size, fill, anchor)
    wall_m = float(rng.uniform(1.2, 3.0))
    horizon = cam.cy + cam.scale * cam.distance_m / (cam.distance_m + wall_m) * cam.height_m
    floor_y = float(cam.project(np.zeros((1, 3)))[0][0, 1])
    background = make_background(spec.size, MARGIN_PX, horizon, rng)
    # Floor exercises lie on a mat whose brightness differs clearly from the skin and hair, as a head on a
    # floor of the same shade is invisible (to people and to MoveNet alike).
    mat = mat_colour(body, rng) if floor_ex else None
    scene = Scene(body, cam, spec.size, background, MARGIN_PX, floor_y, mat,
                  mat_corners(pts) if end_on else None, perspective_radii=end_on)
    offsets = camera_shake(n, spec.shake_px, rng)
    return Clip(spec, scene, plans, skeletons, offsets, hold_s)


def _sides(spec: RenderSpec) -> tuple[str | None, ...]:
    """The side of reps 1, 2, ... (cycled). A one-side variant's side comes from its own generator, so the
    clip's other draws are those of the default variant."""
    side_rng = np.random.default_rng([spec.seed, sum(map(ord, spec.exercise)), ONE_SIDE_STREAM])
    one_side = "left" if side_rng.random() < 0.5 else "right"
    return get_script(spec.exercise).sides_for(spec.variant, one_side)


MATS: tuple[tuple[int, int, int], ...] = (
    (215, 205, 190),
    (200, 215, 170),
    (190, 180, 230),
    (225, 225, 225),
    (160, 90, 60),
    (140, 60, 120),
    (70, 130, 60),
    (60, 60, 60),
)


def _luma(bgr: tuple[int, int, int]) -> float:
    return 0.114 * bgr[0] + 0.587 * bgr[1] + 0.299 * bgr[2]


def mat_colour(body: BodyParams, rng: np.random.Generator) -> tuple[int, int, int]:
    contrast = [min(abs(_luma(m) - _luma(body.skin_bgr)), abs(_luma(m) - _luma(body.hair_bgr))) for m in MATS]
    good = [m for m, c in zip(MATS, contrast) if c >= 0.6 * max(contrast)]
    return good[rng.integers(len(good))]


def mat_corners(pts: np.ndarray) -> np.ndarray:
    """(4, 3) body-frame floor corners of a mat under the whole motion (for a camera that sees it in depth)."""
    back, front = float(pts[:, 0].min()) - MAT_MARGIN_M, float(pts[:, 0].max()) + MAT_MARGIN_M
    return np.array([[back, 0.0, -MAT_HALF_WIDTH_M], [back, 0.0, MAT_HALF_WIDTH_M], [front, 0.0, MAT_HALF_WIDTH_M],
                     [front, 0.0, -MAT_HALF_WIDTH_M]])


def camera_shake(n: int, amp_px: float, rng: np.random.Generator) -> np.ndarray:
    if amp_px <= 0:
        return np.zeros((n, 2))
    walk = np.cumsum(rng.normal(0, 1, (n, 2)), axis=0)
    walk = cv2.GaussianBlur(walk.astype(np.float32).reshape(n, 1, 2), (0, 0), 3).reshape(n, 2)
    walk -= walk.mean(axis=0)
    peak = float(np.abs(walk).max()) or 1.0
    return np.clip(walk / peak * amp_px, -MARGIN_PX, MARGIN_PX)


def visibility(sk: Skeleton, body: BodyParams, cam: Camera, kp: np.ndarray, ids: np.ndarray,
               id_base: int = 0) -> np.ndarray:
    """(17,) bool: a keypoint is visible when it is inside the frame, the part drawn on top there is its own
    limb (or the torso, for shoulders and hips not behind the torso), and face points face the camera.
    id_base: the athlete's offset in the part-id map (draw_athlete's), for one of several athletes."""
    h, w = ids.shape
    r = max(1, int(round(VISIBLE_RADIUS * h)))
    face = face_points(sk, body)
    torso_depth = float(np.mean(cam.project(np.stack([sk["pelvis"], sk["neck"]]))[1]))
    out = np.zeros(len(KEYPOINT_NAMES), bool)
    for i, name in enumerate(KEYPOINT_NAMES):
        x, y = kp[i]
        if not (0 <= x < w and 0 <= y < h):
            continue
        xi, yi = int(x), int(y)
        patch = ids[max(yi - r, 0): yi + r + 1, max(xi - r, 0): xi + r + 1]
        allowed = [PART_IDS[p] + id_base for p in _OWN_PARTS[name]]
        if name.endswith(("shoulder", "hip")):
            depth = float(cam.project(sk[name][None])[1][0])
            if depth > torso_depth + 0.05:  # behind the torso: the torso hides it
                allowed = [a for a in allowed if a not in (PART_IDS["torso"] + id_base, PART_IDS["neck"] + id_base)]
        # Clearly visible: most of a small disc around the joint shows its own limb (a far elbow peeking
        # out by two pixels behind the near arm does not count).
        ok = bool(np.isin(patch, allowed).mean() >= VISIBLE_FRACTION)
        if name in face:
            threshold = 0.05 if name.endswith("eye") else -0.15
            ok = ok and cam.towards_camera(face[name][1]) > threshold
        out[i] = ok
    return out


@dataclass(frozen=True)
class NoiseFrame:
    """One frame of sensor noise, split into what it adds and what it takes away (uint8, per channel), so
    cv2's saturating add and subtract apply it: the same as clipping img + noise to 0..255, but faster."""

    up: np.ndarray
    down: np.ndarray


def noise_bank(seed: int, noise_std: float, size: tuple[int, int]) -> list[NoiseFrame]:
    """Four frames of sensor noise drawn from the seed (none when noise_std is 0)."""
    w, h = size
    rng = np.random.default_rng([seed, 99])
    if noise_std <= 0:
        return []
    bank = []
    for _ in range(4):
        noise = np.round(rng.normal(0, noise_std, (h, w, 1))).astype(np.int16)
        bank.append(NoiseFrame(np.repeat(np.clip(noise, 0, 255).astype(np.uint8), 3, axis=2),
                               np.repeat(np.clip(-noise, 0, 255).astype(np.uint8), 3, axis=2)))
    return bank


def post_process(img: np.ndarray, blur_sigma: float, noise_bank: list[NoiseFrame], i: int) -> np.ndarray:
    """Lens blur and sensor noise (the bank's frames taken in turn)."""
    if blur_sigma > 0:
        img = cv2.GaussianBlur(img, (0, 0), blur_sigma)
    if noise_bank:
        noise = noise_bank[i % len(noise_bank)]
        img = cv2.subtract(cv2.add(img, noise.up), noise.down)
    return img


def draw_mat(img: np.ndarray, scene: Scene, offset: np.ndarray, xs: tuple[float, float]) -> None:
    if scene.mat_bgr is None:
        return
    edge = tuple(int(c * 0.75) for c in scene.mat_bgr)
    if scene.mat_corners is not None:  # seen in depth: the projected rectangle, its near edge darker
        quad = scene.camera.project(scene.mat_corners)[0] + offset
        cv2.fillConvexPoly(img, np.round(quad * ONE).astype(np.int32), scene.mat_bgr, cv2.LINE_AA, SHIFT)
        cv2.line(img, tuple(np.round(quad[2]).astype(int)), tuple(np.round(quad[3]).astype(int)), edge, 2, cv2.LINE_AA)
        return
    y = scene.floor_y + offset[1]
    h = img.shape[0]
    pad = 0.12 * (xs[1] - xs[0])
    back, front = 0.035 * h, 0.045 * h  # the mat's far and near edges around the athlete's floor line
    pts = np.array([[xs[0] - pad, y - back], [xs[1] + pad, y - back], [xs[1] + pad + back, y + front],
                    [xs[0] - pad - back, y + front]]) + np.array([offset[0], 0.0])
    cv2.fillConvexPoly(img, np.round(pts).astype(np.int32), scene.mat_bgr, cv2.LINE_AA)
    cv2.line(img, tuple(np.round(pts[3]).astype(int)), tuple(np.round(pts[2]).astype(int)), edge, 2, cv2.LINE_AA)


def shadow_row(scene: Scene, sk: Skeleton) -> float:
    """The image row of the contact shadow: the floor under the feet (where the body stands when the floor
    follows it), or end-on (a mat seen in depth) the floor under the chest."""
    if scene.mat_corners is not None:
        return float(scene.camera.project(np.array([[sk["neck"][0], 0.0, 0.0]]))[0][0, 1])
    if scene.floor_follows_body:
        feet = (sk["left_ankle"] + sk["right_ankle"]) / 2
        return float(scene.camera.project(np.array([[feet[0], 0.0, feet[2]]]))[0][0, 1])
    return scene.floor_y


def draw_frame(scene: Scene, sk: Skeleton, off: np.ndarray, mat_xs: tuple[float, float], ids: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One frame of `scene` with the athlete posed as `sk`, the camera shaken by `off` (px): the BGR image before
    blur and noise, the (17, 2) keypoints in pixels and which are visible. ids: the frame's part-id buffer."""
    h, w = ids.shape
    m = scene.margin
    img = scene.background[m - off[1]: m - off[1] + h, m - off[0]: m - off[0] + w].copy()
    draw_mat(img, scene, off, mat_xs)
    kp = keypoints_of(sk, scene.body, scene.camera) + off
    shadow(img, scene.camera.project(np.stack([sk["left_ankle"], sk["right_ankle"], sk["pelvis"], sk["neck"],
                                               sk["left_toe"], sk["right_toe"]]))[0] + off,
           shadow_row(scene, sk) + off[1])
    ids[:] = 0
    draw_athlete(img, ids, scene, sk, off.astype(float))
    return img, kp, visibility(sk, scene.body, scene.camera, kp, ids)


def render_frames(clip: Clip) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Yields (BGR frame, (17, 2) keypoints in pixels, (17,) visible) for every frame of the clip."""
    spec, scene = clip.spec, clip.scene
    w, h = spec.size
    bank = noise_bank(spec.seed, spec.noise_std, spec.size)
    ids = np.zeros((h, w), np.uint8)
    all_x = []
    for sk in clip.skeletons[:: max(1, clip.frames // 30)]:
        all_x.append(scene.camera.project(np.stack(list(sk.points.values())))[0][:, 0])
    xs = (float(np.min(np.concatenate(all_x))), float(np.max(np.concatenate(all_x))))
    for i, sk in enumerate(clip.skeletons):
        img, kp, vis = draw_frame(scene, sk, np.round(clip.offsets[i]).astype(int), xs, ids)
        yield post_process(img, spec.blur_sigma, bank, i), kp, vis


def rep_list(plans: list[RepPlan], skeletons: list[Skeleton], fps: float) -> list[dict]:
    """The truth's per-rep entries: frames, partial, faults, side, 3D angles at the turnaround, phase times."""
    frames = len(skeletons)
    reps = []
    for rep in plans:
        turn = min(int(round((rep.turn_s + rep.back_s) / 2 * fps)), frames - 1)
        angles = measure(skeletons[turn], rep.side or "left")
        reps.append({
            "index": rep.index,
            "start_frame": int(round(rep.start_s * fps)),
            "end_frame": min(int(round(rep.end_s * fps)), frames - 1),
            "partial": rep.partial,
            "faults": list(rep.faults),
            "side": rep.side,
            "turn_angles": {k: round(v, 1) for k, v in angles.items()},
            **{k: round(getattr(rep, k), 3) for k in PHASE_KEYS},
        })
    return reps


def truth_of(clip: Clip, keypoints: list[np.ndarray], visible: list[np.ndarray]) -> dict:
    """The truth dict (docs/INTEGRATION.md): counts, per-rep frames and faults, per-frame keypoints."""
    spec = clip.spec
    script = get_script(spec.exercise)
    reps = rep_list(clip.plans, clip.skeletons, spec.fps)
    counted = 0 if script.hold else sum(not r.partial for r in clip.plans)
    truth = {
        "exercise": spec.exercise,
        "view": spec.view_name,
        "variant": spec.variant_name,
        "fps": spec.fps,
        "frames": clip.frames,
        "size": list(spec.size),
        "seed": spec.seed,
        "camera_height_m": round(clip.scene.camera.height_m, 3),
        "reps": counted,
        "no_reps": 0 if script.hold else sum(r.partial for r in clip.plans),
        "rep_list": reps,
        "keypoint_names": list(KEYPOINT_NAMES),
        "keypoints": [[[round(float(x), 1), round(float(y), 1)] for x, y in kp] for kp in keypoints],
        "visible": [[bool(v) for v in vis] for vis in visible],
    }
    if clip.hold_s is not None:
        truth["hold_s"] = clip.hold_s
    return truth


def mp4_path(out: str | Path) -> Path:
    """`out` as the path of an MP4 to write, its folder made (a usage error for another suffix)."""
    out = Path(out)
    if out.suffix.lower() != ".mp4":
        raise UsageError(f"the output must be an .mp4 file, got '{out.name}'")
    out.parent.mkdir(parents=True, exist_ok=True)
    return out


def write_frames(out: Path, frames: Iterable[tuple[np.ndarray, T]], fps: float, size: tuple[int, int], total: int,
                 progress: Callable[[int, int], None] | None = None) -> list[T]:
    """Encodes the image of each (image, extra) of `frames` into the MP4 `out`; returns the extras in order.
    progress(done, total) is called after every frame (for a progress bar)."""
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    if not writer.isOpened():
        raise SourceError(f"cannot write video '{out}': OpenCV could not open an mp4v writer there")
    extras = []
    try:
        for i, (img, extra) in enumerate(frames):
            writer.write(img)
            extras.append(extra)
            if progress:
                progress(i + 1, total)
    finally:
        writer.release()
    return extras


def render_video(spec: RenderSpec, out: str | Path, progress: Callable[[int, int], None] | None = None) -> dict:
    """Renders `spec` to the MP4 `out` and `out` with suffix .truth.json; returns the truth dict.

    progress(done, total) is called after every frame (for a progress bar).
    """
    out = mp4_path(out)
    clip = plan_clip(spec)
    drawn = write_frames(out, ((img, (kp, vis)) for img, kp, vis in render_frames(clip)), spec.fps, spec.size,
                         clip.frames, progress)
    truth = truth_of(clip, [kp for kp, _ in drawn], [vis for _, vis in drawn])
    truth_path(out).write_text(json.dumps(truth, separators=(",", ":")))
    return truth


def truth_path(video: str | Path) -> Path:
    video = Path(video)
    return video.with_name(video.stem + ".truth.json")
