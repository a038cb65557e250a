"""What an exercise classifier says about the last moments of movement, and the Protocol every classifier meets.

The engine combines these scores with each exercise definition's own evidence (is its rep signal cycling); a
classifier alone never counts a rep.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from fitness.pose.types import Pose

# The class of "moving or standing, but not an exercise the classifier knows" (walking, stretching, resting).
NONE = "none"


@dataclass(frozen=True)
class ClassScores:
    """Probabilities over the classifier's labels (exercise names and NONE), summing to 1, from the poses up to
    time `t`. `probs` is empty while the classifier has not seen enough of the movement to say anything."""

    t: float
    probs: Mapping[str, float] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        return bool(self.probs)

    def top(self) -> tuple[str, float]:
        """The most likely label and its probability (NONE, 0.0 while not ready)."""
        if not self.probs:
            return NONE, 0.0
        label = max(self.probs, key=self.probs.__getitem__)
        return label, float(self.probs[label])

    def p(self, label: str) -> float:
        return float(self.probs.get(label, 0.0))


class ExerciseClassifier(Protocol):
    """Fed every frame's smoothed pose (None: nobody seen) with the frame's time."""

    labels: tuple[str, ...]

    def update(self, pose: Pose | None, t: float) -> ClassScores: ...

    def reset(self) -> None: ...


# Classifier answers kept for the votes over a run of reps: longer than any run still being weighed.
VOTES_KEEP_S = 120.0
# One answer kept per this long (the live classifier answers anew every 0.2 s and repeats itself in between).
VOTE_EVERY_S = 0.2


def top_label(probs: Mapping[str, float], default: str = "") -> str:
    """The label with the highest probability (`default` when there is none)."""
    return max(probs, key=probs.__getitem__) if probs else default


class ScoreHistory:
    """The classifier's answers over time, for its vote over a span (a rep, a run of reps) rather than the last
    moment's answer: a moment's guess while someone stretches or stands up is no vote for a set."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._t: deque[float] = deque()
        self._probs: deque[Mapping[str, float]] = deque()

    def add(self, scores: ClassScores) -> None:
        """Keeps a ready answer (an unready one says nothing)."""
        if not scores.ready or self._t and scores.t - self._t[-1] < VOTE_EVERY_S:
            return
        self._t.append(scores.t)
        self._probs.append(scores.probs)
        while self._t and self._t[0] < scores.t - VOTES_KEEP_S:
            self._t.popleft()
            self._probs.popleft()

    def mean(self, start_t: float, end_t: float) -> dict[str, float]:
        """The mean probability of each label over the answers in [start_t, end_t]; empty when there is none."""
        k = bisect_left(self._t, start_t)
        total: dict[str, float] = {}
        n = 0
        while k < len(self._t) and self._t[k] <= end_t:
            for label, p in self._probs[k].items():
                total[label] = total.get(label, 0.0) + float(p)
            n += 1
            k += 1
        return {label: p / n for label, p in total.items()}
