"""Which body side to measure, and which way the camera looks at the body.

`better_side` picks the better-seen side of one pose: the previous choice unless the other side is clearly
better (by SIDE_MARGIN in mean keypoint score), so a drawing that follows it does not flicker.

`SideSelector` picks the better-visible side (left/right) with hysteresis in time: it switches only when the
other side has been clearly better (by `margin` in mean keypoint score, or fully visible while the current
side is not) for `switch_s` seconds, so the measured side does not flip-flop from frame to frame.

`ViewEstimator` tells a front view from a side view by shoulder width relative to torso length (about
0.6-0.9 facing the camera, under 0.35 side-on; torso length does not shrink when the body turns), smoothed
and with hysteresis.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

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

    def _quality(self, score: np.ndarray, idx: list[int]) -> tuple[bool, float]:
        s = [float(score[i]) for i in idx]
        s = [0.0 if not math.isfinite(x) else x for x in s]
        return all(x >= self.min_score for x in s), sum(s) / len(s)

    def update(self, score: np.ndarray, t: float, hold: bool = False) -> str:
        """score: (17,) keypoint scores (NaN = missing). Returns the side to use at time t."""
        lv, lq = self._quality(score, self.left)
        rv, rq = self._quality(score, self.right)
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


class ViewEstimator:
    """Estimates "front" or "side" per frame with an exponential moving average and hysteresis.

    update(xy, score, t) -> "front" | "side" | None (None until shoulders and a hip have been seen).
    smooth_s: time constant of the ratio's moving average (a rep's worth of turning does not flip the view).
    """

    def __init__(self, min_score: float = TRUSTED_KEYPOINT_SCORE, smooth_s: float = 0.5) -> None:
        self.min_score = min_score
        self.smooth_s = smooth_s
        self.reset()

    def reset(self) -> None:
        self.view: str | None = None
        self.ratio = math.nan
        self._t: float | None = None

    def update(self, xy: np.ndarray, score: np.ndarray, t: float) -> str | None:
        ls, rs, lh, rh = Keypoint.LEFT_SHOULDER, Keypoint.RIGHT_SHOULDER, Keypoint.LEFT_HIP, Keypoint.RIGHT_HIP
        if not (score[ls] >= self.min_score and score[rs] >= self.min_score):
            return self.view
        p = np.asarray(xy, dtype=np.float64).tolist()  # plain floats: inf - inf is NaN without numpy warnings

        def dist(a: int, b: int) -> float:
            return math.hypot(p[a][0] - p[b][0], p[a][1] - p[b][1])

        shoulder_w = dist(ls, rs)
        torsos = [dist(s, h) for s, h in ((ls, lh), (rs, rh)) if score[h] >= self.min_score]
        torsos = [x for x in torsos if math.isfinite(x) and x > 0]
        if not torsos or not math.isfinite(shoulder_w):
            return self.view
        ratio = shoulder_w / (sum(torsos) / len(torsos))
        if self._t is None or not math.isfinite(self.ratio):
            self.ratio = ratio
        else:
            dt = max(t - self._t, 0.0)
            alpha = 1.0 - math.exp(-dt / self.smooth_s) if self.smooth_s > 0 else 1.0
            self.ratio += alpha * (ratio - self.ratio)
        self._t = t
        if self.view is None:
            self.view = "front" if self.ratio >= (FRONT_RATIO + SIDE_RATIO) / 2 else "side"
        elif self.view == "side" and self.ratio > FRONT_RATIO:
            self.view = "front"
        elif self.view == "front" and self.ratio < SIDE_RATIO:
            self.view = "side"
        return self.view
