"""Drawing the athlete with OpenCV: backgrounds, shaded capsule limbs in depth order, head with face,
clothes and shoes; plus an id map of which body part is on top at each pixel (for keypoint visibility).

Everything is cv2 primitives on numpy arrays (no per-pixel Python), with sub-pixel coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from fitness.synth.body import SIDES, BodyParams, Skeleton, face_points
from fitness.synth.camera import Camera

SHIFT = 4  # cv2 fixed-point bits: coordinates are drawn with 1/16 pixel precision
ONE = 1 << SHIFT
SHIRT_HEM = 0.2  # shirt hem above the hip joints, in torso lengths
SHORTS_BULGE = 1.15  # shorts leg radius relative to the thigh
SHOE_COLLAR = 0.5  # where the shoe's collar starts, from the ankle (0) to the sole (1)
FAR_SIDE_DARKER = 0.2  # the side away from the camera is in shadow
PLATE_R_M = 0.05  # dumbbell plate radius (m)
LIGHT = np.array([-0.45, -0.9]) / np.hypot(0.45, 0.9)  # towards the light, in image axes (upper left)
# Shading rings of a capsule: (radius fraction, brightness, shift towards the light in radii).
RINGS = ((1.0, 0.62, 0.0), (0.86, 0.8, 0.07), (0.64, 0.94, 0.16), (0.34, 1.06, 0.3))

# Part ids in the visibility map (0 = background).
PART_IDS: dict[str, int] = {"torso": 1, "head": 2, "neck": 3}
for _i, _s in enumerate(SIDES):
    for _j, _p in enumerate(("upper_arm", "forearm", "hand", "thigh", "shank", "shoe")):
        PART_IDS[f"{_s}_{_p}"] = 10 + 10 * _i + _j


def _tint(bgr: tuple[int, int, int], k: float) -> tuple[int, int, int]:
    return tuple(int(min(255, max(0, c * k))) for c in bgr)  # type: ignore[return-value]


def _fx(p: np.ndarray) -> tuple[int, int]:
    return int(round(float(p[0]) * ONE)), int(round(float(p[1]) * ONE))


def _capsule_poly(p1: np.ndarray, p2: np.ndarray, r1: float, r2: float) -> np.ndarray:
    d = p2 - p1
    n = np.hypot(*d)
    nrm = np.array([-d[1], d[0]]) / n if n > 1e-6 else np.array([0.0, 1.0])
    pts = np.array([p1 + nrm * r1, p2 + nrm * r2, p2 - nrm * r2, p1 - nrm * r1])
    return np.round(pts * ONE).astype(np.int32)


def capsule(img: np.ndarray, ids: np.ndarray | None, pid: int, p1, p2, r1: float, r2: float,
            color: tuple[int, int, int], shaded: bool = True) -> None:
    """A tapered capsule from p1 (radius r1) to p2 (radius r2), shaded like a lit cylinder."""
    p1, p2 = np.asarray(p1, float), np.asarray(p2, float)
    rings = RINGS if shaded else ((1.0, 1.0, 0.0),)
    r_max = max(r1, r2)
    for frac, k, shift in rings:
        off = LIGHT * shift * r_max
        a, b = p1 + off, p2 + off
        c = _tint(color, k)
        cv2.fillConvexPoly(img, _capsule_poly(a, b, r1 * frac, r2 * frac), c, cv2.LINE_AA, SHIFT)
        cv2.circle(img, _fx(a), int(r1 * frac * ONE), c, -1, cv2.LINE_AA, SHIFT)
        cv2.circle(img, _fx(b), int(r2 * frac * ONE), c, -1, cv2.LINE_AA, SHIFT)
    if ids is not None:
        cv2.fillConvexPoly(ids, _capsule_poly(p1, p2, r1, r2), pid, cv2.LINE_8, SHIFT)
        cv2.circle(ids, _fx(p1), int(r1 * ONE), pid, -1, cv2.LINE_8, SHIFT)
        cv2.circle(ids, _fx(p2), int(r2 * ONE), pid, -1, cv2.LINE_8, SHIFT)


def blob(img: np.ndarray, ids: np.ndarray | None, pid: int, pts: np.ndarray, color: tuple[int, int, int]) -> None:
    """A shaded convex shape (the torso, the shorts) from the convex hull of projected points."""
    hull = cv2.convexHull(pts.astype(np.float32)).reshape(-1, 2).astype(np.float64)
    centre = hull.mean(axis=0)
    size = float(np.sqrt(cv2.contourArea(hull.astype(np.float32)) + 1.0))
    for frac, k, shift in RINGS[:3]:
        poly = centre + (hull - centre) * (0.55 + 0.45 * frac) + LIGHT * shift * size * 0.25
        cv2.fillConvexPoly(img, np.round(poly * ONE).astype(np.int32), _tint(color, k + 0.04), cv2.LINE_AA, SHIFT)
    if ids is not None:
        cv2.fillConvexPoly(ids, np.round(hull * ONE).astype(np.int32), pid, cv2.LINE_8, SHIFT)


@dataclass(frozen=True)
class Scene:
    """Everything about one clip's look that does not change per frame."""

    body: BodyParams
    camera: Camera
    size: tuple[int, int]
    background: np.ndarray  # (h + 2 m, w + 2 m, 3) uint8, with a margin m for camera shake
    margin: int
    floor_y: float  # image row of the floor under the athlete
    mat_bgr: tuple[int, int, int] | None = None  # an exercise mat for floor exercises
    mat_corners: np.ndarray | None = None  # (4, 3) body-frame floor corners of the mat; None = a strip on floor_y
    perspective_radii: bool = False  # limbs thicker where nearer (a close camera); else one scale for the body
    mat_xs: tuple[float, float] | None = None  # a strip mat's image x extent; None = that of the clip's motion
    floor_follows_body: bool = False  # the contact shadow under the pelvis wherever it goes (walking), not floor_y


def make_background(size: tuple[int, int], margin: int, horizon_y: float, rng: np.random.Generator) -> np.ndarray:
    """A room: textured wall with a light gradient, a baseboard, and a floor with planks or tiles."""
    w, h = size[0] + 2 * margin, size[1] + 2 * margin
    hy = int(np.clip(horizon_y + margin, 0.15 * h, 0.9 * h))
    walls = ((200, 205, 210), (170, 190, 205), (210, 200, 185), (150, 160, 150), (190, 180, 200), (120, 130, 140))
    floors = ((70, 100, 140), (100, 130, 170), (90, 90, 95), (140, 150, 160), (60, 75, 95))
    wall = np.array(walls[rng.integers(len(walls))], np.float32) * rng.uniform(0.85, 1.1)
    floor = np.array(floors[rng.integers(len(floors))], np.float32) * rng.uniform(0.85, 1.1)
    img = np.empty((h, w, 3), np.float32)
    ys = np.linspace(0, 1, hy)[:, None, None]
    img[:hy] = wall * (1.08 - 0.22 * ys)
    fy = np.linspace(0, 1, h - hy)[:, None, None]
    img[hy:] = floor * (0.8 + 0.3 * fy)
    # Low-frequency blotches (paint, light falloff) and fine grain.
    blotch = cv2.resize(rng.normal(0, 1, (6, 8)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    img *= (1.0 + 0.05 * blotch)[..., None]
    img += rng.normal(0, 1.5, (h, w, 1)).astype(np.float32)
    out = np.clip(img, 0, 255).astype(np.uint8)
    if rng.random() < 0.5:  # planks: lines across, denser towards the horizon
        for i in range(1, 14):
            y = hy + int((h - hy) * (i / 14) ** 1.6)
            cv2.line(out, (0, y), (w, y), _tint(tuple(int(c) for c in floor), 0.7), 1, cv2.LINE_AA)
    else:  # tiles: a few converging seams
        vx = w * rng.uniform(0.3, 0.7)
        for i in range(-8, 9):
            cv2.line(
                out,
                (int(vx + i * w * 0.02), hy),
                (int(vx + i * w * 0.25), h),
                _tint(tuple(int(c) for c in floor), 0.75),
                1,
                cv2.LINE_AA,
            )
    cv2.rectangle(out, (0, hy - 6), (w, hy), _tint(tuple(int(c) for c in wall), 0.7), -1)
    if rng.random() < 0.6:  # a window or a poster on the wall
        x0 = int(rng.uniform(0.05, 0.75) * w)
        y0 = int(rng.uniform(0.05, 0.3) * hy)
        ww, hh = int(rng.uniform(0.1, 0.2) * w), int(rng.uniform(0.2, 0.4) * hy)
        color = (int(rng.integers(60, 230)), int(rng.integers(60, 230)), int(rng.integers(60, 230)))
        cv2.rectangle(out, (x0, y0), (x0 + ww, y0 + hh), color, -1)
        cv2.rectangle(out, (x0, y0), (x0 + ww, y0 + hh), (60, 60, 60), 2)
    return out


def _head(img: np.ndarray, ids: np.ndarray | None, cam: Camera, sk: Skeleton, body: BodyParams,
          proj, side_k: float) -> None:
    """Head: hair behind, face ellipse, ears, eyes, eyebrows, nose and mouth where they face the camera."""
    c, _ = proj(sk["head"][None])
    c = c[0]
    r = body.head_r * cam.scale * cam.distance_m / (cam.distance_m - cam.to_world(sk["head"][None])[0, 2])
    up2, _ = proj(
        np.stack([sk["head"], sk["head"] + sk.head_up * body.head_r, sk["head"] + sk.head_front * body.head_r])
    )
    up_v = (up2[1] - up2[0]) / max(r, 1e-6)
    fr_v = (up2[2] - up2[0]) / max(r, 1e-6)
    ang = float(np.degrees(np.arctan2(up_v[0], -up_v[1])))
    skin = body.skin_bgr
    hair = body.hair_bgr
    axes = (int(r * 0.92 * ONE), int(r * 1.1 * ONE))
    # Hair: an ellipse pushed back and up from the face.
    hc = c - fr_v * r * 0.2 + up_v * r * 0.16
    cv2.ellipse(img, _fx(hc), (int(r * 0.98 * ONE), int(r * 1.08 * ONE)), ang, 0, 360, hair, -1, cv2.LINE_AA, SHIFT)
    if body.long_hair:
        tail = hc - up_v * r * 0.9 - fr_v * r * 0.45
        cv2.ellipse(
            img, _fx(tail), (int(r * 0.55 * ONE), int(r * 0.9 * ONE)), ang, 0, 360, hair, -1, cv2.LINE_AA, SHIFT
        )
    fc = c + fr_v * r * 0.1 - up_v * r * 0.08
    for frac, k, shift in RINGS[:3]:
        off = LIGHT * shift * r
        cv2.ellipse(img, _fx(fc + off), (int(axes[0] * frac), int(axes[1] * frac * 0.97)), ang, 0, 360,
                    _tint(skin, k * side_k + 0.05), -1, cv2.LINE_AA, SHIFT)
    # Hairline over the top of the face.
    cv2.ellipse(img, _fx(hc + up_v * r * 0.05), (int(r * 0.95 * ONE), int(r * 0.75 * ONE)), ang, 180, 360, hair, -1,
                cv2.LINE_AA, SHIFT)
    if ids is not None:
        cv2.circle(ids, _fx(c), int(r * 1.05 * ONE), PART_IDS["head"], -1, cv2.LINE_8, SHIFT)
    feats = face_points(sk, body)
    pts = {k: proj(v[0][None])[0][0] for k, v in feats.items()}
    facing = {k: cam.towards_camera(v[1]) for k, v in feats.items()}
    for ear in ("left_ear", "right_ear"):
        if facing[ear] > -0.15:
            for (rx, ry), shade in (((0.2, 0.3), 0.8 * side_k), ((0.1, 0.17), 0.6)):  # the ear, then its hollow
                axes = (int(r * rx * ONE), int(r * ry * ONE))
                cv2.ellipse(img, _fx(pts[ear]), axes, ang, 0, 360, _tint(skin, shade), -1, cv2.LINE_AA, SHIFT)
    for eye in ("left_eye", "right_eye"):
        if facing[eye] > 0.05:
            e = pts[eye]
            cv2.ellipse(
                img,
                _fx(e),
                (int(r * 0.16 * ONE), int(r * 0.1 * ONE)),
                ang,
                0,
                360,
                (235, 240, 245),
                -1,
                cv2.LINE_AA,
                SHIFT,
            )
            cv2.circle(img, _fx(e + fr_v * r * 0.04), int(r * 0.08 * ONE), (40, 30, 25), -1, cv2.LINE_AA, SHIFT)
            brow = e + up_v * r * 0.2
            cv2.line(img, _fx(brow - up_v[::-1] * [1, -1] * r * 0.15), _fx(brow + up_v[::-1] * [1, -1] * r * 0.15),
                     _tint(hair, 0.9), max(1, int(r * 0.07)), cv2.LINE_AA, SHIFT)
    if facing["nose"] > -0.2:
        n = pts["nose"]
        cv2.ellipse(
            img,
            _fx(n - fr_v * r * 0.1),
            (int(r * 0.16 * ONE), int(r * 0.22 * ONE)),
            ang,
            0,
            360,
            _tint(skin, 0.92),
            -1,
            cv2.LINE_AA,
            SHIFT,
        )
        cv2.circle(img, _fx(n - up_v * r * 0.1), max(1, int(r * 0.06 * ONE)), _tint(skin, 0.55), -1, cv2.LINE_AA, SHIFT)
        mouth = n - up_v * r * 0.42 - fr_v * r * 0.12
        half = np.array([up_v[1], -up_v[0]]) * -1
        wide = r * (0.28 * max(0.2, facing["nose"]) + 0.08)
        cv2.line(
            img,
            _fx(mouth - half * wide),
            _fx(mouth + half * wide),
            (60, 60, 150),
            max(1, int(r * 0.08)),
            cv2.LINE_AA,
            SHIFT,
        )


def _dumbbell(img: np.ndarray, sk: Skeleton, body: BodyParams, side: str, proj, px_per_m: float, k: float) -> None:
    """A dumbbell: a steel bar through the fist with a dark plate at each end."""
    centre = sk[f"{side}_wrist"] + (sk[f"{side}_hand"] - sk[f"{side}_wrist"]) * 0.45
    axis = sk.dumbbells[side]
    ends, _ = proj(np.stack([centre - axis * 0.1, centre + axis * 0.1, centre - axis * 0.13, centre + axis * 0.13]))
    capsule(img, None, 0, ends[0], ends[1], 0.012 * px_per_m, 0.012 * px_per_m, _tint((170, 170, 175), k))
    for a, b in ((ends[0], ends[2]), (ends[1], ends[3])):
        capsule(img, None, 0, a, b, PLATE_R_M * px_per_m, PLATE_R_M * px_per_m, _tint((45, 45, 50), k))


def draw_athlete(img: np.ndarray, ids: np.ndarray | None, scene: Scene, sk: Skeleton, offset: np.ndarray) -> None:
    """Draws the athlete into `img` (and the part-id map into `ids`), far parts first."""
    body, cam = scene.body, scene.camera
    names = list(sk.points)
    xy, depth = cam.project(np.stack([sk.points[n] for n in names]))
    xy = xy + offset
    P = {n: xy[i] for i, n in enumerate(names)}
    D = {n: depth[i] for i, n in enumerate(names)}
    px_per_m = cam.scale * cam.distance_m / float(np.mean(depth))
    # Per joint: how much nearer than the body's mean depth (1 everywhere unless perspective_radii).
    near_k = {n: (float(np.mean(depth)) / D[n] if scene.perspective_radii else 1.0) for n in names}

    def proj(pts: np.ndarray):
        q, d = cam.project(pts)
        return q + offset, d

    def rad(part: str, joint: str) -> float:
        """The drawn half-thickness of `part` at `joint`, in pixels."""
        return body.radius(part) * px_per_m * near_k[joint]

    # Far side darker: the side whose "left" axis points away from the camera.
    left = np.array([0.0, 0.0, 1.0]) if sk.left_axis is None else sk.left_axis
    near = "left" if cam.towards_camera(left) > 0 else "right"
    amount = abs(cam.towards_camera(left))
    side_k = {near: 1.0, ("right" if near == "left" else "left"): 1.0 - FAR_SIDE_DARKER * amount}
    items: list[tuple[float, int, object]] = []

    def add(depth_m: float, fn) -> None:
        items.append((depth_m, len(items), fn))

    skin = body.skin_bgr
    for s in SIDES:
        k = side_k[s]
        sh, el, wr, hd = P[f"{s}_shoulder"], P[f"{s}_elbow"], P[f"{s}_wrist"], P[f"{s}_hand"]
        hip, kn, an, he, to = P[f"{s}_hip"], P[f"{s}_knee"], P[f"{s}_ankle"], P[f"{s}_heel"], P[f"{s}_toe"]

        def upper_arm(sh=sh, el=el, s=s, k=k):
            capsule(
                img,
                ids,
                PART_IDS[f"{s}_upper_arm"],
                sh,
                el,
                rad("upper_arm", f"{s}_shoulder") * 1.05,
                rad("upper_arm", f"{s}_elbow") * 0.85,
                _tint(skin, k),
            )
            sl = sh + (el - sh) * body.sleeve
            if body.sleeve > 0.05:
                r = rad("upper_arm", f"{s}_shoulder")
                capsule(img, None, 0, sh, sl, r * 1.25, r * 1.1, _tint(body.shirt_bgr, k))

        def forearm(el=el, wr=wr, s=s, k=k):
            capsule(
                img, ids, PART_IDS[f"{s}_forearm"], el, wr, rad("forearm", f"{s}_elbow") * 1.05,
                rad("forearm", f"{s}_wrist") * 0.75, _tint(skin, k),
            )

        def hand(wr=wr, hd=hd, s=s, k=k):
            if s in sk.dumbbells:
                _dumbbell(img, sk, body, s, proj, px_per_m * near_k[f"{s}_wrist"], k)
                # A fist around the bar.
                capsule(
                    img,
                    ids,
                    PART_IDS[f"{s}_hand"],
                    wr,
                    wr + (hd - wr) * 0.5,
                    rad("hand", f"{s}_wrist") * 1.05,
                    rad("hand", f"{s}_wrist") * 1.2,
                    _tint(skin, 0.95 * k),
                )
            else:
                capsule(
                    img,
                    ids,
                    PART_IDS[f"{s}_hand"],
                    wr,
                    wr + (hd - wr) * 0.75,
                    rad("hand", f"{s}_wrist") * 0.9,
                    rad("hand", f"{s}_wrist") * 1.05,
                    _tint(skin, 0.95 * k),
                )

        def thigh(hip=hip, kn=kn, s=s, k=k):
            capsule(img, ids, PART_IDS[f"{s}_thigh"], hip, kn, rad("thigh", f"{s}_hip") * 1.05,
                    rad("thigh", f"{s}_knee") * 0.72, _tint(skin, k))
            end = hip + (kn - hip) * body.shorts_len
            capsule(
                img,
                None,
                0,
                hip,
                end,
                rad("thigh", f"{s}_hip") * SHORTS_BULGE,
                rad("thigh", f"{s}_hip") * (SHORTS_BULGE - 0.1),
                _tint(body.shorts_bgr, k),
            )

        def shank(kn=kn, an=an, s=s, k=k):
            capsule(img, ids, PART_IDS[f"{s}_shank"], kn, an, rad("shank", f"{s}_knee") * 1.05,
                    rad("shank", f"{s}_ankle") * 0.62, _tint(skin, k))

        def shoe(an=an, he=he, to=to, s=s, k=k):
            capsule(
                img, ids, PART_IDS[f"{s}_shoe"], he, to, rad("shoe", f"{s}_heel") * 1.15,
                rad("shoe", f"{s}_toe") * 0.85, _tint(body.shoe_bgr, k),
            )
            # A low-cut collar: the ankle bone shows just above it, as with real trainers.
            mid = he + (to - he) * 0.4
            capsule(
                img,
                None,
                0,
                an + (mid - an) * SHOE_COLLAR,
                mid,
                rad("shoe", f"{s}_ankle") * 0.95,
                rad("shoe", f"{s}_ankle") * 1.0,
                _tint(body.shoe_bgr, k),
            )

        bias = 0.02  # arms are drawn over the torso when at the same depth
        add((D[f"{s}_shoulder"] + D[f"{s}_elbow"]) / 2 - bias, upper_arm)
        add((D[f"{s}_elbow"] + D[f"{s}_wrist"]) / 2 - bias - 0.002, forearm)
        add(D[f"{s}_wrist"] - bias - 0.004, hand)
        add((D[f"{s}_hip"] + D[f"{s}_knee"]) / 2, thigh)
        add((D[f"{s}_knee"] + D[f"{s}_ankle"]) / 2, shank)
        add(D[f"{s}_ankle"] - 0.003, shoe)

    # Torso: convex hull of a 3D box around shoulders, waist and hips, so it is right from any view.
    up, front = sk.torso_up, sk.torso_front
    cd, wd = body.radius("chest_depth"), body.radius("waist_depth")
    pelvis, neck = sk["pelvis"], sk["neck"]
    shirt_pts, shorts_pts = [], []
    for s in SIDES:
        lat = sk[f"{s}_shoulder"] - neck
        hl = sk[f"{s}_hip"] - pelvis
        for fd in (-1.0, 1.0):
            shirt_pts += [neck + lat * 1.12 + front * fd * cd * 0.8 - up * 0.02 * body.height_m,
                          neck + lat * 0.6 + front * fd * cd * 0.7 + up * 0.02 * body.height_m,
                          pelvis + up * body.torso * 0.55 + lat * 0.95 + front * fd * cd,
                          pelvis + up * body.torso * SHIRT_HEM + hl * 1.35 + front * fd * wd]
            shorts_pts += [pelvis + up * body.torso * (SHIRT_HEM + 0.02) + hl * 1.35 + front * fd * wd,
                           pelvis - up * 0.03 * body.height_m + hl * 1.55 + front * fd * wd * 1.05]
    shirt_xy, shirt_d = proj(np.array(shirt_pts))
    shorts_xy, _ = proj(np.array(shorts_pts))

    def torso():
        blob(img, ids, PART_IDS["torso"], shorts_xy, body.shorts_bgr)
        blob(img, ids, PART_IDS["torso"], shirt_xy, body.shirt_bgr)

    add(float(np.mean(shirt_d)), torso)

    def neck_part():
        capsule(
            img,
            ids,
            PART_IDS["neck"],
            P["neck"],
            P["neck"] + (P["head"] - P["neck"]) * 0.7,
            rad("neck", "neck"),
            rad("neck", "neck"),
            _tint(skin, 0.9),
        )

    add(D["neck"] - 0.01, neck_part)
    add(D["head"] - 0.015, lambda: _head(img, ids, cam, sk, body, proj, 1.0))
    for _, _, fn in sorted(items, key=lambda it: (-it[0], it[1])):
        fn()  # type: ignore[operator]


def shadow(img: np.ndarray, xy: np.ndarray, floor_y: float) -> None:
    """A soft contact shadow on the floor under the athlete."""
    x0, x1 = float(xy[:, 0].min()), float(xy[:, 0].max())
    cx, w = (x0 + x1) / 2, (x1 - x0) / 2 + 10
    h = max(6.0, w * 0.12)
    y0, y1 = int(max(floor_y - h, 0)), int(min(floor_y + h, img.shape[0]))
    xa, xb = int(max(cx - w, 0)), int(min(cx + w, img.shape[1]))
    if y1 <= y0 or xb <= xa:
        return
    roi = img[y0:y1, xa:xb]
    mask = np.zeros(roi.shape[:2], np.float32)
    cv2.ellipse(mask, (int(cx - xa), int(floor_y - y0)), (int(w), int(h)), 0, 0, 360, 1.0, -1, cv2.LINE_AA)
    mask = cv2.GaussianBlur(mask, (0, 0), max(2.0, h / 3))
    roi[:] = (roi * (1.0 - 0.35 * mask[..., None])).astype(np.uint8)
