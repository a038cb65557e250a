"""Filming a workout or non-exercise clip (`fitness.synth.workout` plans it): the pose of every frame (each piece
blended in from the previous one's last posture), one camera per exercise block framed on what it films and
moved between blocks, the frames drawn as single clips' are, and the truth with its sets and segments.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import cv2
import numpy as np

from fitness.pose.types import KEYPOINT_NAMES
from fitness.synth.body import BodyParams, Skeleton
from fitness.synth.camera import Camera, is_end_on, place_camera
from fitness.synth.draw import Scene, make_background
from fitness.synth.keypoints import outline_points
from fitness.synth.posing import blend
from fitness.synth.render import (
    MARGIN_PX,
    PHASE_KEYS,
    camera_shake,
    draw_frame,
    mat_colour,
    mat_corners,
    mp4_path,
    noise_bank,
    post_process,
    truth_path,
    write_frames,
)
from fitness.synth.timeline import RepPlan
from fitness.synth.workout import (
    CAMERA_MOVE_S,
    ROOM_STREAM,
    WORKOUT_STREAM,
    Piece,
    SetTruth,
    WorkoutSpec,
    plan_timeline,
)


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
    """Decides everything about a workout or activity clip (timeline, poses, cameras) from the spec and its seed."""
    plan = plan_timeline(spec)
    body, pieces, sets, moves, looks = plan.body, plan.pieces, plan.sets, plan.moves, plan.looks
    n = max(int(round(plan.duration_s * spec.fps)), 1)
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
    mat = mat_colour(body, cam_rng)
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
                            mat_corners(mat_pts) if end_on and look.floor else None, perspective_radii=end_on,
                            mat_xs=(float(xs.min()), float(xs.max())), floor_follows_body=not look.floor))
    offsets = camera_shake(n, spec.shake_px, cam_rng)
    return MotionClip(spec, body, pieces, sets, skeletons, scenes, frame_scene, offsets, [lk.view for lk in looks])


def _piece_at(pieces: list[Piece], t: float) -> Piece:
    for p in pieces:
        if t < p.end_s:
            return p
    return pieces[-1]


def render_motion_frames(clip: MotionClip) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Yields (BGR frame, (17, 2) keypoints in pixels, (17,) visible) for every frame of the clip."""
    spec = clip.spec
    w, h = spec.size
    bank = noise_bank(spec.seed, spec.noise_std, spec.size)
    ids = np.zeros((h, w), np.uint8)
    for i, sk in enumerate(clip.skeletons):
        scene = clip.scene_at(i)
        img, kp, vis = draw_frame(scene, sk, np.round(clip.offsets[i]).astype(int), scene.mat_xs or (0.0, 0.0), ids)
        yield post_process(img, spec.blur_sigma, bank, i), kp, vis


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
    out = mp4_path(out)
    clip = plan_motion(spec)
    drawn = write_frames(out, ((img, (kp, vis)) for img, kp, vis in render_motion_frames(clip)), spec.fps,
                         spec.size, clip.frames, progress)
    keypoints, visible = [kp for kp, _ in drawn], [vis for _, vis in drawn]
    truth = motion_truth(clip, keypoints, visible)
    truth_path(out).write_text(json.dumps(truth, separators=(",", ":")))
    return truth
