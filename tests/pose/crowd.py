"""Scenes of several people as MultiPose would report them: synthetic athletes' keypoint tracks
(`tests/exercise/tracks.py`) placed side by side in a wide frame, moving across it, crossing, hidden for a while,
stepping out and back, with a small passer-by in the background; per frame the detections in a shuffled order
and which person each one is. Shared by the tracker tests and benchmarks/eval_trackers.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from exercise.tracks import track, varied_track

from fitness.pose.types import Pose

FRAME = (1280, 480)  # two 640 x 480 clips side by side
FPS = 30.0
# How much of two people's widths must overlap before the one behind is hidden.
HIDDEN_OVERLAP = 0.5


@dataclass(frozen=True)
class Person:
    """One person of a scene: their keypoint track (640 x 480 frame), where its centre goes (x(t) px in the
    scene), their scale (smaller: further back), when they are hidden, and their depth (the nearer hides)."""

    name: str
    frames: list[tuple[Pose, float]]
    x: Callable[[float], float]
    scale: float = 1.0
    y_shift: float = 0.0
    hidden: Callable[[float], bool] = lambda t: False
    depth: float = 0.0
    passer_by: bool = False


@dataclass(frozen=True)
class Scene:
    """frames: per frame (t, detections); truth: per frame, the name of each detection's person."""

    frames: list[tuple[float, list[Pose]]]
    truth: list[list[str]]
    people: tuple[str, ...]
    passers_by: tuple[str, ...]


def _placed(pose: Pose, person: Person, t: float, rng: np.random.Generator, noise_px: float) -> Pose:
    xy = (pose.xy - (320.0, 480.0)) * person.scale + (person.x(t), 480.0 + person.y_shift)
    xy = xy + rng.normal(0.0, noise_px, xy.shape)
    return Pose(xy.astype(np.float32), pose.score, t, frame_size=FRAME)


def _extent(pose: Pose) -> tuple[float, float]:
    return float(np.nanmin(pose.xy[:, 0])), float(np.nanmax(pose.xy[:, 0]))


def compose(people: list[Person], *, seed: int = 0, miss_p: float = 0.03, noise_px: float = 1.5) -> Scene:
    """The scene's detections: each person's pose placed and scaled; off-frame, hidden (by `hidden` or behind a
    nearer person overlapping HIDDEN_OVERLAP of their width) or randomly missed (miss_p) means no detection."""
    rng = np.random.default_rng(seed)
    n = min(len(p.frames) for p in people)
    frames, truth = [], []
    for i in range(n):
        t = i / FPS
        placed = {p.name: _placed(p.frames[i][0], p, t, rng, noise_px) for p in people}
        shown = []
        for p in people:
            pose = placed[p.name]
            x0, x1 = _extent(pose)
            if p.hidden(t) or x1 < 0 or x0 > FRAME[0] or rng.random() < miss_p:
                continue
            behind = False
            for q in people:
                if q.depth < p.depth and not q.hidden(t):
                    q0, q1 = _extent(placed[q.name])
                    if min(x1, q1) - max(x0, q0) > HIDDEN_OVERLAP * (x1 - x0):
                        behind = True
            if not behind:
                shown.append((p.name, pose))
        order = rng.permutation(len(shown))
        frames.append((t, [shown[k][1] for k in order]))
        truth.append([shown[k][0] for k in order])
    return Scene(frames, truth, tuple(p.name for p in people if not p.passer_by),
                 tuple(p.name for p in people if p.passer_by))


def ramp(t0: float, t1: float, a: float, b: float) -> Callable[[float], float]:
    """a before t0, b after t1, a straight line between."""
    return lambda t: a + (b - a) * min(max((t - t0) / (t1 - t0), 0.0), 1.0)


def two_athletes(seed: int, reps: tuple[int, int] = (6, 6), twins: bool = False) -> tuple[list, list]:
    """Two sets of squats, front view: by the default athlete and another build (or the same one, twins)."""
    rng = np.random.default_rng(seed)
    a = track("squats", reps[0], "front", seed=seed)
    b = track("squats", reps[1], "front", seed=seed + 1) if twins else varied_track("squats", reps[1], "front", rng,
                                                                                   min_depth=1.0)
    return a, b


def scenes(seed: int = 0) -> dict[str, Scene]:
    """The named scenes the trackers are measured on (about 12-20 s each)."""
    a, b = two_athletes(seed)
    ta, tb = two_athletes(seed + 7, twins=True)
    walker = track("squats", 8, "front", seed=seed + 3)
    left, right = 320.0, 960.0
    out = {
        "side_by_side": [Person("A", a, lambda t: left), Person("B", b, lambda t: right, scale=0.95)],
        # They swap places between 4 and 7 s; B, a little further back, is hidden while they overlap.
        "crossing": [Person("A", a, ramp(4, 7, left, right)),
                     Person("B", b, ramp(4, 7, right, left), scale=0.9, depth=1.0)],
        "crossing_twins": [Person("A", ta, ramp(4, 7, left, right)),
                           Person("B", tb, ramp(4, 7, right, left), scale=0.97, depth=1.0)],
        # Side by side, B hidden (by someone walking past the camera) for 1.2 s.
        "occlusion": [Person("A", a, lambda t: left),
                      Person("B", b, lambda t: right, scale=0.95, hidden=lambda t: 5.0 <= t < 6.2)],
        # A walks out of the frame on the left (3-4 s), stays out, and comes back to their place (6.5-7.5 s).
        "step_out_and_back": [Person("A", a, lambda t: ramp(3, 4, left, -300)(t) if t < 5 else ramp(6.5, 7.5, -300,
                                                                                                         left)(t)),
                              Person("B", b, lambda t: right, scale=0.95)],
        # A small person walks across the background behind both.
        "passer_by": [Person("A", a, lambda t: left), Person("B", b, lambda t: right, scale=0.95),
                      Person("P", walker, ramp(2, 9, 1400, -150), scale=0.4, y_shift=-120, depth=5.0, passer_by=True)],
    }
    return {name: compose(people, seed=seed) for name, people in out.items()}


@dataclass(frozen=True)
class Score:
    """How a tracker did on a scene: ids each person got (frames with that id), switches from one id to another,
    frames a person was seen without an id, and frames a passer-by got one."""

    ids: dict[str, dict[int, int]]
    switches: int
    unlabelled: int
    passer_by_frames: int

    @property
    def clean(self) -> bool:
        return self.switches == 0 and self.passer_by_frames == 0 and all(len(v) == 1 for v in self.ids.values())


def score(scene: Scene, labelled: list[list[int | None]]) -> Score:
    """labelled: per frame, the id the tracker gave each of the scene's detections (None: none)."""
    ids: dict[str, dict[int, int]] = {name: {} for name in scene.people}
    last: dict[str, int] = {}
    switches = unlabelled = passer = 0
    for names, got in zip(scene.truth, labelled):
        for name, tid in zip(names, got):
            if name in scene.passers_by:
                passer += tid is not None
                continue
            if tid is None:
                unlabelled += 1
                continue
            ids[name][tid] = ids[name].get(tid, 0) + 1
            if name in last and last[name] != tid:
                switches += 1
            last[name] = tid
    # Two people sharing one id is a swap too.
    owners: dict[int, set[str]] = {}
    for name, got in ids.items():
        for tid in got:
            owners.setdefault(tid, set()).add(name)
    switches += sum(len(o) - 1 for o in owners.values())
    return Score(ids, switches, unlabelled, passer)
