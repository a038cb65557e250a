"""The shipped exercise classifier. Placeholder until the trained one lands: it knows no exercise, so the engine
recognises exercises by their definitions' own evidence only."""

from __future__ import annotations

from fitness.pose.types import Pose
from fitness.workout.scores import ClassScores


class NoClassifier:
    """Says nothing (never ready)."""

    labels: tuple[str, ...] = ()

    def update(self, pose: Pose | None, t: float) -> ClassScores:
        return ClassScores(t)

    def reset(self) -> None:
        pass


def load_classifier() -> NoClassifier:
    return NoClassifier()
