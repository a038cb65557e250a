"""The camera: body frame -> world -> image pixels (a mild perspective), and framing the whole clip.

World axes: X to the image right, Y up, Z towards the camera. The athlete faces `azimuth_deg` from the
camera (0 = towards it, 90 = to the image right), so the far side of the body has the larger depth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from fitness.errors import UsageError

VIEWS = ("side", "front", "oblique")
# Side view headings: square-on within a few degrees either way.
SIDE_AZIMUTH_DEG = (83.0, 97.0)
DISTANCE_M = (3.8, 5.5)  # camera to the body origin (between the feet), for every view but the end-on one
STANDING_HEIGHT_M = (0.85, 1.25)  # a camera on a shelf or tripod, filming a standing exercise
FLOOR_HEIGHT_M = (0.45, 0.8)  # a low stand beside a floor exercise
# A floor exercise filmed end-on ("front"): a phone on the floor in front of the hands, the athlete's head
# towards it within this many degrees, this high, and this far in front of the nearest point the athlete
# reaches (the head at the bottom of a push-up).
END_ON_AZIMUTH_DEG = 5.0
END_ON_HEIGHT_M = (0.05, 0.35)
END_ON_CLEARANCE_M = (0.7, 1.7)


def view_azimuth(view: str, facing: int, rng: np.random.Generator) -> float:
    """The athlete's heading for a view (random by a few degrees: nobody films exactly square)."""
    if view == "side":
        return facing * float(rng.uniform(SIDE_AZIMUTH_DEG[0], SIDE_AZIMUTH_DEG[1]))
    if view == "front":
        return float(rng.uniform(-8, 8))
    if view == "oblique":
        return facing * float(rng.uniform(35, 55))
    raise UsageError(f"unknown view '{view}'; expected one of {', '.join(VIEWS)}")


def is_end_on(view: str, floor: bool) -> bool:
    """A floor exercise filmed from the front: a close, low camera, so perspective is strong."""
    return floor and view == "front"


def place_camera(view: str, floor: bool, facing: int, reach_m: float, rng: np.random.Generator) -> Camera:
    """Where a clip's camera stands (unframed): heading, distance and height drawn from `rng`, three draws.

    floor: a floor exercise (push-ups, ...); reach_m: how far in front of the body origin the athlete reaches
    over the clip (body-frame forward extent), which the end-on camera must stay clear of.
    """
    if is_end_on(view, floor):
        azimuth = float(rng.uniform(-END_ON_AZIMUTH_DEG, END_ON_AZIMUTH_DEG))
        distance = reach_m + float(rng.uniform(*END_ON_CLEARANCE_M))
        return Camera(azimuth, distance, float(rng.uniform(*END_ON_HEIGHT_M)))
    azimuth = view_azimuth(view, facing, rng)
    distance = float(rng.uniform(*DISTANCE_M))
    return Camera(azimuth, distance, float(rng.uniform(*(FLOOR_HEIGHT_M if floor else STANDING_HEIGHT_M))))


@dataclass(frozen=True)
class Camera:
    """Pinhole camera `distance_m` in front of the body origin at height `height_m`.

    Pixels: x = cx + scale * d / depth * X, y = cy - scale * d / depth * (Y - height); depth = d - Z.
    place_m: where the body origin stands in the world (X, Z), for one of several athletes (0, 0 = the origin).
    """

    azimuth_deg: float
    distance_m: float = 4.5
    height_m: float = 0.9
    scale: float = 1.0
    cx: float = 0.0
    cy: float = 0.0
    place_m: tuple[float, float] = (0.0, 0.0)

    @property
    def forward(self) -> np.ndarray:
        a = np.radians(self.azimuth_deg)
        return np.array([np.sin(a), 0.0, np.cos(a)])

    @property
    def left(self) -> np.ndarray:
        """The athlete's left in world axes (up x forward, as for a real, unmirrored person)."""
        a = np.radians(self.azimuth_deg)
        return np.array([np.cos(a), 0.0, -np.sin(a)])

    def rotate(self, pts: np.ndarray) -> np.ndarray:
        """(N, 3) body-frame (f, u, l) directions -> (N, 3) world directions (X, Y, Z)."""
        pts = np.asarray(pts, dtype=np.float64)
        basis = np.stack([self.forward, np.array([0.0, 1.0, 0.0]), self.left])
        return pts @ basis

    def to_world(self, pts: np.ndarray) -> np.ndarray:
        """(N, 3) body-frame (f, u, l) points -> (N, 3) world (X, Y, Z)."""
        w = self.rotate(pts)
        if self.place_m != (0.0, 0.0):
            w = w + np.array([self.place_m[0], 0.0, self.place_m[1]])
        return w

    def project(self, pts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(N, 3) body-frame points -> ((N, 2) pixels, (N,) depth in metres)."""
        w = self.to_world(pts)
        depth = self.distance_m - w[:, 2]
        k = self.scale * self.distance_m / depth
        xy = np.stack([self.cx + k * w[:, 0], self.cy - k * (w[:, 1] - self.height_m)], axis=1)
        return xy, depth

    def towards_camera(self, direction: np.ndarray) -> float:
        """How much a body-frame direction points at the camera (cosine, +1 = straight at it)."""
        return float((self.rotate(np.asarray(direction)[None])[0])[2])

    def framed(self, pts: np.ndarray, size: tuple[int, int], fill: float, anchor: tuple[float, float]) -> Camera:
        """This camera scaled and shifted so all `pts` (every frame of the clip) fit the frame.

        fill: fraction of the limiting frame dimension the motion spans; anchor: where the motion's box
        centre goes, as fractions of the frame (0.5, 0.55 = slightly below the middle).
        """
        xy, _ = self.unframed().project(pts)
        scale, cx, cy = fit_frame(xy, size, fill, anchor)
        return Camera(self.azimuth_deg, self.distance_m, self.height_m, scale, cx, cy, self.place_m)

    def unframed(self) -> Camera:
        """This camera before framing: unit scale, the image origin at the optical axis."""
        return Camera(self.azimuth_deg, self.distance_m, self.height_m, place_m=self.place_m)


def fit_frame(xy: np.ndarray, size: tuple[int, int], fill: float,
              anchor: tuple[float, float]) -> tuple[float, float, float]:
    """(scale, cx, cy) that fit (N, 2) unframed image points into a frame of `size` (see Camera.framed)."""
    w, h = size
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    span = np.maximum(hi - lo, 1e-6)
    scale = fill * min(w / span[0], h / span[1])
    centre = (lo + hi) / 2
    cx = anchor[0] * w - scale * centre[0]
    cy = anchor[1] * h - scale * centre[1]
    return scale, cx, cy
