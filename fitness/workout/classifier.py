"""The shipped exercise classifier: `load_classifier()` reads the weights that ship in the package
(recogniser.npz, built by scripts/train_recogniser.py; docs/recognition.md) into a `MotionClassifier`.

`NoClassifier` knows no exercise (never ready): the engine then recognises exercises by their definitions' own
evidence only.
"""

from __future__ import annotations

from importlib import resources

from fitness.pose.types import Pose
from fitness.workout.model import RecogniserModel
from fitness.workout.recogniser import MotionClassifier
from fitness.workout.scores import ClassScores

# The trained weights, package data of fitness.workout.
WEIGHTS_FILE = "recogniser.npz"


class NoClassifier:
    """Says nothing (never ready)."""

    labels: tuple[str, ...] = ()

    def update(self, pose: Pose | None, t: float) -> ClassScores:
        return ClassScores(t)

    def reset(self) -> None:
        pass


def load_model() -> RecogniserModel:
    """The shipped weights."""
    with resources.files("fitness.workout").joinpath(WEIGHTS_FILE).open("rb") as f:
        return RecogniserModel.load(f)


def load_classifier() -> MotionClassifier:
    """A fresh classifier with the shipped weights (each session its own: it keeps a window of poses)."""
    return MotionClassifier(load_model())
