"""Keypoints seen with low confidence that still carry the rhythm: used while they move consistently.

Side-on, MoveNet places the far arm steadily at a score of 0.15-0.3, below the trusted score. Such a keypoint
is usable once it has been placed, at LOW_SCORE or more, for CONSISTENT_S without a jump (a move faster than
JUMP_TORSOS_PER_S torso lengths per second from one frame to the next: a guess that hops between places).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

LOW_SCORE = 0.15  # below this a keypoint is never used
CONSISTENT_S = 0.2  # placed without a jump this long before a low-score keypoint is used
# Faster than a fast curl's wrist (~4 torso lengths per second at its peak) by half again.
JUMP_TORSOS_PER_S = 6.0


class ConsistentKeypoints:
    """Per keypoint: since when it has been placed without a jump (see the module docstring)."""

    def __init__(self, trusted_score: float) -> None:
        self.trusted_score = trusted_score
        self.reset()

    def reset(self) -> None:
        self.since: list[float | None] = [None] * 17
        self.last: list[tuple[float, float, float] | None] = [None] * 17  # (x, y, t) of the last placement
        self.torso_px = math.nan
        self._asked: tuple | None = None  # (xy, score, t) of the last frame judged, and the answer

    def usable(self, xy: Sequence[Sequence[float]], score: Sequence[float], torso_px: float, t: float) -> list[bool]:
        """Which of the 17 keypoints to use at time t: every trusted one, and low-score ones that have been
        consistent for CONSISTENT_S. torso_px: the torso length from trusted keypoints (NaN: the last known).
        Asked again about the frame it just judged (the same xy and score objects at the same t: the other side
        of a pair), it gives the same answer."""
        asked = self._asked
        if asked is not None and asked[0] is xy and asked[1] is score and asked[2] == t:
            return asked[3]
        out = self._judge(xy, score, torso_px, t)
        self._asked = (xy, score, t, out)
        return out

    def _judge(self, xy: Sequence[Sequence[float]], score: Sequence[float], torso_px: float, t: float) -> list[bool]:
        if torso_px == torso_px and torso_px > 0:
            self.torso_px = torso_px
        since_of, last_of, trusted_score, steady = self.since, self.last, self.trusted_score, self._steady
        out = []
        for i, ((x, y), s) in enumerate(zip(xy, score)):
            if not (s >= LOW_SCORE and x == x and y == y):  # not placed
                since_of[i] = last_of[i] = None
                out.append(False)
                continue
            last = last_of[i]
            since = since_of[i]
            if last is None or since is None or not steady(last, x, y, t):  # jumped (or just placed)
                since = since_of[i] = t
            last_of[i] = (x, y, t)
            out.append(s >= trusted_score or t - since >= CONSISTENT_S)
        return out

    def _steady(self, last: tuple[float, float, float], x: float, y: float, t: float) -> bool:
        lx, ly, lt = last
        dt = t - lt
        if not self.torso_px == self.torso_px or dt <= 0:
            return dt <= 0 and (lx, ly) == (x, y)
        return math.hypot(x - lx, y - ly) <= JUMP_TORSOS_PER_S * self.torso_px * dt
