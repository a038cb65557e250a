"""Which body side to measure, and which way the camera looks at the body.

`better_side` picks the better-seen side of one pose: the previous choice unless the other side is clearly
better (by SIDE_MARGIN in mean keypoint score), so a drawing that follows it does not flicker.

`SideSelector` picks the better-visible side (left/right) with hysteresis in time: it switches only when the
other side has been clearly better (by `margin` in mean keypoint score, or fully visible while the current
side is not) for `switch_s` seconds, so the measured side does not flip-flop from frame to frame.

`ViewEstimator` tells a front view from a side view by shoulder width relative to torso length (about
0.6-0.9 facing the camera, under 0.35 side-on; torso length does not shrink when the body turns), smoothed
and with hysteresis. A body facing the camera is turned ("oblique") when the nose sits off the shoulders'
midpoint: the nose is ~10 cm forward of the shoulder line, so turning the body by `yaw` moves it sideways by
about half the half shoulder width times tan(yaw) (square on within ~10 deg: under 0.12; turned 35-55 deg:
0.3-0.8), whatever the build; the shoulder width alone cannot tell 35 deg from square on (cos 35 = 0.82,
less than people's shoulders differ).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from fitness.pose.memo import LastPoseMemo
from fitness.pose.types import TRUSTED_KEYPOINT_SCORE, Keypoint

SIDES = ("left", "right")
SIDE_JOINTS = ("shoulder", "elbow", "wrist", "hip", "knee", "ankle")
# side -> the keypoint indices of SIDE_JOINTS on that side
SIDE_KEYPOINTS = {side: tuple(int(Keypoint[f"{side}_{joint}".upper()]) for joint in SIDE_JOINTS) for side in SIDES}
SIDE_MARGIN = 0.1  # how much better (mean keypoint score) the other side must be seen to switch to it


def _mean_score(values: np.ndarray) -> float:
    """The mean of the scores that are not NaN; NaN when none is."""
    return math.nan if np.isnan(values).all() else float(np.nanmean(values))


def better_side(pose_score: np.ndarray, previous: str = "left") -> str:
    """The side ("left"/"right") whose SIDE_JOINTS are better seen in `pose_score` (17 keypoint scores, NaN
    ignored); `previous` unless the other side's mean score is higher by more than SIDE_MARGIN (or a side has
    no score at all)."""
    score = np.asarray(pose_score)
    left, right = (_mean_score(score[list(SIDE_KEYPOINTS[s])]) for s in SIDES)
    if left > right + SIDE_MARGIN:
        return "left"
    if right > left + SIDE_MARGIN:
        return "right"
    return previous


class SideSelector:
    """Chooses "left" or "right" from per-keypoint scores of the two sides' keypoints.

    left/right: keypoint indices of the same joints on each side (e.g. shoulder, hip, knee, ankle).
    min_score: a keypoint below it counts as not visible. margin: how much better (mean score) the other side
    must be; switch_s: for how long, before switching. `hold=True` in update() freezes the choice (mid-rep)
    unless the current side has lost a keypoint the other side still has.
    """

    def __init__(self, left: Sequence[int], right: Sequence[int], min_score: float = TRUSTED_KEYPOINT_SCORE,
                 margin: float = SIDE_MARGIN, switch_s: float = 0.5) -> None:
        if len(left) != len(right) or not left:
            raise ValueError("SideSelector needs the same non-empty joints on both sides")
        self.left = list(left)
        self.right = list(right)
        self.min_score = min_score
        self.margin = margin
        self.switch_s = switch_s
        self.reset()

    def reset(self) -> None:
        self.side: str | None = None
        self._better_since: float | None = None

    def _quality(self, score: list[float], idx: list[int]) -> tuple[bool, float]:
        s = [x if math.isfinite(x := score[i]) else 0.0 for i in idx]
        return all(x >= self.min_score for x in s), sum(s) / len(s)

    def update(self, score: np.ndarray | list[float], t: float, hold: bool = False) -> str:
        """score: (17,) keypoint scores (NaN = missing; a list of floats is used as it is). Returns the side to use at
        time t."""
        values = score if isinstance(score, list) else np.asarray(score, dtype=np.float64).tolist()
        lv, lq = self._quality(values, self.left)
        rv, rq = self._quality(values, self.right)
        if self.side is None:
            self.side = "left" if (lv, lq) >= (rv, rq) else "right"
            return self.side
        cur_v, cur_q, oth_v, oth_q = (lv, lq, rv, rq) if self.side == "left" else (rv, rq, lv, lq)
        lost = oth_v and not cur_v
        better = lost or (oth_v and oth_q > cur_q + self.margin)
        if not better or (hold and not lost):
            self._better_since = None
            return self.side
        if self._better_since is None:
            self._better_since = t
        if t - self._better_since >= self.switch_s:
            self.side = "right" if self.side == "left" else "left"
            self._better_since = None
        return self.side


FRONT_RATIO = 0.5  # shoulder width / torso length above which the body faces the camera
SIDE_RATIO = 0.35  # ... and below which it is side-on (the gap between them is the hysteresis)
TURNED_NOSE = 0.22  # the nose's offset from the shoulders' midpoint / half their width above which it is oblique
SQUARE_NOSE = 0.15  # ... and below which a body facing the camera is square on (the gap is the hysteresis)
END_ON_RATIO = 1.2  # shoulder width / torso length above which a body is seen end-on (standing: up to ~1.1)
MAX_NOSE = 2.0  # the offset is capped here before smoothing (one misplaced nose must not turn the body)
VIEWS = ("front", "oblique", "side")


class ViewEstimator:
    """Estimates "front", "oblique" or "side" per frame with exponential moving averages and hysteresis.

    update(xy, score, t) -> "front" | "oblique" | "side" | None (None until shoulders and a hip have been seen).
    Side or not is decided by the shoulder width ratio alone; a body that is not side-on is "oblique" while
    the smoothed nose offset says it is turned, unless the smoothed ratio says it is seen end-on (a push-up
    filmed from in front of the hands: its "front"). smooth_s: time constant of both moving averages (a rep's
    worth of turning does not flip the view).
    """

    def __init__(self, min_score: float = TRUSTED_KEYPOINT_SCORE, smooth_s: float = 0.5) -> None:
        self.min_score = min_score
        self.smooth_s = smooth_s
        self.reset()

    def reset(self) -> None:
        self.view: str | None = None
        self.facing: str | None = None  # "front" or "side" by the shoulder width ratio
        self.turned: bool | None = None  # the nose offset's verdict (None until the nose has been seen)
        self.ratio = math.nan
        self.nose = math.nan  # the smoothed nose offset, signed
        self._nose_t: float | None = None  # when the nose offset was first measured
        self._t: float | None = None

    def update(self, xy: np.ndarray, score: np.ndarray, t: float) -> str | None:
        measured = _view_geometry(xy, score, self.min_score)
        if measured is None:
            return self.view
        ratio, nose = measured
        alpha = 1.0
        if self._t is not None and self.smooth_s > 0:
            alpha = 1.0 - math.exp(-max(t - self._t, 0.0) / self.smooth_s)
        self.ratio = _smoothed(self.ratio, ratio, alpha)
        # Seen end-on on average, a frame whose hips were misread near the shoulders passes the per-frame guard
        # of `_measure_view`; its nose would turn the body for good (the next frames measure no nose).
        end_on = self.ratio > END_ON_RATIO
        if math.isfinite(nose) and not end_on:
            self.nose = _smoothed(self.nose, nose, alpha)
            self._nose_t = t if self._nose_t is None else self._nose_t
        self._t = t
        if self.facing is None:
            self.facing = "front" if self.ratio >= (FRONT_RATIO + SIDE_RATIO) / 2 else "side"
        elif self.facing == "side" and self.ratio > FRONT_RATIO:
            self.facing = "front"
        elif self.facing == "front" and self.ratio < SIDE_RATIO:
            self.facing = "side"
        # The first frames are judged square on: one average needs a time constant of frames to settle.
        if self._nose_t is not None and t - self._nose_t >= self.smooth_s:
            if self.turned is None:
                self.turned = abs(self.nose) >= (TURNED_NOSE + SQUARE_NOSE) / 2
            else:
                self.turned = abs(self.nose) > (SQUARE_NOSE if self.turned else TURNED_NOSE)
        self.view = "oblique" if self.facing == "front" and self.turned and not end_on else self.facing
        return self.view


def _measure_view(xy: np.ndarray, score: np.ndarray, min_score: float) -> tuple[float, float] | None:
    """(shoulder width / torso length, the nose's signed offset from the shoulders' midpoint in half shoulder widths
    (NaN: not measured)) of one pose; None when the shoulders and a hip with a torso length are not seen."""
    ls, rs, lh, rh = Keypoint.LEFT_SHOULDER, Keypoint.RIGHT_SHOULDER, Keypoint.LEFT_HIP, Keypoint.RIGHT_HIP
    if not (score[ls] >= min_score and score[rs] >= min_score):
        return None
    p = np.asarray(xy, dtype=np.float64).tolist()  # plain floats: inf - inf is NaN without numpy warnings

    def dist(a: int, b: int) -> float:
        return math.hypot(p[a][0] - p[b][0], p[a][1] - p[b][1])

    shoulder_w = dist(ls, rs)
    torsos = [dist(s, h) for s, h in ((ls, lh), (rs, rh)) if score[h] >= min_score]
    torsos = [x for x in torsos if math.isfinite(x) and x > 0]
    if not torsos or not math.isfinite(shoulder_w):
        return None
    ratio = shoulder_w / (sum(torsos) / len(torsos))
    nose = math.nan
    # Only where the shoulders are seen apart: both read at one point would make any nose look turned.
    # Not end-on either (a lying body seen along its length, the torso shorter than the shoulders' width):
    # there the torso's axis is too short to measure against.
    if score[Keypoint.NOSE] >= min_score and SIDE_RATIO <= ratio <= END_ON_RATIO:
        # Square to the torso's axis (hips' midpoint -> shoulders' midpoint), so neither a rolled camera
        # nor one shoulder raised by a pressing arm moves the nose sideways.
        hips = [p[h] for h in (lh, rh) if score[h] >= min_score]
        sx, sy = (p[ls][0] + p[rs][0]) / 2, (p[ls][1] + p[rs][1]) / 2
        ax, ay = sx - sum(h[0] for h in hips) / len(hips), sy - sum(h[1] for h in hips) / len(hips)
        nx, ny = p[Keypoint.NOSE][0] - sx, p[Keypoint.NOSE][1] - sy
        offset = (nx * ay - ny * ax) / max(math.hypot(ax, ay), 1e-9) / (shoulder_w / 2)
        nose = max(-MAX_NOSE, min(offset, MAX_NOSE))  # signed, so that keypoint jitter averages out
    return ratio, nose


# Every machine of a workout estimates the view of the same pose: it is measured once.
_view_geometry = LastPoseMemo(_measure_view)


def _smoothed(average: float, value: float, alpha: float) -> float:
    """The moving average after `value` (the value itself when there is no average yet)."""
    return value if not math.isfinite(average) else average + alpha * (value - average)
