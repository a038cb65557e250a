"""How the body moves and is oriented, frame by frame, for the workout engine's evidence: which keypoints moved
how much over a span of time (relative to the hips, in torso lengths), whether the torso was upright, and whether
the person is moving at all right now."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from fitness.geometry.side import END_ON_RATIO
from fitness.pose.types import MOVENET_MIN_KEYPOINT_SCORE, TRUSTED_KEYPOINT_SCORE, Keypoint, Pose

# The body's keypoints whose movement is weighed (the face follows the shoulders and is left out).
BODY = np.arange(int(Keypoint.LEFT_SHOULDER), int(Keypoint.RIGHT_ANKLE) + 1)
# Rows of BODY: the shoulders and hips, which must be seen to measure anything.
_SHOULDER_L, _SHOULDER_R = int(Keypoint.LEFT_SHOULDER) - int(BODY[0]), int(Keypoint.RIGHT_SHOULDER) - int(BODY[0])
_HIP_L, _HIP_R = int(Keypoint.LEFT_HIP) - int(BODY[0]), int(Keypoint.RIGHT_HIP) - int(BODY[0])
_FIRST, _END = int(BODY[0]), int(BODY[-1]) + 1  # BODY as a slice of the 17 keypoints
_KNEES = (int(Keypoint.LEFT_KNEE) - _FIRST, int(Keypoint.RIGHT_KNEE) - _FIRST)
# Frames kept: over a minute at 30 fps, more than a run of reps spans.
HISTORY_FRAMES = 2048
# A torso within this many degrees of vertical is upright (standing, sitting up); farther, lying or on the floor.
UPRIGHT_MAX_DEG = 45.0
# Shoulder width / torso length from which an upright-looking torso may be foreshortened (seen head-on, though under
# END_ON_RATIO): a push-up's top filmed from the front, 1.0-1.3; standing facing the camera, ~0.7-0.8 (up to ~1.1).
BROAD_RATIO = 0.9
# Torso lengths below the mid-hip a seen knee hangs at least for such a broad torso to be judged upright: standing,
# ~0.9-1.0; a head-on push-up's top, ~0.0-0.3 (its legs, far behind, drawn next to the hips).
KNEE_DROP_TORSO = 0.5
# Seconds over which `moving_level` averages the body's movement.
MOVING_WINDOW_S = 1.0
# Torso lengths the body keypoints are away from where they were on average over the last MOVING_WINDOW_S, summed,
# above which a person counts as moving (still, with a pixel of keypoint jitter: ~0.1; a slow curl: ~0.5).
MOVING_LEVEL = 0.3
# A frame-to-frame jump above this many torso lengths is a detection glitch or a new person, not movement.
MAX_STEP_TORSO = 0.5
# Settled (`settled_since`): the body keypoints moved less than this many torso lengths in all (summed over them) over
# the last SETTLE_WINDOW_S. Jitter alone moves them 0.1-0.5 in all; getting into a plank, several.
SETTLE_MOVE = 1.0
SETTLE_WINDOW_S = 0.5


# A limb moves as a whole: an exercise that reads its end (or middle) moves all of it.
_LIMBS = ((Keypoint.LEFT_ELBOW, Keypoint.LEFT_WRIST), (Keypoint.RIGHT_ELBOW, Keypoint.RIGHT_WRIST),
          (Keypoint.LEFT_KNEE, Keypoint.LEFT_ANKLE), (Keypoint.RIGHT_KNEE, Keypoint.RIGHT_ANKLE))


def body_parts(indices: Iterable[int]) -> frozenset[int]:
    """Keypoint indices with their limbs and their other-side twins added (left_wrist -> both elbows and wrists)."""
    out = set()
    indices = set(int(i) for i in indices)
    for limb in _LIMBS:
        if indices & set(limb):
            indices |= set(limb)
    for i in indices:
        out.add(int(i))
        name = Keypoint(i).name
        twin = name.replace("LEFT", "RIGHT") if name.startswith("LEFT") else name.replace("RIGHT", "LEFT")
        out.add(int(Keypoint[twin]))
    return frozenset(out)


def _level(values: list[float]) -> float:
    """The sum of 12 floats in numpy's order (its pairwise sum: eight partial sums, then the rest in turn), so the
    level is the one an array's .sum() gave."""
    v = values
    total = ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7]))
    for x in v[8:]:
        total += x
    return total


class BodyMotion:
    """Fed every frame's smoothed pose; keeps the last HISTORY_FRAMES frames' per-keypoint movement and posture."""

    def __init__(self, min_score: float = TRUSTED_KEYPOINT_SCORE) -> None:
        self.min_score = float(min_score)
        self.reset()

    def reset(self) -> None:
        self._t = np.full(HISTORY_FRAMES, np.nan)
        self._move = np.zeros((HISTORY_FRAMES, len(BODY)))
        self._upright = np.zeros(HISTORY_FRAMES, dtype=bool)
        self._standing = np.zeros(HISTORY_FRAMES, dtype=bool)  # upright with a knee hanging below the hips
        self._seen = np.zeros(HISTORY_FRAMES, dtype=bool)  # a body was seen
        self._judged = np.zeros(HISTORY_FRAMES, dtype=bool)  # the torso's posture could be judged
        self._points = np.zeros((HISTORY_FRAMES, len(BODY), 2))  # the body keypoints relative to the hips, in torsos
        self._ok = np.zeros((HISTORY_FRAMES, len(BODY)), dtype=bool)
        self._n = 0
        self._previous: np.ndarray | None = None  # the last frame's body keypoints relative to the hips, in torsos
        self._previous_ok: np.ndarray | None = None
        self.level = 0.0  # how far the body keypoints are from their recent average (MOVING_LEVEL)
        self._average: np.ndarray | None = None  # the body keypoints' average over about MOVING_WINDOW_S
        self._last_t: float | None = None

    @property
    def moving(self) -> bool:
        return self.level > MOVING_LEVEL

    def update(self, pose: Pose | None, t: float) -> None:
        # Plain floats: on 12 keypoints numpy's per-call cost is most of the work (the same numbers, bit for bit,
        # as the arrays' formulas: a 2-vector's norm is sqrt(x*x + y*y), `_level` sums as numpy does).
        i = self._n % HISTORY_FRAMES
        self._n += 1
        self._t[i] = t
        self._upright[i] = self._standing[i] = False
        self._seen[i] = self._judged[i] = False
        dt = t - self._last_t if self._last_t is not None else 0.0
        self._last_t = t
        rel = self._relative(pose)
        if rel is None:
            self._move[i] = 0.0
            self._previous = self._average = None
            self.level = 0.0
            return
        points, ok, upright, knees_down = rel
        self._seen[i] = True
        self._points[i], self._ok[i] = points, ok
        self._judged[i] = upright is not None
        self._upright[i] = bool(upright)
        self._standing[i] = bool(upright) and knees_down
        previous, previous_ok = self._previous, self._previous_ok
        if previous is not None:
            move = []
            for (x, y), (px, py), seen, seen_before in zip(points, previous, ok, previous_ok):
                d = math.sqrt((x - px) * (x - px) + (y - py) * (y - py)) if seen and seen_before else 0.0
                move.append(0.0 if d > MAX_STEP_TORSO else d)
            self._move[i] = move
        else:
            self._move[i] = 0.0
        self._previous, self._previous_ok = points, ok
        average = self._average
        if average is None:
            average = self._average = points
        elif dt > 0:
            k = 1.0 - math.exp(-dt / MOVING_WINDOW_S)
            average = self._average = [(ax + k * (x - ax), ay + k * (y - ay))
                                       for (x, y), (ax, ay) in zip(points, average)]
        self.level = _level([math.sqrt((x - ax) * (x - ax) + (y - ay) * (y - ay)) if seen else 0.0
                             for (x, y), (ax, ay), seen in zip(points, average, ok)])

    def _relative(self, pose: Pose | None) -> tuple[list[tuple[float, float]], list[bool], bool | None, bool] | None:
        """The body keypoints relative to the mid-hip in torso lengths (0, 0 where not seen), which of them are
        seen, whether the torso is upright (None: seen end-on, its length foreshortened, so a lying torso looks
        upright) and whether a knee hangs below the hips (`_knees_down`); None when the shoulders and hips are not
        seen."""
        if pose is None:
            return None
        xy, score = pose.xy.tolist()[_FIRST:_END], pose.score.tolist()[_FIRST:_END]
        min_score, isfinite = self.min_score, math.isfinite
        ok = [s >= min_score and isfinite(x) and isfinite(y) for (x, y), s in zip(xy, score)]
        if not (ok[_SHOULDER_L] and ok[_SHOULDER_R] and ok[_HIP_L] and ok[_HIP_R]):
            return None
        (slx, sly), (srx, sry) = xy[_SHOULDER_L], xy[_SHOULDER_R]
        (hlx, hly), (hrx, hry) = xy[_HIP_L], xy[_HIP_R]
        sx, sy = (slx + srx) / 2, (sly + sry) / 2
        hx, hy = (hlx + hrx) / 2, (hly + hry) / 2
        length = math.hypot(sx - hx, sy - hy)
        if not length > 0:
            return None
        from_vertical_deg = math.degrees(math.atan2(abs(sx - hx), abs(sy - hy)))
        points = [((x - hx) / length, (y - hy) / length) for x, y in xy]
        knees_down = self._knees_down(points, score)
        points = [p if seen else (0.0, 0.0) for p, seen in zip(points, ok)]
        width_ratio = math.sqrt((slx - srx) * (slx - srx) + (sly - sry) * (sly - sry)) / length
        if width_ratio > END_ON_RATIO:
            return points, ok, None, knees_down
        upright = from_vertical_deg <= UPRIGHT_MAX_DEG
        if upright and width_ratio >= BROAD_RATIO and not knees_down:
            return points, ok, None, knees_down  # maybe foreshortened (legs up by the hips, or unseen): not judged
        return points, ok, upright, knees_down

    @staticmethod
    def _knees_down(points: list[tuple[float, float]], score: list[float]) -> bool:
        """A knee the detector found hangs KNEE_DROP_TORSO torso lengths or more below the hips."""
        drops = [points[k][1] for k in _KNEES if score[k] >= MOVENET_MIN_KEYPOINT_SCORE
                 and math.isfinite(points[k][0]) and math.isfinite(points[k][1])]
        return bool(drops) and max(drops) >= KNEE_DROP_TORSO

    def _span(self, start_t: float, end_t: float) -> np.ndarray:
        return (self._t >= start_t) & (self._t <= end_t)

    def explained(self, keypoints: frozenset[int], start_t: float, end_t: float) -> float:
        """The share (0..1) of the body's movement over [start_t, end_t] done by `keypoints`; NaN when the body
        did not move (or was not seen) then."""
        rows = self._move[self._span(start_t, end_t)]
        per_point = rows.sum(axis=0)
        total = float(per_point.sum())
        if not total > 0:
            return math.nan
        mask = np.isin(BODY, list(keypoints))
        return float(per_point[mask].sum()) / total

    def upright_share(self, start_t: float, end_t: float) -> float:
        """The share of the frames over [start_t, end_t] whose torso's posture could be judged that had it upright
        (NaN: none)."""
        span = self._span(start_t, end_t) & self._judged
        n = int(span.sum())
        return float(self._upright[span].sum()) / n if n else math.nan

    def standing_s(self, start_t: float, end_t: float) -> float:
        """Seconds over [start_t, end_t] with the torso upright and a knee hanging below the hips (on one's feet, not
        sitting up with the knees bent), as frames times their mean spacing there."""
        span = self._span(start_t, end_t)
        n = int(span.sum())
        if n < 2:
            return 0.0
        times = self._t[span]
        return float(self._standing[span].sum()) * float(times.max() - times.min()) / (n - 1)

    def stood_still(self, start_t: float, end_t: float) -> bool:
        """The body was seen standing (`standing_s`) on every frame over [start_t, end_t] and settled all along
        (`settled_since`: no frame there moved over SETTLE_MOVE in SETTLE_WINDOW_S)."""
        span = self._span(start_t, end_t)
        if not span.any() or not self._standing[span].all():
            return False
        return self.settled_since(start_t, end_t) <= start_t

    def settled_since(self, start_t: float, end_t: float) -> float:
        """When the body last came to rest within [start_t, end_t]: the time of the last frame there whose body
        keypoints were over SETTLE_MOVE from where they were SETTLE_WINDOW_S before (start_t: none was). A frame
        without the body seen counts as moving."""
        span = self._span(start_t, end_t)
        order = np.flatnonzero(span)[np.argsort(self._t[span], kind="stable")]
        if not len(order):
            return start_t
        t = self._t[order]
        before = np.searchsorted(t, t - SETTLE_WINDOW_S, side="right") - 1  # the frame SETTLE_WINDOW_S before (or none)
        has = before >= 0
        now, then = order[has], order[before[has]]
        both = self._ok[now] & self._ok[then]
        moved = np.where(both, np.linalg.norm(self._points[now] - self._points[then], axis=2), 0.0).sum(axis=1)
        moving = np.zeros(len(order), dtype=bool)
        moving[has] = (moved > SETTLE_MOVE) | ~self._seen[now] | ~self._seen[then]
        moving |= ~self._seen[order]
        last = np.flatnonzero(moving)
        return float(t[last[-1]]) if len(last) else start_t
