"""What an exercise classifier says about the last moments of movement, and the Protocol every classifier meets.

The engine combines these scores with each exercise definition's own evidence (is its rep signal cycling); a
classifier alone never counts a rep.
"""

from __future__ import annotations

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
